"""What a build did, for the command line to print and the tests to assert; progress on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Mapping
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


def locale_outcomes(
    order: list[str], verdicts: dict[str, LocaleVerdict], rendered: Mapping[str, int], editions: int, selected: set[str]
) -> tuple[LocaleOutcome, ...]:
    """Each locale's outcome, in configuration order: its pages published in each edition, rendered or reused."""
    outcomes = []
    for code in order:
        verdict = verdicts.get(code)
        published = len(verdict.published_pages) * editions if verdict else 0
        outcomes.append(LocaleOutcome(verdict, code, rendered[code], published - rendered[code], code in selected))
    return tuple(outcomes)


@dataclass(frozen=True)
class BuildSummary:
    """The result of a build: per locale what was published, withheld and why; whether it fails."""

    dist: str
    outcomes: tuple[LocaleOutcome, ...]
    strict: bool = False
    changed: bool = True
    #: Error-level findings behind the verdict (what makes ``check`` fail, and so ``build --strict``).
    errors: int = 0
    #: The clinic editions built (none: the neutral edition, in dist/ itself).
    editions: tuple[str, ...] = ()
    #: Why no PDF handouts were made (WeasyPrint or its system libraries missing), or ''.
    no_handouts: str = ""
    #: Error-level findings of check's checks of dist/ on what this build published (a page the renderer broke).
    built_errors: int = 0

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
            lines = withheld_lines(verdict)
            if lines:
                found[outcome.locale] = lines
        return found

    @property
    def pinned(self) -> list[str]:
        """One line per page served from an earlier revision: which, and how long the English page has changed."""
        lines = []
        for outcome in self.outcomes:
            for page in outcome.verdict.pinned_pages if outcome.verdict and outcome.selected else ():
                pin = page.pin
                assert pin is not None
                lines.append(
                    f"{outcome.locale}: pinned: {page.page} from revision {pin.short} of {pin.day.isoformat()} "
                    f"(the English page changed {pin.age_days} day(s) ago)"
                )
        return lines

    @property
    def failed(self) -> bool:
        """``--strict`` fails when ``carepages check`` (without ``--strict``) would (on any error), and when
        this machine could make no handouts: CI must publish everything, a laptop without Pango need not."""
        return self.strict and (self.errors > 0 or self.built_errors > 0 or bool(self.no_handouts))

    def report_lines(self) -> list[str]:
        lines = [_outcome_line(outcome) for outcome in self.outcomes if outcome.verdict and outcome.verdict.published]
        lines += self.pinned
        for locale, reasons in self.withheld.items():
            lines += [f"{locale}: withheld: {reason}" for reason in reasons]
        lines += [f"{o.locale}: {NOT_BUILT}" for o in self.outcomes if o.verdict is None]
        if self.editions:
            lines.append(f"build: clinic editions: {', '.join(self.editions)}")
        if self.no_handouts:
            lines.append(f"build: {self.no_handouts}")
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
        if self.built_errors:
            lines.append(
                f"build: {self.built_errors} error(s) in the built pages themselves (a template or the renderer "
                "dropped something the gate requires): run carepages check to see them"
            )
        if self.failed:
            why = "carepages check would fail" if self.errors or self.built_errors else "no PDF handouts"
            lines.append(f"build: failed (--strict): {why}")
        return lines


def withheld_lines(verdict: LocaleVerdict) -> list[str]:
    """What readers do not get of a locale, and why: the whole locale at once when nothing of it is served."""
    withheld = verdict.withheld_pages
    if verdict.reasons and not verdict.published:
        lines = [f"all pages: {reason}" for reason in verdict.reasons]
        unpinned = {page.unpinned for page in withheld}
        if len(unpinned) == 1 and "" not in unpinned:
            return [*lines, f"all pages: {unpinned.pop()}"]
        return lines + [f"{page.page}: {page.unpinned}" for page in withheld if page.unpinned]
    return [f"{page.page}: {'; '.join(verdict.why(page))}" for page in withheld]


def _outcome_line(outcome: LocaleOutcome) -> str:
    verdict = outcome.verdict
    assert verdict is not None
    pinned = len(verdict.pinned_pages)
    pages = f"{len(verdict.published_pages)} of {len(verdict.pages)} page(s)" + (
        f" ({pinned} pinned)" if pinned else ""
    )
    done = f"{outcome.rendered} rendered" if outcome.rendered else f"{outcome.reused} unchanged"
    if not outcome.selected:
        done += " (kept from the previous build: not selected with -l)"
    review = verdict.review_status
    return f"{outcome.locale}: published {pages}, {verdict.counts.percent:.1f} % translated, review: {review}; {done}"
