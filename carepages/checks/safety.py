"""Translations that would not reach a reader as the text they are.

* ``control`` -- control characters (an escape sequence, a NUL, a bell): invisible
  on a page, and in the plain-text page a terminal runs them (clearing the screen,
  renaming the window). The build removes them; the translation should not have them.
* ``limits`` -- a translation too long, or with too many ``[ < ``` for its length
  (see :mod:`carepages.limits`): rendering it could take minutes, so the build never
  does, the page shows the source text there and is withheld;
* ``placeholders`` -- an interface string (``ui``) whose ``%(name)s`` placeholders
  differ from its source's, or with a stray ``%`` (write ``%%``): the page templates
  format every interface string with ``%``, so the build cannot use it and shows the
  source text instead (see :func:`carepages.ui.ui_mo_bytes`).
"""

from __future__ import annotations

from collections.abc import Iterator

from carepages.catalogs import UI_DOMAIN
from carepages.checks.context import LocaleContext
from carepages.checks.model import Issue
from carepages.segments import without_controls
from carepages.ui import format_names


def check_control(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        dirty = [text for _source, text in ctx.shown_pairs(entry) if without_controls(text) != text]
        if dirty:
            found = sorted({f"U+{ord(char):04X}" for text in dirty for char in text if not without_controls(char)})
            yield Issue(
                entry.path,
                entry.line,
                f"control characters in the translation ({', '.join(found)}, written as characters or as HTML "
                "references such as &#27;): delete them (they are invisible in an editor, and a terminal showing "
                "the plain-text page runs them)",
                entry,
            )


def check_limits(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.entries:
        problem = ctx.oversized(entry) if entry.translated else None
        if problem:
            yield Issue(
                entry.path,
                entry.line,
                f"{problem} (see 'Bounded work' in the README): shorten the translation; "
                "the build shows the source text until then",
                entry,
            )


def check_placeholders(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        if entry.domain != UI_DOMAIN:
            continue
        for source, translation in entry.pairs():
            wanted, found = format_names(source), format_names(translation)
            if wanted is not None and found != wanted:
                yield Issue(entry.path, entry.line, _placeholder_message(wanted, found), entry)
                break


def _placeholder_message(wanted: frozenset[str], found: frozenset[str] | None) -> str:
    keep = ", ".join(f"%({name})s" for name in sorted(wanted)) or "no placeholder"
    if found is None:
        problem = "the translation has a '%' that starts no placeholder (write '%%' for a percent sign)"
    else:
        problem = "the placeholders differ from the source's"
    return f"{problem}: keep exactly {keep} as in the source; the build shows the source text until then"
