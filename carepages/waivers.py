"""A reviewer's decisions for one locale: ``locale/<lang>/waivers.toml``.

Translators may accept an ordinary finding in their own catalog (``# allow:``), but
never one that guards safety: a disclaimer message, a changed link, raw HTML,
control or invisible characters, a disclaimer without readable text or with a
sentence fewer than its source. Those only a reviewer may waive, in this file,
which the project protects from translators (CODEOWNERS). It also holds the
reviewer's sign-off of the interface strings that carry safety meaning (the draft
notice, the disclaimer heading), which no check can verify by itself::

    [[waiver]]
    check = "links"                       # the check code
    msgid = "See [the guideline](https://example.org/en)."   # or msgid_sha256 = "<hex>"
    translation_sha256 = "9c1e0d5a77b2e4f1"  # the translation the reviewer read
    page = "knee"                         # optional: only in this catalog
    reason = "the guideline has a Spanish edition at another address"
    reviewer = "Dr. A. Name"

    [[signoff]]
    msgid_sha256 = "3f2a9b0c1d2e3f40"
    translation_sha256 = "77aa01c2d3e4f506"
    reviewer = "Dr. A. Name"
    date = 2026-11-20

Hashes are sha256 of the UTF-8 text (a plural translation: its forms joined by NUL),
written in full or as their first 16 or more hex digits. Every record names the
translation it was made for, so a waiver or a sign-off lapses by itself when the
translation changes. Every problem is reported with the file and line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carepages import limits
from carepages.config import Config
from carepages.errors import CarepagesError, shorten
from carepages.fsutil import read_input

MIN_HASH_DIGITS = 16
_HEX = re.compile(r"^[0-9a-f]+\Z")
WAIVER_KEYS = frozenset({"check", "msgid", "msgid_sha256", "translation_sha256", "page", "reason", "reviewer"})
SIGNOFF_KEYS = frozenset({"msgid", "msgid_sha256", "translation_sha256", "reviewer", "date", "note"})


def text_sha256(text: str | tuple[str, ...]) -> str:
    """The sha256 a record names a text by (a plural translation: its forms joined by NUL)."""
    joined = "\x00".join(text) if isinstance(text, tuple) else text
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Record:
    """What a waiver and a sign-off share: which message, which translation, who, and where it is written."""

    msgid_sha256: str
    translation_sha256: str
    reviewer: str
    line: int

    def matches(self, msgid: str, translation: str | tuple[str, ...]) -> bool:
        return text_sha256(msgid).startswith(self.msgid_sha256) and text_sha256(translation).startswith(
            self.translation_sha256
        )


@dataclass(frozen=True)
class Waiver(Record):
    check: str = ""
    reason: str = ""
    page: str | None = None


@dataclass(frozen=True)
class SignOff(Record):
    date: dt.date | None = None


@dataclass(frozen=True)
class Waivers:
    """A locale's waivers and sign-offs (none when the file does not exist)."""

    rel: str = ""
    waivers: tuple[Waiver, ...] = ()
    signoffs: tuple[SignOff, ...] = field(default_factory=tuple)

    def waiver(self, check: str, domain: str, msgid: str, translation: str | tuple[str, ...]) -> Waiver | None:
        """The reviewer's waiver of ``check`` for this exact translation of ``msgid``, if there is one."""
        return next(
            (
                w
                for w in self.waivers
                if w.check == check and w.page in (None, domain) and w.matches(msgid, translation)
            ),
            None,
        )

    def signoff(self, msgid: str, translation: str | tuple[str, ...]) -> SignOff | None:
        return next((s for s in self.signoffs if s.matches(msgid, translation)), None)


def waivers_path(config: Config, locale: str) -> Path:
    """``locale/<lang>/waivers.toml``."""
    return config.locale_path(locale) / "waivers.toml"


def load_waivers(config: Config, locale: str, codes: frozenset[str]) -> Waivers:
    """Read and validate a locale's waivers file; ``codes`` are the check codes a waiver may name."""
    path = waivers_path(config, locale)
    rel = config.relative(path)
    try:
        data = read_input(path, rel, config.root, limits.RECORD_FILE, CarepagesError)
    except FileNotFoundError:
        return Waivers(rel)
    try:
        text = data.decode("utf-8-sig")
        table = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        found = re.search(r"at line (\d+)", str(exc))
        raise CarepagesError(
            f"cannot read: {exc}", path=rel, line=int(found.group(1)) if found else None, hint=_FORMAT_HINT
        ) from exc
    return _Reader(rel, text, codes).read(table)


_FORMAT_HINT = "see 'Who may waive what' in the README for the format"


class _Reader:
    """Validates the records of one file, each problem with the line of its record."""

    def __init__(self, rel: str, text: str, codes: frozenset[str]) -> None:
        self.rel = rel
        self.codes = codes
        self.headers = {
            name: [n for n, line in enumerate(text.split("\n"), 1) if line.strip() == f"[[{name}]]"]
            for name in ("waiver", "signoff")
        }

    def bad(self, line: int | None, message: str, hint: str = _FORMAT_HINT) -> CarepagesError:
        return CarepagesError(message, path=self.rel, line=line, hint=hint)

    def read(self, table: dict[str, Any]) -> Waivers:
        unknown = sorted(set(table) - {"waiver", "signoff"})
        if unknown:
            raise self.bad(1, f"unknown table {shorten(unknown[0])}: only [[waiver]] and [[signoff]] records")
        waivers = tuple(self.waiver(r, line) for r, line in self.records(table, "waiver"))
        signoffs = tuple(self.signoff(r, line) for r, line in self.records(table, "signoff"))
        return Waivers(self.rel, waivers, signoffs)

    def records(self, table: dict[str, Any], name: str) -> list[tuple[dict[str, Any], int | None]]:
        records = table.get(name, [])
        lines = self.headers[name]
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise self.bad(None, f"'{name}' must be [[{name}]] tables")
        if len(lines) != len(records):
            raise self.bad(None, f"write each {name} as a [[{name}]] table on a line of its own")
        return list(zip(records, lines, strict=True))

    def waiver(self, record: dict[str, Any], line: int | None) -> Waiver:
        self.keys(record, line, WAIVER_KEYS, {"check", "translation_sha256", "reason", "reviewer"})
        check = self.text(record, "check", line)
        if check not in self.codes:
            raise self.bad(
                line,
                f"check {shorten(check)} is not a check that can be waived",
                "one of: " + ", ".join(sorted(self.codes)),
            )
        page = record.get("page")
        if page is not None and not isinstance(page, str):
            raise self.bad(line, "'page' must be a page name")
        msgid, translation = self.hashes(record, line)
        reason, reviewer = self.text(record, "reason", line), self.text(record, "reviewer", line)
        return Waiver(msgid, translation, reviewer, line or 0, check, reason, page)

    def signoff(self, record: dict[str, Any], line: int | None) -> SignOff:
        self.keys(record, line, SIGNOFF_KEYS, {"translation_sha256", "reviewer", "date"})
        date = record["date"]
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            raise self.bad(line, f"'date' must be a date such as 2026-11-20, not {shorten(date)}")
        msgid, translation = self.hashes(record, line)
        return SignOff(msgid, translation, self.text(record, "reviewer", line), line or 0, date)

    def keys(self, record: dict[str, Any], line: int | None, known: frozenset[str], required: set[str]) -> None:
        for key in sorted(set(record) - known):
            raise self.bad(line, f"unknown key {shorten(key)}", "known keys: " + ", ".join(sorted(known)))
        for key in sorted(required - set(record)):
            raise self.bad(line, f"the record has no {key!r}")
        if ("msgid" in record) == ("msgid_sha256" in record):
            raise self.bad(line, "name the message with exactly one of 'msgid' and 'msgid_sha256'")

    def text(self, record: dict[str, Any], key: str, line: int | None) -> str:
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.bad(line, f"{key!r} must be non-empty text, not {shorten(value)}")
        return value.strip()

    def hashes(self, record: dict[str, Any], line: int | None) -> tuple[str, str]:
        msgid = text_sha256(record["msgid"]) if isinstance(record.get("msgid"), str) else record.get("msgid_sha256")
        return self.digest(msgid, "msgid_sha256", line), self.digest(
            record["translation_sha256"], "translation_sha256", line
        )

    def digest(self, value: object, key: str, line: int | None) -> str:
        if not isinstance(value, str) or not _HEX.match(value.lower()) or not MIN_HASH_DIGITS <= len(value) <= 64:
            raise self.bad(
                line, f"{key!r} must be a sha256 in hex, at least {MIN_HASH_DIGITS} digits, not {shorten(value)}"
            )
        return value.lower()


def signoff_record(msgid: str, translation: str | tuple[str, ...], reviewer: str, date: dt.date) -> str:
    """The TOML of a sign-off record for this translation (for a reviewer to paste, and for tests)."""
    return (
        f'[[signoff]]\nmsgid_sha256 = "{text_sha256(msgid)[:MIN_HASH_DIGITS]}"\n'
        f'translation_sha256 = "{text_sha256(translation)[:MIN_HASH_DIGITS]}"\n'
        f"reviewer = {json.dumps(reviewer, ensure_ascii=False)}\ndate = {date.isoformat()}\n"
    )
