"""Fenced code blocks as CommonMark defines them: the one fence rule of carepages.

Python-Markdown's own ``fenced_code`` only knows fences at the start of a line
whose info string is a bare language, so the fences real documentation uses
(```` ```rust,editable ````, ```` ```python title="x.py" ````, a fence indented
inside a list item or written in a quote) became paragraphs: their lines turned
into messages, a ``# comment`` into a heading, and ``Result<String>`` lost its
``<String>`` as raw HTML. This module finds fences by the CommonMark rules
(https://spec.commonmark.org/0.31.2/#fenced-code-blocks):

* an opening fence is three or more backticks or tildes, indented at most three
  spaces inside its container (the document, a block quote, a list item);
* the info string is the rest of the line (a backtick fence's may hold no
  backtick); its first word is the language, cut at the first ``,`` (mdBook's
  ``rust,editable``), and the rest is ignored;
* the closing fence is the same character, at least as long, with nothing but
  spaces after it; content lines lose as much indentation as the opener had;
* an unclosed fence runs to the end of its container: the end of the document,
  the first line without the block quote's ``>`` markers, or the first line less
  indented than the list item's content.

:func:`find_fences` is the rule; the directive preprocessor asks it which lines
are code (a directive there is code, not a directive), and
:class:`FencePreprocessor` puts each fence's HTML in Python-Markdown's stash, so
code is never a message and is escaped exactly once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

TAB = 4  # CommonMark's tab stop, and Python-Markdown's tab_length
_OPENER = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)\Z")
_LIST_MARKER = re.compile(r"(?P<marker>[-+*]|\d{1,9}[.)])(?P<space>[ ]{1,4}|\Z)")
_QUOTE = re.compile(r"[ ]{0,3}>[ ]?")
_ADMONITION = re.compile(r"!!![ ]")  # the admonition extension's "!!! note": a container like a list item
_LANGUAGE_SAFE = re.compile(r"[^\w#+.-]")


@dataclass(frozen=True)
class Fence:
    """One fenced code block: its lines in the page body and what it holds."""

    start: int  # index of the opening fence line
    end: int  # index one past its last line (the closing fence, or its container's last line)
    quote: str  # the block-quote markers of the opening line, as written (``"> "``)
    list_marker: str  # a list marker on the opening line itself (``"- "``), else ""
    list_indent: int  # columns Python-Markdown wants before a block of the list item holding it
    language: str
    info: str
    code: str  # the content, container prefix and opener indentation removed, newline-terminated
    closed: bool = True  # False when its container (or the page) ended first


@dataclass(frozen=True)
class _Line:
    """A line split into its block-quote prefix and the rest, tabs expanded."""

    quote: str
    depth: int
    rest: str

    @property
    def indent(self) -> int:
        return len(self.rest) - len(self.rest.lstrip(" "))

    @property
    def blank(self) -> bool:
        return not self.rest.strip()


def _split(line: str) -> _Line:
    """Strip block-quote markers (each ``>`` with up to three spaces before and one after)."""
    text = line.expandtabs(TAB)
    position = depth = 0
    while match := _QUOTE.match(text, position):
        position, depth = match.end(), depth + 1
    return _Line(text[:position], depth, text[position:])


def _strip_quotes(line: str, depth: int) -> str | None:
    """The line inside ``depth`` block quotes, or None when it has fewer (the quote ended there)."""
    text = line.expandtabs(TAB)
    position = 0
    for _ in range(depth):
        match = _QUOTE.match(text, position)
        if match is None:
            return None if text.strip() else ""
        position = match.end()
    return text[position:]


def _dedent(text: str, columns: int) -> str:
    """Remove up to ``columns`` spaces of indentation."""
    stripped = text.lstrip(" ")
    return text[min(columns, len(text) - len(stripped)) :]


def _list_container(lines: list[str], index: int, depth: int, indent: int) -> tuple[int, int] | None:
    """The list item (or note) an indented line at ``index`` belongs to: (content column, marker column).

    The nearest earlier non-blank line, inside the same quotes, that is less indented
    decides: a list item whose content starts at or before ``indent``, or an
    admonition (``!!! note``, whose body is indented four spaces), holds the line.
    """
    for back in range(index - 1, -1, -1):
        rest = _strip_quotes(lines[back], depth)
        if rest is None:
            return None
        stripped = rest.lstrip(" ")
        if not stripped:
            continue
        column = len(rest) - len(stripped)
        if column >= indent:
            continue
        if _ADMONITION.match(stripped):
            content = column + TAB  # Python-Markdown's admonition body is indented one tab stop
        elif marker := _LIST_MARKER.match(stripped):
            content = column + marker.end() if marker.group("space") else column + len(marker.group("marker")) + 1
        else:
            return None
        return (content, column) if content <= indent else None
    return None


def _language(info: str) -> str:
    """The first word of the info string (``rust`` of ``rust,editable``, ``python`` of ``{.python}``)."""
    words = info.replace("{", " ").replace("}", " ").split()
    first = words[0].lstrip(".").split(",")[0] if words else ""
    return _LANGUAGE_SAFE.sub("", first)


@dataclass
class _Open:
    """A fence being read: its opener and where its content sits."""

    start: int
    fence: str
    info: str
    quote: _Line
    list_marker: str
    column: int  # the container's content column (0 outside a list item)
    strip: int  # indentation removed from content lines
    list_indent: int
    code: list[str]

    def closes(self, rest: str) -> bool:
        stripped = rest.lstrip(" ")
        if len(rest) - len(stripped) - self.column > 3 or len(rest) - len(stripped) < self.column:
            return False
        run = len(stripped) - len(stripped.lstrip(self.fence[0]))
        return run >= len(self.fence) and not stripped[run:].strip()

    def finish(self, end: int, closed: bool = True) -> Fence:
        lines = self.code
        while not closed and lines and not lines[-1].strip():
            lines = lines[:-1]  # blank lines at the end of an unclosed fence stay outside it
            end -= 1
        code = "".join(line + "\n" for line in lines)
        return Fence(
            self.start,
            end,
            self.quote.quote,
            self.list_marker,
            self.list_indent,
            _language(self.info),
            self.info,
            code,
            closed,
        )


def _opener(lines: list[str], index: int) -> _Open | None:
    """The fence that opens at ``index``, if that line is an opening fence."""
    line = _split(lines[index])
    rest, indent, marker_text = line.rest, line.indent, ""
    marker = _LIST_MARKER.match(rest, indent)
    if marker and marker.group("space"):
        marker_text = rest[: marker.end()]
        column = indent = marker.end()
        list_indent = 0  # the placeholder takes the marker's place
    else:
        column, list_indent = 0, 0
        if indent:
            container = _list_container(lines, index, line.depth, indent)
            if container is not None:
                column, marker_column = container
                list_indent = TAB * (marker_column // TAB + 1)
    if indent - column > 3:
        return None  # an indented code block (or a paragraph's continuation)
    match = _OPENER.match(rest, indent)
    if match is None or (match.group("fence")[0] == "`" and "`" in match.group("info")):
        return None
    return _Open(
        index, match.group("fence"), match.group("info").strip(), line, marker_text, column, indent, list_indent, []
    )


def _read(current: _Open, lines: list[str]) -> Fence:
    """Read a fence's content from the line after its opener to its closing fence or its container's end."""
    for index in range(current.start + 1, len(lines)):
        rest = _strip_quotes(lines[index], current.quote.depth)
        if rest is None or (rest.strip() and len(rest) - len(rest.lstrip(" ")) < current.column):
            return current.finish(index, closed=False)  # the container ended: so did the fence
        if current.closes(rest):
            return current.finish(index + 1)
        current.code.append(_dedent(rest, current.strip))
    return current.finish(len(lines), closed=False)


def find_fences(lines: list[str]) -> list[Fence]:
    """Every fenced code block of a page body, in order (the one fence rule, see the module doc)."""
    # Only a line with three backticks or tildes in a row can open a fence: most lines are skipped here.
    candidates = [index for index, line in enumerate(lines) if "```" in line or "~~~" in line]
    fences: list[Fence] = []
    position = 0
    for index in candidates:
        if index < position:
            continue  # inside the previous fence
        opened = _opener(lines, index)
        if opened is not None:
            fences.append(_read(opened, lines))
            position = fences[-1].end
    return fences


def code_html(fence: Fence) -> str:
    """A fence as HTML, written as Python-Markdown's ``fenced_code`` writes it."""
    css = f' class="language-{fence.language}"' if fence.language else ""
    code = fence.code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return f"<pre><code{css}>{code}</code></pre>"


class FencePreprocessor(Preprocessor):
    """Replace each fence by one stashed-HTML line that sits in the fence's container.

    The placeholder stands between blank lines (so it is a block of its own, never
    part of a paragraph or a list item's text) with the quote's ``>`` markers, and
    inside a list item at the indentation Python-Markdown wants for a block of it.
    """

    def run(self, lines: list[str]) -> list[str]:
        fences = find_fences(lines)
        if not fences:
            return lines
        out: list[str] = []
        position = 0
        for fence in fences:
            out.extend(lines[position : fence.start])
            out.extend(self._replacement(fence, lines[fence.end] if fence.end < len(lines) else ""))
            position = fence.end
        out.extend(lines[position:])
        return out

    def _replacement(self, fence: Fence, following: str) -> list[str]:
        placeholder = self.md.htmlStash.store(code_html(fence))
        blank = fence.quote.rstrip()
        if fence.list_marker:
            # The fence opens a list item: the placeholder is that item's text, and a
            # following line that is not the next item must not continue that text.
            rest = _split(following).rest.lstrip(" ")
            continues = bool(rest) and _LIST_MARKER.match(rest) is None
            return [fence.quote + fence.list_marker + placeholder, *([blank] if continues else [])]
        return [blank, fence.quote + " " * fence.list_indent + placeholder, *_separator(fence, following)]


def _separator(fence: Fence, following: str) -> list[str]:
    """The blank line between a fence's placeholder and the next line, if that line needs one.

    A next line still inside the fence's quotes gets a blank line inside them; one
    outside (the quote ended) gets a truly blank line, so Python-Markdown does not
    pull it into the quote as a lazy continuation.
    """
    if not following.strip():
        return []
    inside = fence.closed and _strip_quotes(following, fence.quote.count(">")) is not None
    return [fence.quote.rstrip() if inside else ""]


class FenceExtension(Extension):
    """Python-Markdown's ``fenced_code`` replaced by the CommonMark fence rule (same name and priority)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.preprocessors.register(FencePreprocessor(md), "fenced_code_block", 25)


def makeExtension(**kwargs: object) -> FenceExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Let Python-Markdown load this module by name (``extensions=["carepages.fences"]``)."""
    return FenceExtension(**kwargs)
