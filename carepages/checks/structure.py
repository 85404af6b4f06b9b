"""Markdown structure: a translation renders in its block as its source does.

A translation replaces its source block's inline Markdown, so it can never turn a
paragraph into a heading or a list; these checks compare what the page really shows
of the two (:mod:`carepages.render.body`):

* ``structure`` -- a line of the translation starts with block syntax its source
  does not have (``# ``, ``> ``, ``- ``, ``* ``, ``+ ``): inside the block it shows as
  those characters, literally. A number at the start (``1. Gün``) is ordinary text
  in many languages and is not flagged;
* ``markup`` -- the counts of emphasis, strong, code, link and image elements, and
  Markdown characters (``*``, ``_``, `````, ``](``) left over as visible text, which
  is what an unclosed emphasis or a broken ``[text] (url)`` link turns into;
* ``html`` -- raw HTML that the source message does not have: the build escapes it,
  so the reader would see the tags as text.

The interface strings of the page templates (the ``ui`` domain) are plain text put
in by Jinja, not Markdown, so ``structure`` and ``markup`` leave them alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from carepages.catalogs import UI_DOMAIN
from carepages.checks.context import LocaleContext
from carepages.checks.model import Issue
from carepages.render.body import INLINE_TAGS, Rendered
from carepages.segments import ATTRIBUTE_KINDS, kind_of
from carepages.translate import raw_tags

INLINE_NAMES = {
    "em": "emphasis (*…*)",
    "strong": "strong text (**…**)",
    "code": "code (`…`)",
    "a": "link ([…](…))",
    "img": "image (![…](…))",
}
#: Markdown characters that show as text when their markup is broken (``][`` and ``]:``: a reference
#: link or definition the page does not have; ``] (``: a space that breaks ``[text](target)``).
LEFTOVERS = ("*", "_", "`", "](", "][", "]:", "] (")
#: Block syntax at the start of a line: a heading, a quote, a bullet.
_BLOCK_MARK = re.compile(r"^[ \t]*(#{1,6}(?=\s)|>|[-*+](?=\s))", re.MULTILINE)
_MARK_NAMES = {"#": "a heading mark '#'", ">": "a quote mark '>'", "-": "a bullet '-'", "*": "a bullet '*'"}


def block_marks(text: str) -> Counter[str]:
    """The block syntax that starts lines of a message, by kind ('#', '>', '-', '*', '+')."""
    return Counter(match.group(1)[0] for match in _BLOCK_MARK.finditer(text))


def check_structure(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        if entry.domain == UI_DOMAIN or ctx.rendered(entry) is None:
            continue
        if _BLOCK_MARK.search(entry.strings[0]) is None:
            continue  # no block syntax in the translation (most messages): none it could add
        extra = block_marks(entry.strings[0]) - block_marks(entry.msgid)
        if extra:
            marks = ", ".join(_MARK_NAMES.get(mark, f"'{mark}'") for mark in sorted(extra))
            yield Issue(
                entry.path,
                entry.line,
                f"a line of the translation starts with {marks}, which the source does not have: the page shows "
                "it as a character, not as Markdown; remove it (or put a backslash before it)",
                entry,
            )


def markup_changes(source: Rendered, translation: Rendered) -> list[str]:
    """What differs in inline markup, in words; empty when nothing does.

    A link or image that is missing, added or broken changes the targets too: the
    ``links`` check reports that message, so its link and image counts are left to it
    (one defect, one finding).
    """
    changes = []
    counts_differ = source.inline != translation.inline
    targets_differ = counts_differ and Counter(source.links) != Counter(translation.links)
    for tag in INLINE_TAGS if counts_differ else ():
        if tag in ("a", "img") and targets_differ:
            continue
        if source.count(tag) != translation.count(tag):
            changes.append(
                f"{INLINE_NAMES[tag]}: {source.count(tag)} in the source, {translation.count(tag)} in the translation"
            )
    for mark in LEFTOVERS:
        extra = translation.prose.count(mark) - source.prose.count(mark)
        if extra > 0:
            changes.append(f"{mark!r} shows as text {extra} more time{'s' if extra > 1 else ''} than in the source")
    return changes


def check_markup(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        rendered = ctx.rendered(entry)
        if rendered is None or entry.domain == UI_DOMAIN:
            continue
        changes = markup_changes(*rendered)
        if changes:
            yield Issue(
                entry.path,
                entry.line,
                "Markdown markup differs from the source: "
                + "; ".join(changes)
                + ": pair every *, **, _ and ` as in the source and write links as [text](target)",
                entry,
            )


def check_html(ctx: LocaleContext) -> Iterator[Issue]:
    """Raw tags the build refuses (escapes to text): as the page's lookup refused them, or, for text that
    is not Markdown (interface strings, a page's title and description), every tag its source lacks."""
    for entry in ctx.translated_entries():
        if ctx.rendered(entry) is not None and kind_of(list(entry.message.auto_comments)) not in ATTRIBUTE_KINDS:
            refused = ctx.refused.get(entry.domain, {}).get(entry.msgid, [])
        else:
            refused = [tag for source, text in entry.pairs() for tag in (raw_tags(text) - raw_tags(source)).elements()]
        if refused:
            yield Issue(
                entry.path,
                entry.line,
                f"raw HTML in the translation that the source does not have: {', '.join(sorted(set(refused)))}: "
                "remove it (write *emphasis* or **strong** in Markdown; the page would show the tags as text)",
                entry,
            )
