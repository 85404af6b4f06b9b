# ruff: noqa: RUF001, RUF002 -- the punctuation of other scripts is what this module compares.
"""Warnings about how a translation's text compares with its source's at the surface.

* ``identical`` -- a long text (more than 20 characters, with letters) left exactly
  as the source: usually forgotten, sometimes right (a name), so only a warning;
* ``whitespace`` -- leading or trailing whitespace that differs from the source (a
  no-break space is typography, as in French ``\u00a0:``, not an accident);
* ``punctuation`` -- the sentence-ending punctuation differs. Marks that do the same
  job in other scripts count as equal (``.`` ``。`` ``۔``; ``?`` ``？`` ``؟``;
  ``!`` ``！``; ``:`` ``：``), and direction marks, closing quotes and brackets
  after the mark are looked through, so ``«…؟»`` and ``„…?“`` end like ``"…?"``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from carepages.checks.context import LocaleContext
from carepages.checks.model import Entry, Issue
from carepages.segments import INVISIBLE

IDENTICAL_MIN_LENGTH = 20

#: Sentence-ending marks by what they do; the key is the class name used in messages.
END_MARKS = {
    "a full stop": ".。۔",
    "a question mark": "?？؟",
    "an exclamation mark": "!！",
    "a colon": ":：",
    "an ellipsis": "…",
}
_MARK_CLASS = {mark: name for name, marks in END_MARKS.items() for mark in marks}
_CLOSERS = frozenset("\"'”’»›」』）)]】")


def end_mark(text: str) -> str | None:
    """The class of the sentence-ending mark of ``text`` ('a full stop', ...), or None."""
    body = text[-64:].replace("...", "…")  # only the end matters
    end = len(body)
    while end and _ignorable_at_end(body[end - 1]):
        end -= 1
    return _MARK_CLASS.get(body[end - 1]) if end else None


def _ignorable_at_end(char: str) -> bool:
    """Whitespace, direction marks, closing quotes and brackets: what may follow the final mark."""
    return char.isspace() or char in INVISIBLE or char in _CLOSERS or unicodedata.category(char) in {"Pe", "Pf", "Pi"}


#: Spaces that are typography, not accident: French puts one before ':' ('\u00a0:' or '\u202f:').
NO_BREAK_SPACES = "\u00a0\u2007\u202f"


def _edges(text: str) -> tuple[str, str]:
    """The leading and trailing whitespace of ``text``, no-break spaces not counted."""
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    while start > 0 and text[start - 1] in NO_BREAK_SPACES:
        start -= 1
    while end < len(text) and text[end] in NO_BREAK_SPACES:
        end += 1
    return text[:start], text[end:]


def check_identical(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        for source, translation in entry.pairs():
            if (
                translation.strip() == source.strip()
                and len(source.strip()) > IDENTICAL_MIN_LENGTH
                and any(ch.isalpha() for ch in source)
            ):
                yield Issue(
                    entry.path,
                    entry.line,
                    "the translation is identical to the source: translate it, or add '# allow: identical -- "
                    "reason' if it must stay as it is (a name, a quotation)",
                    entry,
                )
                break


def check_whitespace(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        for source, translation in entry.pairs():
            if _edges(source) != _edges(translation):
                yield Issue(
                    entry.path,
                    entry.line,
                    "leading or trailing whitespace differs from the source: remove the extra spaces or "
                    "line breaks at the start or end of the translation",
                    entry,
                )
                break


def _visible_pairs(ctx: LocaleContext, entry: Entry) -> list[tuple[str, str]]:
    """(source, translation) as a reader sees them: the page's rendering, or the text (interface strings)."""
    rendered = ctx.rendered(entry)
    return [(rendered[0].text, rendered[1].text)] if rendered else entry.pairs()


def check_punctuation(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        for source, translation in _visible_pairs(ctx, entry):
            before, after = end_mark(source), end_mark(translation)
            if before != after:
                yield Issue(
                    entry.path,
                    entry.line,
                    f"the source ends with {before or 'no punctuation'}, the translation with "
                    f"{after or 'no punctuation'}: end the translation as the source ends",
                    entry,
                )
                break
