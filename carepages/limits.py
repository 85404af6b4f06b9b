"""Bounded work: the largest input each stage accepts, so a hostile file ends in one clear error, fast.

Python-Markdown's inline parser is quadratic in the number of ``[``, ``![`` and ``<``
a block holds (each one scans ahead for its end), its block parser slows down with
the nesting depth of quotes and lists, and PyYAML builds whatever an alias bomb
asks for. Every stage here stays linear in its input because what reaches it is
bounded first, with an error that names the file, the line and the limit:

* files: a source page, a catalog, a review or waivers file larger than its limit;
* a source page: a block (the text between blank lines) whose *scan cost* (its
  openers ``[ < ``` times its length: what Python-Markdown's inline parser may scan) is
  over :data:`MAX_BLOCK_SCAN`, a page whose blocks together are over
  :data:`MAX_PAGE_SCAN`, a line nested deeper than :data:`MAX_NESTING` quotes or lists;
* front matter (checked by :mod:`carepages.pages` on PyYAML's event stream): larger
  than :data:`MAX_FRONT_MATTER_CHARS`, any anchor or alias, fields longer than
  :data:`MAX_FIELD_CHARS`;
* a translation: longer than :func:`max_translation_length` of its source, or with
  a scan cost over four times its source's plus :data:`SCAN_ALLOWANCE`. Such a
  translation is never rendered (:func:`carepages.verdict.message_text`); the
  ``limits`` check reports it, and its page is withheld.

The limits are far above what real pages need: the shipped pages are at most 12 KB,
their costliest block scans 27,000 and their costliest page 44,000; at the limits a
page takes under a second to parse.
"""

from __future__ import annotations

import re

#: The largest file of each kind, and what it is called in the error.
PAGE_FILE = (128 * 1024, "a source page")
CATALOG_FILE = (32 * 1024 * 1024, "a catalog")
RECORD_FILE = (256 * 1024, "a review or waivers file")

#: Characters that open an inline construct Python-Markdown scans ahead from: links, images, raw HTML, code.
OPENERS = "[<`"
MAX_BLOCK_SCAN = 2_000_000
MAX_PAGE_SCAN = 4_000_000
#: Quote markers ('>') or list levels (four columns of indentation) on one line.
MAX_NESTING = 50

MAX_FRONT_MATTER_CHARS = 16 * 1024
MAX_FIELD_CHARS = {"title": 300, "description": 1000}

#: A translation may be this many times its source (in length and in scan cost), plus the allowances.
GROWTH = 4
LENGTH_ALLOWANCE = 2000
SCAN_ALLOWANCE = 100_000

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]*)+")


def openers(text: str) -> int:
    """How many characters of ``text`` make Python-Markdown scan ahead (see :data:`OPENERS`)."""
    return sum(text.count(char) for char in OPENERS)


def scan_cost(text: str) -> int:
    """An upper bound of the characters Python-Markdown's inline parser may scan in ``text``."""
    return openers(text) * len(text)


def max_translation_length(msgid: str) -> int:
    return GROWTH * len(msgid) + LENGTH_ALLOWANCE


def translation_problem(msgid: str, msgstr: str) -> str | None:
    """Why a translation is too costly to render, in words, or None when it is within the limits."""
    longest = max_translation_length(msgid)
    if len(msgstr) > longest:
        return f"the translation is {len(msgstr)} characters long, more than the {longest} allowed for this message"
    if scan_cost(msgstr) > GROWTH * scan_cost(msgid) + SCAN_ALLOWANCE:
        return (
            f"the translation has {openers(msgstr)} of the characters {' '.join(OPENERS)} (its source "
            f"{openers(msgid)}): too many for its length, the Markdown parser would take minutes"
        )
    return None


def page_problem(body: str) -> tuple[int, str] | None:
    """(0-based line, problem) for the first place of a page body over the limits, or None."""
    total, start = 0, 0
    for match in [*_BLANK_LINES.finditer(body), None]:
        end = match.start() if match else len(body)
        block = body[start:end]
        cost = scan_cost(block)
        total += cost
        if cost > MAX_BLOCK_SCAN or total > MAX_PAGE_SCAN:
            where = "a block" if cost > MAX_BLOCK_SCAN else "blocks up to here"
            first = start + len(block) - len(block.lstrip("\n"))  # the block's first line, not a blank one
            return body.count("\n", 0, first), f"{where} with too many of the characters {' '.join(OPENERS)}"
        start = match.end() if match else end
    for number, text in enumerate(body.split("\n")):
        depth = max(_quote_depth(text), _indent_depth(text))
        if depth > MAX_NESTING:
            return number, f"a line nested {depth} levels deep (quotes or lists), more than {MAX_NESTING}"
    return None


def _quote_depth(line: str) -> int:
    match = _QUOTES.match(line)
    return match.group(0).count(">") if match else 0


def _indent_depth(line: str) -> int:
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return len(indent.expandtabs(4)) // 4
