"""The interface catalog (``ui``): the words of the page frame, extracted from the templates.

The page templates (``render/templates/``) mark their own words with ``_()``;
:func:`ui_template` extracts them with Babel's Jinja2 extractor into ``ui.pot``,
and :class:`UiTranslations` gives the renderer a locale's translations of them.
Interface strings are text, never Markdown: Jinja escapes them, and each one is
formatted with ``%``, so one whose ``%(name)s`` placeholders differ from its
source's cannot be used (:func:`format_names`).
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.support import Translations
from markupsafe import Markup, escape

from carepages.catalogs import UI_DOMAIN, new_template
from carepages.config import Config
from carepages.segments import DISCLAIMER_PREFIX, disclaimer_of, message_text

TEMPLATES_DIR = Path(__file__).parent / "render" / "templates"
_BABEL_EXTRACT_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "silent": "false"}
#: A ``%`` that starts no named placeholder (``%%`` removed first): Jinja would format the whole mapping.
_UNNAMED_FORMAT = re.compile(r"%(?!\()")


#: A translator comment that marks an interface string with safety meaning:
#: ``{# Translators: disclaimer: draft-notice -- the note for translators #}``.
_DISCLAIMER_COMMENT = re.compile(r"^disclaimer:\s*(?P<id>[a-z0-9][a-z0-9-]*)\s*(?:--\s*(?P<note>.*))?$", re.DOTALL)


@functools.cache
def ui_messages() -> tuple[tuple[str, str, int, tuple[str, ...]], ...]:
    """``(msgid, template, line, extracted comments)`` for every interface string, in file order.

    A string whose translator comment starts with ``disclaimer: <id> --`` carries safety
    meaning (the draft notice, the disclaimer heading): its comments are
    ``disclaimer: <id>`` (as every disclaimer's) and the note, and the disclaimer
    rules apply to it (:func:`ui_disclaimers`).
    """
    return tuple((msgid, where, line, tuple(_comments(notes))) for msgid, where, line, notes in _extracted())


def _comments(notes: list[str]) -> list[str]:
    out = []
    for note in notes:
        match = _DISCLAIMER_COMMENT.match(note.strip())
        if match:
            out.append(DISCLAIMER_PREFIX + match.group("id"))
            note = " ".join((match.group("note") or "").split())
        if note:
            out.append(note)
    return out


def ui_disclaimers() -> dict[str, tuple[str, int]]:
    """The interface strings with safety meaning, from the page templates (never a catalog): msgid -> (id, line)."""
    return {
        msgid: (disclaimer, line)
        for msgid, _, line, comments in ui_messages()
        if (disclaimer := disclaimer_of(list(comments)))
    }


def _extracted() -> list[tuple[str, str, int, list[str]]]:
    """Babel's Jinja2 extraction of the page templates: ``(msgid, template, line, translator comments)``."""
    found = []
    for filename, lineno, message, comments, _context in extract_from_dir(
        TEMPLATES_DIR,
        method_map=[("**.html", "jinja2.ext:babel_extract")],
        options_map={"**.html": _BABEL_EXTRACT_OPTIONS},
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        if isinstance(message, str) and message:
            found.append((message, f"templates/{Path(filename).as_posix()}", lineno, list(comments)))
    return found


def ui_template(config: Config) -> Catalog:
    """``locale/templates/ui.pot``: the page templates' interface strings, deterministic."""
    catalog = new_template(config, UI_DOMAIN, "the page templates")
    catalog.header_comment = (
        f"# Translation template for the interface strings of the built pages ({config.project_name}).\n"
        "# Written by 'carepages extract' from the page templates: do not edit by hand."
    )
    for msgid, filename, lineno, comments in ui_messages():
        catalog.add(msgid, locations=[(filename, lineno)], auto_comments=list(comments))
    pyproject = config.relative(config.pyproject)
    for key, what in (("index_title", "the title"), ("index_intro", "the introduction")):
        text = getattr(config.site, key)
        if text and text not in catalog:
            comment = f"{what} of the index page, where patients choose a page (tool.carepages.{key})"
            catalog.add(text, locations=[(pyproject, _line_of(config, key))], auto_comments=[comment])
    return catalog


def _line_of(config: Config, key: str) -> int:
    """The line of ``key`` in pyproject.toml, for the catalog's reference (1 when it is not found)."""
    try:
        lines = config.pyproject.read_text(encoding="utf-8").split("\n")
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, start=1) if re.match(rf"\s*{key}\s*=", line)), 1)


def format_names(text: str) -> frozenset[str] | None:
    """The ``%(name)s`` placeholders of an interface string, or None when ``%`` formatting would fail on it.

    Jinja formats every interface string with ``%`` (``"100 %"`` raises, ``"%s"`` prints
    the whole mapping), so this is decided by formatting it, not by a pattern.
    """
    if _UNNAMED_FORMAT.search(text.replace("%%", "")):
        return None
    names = _Names()
    try:
        text % names  # formatting only to learn which names it asks for
    except (ValueError, TypeError):
        return None
    return frozenset(names.asked)


class _Names(dict[str, int]):
    """A mapping that records every key a ``%`` format asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def __missing__(self, key: str) -> int:
        self.asked.add(key)
        return 0


def usable_ui_text(msgid: str, message_string: str | None) -> str | None:
    """The interface translation the frame may show: shown by the verdict and formattable like its source."""
    if message_string is None or format_names(message_string) != format_names(msgid):
        return None
    return message_string


def ui_mo_bytes(locale: str, catalog: Catalog | None) -> bytes:
    """The interface catalog compiled to MO, with only the translations the page templates can use.

    Fuzzy and empty ones are left out (as msgfmt does), and so is one whose ``%(name)s``
    placeholders differ from its source's: Jinja formats every interface string with
    ``%``, so it would stop the build (``%(datum)s``, ``100 %``) or drop the date the
    string shows. The header (plural rule included) is Babel's for the locale.
    """
    usable_catalog = Catalog(locale=locale, fuzzy=False)
    for message in catalog or ():
        msgid = message.id if isinstance(message.id, str) and message.context is None else ""
        text = usable_ui_text(msgid, message_text(message)) if msgid else None
        if text is not None:
            usable_catalog.add(msgid, text)
    buffer = io.BytesIO()
    write_mo(buffer, usable_catalog, use_fuzzy=False)
    return buffer.getvalue()


class UiTranslations(Translations):
    """gettext for the page templates that remembers whether any string fell back to the source."""

    def __init__(self, mo: bytes | None) -> None:
        super().__init__(fp=io.BytesIO(mo) if mo else None, domain=UI_DOMAIN)
        if not mo:
            self._catalog = {}
        self.fell_back = False

    # Jinja's newstyle gettext takes what these return as markup (with autoescape on), so they
    # escape it: an interface translation is text, and its "<script>" must stay text.

    def gettext(self, message: str) -> Markup:
        if message not in self._catalog:
            self.fell_back = True
        return escape(super().gettext(message))

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> Markup:
        if (msgid1, 0) not in self._catalog:
            self.fell_back = True
        return escape(super().ngettext(msgid1, msgid2, n))

    # Jinja2 prefers these names when they exist, and Babel defines them: route them through the tracking.
    ugettext = gettext
    ungettext = ngettext
