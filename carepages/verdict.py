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
  file, or no catalogs at all. The rest of a locale is published page by page.

The source language is always published: it is the text itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from carepages.catalogs import RESERVED_DOMAINS
from carepages.checks.model import TEMPLATES, Finding
from carepages.reviewstate import DRAFT, REVIEWED, SOURCE, PageReview
from carepages.stats import Counts


@dataclass(frozen=True)
class PageVerdict:
    """One page in one locale: published or withheld, why, how complete, and whether its translation is reviewed.

    ``review`` decides the draft notice: a page shows it unless every translation it
    shows is signed off (:mod:`carepages.reviewstate`).
    """

    page: str
    published: bool
    reasons: tuple[str, ...] = ()
    counts: Counts = field(default_factory=Counts)
    review: PageReview = field(default_factory=PageReview)

    def as_dict(self) -> dict[str, Any]:
        return {
            "published": self.published,
            "reasons": list(self.reasons),
            "counts": self.counts.as_dict(),
            "review": self.review.as_dict(),
        }

    @classmethod
    def from_dict(cls, page: str, data: dict[str, Any]) -> PageVerdict:
        counts, review = Counts.from_dict(data["counts"]), PageReview.from_dict(data["review"])
        return cls(page, bool(data["published"]), tuple(data["reasons"]), counts, review)


@dataclass(frozen=True)
class LocaleVerdict:
    """One locale: what withholds it whole (if anything), and each page's verdict."""

    locale: str
    pages: tuple[PageVerdict, ...]
    reasons: tuple[str, ...] = ()
    counts: Counts = field(default_factory=Counts)

    @property
    def published(self) -> bool:
        """Whether any page of the locale reaches readers."""
        return not self.reasons and any(page.published for page in self.pages)

    @property
    def published_pages(self) -> tuple[str, ...]:
        return tuple(page.page for page in self.pages if page.published) if not self.reasons else ()

    def page(self, name: str) -> PageVerdict:
        return next(page for page in self.pages if page.page == name)

    def publishes(self, name: str) -> bool:
        return name in self.published_pages

    @property
    def review_status(self) -> str:
        """The locale's review in one word: source, reviewed (every page), partly reviewed, or draft."""
        statuses = {page.review.status for page in self.pages}
        if statuses <= {SOURCE, REVIEWED}:
            return SOURCE if SOURCE in statuses or not statuses else REVIEWED
        return "partly reviewed" if REVIEWED in statuses else DRAFT

    @property
    def withheld_pages(self) -> tuple[PageVerdict, ...]:
        """Every page readers do not get in this locale (all of them when the locale is withheld)."""
        return self.pages if self.reasons else tuple(page for page in self.pages if not page.published)

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
        )
        for page in pages
    )
    total = sum(counts.values(), Counts())
    return LocaleVerdict(locale, verdicts, _reasons(locale_wide), total)


def source_verdict(locale: str, pages: Sequence[str]) -> LocaleVerdict:
    """The source language: the original text, every page published."""
    source = PageReview(SOURCE)
    return LocaleVerdict(locale, tuple(PageVerdict(page, True, review=source) for page in pages))


def _reasons(findings: list[Finding]) -> tuple[str, ...]:
    """Why something is withheld, in words a clinic understands, each reason once, in a fixed order."""
    return tuple(sorted({finding.public_reason or finding.problem.message for finding in findings}))
