"""The one publishing decision: for each locale, each page and each message, shown or not, and why.

``build`` renders exactly this verdict, ``check`` reports it, and ``manifest.json``
and ``index.html`` record it; all of them get it from :func:`decide_locale`, so they
cannot disagree. The decision is made from the check registry's findings alone
(each finding says whether it withholds, and what):

* **a message** is shown translated when its translation is usable
  (:func:`~carepages.segments.message_text`: not fuzzy, not empty, no context); otherwise the page shows
  the source text there, marked as the source language;
* **a page** is published in a locale unless a withholding finding names its
  catalog: any error in it (a changed link or number, broken markup, raw HTML, a
  disclaimer of its own missing, the catalog unreadable or out of date, ...) or its
  own messages translated below the publishing threshold;
* **a locale** is withheld whole when a withholding finding names no single page:
  its shared disclaimers or interface strings (every page shows them), its review
  file, or no catalogs at all. The rest of a locale is published page by page;
* **a stale page** (withheld only by findings of checks that say the translation is
  behind the English text, never wrong: a fuzzy or untranslated disclaimer, an
  outdated catalog, too little translated) is served *pinned*: rendered whole from
  the newest git revision at which the same verdict published it
  (:mod:`carepages.pinning` looks for it; :func:`pin_locale` decides, with the
  project's policy). A page withheld for any error of its translation is never pinned.

The source language is always published: it is the text itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import Any

from carepages.catalogs import RESERVED_DOMAINS
from carepages.checks.model import TEMPLATES, Finding
from carepages.errors import Severity
from carepages.reviewstate import DRAFT, REVIEWED, SOURCE, PageReview
from carepages.stats import Counts


@dataclass(frozen=True)
class Pin:
    """The earlier revision a stale page is served from, and how far behind the English page it is."""

    revision: str
    date: str  # the revision's commit date (ISO 8601, with its offset)
    stale_since: str  # the commit date of the first later revision that changed the page's sources or catalogs
    age_days: int  # days from ``stale_since`` to the commit being built (HEAD): the same commits, the same age

    @property
    def short(self) -> str:
        return self.revision[:12]

    @property
    def day(self) -> dt.date:
        """The revision's date as its committer wrote it (what the page's notice shows)."""
        return dt.datetime.fromisoformat(self.date).date()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pin:
        return cls(str(data["revision"]), str(data["date"]), str(data["stale_since"]), int(data["age_days"]))


@dataclass(frozen=True)
class PageVerdict:
    """One page in one locale: its current translation published or withheld and why, maybe served pinned.

    ``published`` and ``reasons`` judge the current translation of the page itself
    (the locale's own reasons stand in :class:`LocaleVerdict`); ``review`` decides the
    draft notice: a page shows it unless every translation it shows is signed off
    (:mod:`carepages.reviewstate`). ``stale`` says that everything that withholds it
    (here or locale-wide) only means it is behind the source; ``pin`` is the earlier
    revision it is served from, or ``unpinned`` says why none can be.
    """

    page: str
    published: bool
    reasons: tuple[str, ...] = ()
    counts: Counts = field(default_factory=Counts)
    review: PageReview = field(default_factory=PageReview)
    stale: bool = False
    pin: Pin | None = None
    unpinned: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "published": self.published,
            "reasons": list(self.reasons),
            "counts": self.counts.as_dict(),
            "review": self.review.as_dict(),
        }
        if self.stale:
            data["stale"] = True
            data["pinned"] = self.pin.as_dict() if self.pin else None
            data["unpinned"] = self.unpinned
        return data

    @classmethod
    def from_dict(cls, page: str, data: dict[str, Any]) -> PageVerdict:
        counts, review = Counts.from_dict(data["counts"]), PageReview.from_dict(data["review"])
        pin = data.get("pinned")
        return cls(
            page,
            bool(data["published"]),
            tuple(data["reasons"]),
            counts,
            review,
            bool(data.get("stale")),
            Pin.from_dict(pin) if pin else None,
            str(data.get("unpinned") or ""),
        )


@dataclass(frozen=True)
class LocaleVerdict:
    """One locale: what withholds it whole (if anything), and each page's verdict."""

    locale: str
    pages: tuple[PageVerdict, ...]
    reasons: tuple[str, ...] = ()
    counts: Counts = field(default_factory=Counts)

    @property
    def published(self) -> bool:
        """Whether any page of the locale reaches readers (current or pinned)."""
        return bool(self.published_pages)

    # The lists below are worked out once per verdict (it is frozen): the build and the check ask
    # them for every page, and a list made anew each time costs the square of the pages.

    @cached_property
    def published_pages(self) -> tuple[str, ...]:
        """The pages readers get, in source order: current translations, and stale pages served pinned."""
        return tuple(page.page for page in self.pages if page.pin is not None or (page.published and not self.reasons))

    @cached_property
    def _published(self) -> frozenset[str]:
        return frozenset(self.published_pages)

    @cached_property
    def _by_name(self) -> dict[str, PageVerdict]:
        return {page.page: page for page in self.pages}

    @cached_property
    def pinned_pages(self) -> tuple[PageVerdict, ...]:
        return tuple(page for page in self.pages if page.pin is not None)

    @cached_property
    def stale_pages(self) -> tuple[PageVerdict, ...]:
        """The pages withheld only for being behind the source: the ones an earlier revision may serve."""
        return tuple(page for page in self.pages if page.stale)

    def page(self, name: str) -> PageVerdict:
        """The verdict of the page ``name`` (a KeyError names a page the verdict does not know)."""
        return self._by_name[name]

    def publishes(self, name: str) -> bool:
        return name in self._published

    @property
    def review_status(self) -> str:
        """The locale's review in one word: source, reviewed (every page), partly reviewed, or draft."""
        statuses = {page.review.status for page in self.pages}
        if statuses <= {SOURCE, REVIEWED}:
            return SOURCE if SOURCE in statuses or not statuses else REVIEWED
        return "partly reviewed" if REVIEWED in statuses else DRAFT

    @cached_property
    def withheld_pages(self) -> tuple[PageVerdict, ...]:
        """Every page readers do not get in this locale."""
        return tuple(page for page in self.pages if page.page not in self._published)

    def why(self, page: PageVerdict) -> tuple[str, ...]:
        """Why readers do not get ``page``: the locale's reasons, the page's, and why no earlier version serves."""
        return (*self.reasons, *page.reasons, *((page.unpinned,) if page.unpinned else ()))

    def served(self) -> dict[str, dict[str, Any]]:
        """Per page, how it reaches readers: ``current``, ``pinned`` (with the pin) or ``withheld`` (``stats``)."""
        found: dict[str, dict[str, Any]] = {}
        for page in self.pages:
            if page.pin is not None:
                found[page.page] = {"state": "pinned", **page.pin.as_dict()}
            else:
                found[page.page] = {"state": "current" if self.publishes(page.page) else "withheld"}
        return found

    def unpinned_verdict(self) -> LocaleVerdict:
        """This verdict before any pin: what :func:`decide_locale` made (pins are decided again on each run)."""
        return replace(self, pages=tuple(replace(page, pin=None, unpinned="") for page in self.pages))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the manifest and the build's cache."""
        return {
            "published": self.published,
            "reasons": list(self.reasons),
            "review": {
                "status": self.review_status,
                "pages_reviewed": sum(1 for page in self.pages if page.review.status == REVIEWED),
            },
            "counts": self.counts.as_dict(),
            "pages": {page.page: page.as_dict() for page in self.pages},
        }

    @classmethod
    def from_dict(cls, locale: str, data: dict[str, Any]) -> LocaleVerdict:
        pages = tuple(PageVerdict.from_dict(name, page) for name, page in data["pages"].items())
        return cls(locale, pages, tuple(data["reasons"]), Counts.from_dict(data["counts"]))


def decide_locale(
    locale: str,
    pages: Sequence[str],
    findings: Iterable[Finding],
    counts: dict[str, Counts],
    reviews: dict[str, PageReview],
) -> LocaleVerdict:
    """The verdict for one locale, from its findings and the project's (scope ``templates``).

    ``pages`` are the page domains in source order; ``counts`` the completion of each
    domain's catalog (for the manifest, index and notices: the threshold itself is a
    finding of the ``threshold`` check, so it is decided here like every other rule);
    ``reviews`` each page's sign-off state (unsigned text under ``require_review`` is
    a finding of the ``unsigned`` check, so that too is decided here).
    """
    withholding: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.withholds and finding.scope in (locale, TEMPLATES):
            domain = None if finding.domain in RESERVED_DOMAINS else finding.domain
            withholding[domain].append(finding)
    # A finding about a catalog that belongs to no page (a leftover) withholds nothing that is published.
    locale_wide = withholding.get(None, [])
    verdicts = tuple(
        PageVerdict(
            page,
            not withholding.get(page),
            _reasons(withholding.get(page, [])),
            counts.get(page, Counts()),
            reviews.get(page, PageReview()),
            _only_stale([*locale_wide, *withholding.get(page, [])]),
        )
        for page in pages
    )
    total = sum(counts.values(), Counts())
    return LocaleVerdict(locale, verdicts, _reasons(locale_wide), total)


def _only_stale(findings: list[Finding]) -> bool:
    """Whether these findings withhold something only because its translation is behind the source."""
    return bool(findings) and all(finding.stale for finding in findings)


def pin_locale(verdict: LocaleVerdict, outcomes: Mapping[str, Pin | str], max_stale_days: int) -> LocaleVerdict:
    """The verdict with its stale pages pinned where an earlier revision was found, within the policy.

    ``outcomes`` has, per stale page, the revision found (:class:`Pin`) or why none was;
    a pin whose page has been behind the English page for more than ``max_stale_days``
    is not used: the page is withheld, as it would be without pinning.
    """
    pages = []
    for page in verdict.unpinned_verdict().pages:
        outcome = outcomes.get(page.page) if page.stale else None
        if isinstance(outcome, Pin) and outcome.age_days > max_stale_days:
            outcome = (
                f"its last translated version is {outcome.age_days} days behind the English page "
                f"(more than max_stale_days = {max_stale_days})"
            )
        if isinstance(outcome, Pin):
            page = replace(page, pin=outcome)
        elif outcome:
            page = replace(page, unpinned=outcome)
        pages.append(page)
    return replace(verdict, pages=tuple(pages))


def settle(findings: Iterable[Finding], verdicts: Mapping[str, LocaleVerdict]) -> list[Finding]:
    """The findings as reported once pins are decided: a stale error that withholds only pinned pages is a warning.

    Readers then get every page it concerns from an earlier revision that passed every
    check, so it fails nothing (the ``pinned`` check warns about each such page);
    build ``--strict`` and check count errors after this, and so agree.
    """
    return [_settled(finding, verdicts.get(finding.scope)) for finding in findings]


def _settled(finding: Finding, verdict: LocaleVerdict | None) -> Finding:
    if verdict is None or not finding.stale or finding.severity != Severity.ERROR:
        return finding
    whole = finding.domain is None or finding.domain in RESERVED_DOMAINS
    concerned = [page for page in verdict.pages if whole or page.page == finding.domain]
    if not concerned or any(page.pin is None for page in concerned):
        return finding
    revisions = ", ".join(sorted({page.pin.short for page in concerned if page.pin}))
    message = f"{finding.problem.message} (meanwhile readers get the page(s) from revision {revisions}: pinned)"
    return replace(finding, problem=replace(finding.problem, severity=Severity.WARNING, message=message))


def source_verdict(locale: str, pages: Sequence[str]) -> LocaleVerdict:
    """The source language: the original text, every page published."""
    source = PageReview(SOURCE)
    return LocaleVerdict(locale, tuple(PageVerdict(page, True, review=source) for page in pages))


def _reasons(findings: list[Finding]) -> tuple[str, ...]:
    """Why something is withheld, in words a clinic understands, each reason once, in a fixed order."""
    return tuple(sorted({finding.public_reason or finding.problem.message for finding in findings}))


def error_count(findings: Iterable[Finding], verdicts: Mapping[str, LocaleVerdict]) -> int:
    """Errors among ``findings`` as check counts them, once pins are decided (:func:`settle`)."""
    return sum(1 for finding in settle(findings, verdicts) if finding.severity == Severity.ERROR)
