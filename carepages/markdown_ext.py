"""The Python-Markdown extension through which every page is parsed, extracted and rendered.

Registered processors (Python-Markdown runs higher priorities first):

* ``carepages_directives`` -- preprocessor, priority 35, before whitespace
  normalisation (30), fenced code (25, :mod:`carepages.fences`) and the HTML block
  stash (20, :mod:`carepages.html_blocks`). Finds the author's directive comments
  (``<!-- translators: ... -->``, ``<!-- notranslate -->``, ``<!-- disclaimer: id -->``)
  while they are still text, records their source lines, and leaves a marker
  paragraph so the block parser shows which block each precedes. A comment inside a
  fenced code block is code: :func:`carepages.fences.find_fences` says which lines are.
* ``carepages_segments`` -- tree processor, priority 25, before ``inline`` (20). Sees
  each block's raw inline Markdown: the place where extraction collects msgids and
  the build puts msgstrs back, so translations go through the same inline parser.
  A disclaimer inside ``<details>`` is refused: a reader may never open it.
* ``carepages_attributes`` -- tree processor, priority 15, after ``inline``. Alt texts
  and titles of blocks that have no words of their own (an image on its own).

Python-Markdown keeps no line numbers, so each segment is located in the source
by a forward search from the previous one; directives carry their own lines.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from carepages import segments
from carepages.block_cache import BlockCache
from carepages.directives import MARKER_RE, Directive, DirectiveReader
from carepages.errors import SourceError
from carepages.segments import Segment

#: Called for every segment; returns the text to put in its place, or None to keep it.
Handler = Callable[[Segment], "str | None"]


#: The Markdown dialect: the same for extraction, the build and the checks. Fences follow
#: CommonMark (:mod:`carepages.fences`); ``<details>``, ``<div>`` and ``<aside>`` blocks hold
#: Markdown (:mod:`carepages.html_blocks`); links to ``.md`` pages lead to the built ones
#: (:mod:`carepages.page_links`).
OWN_EXTENSIONS = ("carepages.fences", "carepages.html_blocks", "carepages.page_links")
MARKDOWN_EXTENSIONS = ("tables", "admonition", "sane_lists", *OWN_EXTENSIONS)


@dataclass(frozen=True)
class Placement:
    """Where a segment's text ended up: a block element's inline content, or one of its attributes."""

    segment: Segment
    element: etree.Element
    attribute: str | None = None


@dataclass
class Conversion:
    """The state of converting one page: where it came from and what was found."""

    rel: str
    lines: list[str]  # the whole source file, for locating segments
    first_line: int  # 1-based line of the file on which the body starts
    handler: Handler | None = None
    #: Attributes (``lang``, ``dir``) that mark a block whose text stays in the source language.
    fallback: dict[str, str] | None = None
    directives: list[Directive] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    disclaimers: list[str] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)

    def error(self, message: str, line: int, hint: str | None = None) -> None:
        self.errors.append(SourceError(message, path=self.rel, line=line, hint=hint))


class DirectivePreprocessor(Preprocessor):
    """Directive comments become marker paragraphs (:mod:`carepages.directives`), their lines recorded."""

    def __init__(self, md: markdown.Markdown, ext: CarepagesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        conv = self.ext.conversion
        reader = DirectiveReader(conv.first_line, conv.error)
        out = reader.run(lines)
        conv.directives.extend(reader.directives)
        return out


class SegmentTreeprocessor(Treeprocessor):
    """Collect (and, when building, replace) every block's inline Markdown."""

    def __init__(self, md: markdown.Markdown, ext: CarepagesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        conv = self.ext.conversion
        attached = self._attach_directives(root) if conv.directives else {}
        locator = _Locator(conv.lines, conv.first_line)
        self.ext.attribute_blocks = []
        for element, ancestors, kind in segments.iter_blocks(root):
            skip, disclaimer, notes = _block_directives([*ancestors, element], attached)
            if skip:
                continue
            raw = element.text or ""
            line = locator.find(raw)
            if disclaimer and any(ancestor.tag == "details" for ancestor in ancestors):
                self._hidden_disclaimer(disclaimer, line)
            if not segments.is_translatable(raw):
                self.ext.attribute_blocks.append((element, line, disclaimer, notes))
                continue
            segment = Segment(segments.normalize(raw), kind, line, disclaimer, notes)
            replacement = self.ext.emit(segment, element)
            text = segments.to_markdown(replacement) if replacement is not None else raw
            holder = element
            if replacement is None and conv.fallback:
                holder = _mark_fallback(element, conv.fallback)
            # Plain text is its own rendering: marked atomic, the inline parser passes it by.
            holder.text = AtomicString(text) if segments.is_plain(text) else text

    def _hidden_disclaimer(self, disclaimer: str, line: int) -> None:
        """A disclaimer must be seen: inside ``<details>`` a reader may never open it."""
        conv = self.ext.conversion
        message = f"disclaimer {disclaimer!r} is inside a <details> block, which a reader may never open"
        if not any(error.message == message for error in conv.errors):
            conv.error(message, line, "move it out of the <details> block")

    def _attach_directives(self, root: etree.Element) -> dict[int, list[Directive]]:
        """Remove marker paragraphs; map each following block (by id) to its directives."""
        conv = self.ext.conversion
        attached: dict[int, list[Directive]] = {}
        for parent in list(root.iter()):
            pending: list[Directive] = []
            for child in list(parent):
                match = MARKER_RE.match((child.text or "").strip()) if child.tag == "p" else None
                if match:
                    pending.append(conv.directives[int(match.group(1))])
                    parent.remove(child)
                elif pending:
                    attached.setdefault(id(child), []).extend(pending)
                    self._mark_disclaimer(child, pending)
                    pending = []
            for directive in pending:
                conv.error(f"'{directive.name}' directive is not followed by a block", directive.line)
        return attached

    def _mark_disclaimer(self, element: etree.Element, directives: list[Directive]) -> None:
        conv = self.ext.conversion
        for directive in directives:
            if directive.name != "disclaimer":
                continue
            if directive.value in conv.disclaimers:
                conv.error(f"disclaimer {directive.value!r} is marked twice in this file", directive.line)
            conv.disclaimers.append(directive.value)
            element.set("data-disclaimer", directive.value)


def _mark_fallback(element: etree.Element, attributes: dict[str, str]) -> etree.Element:
    """Mark a block shown in the source language (``lang="en"``); return the element that holds its text.

    A block with nested blocks (a list item with a sub-list) gets a ``span`` around its
    own text, so the mark does not spread to the nested, translated blocks.
    """
    if len(element) == 0:
        element.attrib.update(attributes)
        return element
    span = etree.Element("span", attributes)
    element.insert(0, span)
    element.text = None
    return span


def _block_directives(
    chain: list[etree.Element], attached: dict[int, list[Directive]]
) -> tuple[bool, str | None, tuple[str, ...]]:
    """What the directives on a block and its ancestors say: (notranslate, disclaimer id, notes).

    The innermost disclaimer wins. Most pages have few directives, so a page with none
    skips the walk up the chain for every block.
    """
    if not attached:
        return False, None, ()
    if any(d.name == "notranslate" for el in chain for d in attached.get(id(el), ())):
        return True, None, ()
    disclaimer = next(
        (d.value for el in reversed(chain) for d in attached.get(id(el), ()) if d.name == "disclaimer"),
        None,
    )
    notes = tuple(d.value for el in chain for d in attached.get(id(el), ()) if d.name == "translators")
    return False, disclaimer, notes


class AttributeTreeprocessor(Treeprocessor):
    """Alt texts and titles of blocks without words, after inline parsing made them attributes."""

    def __init__(self, md: markdown.Markdown, ext: CarepagesExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        for block, line, disclaimer, notes in self.ext.attribute_blocks:
            for element, attribute, kind in segments.iter_attributes(block):
                text = segments.normalize(element.get(attribute, ""))
                replacement = self.ext.emit(Segment(text, kind, line, disclaimer, notes), element, attribute)
                if replacement is not None:
                    element.set(attribute, segments.normalize(replacement))
        self.ext.attribute_blocks = []


class CarepagesExtension(Extension):
    """Directives, line tracking, and segment collection or replacement (see module doc)."""

    def __init__(self) -> None:
        super().__init__()
        self.conversion = Conversion(rel="", lines=[], first_line=1)
        self.attribute_blocks: list[tuple[etree.Element, int, str | None, tuple[str, ...]]] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.preprocessors.register(DirectivePreprocessor(md, self), "carepages_directives", 35)
        md.treeprocessors.register(SegmentTreeprocessor(md, self), "carepages_segments", 25)
        md.treeprocessors.register(AttributeTreeprocessor(md, self), "carepages_attributes", 15)

    def reset(self) -> None:
        self.attribute_blocks = []

    def emit(self, segment: Segment, element: etree.Element, attribute: str | None = None) -> str | None:
        """Record a segment and where it stands; ask the handler (if any) for its replacement."""
        self.conversion.segments.append(segment)
        self.conversion.placements.append(Placement(segment, element, attribute))
        handler = self.conversion.handler
        return handler(segment) if handler is not None else None


class PageParser:
    """One reusable Python-Markdown instance with the carepages extension.

    Creating a Markdown instance costs more than converting a short page, so one
    parser is kept per process and reset between pages. With ``keep_blocks`` (the
    build, which converts each page once per locale) it also keeps each page's
    block structure for the next conversion (see :class:`carepages.block_cache.BlockCache`).
    """

    def __init__(self, keep_blocks: bool = False) -> None:
        self.extension = CarepagesExtension()
        self.md = markdown.Markdown(
            extensions=[*MARKDOWN_EXTENSIONS, self.extension],
            output_format="html",
        )
        self.blocks = BlockCache(self.md) if keep_blocks else None

    def convert(
        self,
        body: str,
        rel: str,
        first_line: int,
        source_lines: list[str],
        handler: Handler | None = None,
        fallback: dict[str, str] | None = None,
    ) -> tuple[str, Conversion]:
        """Convert a page body to HTML; return it with the segments and problems found.

        ``source_lines`` (the whole file) give each segment its line. Without them
        every segment gets the body's first line: the build, which only puts
        translations in and never reports a segment's line, saves locating each block.
        ``fallback`` marks the blocks whose text stays in the source language.
        """
        conversion = Conversion(rel=rel, lines=source_lines, first_line=first_line, handler=handler, fallback=fallback)
        self.extension.conversion = conversion
        self.md.reset()
        if self.blocks is not None:
            self.blocks.body = body
        try:
            html = self.md.convert(body)
        except RecursionError:
            raise SourceError(
                "lists, quotes or notes are nested too deeply for the Markdown parser",
                path=rel,
                line=first_line + _deepest_line(body),
                hint="nest them less deeply",
            ) from None
        finally:
            self.extension.conversion = Conversion(rel="", lines=[], first_line=1)
        return html, conversion


def _deepest_line(body: str) -> int:
    """The 0-based index of the most deeply indented or quoted line, to point at a nesting problem."""
    lines = body.split("\n")
    return max(range(len(lines)), key=lambda i: len(lines[i]) - len(lines[i].lstrip(" \t>")))


class _Locator:
    """Find the source line of each segment by searching forward from the previous one."""

    def __init__(self, lines: list[str], first_line: int) -> None:
        self.lines = [" ".join(line.split()) for line in lines]
        self.cursor = max(first_line - 1, 0)

    def find(self, raw: str) -> int:
        if not self.lines:
            return self.cursor + 1
        first = next((ln for ln in raw.split("\n") if ln.strip()), "")
        key = " ".join(re.sub("\x02[^\x03]*\x03", " ", first).split())
        if key:
            for index in range(self.cursor, len(self.lines)):
                if key in self.lines[index]:
                    self.cursor = index
                    break
        return self.cursor + 1
