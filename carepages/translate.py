"""A locale's translations as the build uses them, under the publishing rules.

The rules, in one place:

* a fuzzy message is never shown: it counts as untranslated;
* an untranslated ordinary message falls back to the source text, and the
  lookup remembers that it did, so the page can say so at the top;
* a locale is published only when its completion (counted like
  ``carepages stats``, over every domain: the pages, ``disclaimers`` and ``ui``)
  reaches the publishing threshold, and every disclaimer it must carry is
  present, translated and not fuzzy.

Catalogs are parsed once per locale (:func:`assess_locale`); what the renderer
needs from them is kept as a :class:`TranslationTable`, small and quick to load
in another process, so the parallel build does not parse a catalog twice.
"""

from __future__ import annotations

import io
import marshal
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.support import Translations
from markupsafe import Markup, escape

from carepages import segments
from carepages.catalogs import po_path, read_catalog
from carepages.config import Config
from carepages.errors import CarepagesError, CatalogError, raise_all
from carepages.extract import DISCLAIMERS_DOMAIN, UI_DOMAIN, PageMessages, Sources
from carepages.review import SOURCE, Review
from carepages.segments import Segment
from carepages.stats import Counts, count_catalog

#: Segment kinds whose text ends up in an attribute, not in Markdown.
ATTRIBUTE_KINDS = frozenset({segments.ALT_TEXT, segments.IMAGE_TITLE, segments.LINK_TITLE})
NO_CATALOGS = "no catalogs yet: run carepages update"

# A code span or an autolink is kept as it is; any other '<' starts raw HTML and is escaped.
_RAW_HTML = re.compile(
    r"(?P<keep>(?<!\\)(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`)"
    r"|<(?:(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>\s]+|(?:mailto:)?[^<>!\s@]+@[^<>\s@]+)>)"
    r"|<",
    re.DOTALL,
)
_TAG = re.compile(r"<[^<>]*>")
#: Control characters (C0 and C1 but tab and newline): invisible on a page, and in the plain text
#: a terminal runs them as escape sequences (clearing the screen, renaming the window).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: A ``%`` that starts no named placeholder (``%%`` removed first): Jinja would format the whole mapping.
_UNNAMED_FORMAT = re.compile(r"%(?!\()")


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


def escape_raw_html(text: str, allowed: Counter[str] | None = None) -> str:
    """Escape raw HTML in a translation before Python-Markdown sees it.

    A translator writes inline Markdown, never HTML: a ``<script>``, an event
    handler or a forged ``data-disclaimer`` element must come out as visible
    text. Code spans and autolinks (``<https://...>``) stay Markdown. Only the
    tags of ``allowed`` (the source message's own, such as ``<sup>`` in m<sup>2</sup>)
    are kept, each as often as the source has it, so a faithful translation shows
    what its source shows and adds nothing.
    """
    if "<" not in text:
        return text  # only a '<' starts raw HTML: most messages have nothing to escape
    budget = Counter(allowed or ())

    def replace(match: re.Match[str]) -> str:
        if match.group("keep"):
            return match.group("keep")
        tag = _TAG.match(text, match.start())
        if tag is not None and budget[tag.group(0)] > 0:
            budget[tag.group(0)] -= 1
            return "<"
        return "&lt;"

    return _RAW_HTML.sub(replace, text)


def without_controls(text: str) -> str:
    """``text`` without control characters (tab and newline kept)."""
    return _CONTROL.sub("", text)


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


def usable(message: Message | None) -> str | None:
    """The translation to show for ``message``, or None: fuzzy and empty ones never show."""
    if message is None or message.fuzzy or not isinstance(message.string, str):
        return None
    return without_controls(message.string) or None


# -- reading a locale's catalogs ------------------------------------------------------------


def build_domains(sources: Sources) -> list[str]:
    """Every domain the build reads for a locale: shared disclaimers, the pages, the interface."""
    return [DISCLAIMERS_DOMAIN, *(messages.domain for messages in sources.pages), UI_DOMAIN]


def load_catalogs(config: Config, locale: str, domains: Iterable[str]) -> dict[str, Catalog]:
    """The locale's catalogs that exist, by domain; a broken one is an error with file and line."""
    catalogs: dict[str, Catalog] = {}
    errors: list[CarepagesError] = []
    for domain in domains:
        path = po_path(config, locale, domain)
        if not path.is_file():
            continue
        if not path.resolve().is_relative_to(config.locale_dir):
            errors.append(
                CatalogError(
                    "is a link to a file outside the locale folder",
                    path=config.relative(path),
                    hint="replace the link by the catalog itself",
                )
            )
            continue
        try:
            catalogs[domain] = read_catalog(path, config.relative(path), locale)
        except CarepagesError as exc:
            errors.append(exc)
    raise_all(errors)
    return catalogs


# -- the publishing decision --------------------------------------------------------------


@dataclass(frozen=True)
class LocaleStatus:
    """Whether a locale is published, how complete it is, and why it is left out if it is."""

    locale: str
    counts: Counts
    review: Review
    reasons: tuple[str, ...] = ()

    @property
    def published(self) -> bool:
        return not self.reasons

    @property
    def percent(self) -> float:
        return self.counts.percent

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, for the manifest and the build cache."""
        return {
            "locale": self.locale,
            "published": self.published,
            "counts": self.counts.as_dict(),
            "review": self.review.as_dict(),
            "reasons": list(self.reasons),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LocaleStatus:
        counts = data["counts"]
        return cls(
            locale=data["locale"],
            counts=Counts(counts["translated"], counts["fuzzy"], counts["untranslated"]),
            review=Review.from_dict(data["review"]),
            reasons=tuple(data["reasons"]),
        )


def source_status(config: Config) -> LocaleStatus:
    """The source language: the original text, always complete and always published."""
    return LocaleStatus(config.source_language, Counts(), Review(status=SOURCE))


def expected_counts(sources: Sources, ui_ids: Iterable[str]) -> dict[str, int]:
    """How many messages each domain has in the source: a missing catalog has them all untranslated."""
    expected = {messages.domain: len({s.msgid for s in messages.segments}) for messages in sources.all()}
    expected[UI_DOMAIN] = len(set(ui_ids))
    return expected


def locale_counts(catalogs: dict[str, Catalog], expected: dict[str, int]) -> Counts:
    """Completion over every domain, exactly as ``carepages stats`` counts it."""
    total = Counts()
    for domain, count in expected.items():
        catalog = catalogs.get(domain)
        total = total + (count_catalog(catalog) if catalog is not None else Counts(untranslated=count))
    return total


def disclaimer_problems(config: Config, locale: str, sources: Sources, catalogs: dict[str, Catalog]) -> list[str]:
    """Why the locale's disclaimers cannot be published: missing, untranslated or fuzzy ones."""
    problems: list[str] = []
    for messages in sources.all():
        rel = config.relative(po_path(config, locale, messages.domain))
        catalog = catalogs.get(messages.domain)
        for segment in _disclaimer_segments(messages):
            problem = _disclaimer_problem(segment, catalog, rel)
            if problem and problem not in problems:
                problems.append(problem)
    return problems


def _disclaimer_segments(messages: PageMessages) -> list[Segment]:
    """The segments of a domain that belong to a disclaimer, each msgid once."""
    seen: set[str] = set()
    found = []
    for segment in messages.segments:
        if segment.disclaimer and segment.msgid not in seen:
            seen.add(segment.msgid)
            found.append(segment)
    return found


def _disclaimer_problem(segment: Segment, catalog: Catalog | None, rel: str) -> str | None:
    name = f"disclaimer {segment.disclaimer!r}"
    if catalog is None:
        return f"{name} is missing: {rel} does not exist (run carepages update)"
    message = catalog.get(segment.msgid)
    if message is None:
        return f"{name} is missing from {rel} (run carepages update)"
    where = f"{rel}:{message.lineno}" if message.lineno else rel
    if message.fuzzy:
        return f"{name} is fuzzy in {where}"
    if usable(message) is None:
        return f"{name} is untranslated in {where}"
    return None


def assess_locale(
    config: Config, locale: str, sources: Sources, ui_ids: Iterable[str], catalogs: dict[str, Catalog], review: Review
) -> LocaleStatus:
    """Decide whether a locale is published, with every reason when it is not."""
    counts = locale_counts(catalogs, expected_counts(sources, ui_ids))
    if not catalogs:
        return LocaleStatus(locale, counts, review, (NO_CATALOGS,))
    reasons: list[str] = []
    if counts.percent < config.publish_threshold:
        reasons.append(
            f"{counts.percent:.1f} % translated, below the publishing threshold of {config.publish_threshold:g} %"
        )
    reasons.extend(disclaimer_problems(config, locale, sources, catalogs))
    return LocaleStatus(locale, counts, review, tuple(reasons))


# -- what the renderer needs --------------------------------------------------------------


@dataclass
class TranslationTable:
    """The usable translations of a locale, by domain, and its interface catalog as MO bytes."""

    locale: str
    domains: dict[str, dict[str, str]] = field(default_factory=dict)
    ui_mo: bytes = b""

    @classmethod
    def from_catalogs(cls, locale: str, catalogs: dict[str, Catalog]) -> TranslationTable:
        domains = {
            domain: {m.id: text for m in catalog if isinstance(m.id, str) and m.id and (text := usable(m)) is not None}
            for domain, catalog in catalogs.items()
            if domain != UI_DOMAIN
        }
        return cls(locale, domains, ui_mo_bytes(locale, catalogs.get(UI_DOMAIN)))

    def save(self, path: Path) -> None:
        """Written to the build's work folder, so results stream to disk, not to memory."""
        path.write_bytes(marshal.dumps((self.locale, self.domains, self.ui_mo)))

    @classmethod
    def load(cls, path: Path) -> TranslationTable:
        locale, domains, ui_mo = marshal.loads(path.read_bytes())
        return cls(locale, domains, ui_mo)


def ui_mo_bytes(locale: str, catalog: Catalog | None) -> bytes:
    """The interface catalog compiled to MO, with only the translations the page templates can use.

    Fuzzy and empty ones are left out (as msgfmt does), and so is one whose ``%(name)s``
    placeholders differ from its source's: Jinja formats every interface string with
    ``%``, so it would stop the build (``%(datum)s``, ``100 %``) or drop the date the
    string shows. Those fall back to the source text, and the page says so. The header
    (plural rule included) is Babel's for the locale, not the translator's.
    """
    usable_catalog = Catalog(locale=locale, fuzzy=False)
    for message in catalog or ():
        msgid = message.id if isinstance(message.id, str) else ""
        text = usable(message) if msgid else None
        if text is not None and format_names(text) == format_names(msgid):
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


class PageLookup:
    """The segment handler for one domain: the translation, or None to keep the source text.

    ``messages`` is None for the source language, which is its own translation.
    """

    def __init__(self, messages: dict[str, str] | None) -> None:
        self.messages = messages
        self.fell_back = False

    def __call__(self, segment: Segment) -> str | None:
        text = self.find(segment.msgid)
        if text is None or segment.kind in ATTRIBUTE_KINDS:
            return text
        return escape_raw_html(text, raw_tags(segment.msgid) if "<" in text else None)

    def find(self, msgid: str) -> str | None:
        """The usable translation of ``msgid``; records a fallback when there is none."""
        if self.messages is None:
            return None
        text = self.messages.get(msgid)
        if text is None:
            self.fell_back = True
        return text

    def text(self, msgid: str) -> str:
        """Plain text (a title, a description): the translation or the source."""
        if not msgid:
            return ""
        return self.find(msgid) or msgid
