"""What judging a page at an earlier revision yields: whether it passed, and what to render it from.

Everything a pinned page shows comes from one revision: its body, title and
description (a :class:`~carepages.render.body.Draft`), its sign-offs (the draft
notice), the shared disclaimers and the interface strings around it
(:class:`FrameSource`), and what its disclaimers must show on the built page (for
the ``built-disclaimer`` check). These records cross
the process pool and live in the cache as JSON, so each has a plain form.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from carepages.checks.context import ExpectedDisclaimers
from carepages.pages import FrontMatter
from carepages.render.body import Draft
from carepages.reviewstate import PageReview


def draft_data(draft: Draft) -> list[Any]:
    return [draft.page, draft.title, draft.description, draft.body, draft.open_messages]


def draft_from(data: list[Any]) -> Draft:
    return Draft(str(data[0]), str(data[1]), str(data[2]), str(data[3]), int(data[4]))


def expected_data(expected: ExpectedDisclaimers) -> dict[str, Any]:
    return {d: {k: [list(c) for c in v] for k, v in ids.items()} for d, ids in sorted(expected.items())}


def expected_from(data: dict[str, Any]) -> ExpectedDisclaimers:
    return {d: {k: [tuple(c) for c in v] for k, v in ids.items()} for d, ids in data.items()}


@dataclass(frozen=True)
class FrameSource:
    """One locale's frame at one revision: its shared disclaimers and interface strings."""

    disclaimers: Draft
    ui_mo: bytes

    def as_dict(self) -> dict[str, Any]:
        return {"disclaimers": draft_data(self.disclaimers), "ui_mo": base64.b64encode(self.ui_mo).decode("ascii")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FrameSource:
        return cls(draft_from(data["disclaimers"]), base64.b64decode(data["ui_mo"]))


@dataclass(frozen=True)
class PageSource:
    """One page at one revision, as that revision's translation renders it."""

    draft: Draft
    total: int  # the page's messages at that revision (for the "not yet translated" share)
    last_reviewed: str  # ISO date from that revision's front matter, or ""
    expected: ExpectedDisclaimers  # what its disclaimers must show, from that revision's catalogs
    title_from_heading: bool = False  # its title was a heading of its body (shown once, not twice)
    review: PageReview = field(default_factory=PageReview)  # its sign-offs at that revision (the draft notice)

    def meta(self) -> FrontMatter:
        """What the page frame reads of the revision's front matter."""
        reviewed = dt.date.fromisoformat(self.last_reviewed) if self.last_reviewed else None
        return FrontMatter(last_reviewed=reviewed, title_from_heading=self.title_from_heading)

    def as_dict(self) -> dict[str, Any]:
        return {
            "draft": draft_data(self.draft),
            "total": self.total,
            "last_reviewed": self.last_reviewed,
            "expected": expected_data(self.expected),
            "title_from_heading": self.title_from_heading,
            "review": self.review.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageSource:
        expected = expected_from(data["expected"])
        heading, review = bool(data.get("title_from_heading")), PageReview.from_dict(data["review"])
        return cls(draft_from(data["draft"]), int(data["total"]), str(data["last_reviewed"]), expected, heading, review)


@dataclass(frozen=True)
class Evaluation:
    """The verdict on one page of one locale at one revision.

    ``passed``: the page was published then (the locale whole, the page itself);
    ``ended``: the page or its translation did not exist yet, so no older revision is
    worth looking at; ``source``: what to render it from, when it passed.
    """

    passed: bool
    reasons: tuple[str, ...] = ()
    ended: bool = False
    source: PageSource | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"passed": self.passed, "reasons": list(self.reasons), "ended": self.ended}
        if self.source is not None:
            data["source"] = self.source.as_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evaluation:
        source = data.get("source")
        return cls(
            bool(data["passed"]),
            tuple(data["reasons"]),
            bool(data["ended"]),
            PageSource.from_dict(source) if source else None,
        )


@dataclass(frozen=True)
class PinnedPage:
    """What the build renders a pinned page from: the page and its frame, both of ``revision``."""

    revision: str
    page: PageSource
    frame: FrameSource
