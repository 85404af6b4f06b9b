"""A page body rendered with its translations, and what a reader sees of each message in it.

This is the one rendering path for translations. The build writes the HTML it
returns; the checks compare, message by message, what the same conversion made of
the source text and of the translation (:class:`Rendered`), so a finding about a
link, a number or markup describes the page a patient gets, reference links and
all, never a second rendering that might differ from it.

Each message is rendered where it stands: its translation replaces the source
block's inline Markdown (see :mod:`carepages.markdown_ext`), so block structure
always comes from the source. What a message rendered as is read from the finished
element tree (after inline parsing, before serialisation), through the same stash
Python-Markdown uses for raw HTML and entities.
"""

from __future__ import annotations

import html
import marshal
import re
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from markdown import util

from carepages.htmltree import parse
from carepages.markdown_ext import Handler, PageParser, Placement
from carepages.pages import Page
from carepages.render.html import sanitize

#: Inline elements whose counts must survive translation.
INLINE_TAGS = ("em", "strong", "code", "a", "img")
#: Inline elements Python-Markdown makes inside a block's text (anything else is a nested block).
_INLINE = frozenset({*INLINE_TAGS, "br", "span", "sup", "sub", "b", "i", "small", "abbr", "del", "ins", "mark"})
#: Generic top-level domains a web address written without ``www.`` or a scheme is recognised by, after
#: a name of two characters or more ("clinic.example", "who.int").
_GENERIC_TLDS = (
    "com|org|net|edu|gov|int|info|biz|io|app|dev|health|clinic|care|doctor|hospital|pharmacy|dental|shop|store"
    "|online|site|xyz|life|live|club|top|pro|eu|asia|example|test"
)
#: Addresses written as plain text, which a reader types or copies (see :func:`address_spans`): a URL
#: (Python-Markdown does not link these), an e-mail address, a host name with a known ending.
_URL = re.compile(r"(?<![A-Za-z0-9])(?:[a-zA-Z][a-zA-Z0-9+.-]*://|[Ww][Ww][Ww]\.)[^\s<>\"'\u3000-\u303f\uff00-\uffef]+")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
#: A label of a host name: Latin letters (accented ones too: "kniehülfe.de"), digits, hyphens.
_ALNUM = "A-Za-z0-9\u00c0-\u024f"
_LABEL = f"[{_ALNUM}](?:[{_ALNUM}-]*[{_ALNUM}])?"
#: A name a country's ending counts after: five characters or more, or one with a hyphen.
_LONG_NAME = f"(?:[{_ALNUM}][{_ALNUM}-]{{3,}}[{_ALNUM}]|[{_ALNUM}]+-[{_ALNUM}-]*[{_ALNUM}])"
#: A host name, with ASCII letters, digits and hyphens on neither side (a Korean particle or a Chinese character
#: may touch it): a generic ending after any name; a country's ("heilung.de", "kur.co.uk", "STAMMZELLEN.DE",
#: "knie-heilung.de") after a long name, never after an abbreviation ("tlf.nr.", "sig.ra", "dd.mm.aa").
_HOST = re.compile(
    rf"(?<![A-Za-z0-9\u00c0-\u024f@./-])(?:{_LABEL}\.)*"
    rf"(?:{_LABEL}\.(?:{_GENERIC_TLDS})"
    rf"|{_LONG_NAME}\.(?:(?:co|com|org|net|gov|ac|edu)\.)?[a-z]{{2}}"
    r"|[A-Z0-9][A-Z0-9-]{3,}[A-Z0-9]\.(?:COM|ORG|NET|[A-Z]{2}))"
    r"(?![A-Za-z0-9\u00c0-\u024f-]|\.[A-Za-z0-9])(?:/[^\s<>\"'\u3000-\u303f\uff00-\uffef]*)?"
)
#: What every host name has and most sentences lack: a letter or digit, a dot, a letter.
_HOST_HINT = re.compile(r"[A-Za-z0-9\u00c0-\u024f]\.[A-Za-z]")
#: Dots a reader takes for a host name's dot (full-width, ideographic, one-dot leader, small full stop):
#: read as "." when addresses are looked for, one character for one, so the spans stand in the text as written.
_DOT_LOOKALIKES = str.maketrans({"\uff0e": ".", "\u3002": ".", "\u2024": ".", "\ufe52": ".", "\uff61": "."})
#: Closing punctuation after an address in a sentence (its look-alike dots too).
_URL_TAIL = ".,;:!?)]}'\"\u00bb\u201d\u2019\u3002\uff0e\u2024\ufe52\uff61"
_STASH = re.compile(f"{util.STX}[^{util.ETX}]*{util.ETX}")
_TAG_NAME = re.compile(r"^<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
_DECLARATION = re.compile(r"^<([!?][A-Za-z\[]*)")  # <![CDATA[ ... ]]>, <!DOCTYPE ...>, <?php ... ?>
#: Blocks whose own tag the walk counts as a link or code: never summarised as plain text.
_WALKED_BLOCKS = frozenset({"a", "img", "code", "pre"})


@dataclass(frozen=True, slots=True)
class Rendered:
    """What one message looks like on the page.

    Every process that judges translations holds one per source message for the whole
    run (82,000 at 1000 pages): slots, and one ``inline`` tuple per distinct set of counts.
    """

    inline: tuple[tuple[str, int], ...]  # (tag, count) for INLINE_TAGS, in that order
    links: tuple[str, ...]  # a[href], img[src] (also in raw HTML) and bare URLs, in order
    raw_html: tuple[str, ...]  # tag names of raw HTML passed through (entities excluded)
    text: str  # the visible text
    prose: str  # the visible text outside code spans, with bare URLs removed
    chunks: tuple[str, ...]  # the visible text split at element boundaries, in order

    def count(self, tag: str) -> int:
        return dict(self.inline).get(tag, 0)


NO_INLINE = tuple((tag, 0) for tag in INLINE_TAGS)
#: Each distinct ``inline`` tuple once (a page's blocks have few distinct counts of their inline tags).
_INLINE_SHAPES: dict[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]] = {NO_INLINE: NO_INLINE}


def plain_rendering(text: str) -> Rendered:
    """What a reader sees of plain text (an attribute value, a text without markup): the text itself."""
    spans = address_spans(text)  # looked for once: the links and the prose both come from them
    return Rendered(
        inline=NO_INLINE,
        links=tuple(_addresses_at(text, spans)),
        raw_html=(),
        text=text.strip(),  # as summarise() strips a block's text (a trailing no-break space too)
        prose=without_addresses(text, spans).strip(),
        chunks=(text,) if text.strip() else (),
    )


@dataclass(frozen=True)
class Draft:
    """One page's content in one locale, as the verdict's rendering made it, before the frame is put around it.

    ``open_messages`` counts the page's messages a reader sees in the source language.
    """

    page: str
    title: str
    description: str
    body: str
    open_messages: int = 0

    def save(self, path: Path) -> None:
        """Written to the build's work folder: results stream to disk, not through the process pool."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(marshal.dumps((self.page, self.title, self.description, self.body, self.open_messages)))

    @classmethod
    def load(cls, path: Path) -> Draft:
        return cls(*marshal.loads(path.read_bytes()))


@dataclass(frozen=True)
class Body:
    """A page body as sanitised HTML, with what each of its messages rendered as (by msgid).

    ``title`` is the visible text of the heading that is the page's title, for a page
    whose title is its first heading (``<title>`` and the index show text, not Markdown).
    """

    html: str
    messages: dict[str, Rendered]
    title: str = ""


def render_body(
    parser: PageParser,
    page: Page,
    handler: Handler | None,
    *,
    fallback: dict[str, str] | None = None,
) -> Body:
    """Convert a page body with ``handler`` putting translations in; summarise each message.

    ``fallback`` marks blocks left in the source language (``lang``, ``dir``).
    """
    html_text, conversion = parser.convert(page.body, page.rel, page.body_line, [], handler, fallback)
    messages: dict[str, Rendered] = {}
    stash = [item for item in parser.md.htmlStash.rawHtmlBlocks if isinstance(item, str)]
    for placement in conversion.placements:
        if placement.segment.msgid not in messages:
            messages[placement.segment.msgid] = summarise_placement(placement, stash)
    title = _heading_title(page, messages)
    return Body(sanitize(html_text), messages, title)


def _heading_title(page: Page, messages: dict[str, Rendered]) -> str:
    """The visible text of the heading that is the page's title (``meta.title_from_heading``), else ''.

    Every message placed on the page is summarised, the heading's too.
    """
    if not page.meta.title_from_heading or page.meta.title not in messages:
        return ""
    return " ".join(messages[page.meta.title].text.split())


def summarise_placement(placement: Placement, stash: list[str]) -> Rendered:
    """What one placed message rendered as: an attribute's text, or a block's inline content."""
    if placement.attribute is not None:
        return plain_rendering(placement.element.get(placement.attribute, ""))
    return summarise(placement.element, stash)


def summarise(element: etree.Element, stash: list[str]) -> Rendered:
    """Reduce a block's inline content (not its nested blocks) to what the checks compare."""
    text = str(element.text or "")  # a str, not Python-Markdown's AtomicString: the walk's chunks are str
    if len(element) == 0 and element.tag not in _WALKED_BLOCKS and util.STX not in text:
        return plain_rendering(text)  # text alone (most blocks): what the walk would make of it
    return _walked(element, stash)


def _walked(element: etree.Element, stash: list[str]) -> Rendered:
    """:func:`summarise` the long way: the block's inline elements walked one by one."""
    walker = _TextWalker(stash)
    walker.walk(element, in_code=False, top=True)
    # A web address written as text counts in a link's text too: "[www.cure-guaranteed.example](page.md)"
    # shows the reader an address the source never gave, whatever the target.
    links = [*walker.links, *_raw_urls(walker.raw), *bare_urls(walker.text)]
    inline = tuple((tag, walker.counts[tag]) for tag in INLINE_TAGS)
    return Rendered(
        inline=_INLINE_SHAPES.setdefault(inline, inline),
        links=tuple(links),
        raw_html=tuple(name for item in walker.raw if (name := _raw_tag(item))),
        text="".join(walker.text).strip(),
        prose=without_addresses("".join(walker.prose)).strip(),
        chunks=tuple(chunk for chunk in walker.chunks if chunk.strip()),
    )


class _TextWalker:
    """Collects visible text (stash placeholders resolved) and link targets in document order."""

    def __init__(self, stash: list[str]) -> None:
        self.stash = stash
        self.text: list[str] = []
        self.prose: list[str] = []  # outside code
        self.chunks: list[str] = [""]
        self.links: list[str] = []
        self.raw: list[str] = []  # raw HTML met in this block
        self.counts: Counter[str] = Counter()

    def walk(self, element: etree.Element, in_code: bool, top: bool = False) -> None:
        """Visit ``element``'s inline content; a child's tail is in ``element``'s context."""
        if not top:
            self.counts[element.tag] += 1
        if element.tag == "a" and element.get("href"):
            self.links.append(element.get("href", ""))
        if element.tag == "img" and element.get("src"):
            self.links.append(element.get("src", ""))
        in_code = in_code or element.tag in {"code", "pre"}
        self.add(element.text, in_code)
        for child in element:
            if child.tag not in _INLINE:
                break  # a nested block (a list inside a list item) is a message of its own
            self.boundary()
            self.walk(child, in_code)
            self.boundary()
            self.add(child.tail, in_code)

    def boundary(self) -> None:
        """Start a new chunk: a renderer may put markers or references between elements."""
        if self.chunks[-1]:
            self.chunks.append("")

    def add(self, text: str | None, in_code: bool) -> None:
        for piece in self._pieces(text or ""):
            if piece is None:
                self.boundary()
                continue
            self.text.append(piece)
            self.chunks[-1] += piece
            if not in_code:
                self.prose.append(piece)

    def _pieces(self, text: str) -> list[str | None]:
        """Split at stash placeholders: an entity becomes its character, raw HTML a boundary (None)."""
        if util.STX not in text:
            return [text]
        pieces: list[str | None] = []
        position = 0
        for match in _STASH.finditer(text):
            pieces.append(text[position : match.start()])
            index = util.HTML_PLACEHOLDER_RE.match(match.group(0))
            number = int(index.group(1)) if index else -1
            raw = self.stash[number] if 0 <= number < len(self.stash) else ""
            if raw.startswith("&"):
                pieces.append(html.unescape(raw))
            else:
                self.raw.append(raw)
                pieces.append(None)
            position = match.end()
        pieces.append(text[position:])
        return pieces


def _raw_tag(item: str) -> str | None:
    """The tag name of a piece of raw HTML (``comment`` for a comment), None for an entity."""
    stripped = item.strip()
    if stripped.startswith("<!--"):
        return "comment"
    match = _TAG_NAME.match(stripped) or _DECLARATION.match(stripped)
    return match.group(1).lower() if match else None


def _raw_urls(raw: list[str]) -> list[str]:
    """The href and src values inside the raw HTML of a message (its source's own tags)."""
    urls = []
    for item in raw:
        if item.lstrip().startswith("<"):
            for node in parse(item).iter():
                urls += [value for name, value in node.attrs.items() if name in {"href", "src"} and value]
    return urls


def address_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` writes an address (:data:`_URL`, :data:`_EMAIL`, :data:`_HOST`), in order, none overlapping.

    Three expressions, each asked only of a text that can hold its kind (an ``@``, a
    dot between a letter or digit and a letter): one expression of all three cost every
    message of every page five times what the URLs alone did.
    """
    text = text.translate(_DOT_LOOKALIKES)  # "heilung\uff0ede" is an address to a reader
    spans = [match.span() for match in _URL.finditer(text)]
    if "@" in text:
        spans += [match.span() for match in _EMAIL.finditer(text)]
    if _HOST_HINT.search(text):
        spans += [match.span() for match in _HOST.finditer(text)]
    if len(spans) < 2:
        return spans
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def without_addresses(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """``text`` with each address it writes (its :func:`address_spans`, when known) replaced by a space."""
    spans = address_spans(text) if spans is None else spans
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in spans:
        pieces += [text[position:start], " "]
        position = end
    return "".join([*pieces, text[position:]])


def bare_urls(texts: list[str]) -> list[str]:
    """URLs written as plain text, without the punctuation that ends the sentence around them."""
    text = "".join(texts)
    return _addresses_at(text, address_spans(text))


def _addresses_at(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The addresses at ``spans`` of ``text``, without the punctuation that ends the sentence around them."""
    return [text[start:end].rstrip(_URL_TAIL) for start, end in spans]
