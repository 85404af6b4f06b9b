"""The sign-off ledger (``locale/<lang>/signoff.tsv``): which translation a medical reviewer approved, when.

gettext has no place for approval, and a locale-wide "reviewed" goes stale the
day a translator edits one dose sentence. The ledger records each approval per
message: the page (the catalog's domain), a hash of the msgid and of the msgstr
the reviewer read, who, when, and an optional note. A sign-off holds exactly as
long as both texts hash the same: any edit to either invalidates it, with no step
anyone could forget. The file is committed with the catalogs and written only by
``carepages review sign`` (and ``review migrate``): one record per line, tab
separated, sorted, so two reviewers' work merges without conflicts and a diff
reads as a list of approvals::

    # page  msgid             msgstr            reviewer      date        note
    knee    3f2a9c1e0b7d4a55  9a8b7c6d5e4f3a21  Dr. A. Name   2026-11-20  dose checked

A hash proves that a text is unchanged, not who wrote the line: protect the ledger
like any reviewer-owned file (CODEOWNERS), as the README says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Message

from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.fsutil import read_input, write_if_changed
from carepages.limits import CATALOG_FILE

LEDGER_FILE = "signoff.tsv"
COLUMNS = ("page", "msgid", "msgstr", "reviewer", "date", "note")
#: Hex digits kept of each sha256: 64 bits, no collision among any project's messages.
HASH_LENGTH = 16
_HASH = re.compile(rf"^[0-9a-f]{{{HASH_LENGTH}}}\Z")
_PAGE = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")
_BAD_TEXT = re.compile(r"[\t\n\r\x00-\x1f\x7f]")
HEADER = (
    "# Medical sign-off ledger of this locale: one line per approved message.\n"
    "# Written by 'carepages review sign'; do not edit by hand. A line holds while the message's\n"
    "# msgid and msgstr hash as recorded (sha256, first 16 hex digits): any edit invalidates it.\n"
    "# Columns, tab separated: " + " ".join(COLUMNS) + "\n"
)


def text_hash(text: str) -> str:
    """The short sha256 of a text, as the ledger records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def joined(value: str | tuple[str, ...] | list[str] | None) -> str:
    """A msgid or msgstr as one text (the forms of a plural message joined by NUL)."""
    if isinstance(value, tuple | list):
        return "\x00".join(value)
    return value or ""


def message_hashes(message: Message) -> tuple[str, str]:
    """(msgid hash, msgstr hash) of a catalog message."""
    return text_hash(joined(message.id)), text_hash(joined(message.string))


@dataclass(frozen=True, order=True)
class SignOff:
    """One approval: this msgstr of this msgid on this page, by this reviewer, on this day."""

    page: str
    msgid_hash: str
    msgstr_hash: str
    reviewer: str
    date: dt.date
    note: str = ""
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return self.page, self.msgid_hash

    def row(self) -> str:
        fields = (self.page, self.msgid_hash, self.msgstr_hash, self.reviewer, self.date.isoformat(), self.note)
        return "\t".join(fields)

    def as_dict(self) -> dict[str, str]:
        return {
            "page": self.page,
            "msgid_sha256": self.msgid_hash,
            "msgstr_sha256": self.msgstr_hash,
            "reviewer": self.reviewer,
            "date": self.date.isoformat(),
            "note": self.note,
        }


@dataclass(frozen=True)
class Ledger:
    """A locale's sign-offs, one per (page, msgid hash), and where the file is."""

    rel: str
    records: tuple[SignOff, ...] = ()

    def by_key(self) -> dict[tuple[str, str], SignOff]:
        return {record.key: record for record in self.records}


def ledger_path(config: Config, locale: str) -> Path:
    return config.locale_dir / locale / LEDGER_FILE


def load_ledger(config: Config, locale: str) -> Ledger:
    """A locale's ledger; no file means nothing is signed (the safe default)."""
    path = ledger_path(config, locale)
    rel = config.relative(path)
    try:
        text = read_input(path, rel, config.root, CATALOG_FILE, CarepagesError).decode("utf-8-sig")
    except FileNotFoundError:
        return Ledger(rel)
    except UnicodeDecodeError as exc:
        raise CarepagesError(f"cannot read: {exc}", path=rel, hint="restore the file from version control") from exc
    return parse_ledger(text, rel)


def parse_ledger(text: str, rel: str) -> Ledger:
    """Validate a ledger's text; a bad line names its number and what is wrong with it."""
    records: dict[tuple[str, str], SignOff] = {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        record = _record(line, number, rel)
        if record.key in records:
            raise _bad(rel, number, f"a second sign-off of the message signed on line {records[record.key].line}")
        records[record.key] = record
    return Ledger(rel, tuple(sorted(records.values())))


def _bad(rel: str, line: int, message: str) -> CarepagesError:
    hint = "restore the ledger from version control; only 'carepages review sign' writes it"
    return CarepagesError(message, path=rel, line=line, hint=hint)


def _record(line: str, number: int, rel: str) -> SignOff:
    cells = line.split("\t")
    if len(cells) != len(COLUMNS):
        raise _bad(rel, number, f"{len(cells)} tab-separated fields, not {len(COLUMNS)} ({', '.join(COLUMNS)})")
    page, msgid_hash, msgstr_hash, reviewer, day, note = cells
    if not _PAGE.match(page):
        raise _bad(rel, number, f"{page!r} is not a page name")
    if not (_HASH.match(msgid_hash) and _HASH.match(msgstr_hash)):
        raise _bad(rel, number, f"the hashes must be {HASH_LENGTH} lowercase hex digits")
    if not reviewer.strip() or reviewer != " ".join(reviewer.split()):
        raise _bad(rel, number, f"the reviewer {reviewer!r} must be a name without extra spaces")
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise _bad(rel, number, f"{day!r} is not a date such as 2026-11-20") from None
    return SignOff(page, msgid_hash, msgstr_hash, reviewer, date, note, number)


def clean_field(value: str, what: str) -> str:
    """A reviewer's name or a note as one ledger field: one line, no tabs or control characters."""
    text = " ".join(value.split())
    if _BAD_TEXT.search(text):
        raise CarepagesError(f"the {what} contains control characters", hint=f"give the {what} as plain text")
    return text


def render_ledger(records: list[SignOff] | tuple[SignOff, ...]) -> str:
    """The ledger's text: the header, then one sorted line per record."""
    return HEADER + "".join(record.row() + "\n" for record in sorted(records))


def write_ledger(config: Config, locale: str, records: list[SignOff] | tuple[SignOff, ...]) -> bool:
    """Write a locale's ledger (only when its text changes); whether it was written."""
    return write_if_changed(ledger_path(config, locale), render_ledger(records).encode("utf-8"))
