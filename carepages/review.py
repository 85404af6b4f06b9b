"""The former, locale-wide medical review record: ``locale/<lang>/review.toml``.

Review is recorded per message now, in the sign-off ledger (:mod:`carepages.signoff`):
a locale-wide "reviewed" cannot say which text was approved, and stays "reviewed"
after a translator edits a dose sentence. This file is still read and validated
(every bad value reported with the file, the line and what to write instead, as a
``review`` finding that withholds the locale), and ``carepages review migrate``
turns a "reviewed" one into sign-offs of the translations as they are then, with
its reviewer and date; until then its pages show the draft notice (the safe side)
and the check warns.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carepages import limits
from carepages.config import Config
from carepages.errors import CarepagesError, shorten
from carepages.fsutil import read_input

DRAFT = "draft"
REVIEWED = "reviewed"
STATUSES = (DRAFT, REVIEWED)
KEYS = ("status", "reviewer", "reviewed_on")

_TOML_LINE = re.compile(r"\(at line (\d+)")


@dataclass(frozen=True)
class Review:
    """Who reviewed a locale's translation and when (``status`` is draft or reviewed)."""

    status: str = DRAFT
    reviewer: str = ""
    reviewed_on: dt.date | None = None

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


def review_path(config: Config, locale: str) -> Path:
    """``locale/<lang>/review.toml``."""
    return config.locale_path(locale) / "review.toml"


def load_review(config: Config, locale: str) -> Review:
    """Read a locale's review status; no file means a draft."""
    path = review_path(config, locale)
    rel = config.relative(path)
    try:
        text = read_input(path, rel, config.root, limits.RECORD_FILE, CarepagesError).decode("utf-8-sig")
    except FileNotFoundError:
        return Review()
    except UnicodeDecodeError as exc:
        raise CarepagesError(f"cannot read: {exc}", path=rel, hint="save the file as UTF-8 text") from exc
    return parse_review(text, rel)


def parse_review(text: str, rel: str) -> Review:
    """Validate the contents of a review file; ``rel`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        raise CarepagesError(
            f"invalid TOML: {exc}",
            path=rel,
            line=int(match.group(1)) if match else None,
            hint='write lines such as status = "draft"',
        ) from exc
    return _validate(data, text, rel)


def _validate(data: dict[str, Any], text: str, rel: str) -> Review:
    def bad(key: str, message: str, hint: str) -> CarepagesError:
        return CarepagesError(message, path=rel, line=line_of(text, key), hint=hint)

    for key in data:
        if key not in KEYS:
            raise bad(key, f"unknown key {shorten(key)}", "known keys: " + ", ".join(KEYS))
    status = data.get("status", DRAFT)
    if status not in STATUSES:
        raise bad("status", f'status must be "draft" or "reviewed", not {shorten(status)}', 'write status = "draft"')
    reviewer = data.get("reviewer", "")
    if not isinstance(reviewer, str):
        raise bad("reviewer", f"reviewer must be text, not {shorten(reviewer)}", 'write reviewer = "Dr. A. Name"')
    reviewed_on = _date(data.get("reviewed_on", ""), lambda m: bad("reviewed_on", m, "write reviewed_on = 2026-11-20"))
    if status == REVIEWED and not (reviewer.strip() and reviewed_on):
        raise bad(
            "status",
            'status "reviewed" needs the reviewer and the date of the review',
            'fill in reviewer and reviewed_on, or keep status = "draft"',
        )
    return Review(status, " ".join(reviewer.split()), reviewed_on)


def _date(value: object, bad: Any) -> dt.date | None:
    """A TOML date or an ISO date string; an empty string means no date yet."""
    if isinstance(value, dt.datetime):
        raise bad(f"reviewed_on must be a date without a time, not {shorten(value)}")
    if isinstance(value, dt.date):
        return value
    if value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise bad(f"reviewed_on must be a date such as 2026-11-20, not {shorten(value)}")


def line_of(text: str, key: str) -> int | None:
    """The 1-based line on which ``key`` is set, so a reviewer finds the spot."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.split("\n"), start=1):
        if pattern.match(line):
            return number
    return None
