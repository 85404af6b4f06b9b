"""The plain-text rendering of a built page: for printing, e-mail and patient records.

A page's sanitised HTML fragment is parsed with the standard library's
``html.parser`` into a small tree of :class:`Node`, then rendered by a table that
maps each tag to a small function (as mdformat does), so a new construct is one
new entry rather than a new branch in a long ``if`` chain.

Widths are *display* widths (wcwidth): a CJK ideograph takes two columns, an Arabic
vowel mark none. Text is kept in logical order; a plain-text viewer applies the
Unicode bidirectional algorithm to right-to-left lines itself, so nothing is reversed
here and list markers precede the text logically.

Layout, for a width of W columns:

* headings are underlined with ``=`` (h1), ``-`` (h2) or ``~`` (h3-h6);
* lists hang their text after ``- `` or ``1. `` (respecting ``<ol start>``);
* links become ``text <1>`` with a numbered references list after the text (not ``[1]``:
  the pages' own citations of their Sources are written ``[1]``);
* disclaimers (``data-disclaimer`` / ``data-disclaimers``) stand between two lines of
  W ``=`` signs, under a label, so they survive being printed, pasted or quoted;
* table rows become ``Header: value`` records, which survive CJK text and narrow widths
  where aligned columns would not;
* code blocks keep their lines verbatim (indented), even when wider than W.

The few words the renderer writes itself come from ``labels`` (see
:data:`DEFAULT_LABELS`), so the build can pass them translated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin

from carepages.htmltree import Node, parse
from carepages.render.wrap import HTML_SPACE, display_width, hang, wrap, wrap_lines

#: How a link's number is written, in the text and before its address in the references.
LINK_MARK = "<{}>"

#: The words the renderer writes itself, in English; ``labels`` overrides any of them.
DEFAULT_LABELS: Mapping[str, str] = {
    "references": "References",  # heading of the numbered list of link targets
    "important": "Important",  # label at the top of a disclaimer block without a heading
    "colon": ":",  # between a table header and its value (U+FF1A in Chinese, U+202F + ":" in French)
}


_INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark"}
    | {"q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
    | {"script", "style", "template"}  # silent: never a word of theirs, never a paragraph break
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HTML_SPACES = " \t\n\r\f\v"  # what HTML_SPACE matches
_UNDERLINES = {"h1": "=", "h2": "-"}
_ADMONITION_INDENT = "    "
_CODE_INDENT = "    "


def _elements(node: Node, *tags: str) -> list[Node]:
    """The child elements of ``node`` with one of ``tags``."""
    return [child for child in node.children if isinstance(child, Node) and child.tag in tags]


def _classes(node: Node) -> list[str]:
    return node.attrs.get("class", "").split()


def _is_disclaimer(node: Node) -> bool:
    return "data-disclaimer" in node.attrs or "data-disclaimers" in node.attrs


# --------------------------------------------------------------------------- rendering context


@dataclass
class References:
    """The link targets of the whole page, numbered in order of first use."""

    entries: list[tuple[str, str]] = field(default_factory=list)  # (url, title)
    numbers: dict[str, int] = field(default_factory=dict)

    def number(self, url: str, title: str) -> int:
        """The number of ``url``, given it the first time it is seen (the same URL, the same number)."""
        if url not in self.numbers:
            self.entries.append((url, title))
            self.numbers[url] = len(self.entries)
        return self.numbers[url]


@dataclass(frozen=True)
class Context:
    """What a renderer needs besides its node: the width left, labels, and shared references."""

    width: int
    labels: Mapping[str, str]
    references: References
    base_url: str | None = None
    in_disclaimer: bool = False

    def narrow(self, columns: int) -> Context:
        """The context for content indented by ``columns`` (never narrower than one column)."""
        return replace(self, width=max(1, self.width - columns))


BlockRenderer = Callable[[Node, Context], str]
InlineRenderer = Callable[[Node, Context], str]


# --------------------------------------------------------------------------- inline content


def _inline(child: Node | str, ctx: Context) -> str:
    """The text of inline content; "\\n" marks a hard line break."""
    if isinstance(child, str):
        return HTML_SPACE.sub(" ", child)
    return INLINE_RENDERERS.get(child.tag, _inline_children)(child, ctx)


def _inline_children(node: Node, ctx: Context) -> str:
    return "".join(_inline(child, ctx) for child in node.children)


def _marked(mark: str) -> InlineRenderer:
    """Plain-text emphasis (*strong*, _em_), with surrounding spaces kept outside the marks."""

    def render(node: Node, ctx: Context) -> str:
        text = _inline_children(node, ctx)
        core = text.strip(" ")
        if not core:
            return text
        start = len(text) - len(text.lstrip(" "))
        return f"{text[:start]}{mark}{core}{mark}{text[start + len(core) :]}"

    return render


def _same_target(text: str, href: str) -> bool:
    """Whether a link's text already shows its target (an autolink, a bare e-mail address)."""
    shown = text.strip()
    if href.startswith("tel:"):
        return "".join(shown.split()) == href.removeprefix("tel:")
    return shown in {href, href.rstrip("/"), href.removeprefix("mailto:")}


def _inline_link(node: Node, ctx: Context) -> str:
    """``text <n>`` with ``n`` the target's number in the references; in-page anchors stay text.

    After a wide (CJK) character the number follows without a space, as CJK text has none.
    """
    text = _inline_children(node, ctx)
    href = node.attrs.get("href", "").strip()
    if not href or href.startswith("#") or _same_target(text, href):
        return text
    url = urljoin(ctx.base_url, href) if ctx.base_url else href
    number = ctx.references.number(url, " ".join(node.attrs.get("title", "").split()))
    shown = text.rstrip(" ")
    space = "" if not shown.strip() or display_width(shown[-1]) == 2 else " "  # CJK text has no spaces
    return f"{shown}{space}{LINK_MARK.format(number)}{text[len(shown) :]}"


def _inline_image(node: Node, ctx: Context) -> str:
    return HTML_SPACE.sub(" ", node.attrs.get("alt", ""))


INLINE_RENDERERS: dict[str, InlineRenderer] = {
    "a": _inline_link,
    "b": _marked("*"),
    "br": lambda node, ctx: "\n",
    "em": _marked("_"),
    "i": _marked("_"),
    "img": _inline_image,
    "strong": _marked("*"),
    **dict.fromkeys(("script", "style", "template", "wbr"), lambda node, ctx: ""),
}


# --------------------------------------------------------------------------- blocks


def _is_inline(child: Node | str) -> bool:
    """Text and phrasing elements flow into paragraphs; a disclaimer is always a block."""
    return isinstance(child, str) or (child.tag in _INLINE and not _is_disclaimer(child))


def _paragraph(run: list[Node | str], ctx: Context) -> str:
    """A run of inline content, wrapped; "" when it holds no words."""
    if all(isinstance(child, str) and not child.strip(_HTML_SPACES) for child in run):
        return ""  # nothing, or the line breaks between two blocks: no words to wrap
    text = "".join([_inline(child, ctx) for child in run])
    return "\n".join(wrap_lines(text, ctx.width))


def render_children(node: Node, ctx: Context, separator: str = "\n\n") -> str:
    """The children of ``node`` as blocks: runs of inline content become paragraphs."""
    blocks: list[str] = []
    run: list[Node | str] = []
    for child in node.children:
        if isinstance(child, Node) and not _is_inline(child):
            blocks += [_paragraph(run, ctx), render_block(child, ctx)]
            run = []
        else:
            run.append(child)
    blocks.append(_paragraph(run, ctx))
    return separator.join(block for block in blocks if block)


def render_block(node: Node, ctx: Context) -> str:
    """Render a block element with its tag's renderer, inside a disclaimer frame if it is one."""
    renderer = BLOCK_RENDERERS.get(node.tag, render_children)
    if _is_disclaimer(node) and not ctx.in_disclaimer:
        return _disclaimer(node, ctx, renderer)
    return renderer(node, ctx)


def _disclaimer(node: Node, ctx: Context, renderer: BlockRenderer) -> str:
    """A disclaimer between two rules of ``=``, under its heading or the "important" label."""
    body = renderer(node, replace(ctx, in_disclaimer=True))
    if not body:
        return ""
    rule = "=" * ctx.width
    first = next((child for child in node.children if isinstance(child, Node) or child.strip()), None)
    has_heading = node.tag in _HEADINGS or (isinstance(first, Node) and first.tag in _HEADINGS)
    label = [] if has_heading else wrap_lines(ctx.labels["important"], ctx.width)
    return "\n".join([rule, *label, body, rule])


def _heading(node: Node, ctx: Context) -> str:
    """The heading's text, underlined to its display width."""
    lines = wrap_lines(_inline_children(node, ctx), ctx.width)
    if not lines:
        return ""
    underline = _UNDERLINES.get(node.tag, "~") * max(display_width(line) for line in lines)
    return "\n".join([*lines, underline])


def _list_markers(node: Node, count: int) -> list[str]:
    """The markers of a list's items, padded to one width so that their texts align."""
    if node.tag != "ol":
        return ["- "] * count
    try:
        start = int(node.attrs.get("start", "1"))
    except ValueError:
        start = 1
    numbers = [f"{start + index}." for index in range(count)]
    width = max((len(number) for number in numbers), default=0) + 1
    return [number.ljust(width) for number in numbers]


def _list(node: Node, ctx: Context) -> str:
    """A list; a tight one (items without paragraphs) has no blank lines between items."""
    items = _elements(node, "li")
    tight = not any(_elements(item, "p") for item in items)
    separator = "\n" if tight else "\n\n"
    rendered = []
    for item, marker in zip(items, _list_markers(node, len(items)), strict=True):
        body = _item(item, ctx.narrow(display_width(marker)), separator)
        rendered.append(hang(body, marker, " " * display_width(marker)))
    return separator.join(rendered)


def _item(item: Node, ctx: Context, separator: str) -> str:
    """A list item's content (framed if the item itself is a disclaimer), without its marker."""

    def content(node: Node, ctx: Context) -> str:
        return render_children(node, ctx, separator)

    if _is_disclaimer(item) and not ctx.in_disclaimer:
        return _disclaimer(item, ctx, content)
    return content(item, ctx)


def _blockquote(node: Node, ctx: Context) -> str:
    """Every line of the quotation prefixed with "> " (">" alone on blank lines)."""
    body = render_children(node, ctx.narrow(2))
    return hang(body, "> ", "> ") if body else ""


def _div(node: Node, ctx: Context) -> str:
    """An admonition (a note box): its title as a label line, then its content indented."""
    if "admonition" not in _classes(node):
        return render_children(node, ctx)
    titles = [child for child in _elements(node, "p") if "admonition-title" in _classes(child)]
    content = Node(node.tag, node.attrs, [child for child in node.children if all(child is not t for t in titles)])
    body = render_children(content, ctx.narrow(len(_ADMONITION_INDENT)))
    title = [line for child in titles for line in wrap_lines(_inline_children(child, ctx), ctx.width)]
    indented = hang(body, _ADMONITION_INDENT, _ADMONITION_INDENT) if body else ""
    return "\n".join(part for part in [*title, indented] if part)


def _pre(node: Node, ctx: Context) -> str:
    """A code block: its lines verbatim (trailing spaces aside), indented, never re-wrapped."""
    text = _preformatted(node).replace("\r\n", "\n").replace("\r", "\n")
    text = text.removeprefix("\n").rstrip("\n")
    lines = [(_CODE_INDENT + line).rstrip() if line.strip() else "" for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def _preformatted(node: Node) -> str:
    """The text of a code block's subtree, with ``<br>`` as a line break."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        else:
            parts.append("\n" if child.tag == "br" else _preformatted(child))
    return "".join(parts)


def _rows(node: Node) -> list[Node]:
    """The table's rows in document order, whether inside thead/tbody/tfoot or not."""
    rows: list[Node] = []
    for child in _elements(node, "thead", "tbody", "tfoot", "tr"):
        rows.extend([child] if child.tag == "tr" else _elements(child, "tr"))
    return rows


def _table(node: Node, ctx: Context) -> str:
    """A table as one record per row: "Header: value" lines, records separated by blank lines."""
    rows = _rows(node)
    header_row = rows[0] if rows and all(cell.tag == "th" for cell in _elements(rows[0], "th", "td")) else None
    headers = [_inline_children(cell, ctx).strip() for cell in _elements(header_row, "th")] if header_row else []
    captions = [_paragraph(caption.children, ctx) for caption in _elements(node, "caption")]
    body_rows = [row for row in rows if row is not header_row] or ([header_row] if header_row else [])
    records = [_record(row, headers if row is not header_row else [], ctx) for row in body_rows]
    return "\n\n".join(block for block in [*captions, *records] if block)


def _record(row: Node, headers: list[str], ctx: Context) -> str:
    """One table row: each cell on its own lines, after its column's header, continuation indented."""
    colon = ctx.labels["colon"]
    separator = colon if colon[-1:] and display_width(colon[-1]) == 2 else colon + " "
    lines: list[str] = []
    for index, cell in enumerate(_elements(row, "th", "td")):
        value = _inline_children(cell, ctx).strip()
        header = headers[index] if index < len(headers) else ""
        text = f"{header}{separator}{value}" if header else value
        lines.extend(wrap_lines(text, ctx.width, "", "  "))
    return "\n".join(lines)


def _rule(node: Node, ctx: Context) -> str:
    """A thematic break, unlike heading underlines and disclaimer rules so as not to be taken for either."""
    return "* * *"


def _nothing(node: Node, ctx: Context) -> str:
    return ""


BLOCK_RENDERERS: dict[str, BlockRenderer] = {
    **dict.fromkeys(_HEADINGS, _heading),
    "blockquote": _blockquote,
    "div": _div,
    "hr": _rule,
    "ol": _list,
    "pre": _pre,
    "table": _table,
    "ul": _list,
    **dict.fromkeys(("head", "title"), _nothing),
}


# --------------------------------------------------------------------------- the page


def _references(ctx: Context) -> str:
    """The numbered link targets, under a heading, each wrapped with a hanging indent."""
    if not ctx.references.entries:
        return ""
    heading = _heading(Node("h2", {}, [ctx.labels["references"]]), ctx)
    lines = []
    for number, (url, title) in enumerate(ctx.references.entries, start=1):
        marker = LINK_MARK.format(number) + " "
        lines += wrap(f"{url} ({title})" if title else url, ctx.width, marker, " " * len(marker))
    return "\n".join([heading, *lines])


def _finish(text: str) -> str:
    """No trailing spaces, no leading or trailing blank lines, exactly one final newline."""
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def html_to_text(
    fragment: str, width: int = 72, labels: Mapping[str, str] | None = None, *, base_url: str | None = None
) -> str:
    """Render a sanitised HTML fragment as plain text (:func:`tree_to_text` of its tree)."""
    return tree_to_text(parse(fragment), width, labels, base_url=base_url)


def tree_to_text(
    root: Node, width: int = 72, labels: Mapping[str, str] | None = None, *, base_url: str | None = None
) -> str:
    """Render what is below ``root`` as plain text wrapped at ``width`` display columns.

    ``labels`` overrides the English words in :data:`DEFAULT_LABELS` (the build passes
    translated ones). ``base_url``, when given, makes relative link targets absolute in
    the references, so that they still work from a printout or an e-mail. The build passes
    the ``<main>`` of the page it just wrote: the text comes from the tree the check reads.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1 column, not {width}")
    ctx = Context(width, {**DEFAULT_LABELS, **(labels or {})}, References(), base_url)
    body = render_children(root, ctx)
    return _finish("\n\n".join(block for block in (body, _references(ctx)) if block))
