"""What the sign-off ledger says about each message and each page: signed, changed since, or not yet.

One reading serves everyone: the verdict (whether a page shows the draft notice,
and under ``require_review`` whether it may be published at all), the page's
"reviewed by … on …" line, the index and manifest, and ``carepages review status``.

A message is

* **signed** when the ledger holds its page, msgid hash and msgstr hash, and the
  page shows its translation;
* **changed** when the ledger holds a sign-off of it that no longer fits: its msgstr
  was edited, or its msgid changed (found through the catalog's previous msgid);
* **unsigned** when the page shows its translation and no sign-off holds;
* **open** when the page shows the source text instead (untranslated or fuzzy):
  there is no translation to approve.

A page is reviewed when every translation it shows (its own messages, the shared
disclaimers and the interface strings) is signed: the draft notice is decided from
the ledger and the catalogs' texts, never from what a translation says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from carepages.checks.model import Entry
from carepages.segments import message_text
from carepages.signoff import Ledger, SignOff, joined, message_hashes, text_hash

DRAFT = "draft"
REVIEWED = "reviewed"
SOURCE = "source"


class State(StrEnum):
    SIGNED = "signed"
    CHANGED = "changed"
    UNSIGNED = "unsigned"
    OPEN = "open"


@dataclass(frozen=True)
class MessageReview:
    """One message's review state, with the sign-off that holds (or the one its change invalidated)."""

    entry: Entry
    state: State
    record: SignOff | None = None

    @property
    def shown(self) -> bool:
        """Whether the page shows this message's translation (what a reviewer can approve)."""
        return message_text(self.entry.message) is not None


def review_messages(entries: Iterable[Entry], ledger: Ledger) -> tuple[list[MessageReview], list[SignOff]]:
    """Each message's state, and the sign-offs that fit no message any more (stale)."""
    records = ledger.by_key()
    used: set[tuple[str, str]] = set()
    states = []
    for entry in entries:
        if entry.message.context is not None:
            continue
        state, record = _state(entry, records)
        if record is not None:
            used.add(record.key)
        states.append(MessageReview(entry, state, record))
    stale = [record for record in ledger.records if record.key not in used]
    return states, stale


def _state(entry: Entry, records: dict[tuple[str, str], SignOff]) -> tuple[State, SignOff | None]:
    msgid_hash, msgstr_hash = message_hashes(entry.message)
    record = records.get((entry.domain, msgid_hash))
    if record is None and entry.message.previous_id:
        record = records.get((entry.domain, text_hash(joined(tuple(entry.message.previous_id)))))
        if record is not None:
            return State.CHANGED, record
    shown = message_text(entry.message) is not None
    if record is not None and (record.msgstr_hash != msgstr_hash or not shown):
        return State.CHANGED, record
    if not shown:
        return State.OPEN, None
    return (State.SIGNED, record) if record is not None else (State.UNSIGNED, None)


@dataclass(frozen=True)
class PageReview:
    """A page's review in one locale: reviewed or draft, its counts, and its latest sign-off."""

    status: str = DRAFT
    signed: int = 0
    unsigned: int = 0  # translations shown without a sign-off that holds (changed ones included)
    changed: int = 0
    reviewers: tuple[str, ...] = ()  # who signed on the latest date
    last_signed: dt.date | None = None

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "signed": self.signed,
            "unsigned": self.unsigned,
            "changed": self.changed,
            "reviewers": list(self.reviewers),
            "last_signed": self.last_signed.isoformat() if self.last_signed else "",
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageReview:
        day = data.get("last_signed") or ""
        return cls(
            data["status"],
            int(data["signed"]),
            int(data["unsigned"]),
            int(data["changed"]),
            tuple(data["reviewers"]),
            dt.date.fromisoformat(day) if day else None,
        )


def page_review(states: Iterable[MessageReview]) -> PageReview:
    """A page's review from the states of every message it shows."""
    shown = [state for state in states if state.shown]
    signed = [state.record for state in shown if state.state == State.SIGNED and state.record is not None]
    unsigned = len(shown) - len(signed)
    changed = sum(1 for state in states if state.state == State.CHANGED)
    last = max((record.date for record in signed), default=None)
    reviewers = tuple(sorted({record.reviewer for record in signed if record.date == last}))
    status = REVIEWED if signed and not unsigned else DRAFT
    return PageReview(status, len(signed), unsigned, changed, reviewers if status == REVIEWED else (), last)


def page_reviews(states: Sequence[MessageReview], pages: Sequence[str], shared: Sequence[str]) -> dict[str, PageReview]:
    """Each page's review: its own messages and those every page shows (``shared`` domains)."""
    by_domain: dict[str, list[MessageReview]] = {}
    for state in states:
        by_domain.setdefault(state.entry.domain, []).append(state)
    common = [state for domain in shared for state in by_domain.get(domain, [])]
    return {page: page_review([*by_domain.get(page, []), *common]) for page in pages}
