"""Markdown structure: a translation keeps its source's blocks, inline markup and (lack of) HTML.

Both texts are rendered with the Python-Markdown configuration the build uses
(:mod:`carepages.checks.render`), then compared as trees:

* ``structure`` -- the block-level elements: a paragraph whose translation starts
  with ``# ``, ``- ``, ``1. `` or ``> `` would become a heading, list or quote;
* ``markup`` -- the counts of emphasis, strong, code, link and image elements, and
  Markdown characters (``*``, ``_``, `````, ``](``) left over as visible text,
  which is what an unclosed emphasis or a broken ``[text] (url)`` link turns into;
* ``html`` -- raw HTML that the source message does not have (the build escapes
  it, so the reader would see the tags as text).

The interface strings of the page templates (the ``ui`` domain) are plain text put
in by Jinja, not Markdown, so ``structure`` and ``markup`` leave them alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from carepages.checks.context import LocaleContext
from carepages.checks.registry import ERROR, Issue, register
from carepages.checks.render import INLINE_TAGS, Rendered
from carepages.extract import UI_DOMAIN

BLOCK_NAMES = {
    "p": "a paragraph",
    "ul": "a list",
    "ol": "a numbered list",
    "blockquote": "a quote",
    "pre": "a code block",
    "table": "a table",
    "hr": "a horizontal rule",
    "div": "a note box",
    **{f"h{level}": "a heading" for level in range(1, 7)},
}
INLINE_NAMES = {
    "em": "emphasis (*…*)",
    "strong": "strong text (**…**)",
    "code": "code (`…`)",
    "a": "link ([…](…))",
    "img": "image (![…](…))",
}
#: Markdown characters that show as text when their markup is broken.
LEFTOVERS = ("*", "_", "`", "](")


def block_name(blocks: tuple[str, ...]) -> str:
    names = [BLOCK_NAMES.get(tag, f"<{tag}>") for tag in blocks]
    return " followed by ".join(names) if names else "nothing"


@register(
    "structure",
    ERROR,
    "A translation changes the Markdown block (a paragraph turned into a heading, list, quote or code).",
)
def check_structure(ctx: LocaleContext) -> Iterator[Issue]:
    render = ctx.run.renderer.render
    for entry in ctx.translated_entries():
        if entry.domain == UI_DOMAIN:
            continue
        for source, translation in entry.pairs():
            before, after = render(source).blocks, render(translation).blocks
            if before and before != after:
                yield Issue(
                    entry.path,
                    entry.line,
                    f"the translation renders as {block_name(after)}, the source as {block_name(before)}: "
                    "do not start a line with '#', '-', '*', '+', '>', '1.' or four spaces "
                    "(or put a backslash before that character)",
                    entry,
                )
                break


def markup_changes(source: Rendered, translation: Rendered) -> list[str]:
    """What differs in inline markup, in words; empty when nothing does."""
    changes = []
    for tag in INLINE_TAGS if source.inline != translation.inline else ():
        if source.count(tag) != translation.count(tag):
            changes.append(
                f"{INLINE_NAMES[tag]}: {source.count(tag)} in the source, {translation.count(tag)} in the translation"
            )
    for mark in LEFTOVERS:
        extra = translation.prose.count(mark) - source.prose.count(mark)
        if extra > 0:
            changes.append(f"{mark!r} shows as text {extra} more time{'s' if extra > 1 else ''} than in the source")
    return changes


@register(
    "markup",
    ERROR,
    "A translation's inline Markdown differs: unbalanced emphasis or code spans, broken link syntax.",
)
def check_markup(ctx: LocaleContext) -> Iterator[Issue]:
    render = ctx.run.renderer.render
    for entry in ctx.translated_entries():
        if entry.domain == UI_DOMAIN:
            continue
        for source, translation in entry.pairs():
            changes = markup_changes(render(source), render(translation))
            if changes:
                yield Issue(
                    entry.path,
                    entry.line,
                    "Markdown markup differs from the source: "
                    + "; ".join(changes)
                    + ": pair every *, **, _ and ` as in the source and write links as [text](target)",
                    entry,
                )
                break


@register("html", ERROR, "A translation contains raw HTML that its source does not have.")
def check_html(ctx: LocaleContext) -> Iterator[Issue]:
    render = ctx.run.renderer.render
    for entry in ctx.translated_entries():
        for source, translation in entry.pairs():
            if not render(translation).raw_html:
                continue  # nothing extra can be in it (most messages)
            extra = Counter(render(translation).raw_html) - Counter(render(source).raw_html)
            if extra:
                tags = ", ".join(f"<{tag}>" if tag != "comment" else "<!-- -->" for tag in sorted(extra))
                yield Issue(
                    entry.path,
                    entry.line,
                    f"raw HTML in the translation that the source does not have: {tags}: remove it "
                    "(write *emphasis* or **strong** in Markdown; the build would show the tags as text)",
                    entry,
                )
                break
