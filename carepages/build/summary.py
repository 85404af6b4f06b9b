"""What a build did, for the command line to print and the tests to assert; progress on a terminal."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from carepages.verdict import LocaleVerdict

NOT_BUILT = "not built yet: run carepages build without -l"


class Progress:
    """Progress for a person at a terminal (stderr); silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def note(self, message: str) -> None:
        if self.enabled:
            print(f"build: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class LocaleOutcome:
    """What the build did with one locale: its verdict, pages rendered and reused."""

    verdict: LocaleVerdict | None
    locale: str
    rendered: int = 0
    reused: int = 0
    selected: bool = True  # False: left alone because of -l


@dataclass(frozen=True)
class BuildSummary:
    """The result of a build: per locale what was published, withheld and why; whether it fails."""

    dist: str
    outcomes: tuple[LocaleOutcome, ...]
    strict: bool = False
    changed: bool = True
    #: Error-level findings behind the verdict (what makes ``check`` fail, and so ``build --strict``).
    errors: int = 0

    @property
    def pages_rendered(self) -> int:
        return sum(outcome.rendered for outcome in self.outcomes)

    @property
    def pages_reused(self) -> int:
        return sum(outcome.reused for outcome in self.outcomes)

    @property
    def published(self) -> list[str]:
        return [o.locale for o in self.outcomes if o.verdict is not None and o.verdict.published]

    @property
    def withheld(self) -> dict[str, list[str]]:
        """Per locale, what is withheld and why: ``"all pages: reason"`` or ``"page: reason"`` lines."""
        found: dict[str, list[str]] = {}
        for outcome in self.outcomes:
            verdict = outcome.verdict
            if verdict is None or not outcome.selected:
                continue
            lines = [f"all pages: {reason}" for reason in verdict.reasons]
            if not verdict.reasons:
                lines += [f"{page.page}: {'; '.join(page.reasons)}" for page in verdict.withheld_pages]
            if lines:
                found[outcome.locale] = lines
        return found

    @property
    def failed(self) -> bool:
        """``--strict`` fails exactly when ``carepages check`` (without ``--strict``) would: on any error."""
        return self.strict and self.errors > 0

    def report_lines(self) -> list[str]:
        lines = [_outcome_line(outcome) for outcome in self.outcomes if outcome.verdict and outcome.verdict.published]
        for locale, reasons in self.withheld.items():
            lines += [f"{locale}: withheld: {reason}" for reason in reasons]
        lines += [f"{o.locale}: {NOT_BUILT}" for o in self.outcomes if o.verdict is None]
        where = "updated" if self.changed else "unchanged"
        withheld = sum(map(len, self.withheld.values()))
        lines.append(
            f"build: {len(self.published)} locale(s) published, {withheld} withheld item(s); "
            f"{self.pages_rendered} page(s) rendered, {self.pages_reused} reused; {self.dist}/ {where}"
        )
        if self.errors:
            lines.append(
                f"build: {self.errors} error(s) in the translations withhold what they concern: "
                "run carepages check to see them"
            )
        if self.failed:
            lines.append("build: failed (--strict): carepages check would fail")
        return lines


def _outcome_line(outcome: LocaleOutcome) -> str:
    verdict = outcome.verdict
    assert verdict is not None
    pages = f"{len(verdict.published_pages)} of {len(verdict.pages)} page(s)"
    done = f"{outcome.rendered} rendered" if outcome.rendered else f"{outcome.reused} unchanged"
    if not outcome.selected:
        done += " (kept from the previous build: not selected with -l)"
    review = verdict.review_status
    return f"{outcome.locale}: published {pages}, {verdict.counts.percent:.1f} % translated, review: {review}; {done}"
