"""A locale's translations as the renderer puts them into a page.

What a translator writes is untrusted. It reaches a page only as inline Markdown
inside its source block, with raw HTML escaped (:func:`escape_raw_html`) except the
very tags its source message has; the page's HTML then passes the nh3 allow-list.
Which translation is shown at all is the verdict's rule
(:func:`carepages.segments.message_text`).

Catalogs are parsed once per locale; what the renderer needs from them is kept as a
:class:`TranslationTable`, small and quick to hand to another process.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog

from carepages.catalogs import UI_DOMAIN
from carepages.segments import ATTRIBUTE_KINDS, Segment, message_text
from carepages.ui import ui_mo_bytes

# A code span or an autolink is kept as it is; any other '<' starts raw HTML and is escaped.
_RAW_HTML = re.compile(
    r"(?P<keep>(?<!\\)(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`)"
    r"|<(?:(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>\s]+|(?:mailto:)?[^<>!\s@]+@[^<>\s@]+)>)"
    r"|<",
    re.DOTALL,
)
_TAG = re.compile(r"<[^<>]*>")


def raw_tags(text: str) -> Counter[str]:
    """The raw HTML tags of a message, exactly as written (``<sup>``, ``</sup>``), counted."""
    found: Counter[str] = Counter()
    if "<" not in text:
        return found
    for match in _RAW_HTML.finditer(text):
        tag = None if match.group("keep") else _TAG.match(text, match.start())
        if tag is not None:
            found[tag.group(0)] += 1
    return found


def escape_raw_html(text: str, allowed: Counter[str] | None = None) -> tuple[str, list[str]]:
    """Escape raw HTML in a translation before Python-Markdown sees it; return it and what was refused.

    A translator writes inline Markdown, never HTML: a ``<script>``, an event handler
    or a forged ``data-disclaimer`` element must come out as visible text. Code spans
    and autolinks (``<https://...>``) stay Markdown. Only the tags of ``allowed`` (the
    source message's own, such as ``<sup>`` in m<sup>2</sup>) are kept, each as often
    as the source has it. The refused tags are what the ``html`` check reports.
    """
    if "<" not in text:
        return text, []  # only a '<' starts raw HTML: most messages have nothing to escape
    budget = Counter(allowed or ())
    refused: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group("keep"):
            return match.group("keep")
        tag = _TAG.match(text, match.start())
        if tag is not None and budget[tag.group(0)] > 0:
            budget[tag.group(0)] -= 1
            return "<"
        if tag is not None:
            refused.append(tag.group(0))
        return "&lt;"

    return _RAW_HTML.sub(replace, text), refused


@dataclass
class TranslationTable:
    """The translations a locale's pages may show, by domain, and its interface catalog as MO bytes."""

    locale: str
    domains: dict[str, dict[str, str]] = field(default_factory=dict)
    ui_mo: bytes = b""

    @classmethod
    def from_catalogs(cls, locale: str, catalogs: dict[str, Catalog]) -> TranslationTable:
        domains = {
            domain: {m.id: text for m in catalog if isinstance(m.id, str) and m.id and (text := message_text(m))}
            for domain, catalog in catalogs.items()
            if domain != UI_DOMAIN
        }
        return cls(locale, domains, ui_mo_bytes(locale, catalogs.get(UI_DOMAIN)))


class Lookup:
    """The segment handler for one domain: the translation to put in, or None to keep the source.

    ``messages`` is None for the source language, which is its own translation. The
    lookup remembers which messages fell back to the source and which raw tags it
    refused, for the page's notice and for the checks.
    """

    def __init__(self, messages: dict[str, str] | None) -> None:
        self.messages = messages
        self.fell_back: set[str] = set()
        self.refused: dict[str, list[str]] = {}

    def __call__(self, segment: Segment) -> str | None:
        text = self.find(segment.msgid)
        if text is None or segment.kind in ATTRIBUTE_KINDS:
            return text
        escaped, refused = escape_raw_html(text, raw_tags(segment.msgid) if "<" in text else None)
        if refused:
            self.refused[segment.msgid] = refused
        return escaped

    def find(self, msgid: str) -> str | None:
        """The translation of ``msgid`` to show; records a fallback when there is none."""
        if self.messages is None:
            return None
        text = self.messages.get(msgid)
        if text is None:
            self.fell_back.add(msgid)
        return text

    def text(self, msgid: str) -> str:
        """Plain text (a title, a description): the translation or the source."""
        if not msgid:
            return ""
        return self.find(msgid) or msgid
