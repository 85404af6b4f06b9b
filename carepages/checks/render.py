"""Messages rendered with Python-Markdown, once each, for the checks to compare.

The build renders every translation through Python-Markdown with the extensions
in :data:`carepages.markdown_ext.MARKDOWN_EXTENSIONS`; the checks render each
msgid and msgstr with the same configuration, so "the translation turned a
paragraph into a list" or "this emphasis is not closed" is decided by the parser
that will render the page, not by a regular expression that approximates it.

One Markdown instance is kept per run and every distinct text is rendered once
(msgids are shared by every locale), into a :class:`Rendered` summary: the
block-level elements, the inline elements counted, the link targets, the raw
HTML Python-Markdown passed through, and the visible text.

Most messages are plain text (:func:`carepages.segments.is_plain`): Python-Markdown
makes one paragraph of exactly that text, so :func:`plain_rendering` writes that
summary down without running it, the tests proving the two equal.
The tree of any other text is taken as soon as it is finished: the checks never
read the HTML, so Python-Markdown does not serialise it.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
from markdown import util
from markdown.treeprocessors import Treeprocessor

from carepages.markdown_ext import MARKDOWN_EXTENSIONS
from carepages.segments import is_plain, to_markdown

#: Inline elements whose counts must survive translation.
INLINE_TAGS = ("em", "strong", "code", "a", "img")

#: A URL written as plain text (Python-Markdown does not link these, but a reader copies them).
BARE_URL = re.compile(r"\b(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>\"']+")
_URL_TAIL = ".,;:!?)]}'\"\u00bb\u201d\u2019"  # closing punctuation after a URL in a sentence
_STASH = re.compile(f"{util.STX}[^{util.ETX}]*{util.ETX}")
_TAG_NAME = re.compile(r"^<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
_DECLARATION = re.compile(r"^<([!?][A-Za-z\[]*)")  # <![CDATA[ ... ]]>, <!DOCTYPE ...>, <?php ... ?>


@dataclass(frozen=True)
class Rendered:
    """What a message looks like once Python-Markdown has rendered it."""

    blocks: tuple[str, ...]  # tags of the top-level elements, e.g. ("p",)
    inline: tuple[tuple[str, int], ...]  # (tag, count) for INLINE_TAGS, in that order
    links: tuple[str, ...]  # a[href], img[src] (also in raw HTML) and bare URLs, in order
    raw_html: tuple[str, ...]  # tag names of raw HTML passed through (entities excluded)
    text: str  # the visible text
    prose: str  # the visible text outside code spans, with bare URLs removed
    chunks: tuple[str, ...]  # the visible text split at element boundaries, in order

    def count(self, tag: str) -> int:
        return dict(self.inline).get(tag, 0)


NO_INLINE = tuple((tag, 0) for tag in INLINE_TAGS)
EMPTY = Rendered((), NO_INLINE, (), (), "", "", ())


def plain_rendering(source: str) -> Rendered:
    """What Python-Markdown makes of plain text: one paragraph of exactly that text."""
    return Rendered(
        blocks=("p",),
        inline=NO_INLINE,
        links=tuple(_bare_urls([source])),
        raw_html=(),
        text=source,
        prose=BARE_URL.sub(" ", source).strip(),
        chunks=(source,),
    )


class _Captured(Exception):
    """Carries the finished tree out of Python-Markdown, which then stops: no HTML is serialised."""

    def __init__(self, root: etree.Element) -> None:
        super().__init__()
        self.root = root


class _Capture(Treeprocessor):
    """Hands over the finished element tree (runs after inline parsing and unescaping)."""

    def run(self, root: etree.Element) -> None:
        raise _Captured(root)


class _Attributes(HTMLParser):
    """The href and src values inside a piece of raw HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.urls.append(value)


class Renderer:
    """One Python-Markdown instance and a cache: every distinct text is rendered once."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
        self.md.treeprocessors.register(_Capture(self.md), "carepages_check_capture", -100)
        self.cache: dict[str, Rendered] = {}

    def forget(self, keep: Collection[str]) -> None:
        """Drop every rendering but those of ``keep`` (the msgids, which every locale shares).

        Called after each locale, so memory holds one locale's translations, not all of them.
        """
        self.cache = {text: rendered for text, rendered in self.cache.items() if text in keep}

    def render(self, text: str) -> Rendered:
        """The rendering of a msgid or msgstr, as the build would put it into a block."""
        cached = self.cache.get(text)
        if cached is None:
            cached = self.cache[text] = self._render(to_markdown(text))
        return cached

    def _render(self, source: str) -> Rendered:
        return plain_rendering(source) if is_plain(source) else self.markdown(source)

    def markdown(self, source: str) -> Rendered:
        """The summary of inline Markdown as Python-Markdown renders it (no shortcut, no cache)."""
        self.md.reset()
        try:
            self.md.convert(source)
        except _Captured as captured:
            stash = [item for item in self.md.htmlStash.rawHtmlBlocks if isinstance(item, str)]
            return _summarise(captured.root, stash)
        return EMPTY  # a blank text: Python-Markdown returns before building a tree


def _summarise(root: etree.Element, stash: list[str]) -> Rendered:
    """Reduce a rendered tree to what the checks compare."""
    counts = Counter(element.tag for element in root.iter() if element.tag in INLINE_TAGS)
    walker = _TextWalker(stash)
    walker.walk(root, in_link=False, in_code=False)
    links = [*walker.links, *_raw_urls(stash), *(_bare_urls(walker.plain))]
    text = "".join(walker.text).strip()  # the outer newlines are Python-Markdown's layout
    return Rendered(
        blocks=tuple(child.tag for child in root),
        inline=tuple((tag, counts[tag]) for tag in INLINE_TAGS),
        links=tuple(links),
        raw_html=tuple(name for item in stash if (name := _raw_tag(item))),
        text=text,
        prose=BARE_URL.sub(" ", "".join(walker.prose)).strip(),
        chunks=tuple(chunk for chunk in walker.chunks if chunk.strip()),
    )


class _TextWalker:
    """Collects visible text (stash placeholders resolved) and link targets in document order."""

    def __init__(self, stash: list[str]) -> None:
        self.stash = stash
        self.text: list[str] = []
        self.prose: list[str] = []  # outside code
        self.plain: list[str] = []  # outside links, for bare URLs
        self.chunks: list[str] = [""]
        self.links: list[str] = []

    def walk(self, element: etree.Element, in_link: bool, in_code: bool) -> None:
        """Visit ``element`` and its children; a child's tail is in ``element``'s context."""
        if element.tag == "a" and element.get("href"):
            self.links.append(element.get("href", ""))
        if element.tag == "img" and element.get("src"):
            self.links.append(element.get("src", ""))
        in_link = in_link or element.tag == "a"
        in_code = in_code or element.tag in {"code", "pre"}
        self.add(element.text, in_link, in_code)
        for child in element:
            self.boundary()
            self.walk(child, in_link, in_code)
            self.boundary()
            self.add(child.tail, in_link, in_code)

    def boundary(self) -> None:
        """Start a new chunk: a renderer may put markers or references between elements."""
        if self.chunks[-1]:
            self.chunks.append("")

    def add(self, text: str | None, in_link: bool, in_code: bool) -> None:
        for piece in self._pieces(text or ""):
            if piece is None:
                self.boundary()
                continue
            self.text.append(piece)
            self.chunks[-1] += piece
            if not in_code:
                self.prose.append(piece)
            if not in_link:
                self.plain.append(piece)

    def _pieces(self, text: str) -> list[str | None]:
        """Split at stash placeholders: an entity becomes its character, raw HTML a boundary (None)."""
        pieces: list[str | None] = []
        position = 0
        for match in _STASH.finditer(text):
            pieces.append(text[position : match.start()])
            index = util.HTML_PLACEHOLDER_RE.match(match.group(0))
            number = int(index.group(1)) if index else -1
            raw = self.stash[number] if 0 <= number < len(self.stash) else ""
            pieces.append(html.unescape(raw) if raw.startswith("&") else None)
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


def _raw_urls(stash: list[str]) -> list[str]:
    parser = _Attributes()
    for item in stash:
        if item.lstrip().startswith("<"):
            parser.feed(item)
    parser.close()
    return parser.urls


def _bare_urls(texts: list[str]) -> list[str]:
    return [match.group(0).rstrip(_URL_TAIL) for match in BARE_URL.finditer("".join(texts))]


def squeeze(text: str) -> str:
    """Text with all whitespace and invisible direction marks removed, for comparing layouts."""
    return _SQUEEZE.sub("", text)


#: Characters a renderer may add or drop without changing what a reader sees.
INVISIBLE = frozenset("\u00ad\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_SQUEEZE = re.compile("[\\s" + "".join(sorted(INVISIBLE)) + "]+")
