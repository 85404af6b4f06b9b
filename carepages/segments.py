"""The one definition of a message: what in a parsed page a translator translates.

Both extraction and the build call these functions on the same Python-Markdown
tree, so a page splits into the same messages when its template is written and
when its translation is put back, by construction rather than by agreement.

A *segment* is one translatable unit of a page: a block's inline Markdown (a
heading, paragraph, list item, table cell, quote or note paragraph, the summary
line of a ``<details>`` block), an image's
alt text or a link title in a block that has no text of its own, or a
reader-facing front-matter field.
"""

from __future__ import annotations

import functools
import math
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carepages import limits

if TYPE_CHECKING:
    from babel.messages.catalog import Message

#: The kinds of segment, as written in the ``#.`` comment of every message.
HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list item"
TABLE_HEADER = "table header"
TABLE_CELL = "table cell"
QUOTE = "quote"
NOTE_TITLE = "note title"
NOTE = "note"
SUMMARY = "summary"
ALT_TEXT = "alt text"
IMAGE_TITLE = "image title"
LINK_TITLE = "link title"
PAGE_TITLE = "page title"
PAGE_DESCRIPTION = "page description"
#: A front-matter field the project declared translated (``tool.carepages.front_matter.translated``).
PAGE_FIELD = "page field"

KINDS = (
    HEADING,
    PARAGRAPH,
    LIST_ITEM,
    TABLE_HEADER,
    TABLE_CELL,
    QUOTE,
    NOTE_TITLE,
    NOTE,
    SUMMARY,
    ALT_TEXT,
    IMAGE_TITLE,
    LINK_TITLE,
    PAGE_TITLE,
    PAGE_DESCRIPTION,
    PAGE_FIELD,
)

#: Segment kinds whose text ends up in an attribute (alt, title), not in the page's visible text.
ATTRIBUTE_KINDS = frozenset({ALT_TEXT, IMAGE_TITLE, LINK_TITLE})

DISCLAIMER_PREFIX = "disclaimer: "

#: The clinic fields a message may name (see :mod:`carepages.clinics`).
FIELD_NAMES = ("name", "address", "phone", "website", "emergency", "regulator")
#: A clinic field in a message, exactly as written: ``{{clinic.phone}}``. Braces and a dot mean
#: nothing to Markdown, so it reaches the rendered page as text, where each edition puts its value.
FIELD = re.compile(r"\{\{clinic\.(" + "|".join(FIELD_NAMES) + r")\}\}")
#: Anything that looks like a field (``{{ clinic.phone }}``, ``{{clinic.fone}}``): not one unless FIELD matches.
FIELD_LIKE = re.compile(r"\{\{[^{}\n]{0,60}\}\}")
FIELD_NOTE = "keep {} exactly as it is: each clinic's value is put in its place"

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"pre", "code", "script", "style"})

# What is stripped before asking "is there any word here?": whole images, link
# destinations, autolinks and tags, bare URLs, and Python-Markdown's stash placeholders.
_NOT_WORDS = re.compile(
    r"!\[[^\]]*\]\([^)]*\)"  # inline image
    r"|!\[[^\]]*\]\[[^\]]*\]"  # reference image
    r"|\]\([^)]*\)"  # link destination
    r"|<[^>\s]+[^>]*>"  # autolink or inline tag
    r"|\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+"  # bare URL
    r"|\x02[^\x03]*\x03"  # stash placeholder
    r"|&[a-zA-Z0-9#]+;"  # entity
)
# What may start a bare URL, the one thing in _NOT_WORDS that can begin with a letter.
_URL_START = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://")

#: Control characters (C0 and C1 but tab and newline): invisible on a page, and in the plain text
#: a terminal runs them as escape sequences (clearing the screen, renaming the window).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Characters a renderer may add or drop without changing what a reader sees: soft hyphen,
#: zero-width space, direction marks, embeddings and isolates, byte-order mark.
INVISIBLE = frozenset("\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")

_SQUEEZE = re.compile("[\\s" + "".join(sorted(INVISIBLE)) + "]+")
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")
_NO_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))


def squeeze(text: str) -> str:
    """Text with all whitespace and invisible marks removed, for comparing what two layouts show.

    The same as removing every match of :data:`_SQUEEZE` (``str.split`` splits at exactly
    what ``\\s`` matches; tests/test_fast_paths.py compares the two over all of Unicode),
    without a substitution per space: the checks squeeze every built page.
    """
    joined = "".join(text.split())
    return joined.translate(_NO_INVISIBLE) if _INVISIBLE.search(joined) else joined


# Characters with a meaning in this Markdown dialect (inline markup, raw HTML, entities, escapes,
# tables, fences, hard breaks) or that Python-Markdown removes (STX, ETX).
_MARKUP = re.compile(r"[\n\x02\x03`\\*_\[\]<>&|#~={}]")


@dataclass(frozen=True)
class Segment:
    """One message of a page, as extraction records it and the build looks it up."""

    msgid: str
    kind: str
    line: int
    disclaimer: str | None = None
    notes: tuple[str, ...] = ()

    def comments(self) -> list[str]:
        """The extracted (``#.``) comments: the kind, the disclaimer id, the author's notes."""
        lines = [self.kind]
        if self.disclaimer:
            lines.append(DISCLAIMER_PREFIX + self.disclaimer)
        lines.extend(self.notes)
        fields = sorted(set(match.group(0) for match in FIELD.finditer(self.msgid)))
        if fields:
            lines.append(FIELD_NOTE.format(", ".join(fields)))
        return lines


#: Whitespace as HTML and Markdown define it: a no-break space (French "«\u00a0»") is a character, not a gap.
_SPACES = re.compile(r"[ \t\r\f\v]+")


def field_tokens(text: str) -> tuple[list[str], list[str]]:
    """The clinic fields a text names (each occurrence), and the look-alikes that are not fields."""
    fields = [match.group(1) for match in FIELD.finditer(text)]
    odd = [match.group(0) for match in FIELD_LIKE.finditer(text) if not FIELD.fullmatch(match.group(0))]
    return fields, odd


def squash(line: str) -> str:
    """One line with runs of spaces and tabs made one space, trimmed; no-break spaces kept."""
    return _SPACES.sub(" ", line).strip(" ")


@functools.lru_cache(maxsize=65536)  # every locale's conversion of a page meets the same blocks
def normalize(text: str) -> str:
    """The msgid of a block's raw inline Markdown.

    Soft line breaks become spaces, so rewrapping a source paragraph does not
    change its msgid; a hard break (two trailing spaces) is kept as a newline.
    """
    lines = text.split("\n")
    out: list[str] = []
    for i, raw in enumerate(lines):
        stripped = squash(raw)
        if not stripped:
            continue
        if out:
            out.append("\n" if lines[i - 1].endswith("  ") else " ")
        out.append(stripped)
    return "".join(out).strip()


def without_controls(text: str) -> str:
    """``text`` without control characters (tab and newline kept)."""
    return CONTROL.sub("", text)


#: A translation at most this long is within the limits whatever its source: no longer than the length
#: allowance, and its scan cost (openers times length) at most its length squared, within the scan allowance.
SURELY_WITHIN_LIMITS = min(limits.LENGTH_ALLOWANCE, math.isqrt(limits.SCAN_ALLOWANCE))


def translation_problem(msgid: str, msgstr: str) -> str | None:
    """:func:`carepages.limits.translation_problem`, not asked about the short translations that are always within.

    Every translation is asked several times per run (build, checks, review state);
    most are far shorter than :data:`SURELY_WITHIN_LIMITS`.
    """
    if len(msgstr) <= SURELY_WITHIN_LIMITS:
        return None
    return limits.translation_problem(msgid, msgstr)


def message_text(message: Message | None) -> str | None:
    """The translation a reader is shown for a message, or None (the source text is shown).

    A fuzzy, empty or plural message is never shown, nor one with a context
    (carepages writes none: such an entry was added by hand, and must not win a lookup
    by msgid), nor one over the limits of :mod:`carepages.limits` (rendering it could
    take minutes; the ``limits`` check says so). Control characters never reach a page.
    """
    if message is None or message.fuzzy or message.context is not None or not isinstance(message.string, str):
        return None
    if isinstance(message.id, str) and translation_problem(message.id, message.string):
        return None
    return without_controls(message.string) or None


def to_markdown(msgstr: str) -> str:
    """Put a translation back as inline Markdown: newlines become hard breaks again."""
    parts = [squash(line) for line in msgstr.strip(" \t\r\n\f\v").split("\n")]
    return "  \n".join(part for part in parts if part)


def is_plain(text: str) -> bool:
    """Whether inline Markdown (as :func:`to_markdown` writes it) is plain text, as most messages are.

    One line that starts with a letter (no block syntax does) and has no character
    that means anything to this dialect: Python-Markdown renders it as exactly
    itself, one paragraph, so the build and the checks skip parsing it (the tests
    compare the two on every message of the test catalogs and on generated text).
    """
    return text[:1].isalpha() and _MARKUP.search(text) is None


@functools.lru_cache(maxsize=65536)
def is_translatable(text: str) -> bool:
    """Whether a block's text holds words, not just markup, URLs, numbers or images."""
    if text[:1].isalpha() and not _URL_START.match(text):
        return True  # a word right at the start, as in most blocks: nothing to strip first
    return any(ch.isalpha() for ch in _NOT_WORDS.sub(" ", text))


def text_kind(element: etree.Element, ancestors: list[etree.Element]) -> str | None:
    """The kind of segment an element's text is, or None if its text is not a message."""
    tag = element.tag
    if tag in _HEADINGS:
        return HEADING
    if tag == "li":
        return LIST_ITEM
    if tag == "th":
        return TABLE_HEADER
    if tag == "td":
        return TABLE_CELL
    if tag == "summary":
        return SUMMARY
    if tag != "p":
        return None
    if "admonition-title" in element.get("class", "").split():
        return NOTE_TITLE
    for ancestor in reversed(ancestors):
        if ancestor.tag == "li":
            return LIST_ITEM
        if ancestor.tag == "blockquote":
            return QUOTE
        if ancestor.tag == "div" and "admonition" in ancestor.get("class", "").split():
            return NOTE
    return PARAGRAPH


def iter_blocks(root: etree.Element) -> Iterator[tuple[etree.Element, list[etree.Element], str]]:
    """Yield ``(element, ancestors, kind)`` for every element whose text may be a message.

    Document order, code blocks skipped. Ancestors run from the root's child down.
    """

    def walk(
        element: etree.Element, ancestors: list[etree.Element]
    ) -> Iterator[tuple[etree.Element, list[etree.Element], str]]:
        for child in element:
            if child.tag in _SKIP:
                continue
            kind = text_kind(child, ancestors)
            if kind is not None:
                yield child, ancestors, kind
            yield from walk(child, [*ancestors, child])

    yield from walk(root, [])


def iter_attributes(block: etree.Element) -> Iterator[tuple[etree.Element, str, str]]:
    """Yield ``(element, attribute, kind)`` for the alt texts and titles inside a block.

    Called after inline parsing, only for blocks whose text is not itself a message
    (an image on its own, a bare link), so no word is ever in two messages.
    """
    for element in block.iter():
        if element.tag == "img":
            if element.get("alt", "").strip():
                yield element, "alt", ALT_TEXT
            if element.get("title", "").strip():
                yield element, "title", IMAGE_TITLE
        elif element.tag == "a" and element.get("title", "").strip():
            yield element, "title", LINK_TITLE


def disclaimer_of(comments: list[str]) -> str | None:
    """The disclaimer id recorded in a message's extracted comments, if any."""
    for comment in comments:
        if comment.startswith(DISCLAIMER_PREFIX):
            return comment[len(DISCLAIMER_PREFIX) :].strip()
    return None


def kind_of(comments: list[str]) -> str | None:
    """The segment kind recorded in a message's extracted comments, if any."""
    for comment in comments:
        if comment in KINDS:
            return comment
    return None
