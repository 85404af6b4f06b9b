"""HTML pages: Markdown through the same parser as extraction, sanitised, framed by Jinja2 templates.

Every page is one self-contained file: inline CSS, no script, no external
resource, and a Content-Security-Policy that forbids scripts even if something
slipped through, so it works offline and as an e-mail attachment.

What a translator writes is untrusted. It reaches a page only as inline
Markdown (raw HTML escaped by :func:`carepages.translate.escape_raw_html`), and
the resulting HTML passes the nh3 allow-list in :func:`sanitize`. The frame
around it comes from templates with autoescape, and its interface strings are
themselves translated through gettext (the ``ui`` domain), so no page wraps a
translated body in an English frame.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import nh3
from babel import Locale
from babel.core import get_locale_identifier, parse_locale
from babel.dates import format_date
from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from carepages.segments import FIELD_NAMES, without_controls
from carepages.ui import TEMPLATES_DIR, UiTranslations

#: Scripts are forbidden outright; only the inline stylesheet and local images may load.
CSP = Markup("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'")

#: What Markdown in this dialect produces, and nothing else.
ALLOWED_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "blockquote", "div", "pre", "code"}
    | {"details", "summary", "aside"}
    | {"table", "thead", "tbody", "tr", "th", "td", "a", "strong", "em", "img", "sup", "sub", "span"}
)
ALLOWED_ATTRIBUTES: Mapping[str, set[str]] = {
    # lang and dir: a block left in the source language says so (carepages.markdown_ext).
    "*": {"data-disclaimer", "lang", "dir"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "div": {"class"},
    "p": {"class"},
    "code": {"class"},
}
#: No javascript:, data:, vbscript: or file: URLs; relative links between pages stay.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# nh3 writes attributes double-quoted with '"' escaped, so this reads its output reliably.
_IMG_WITHOUT_SRC = re.compile(r'<img(?![^>]*\ssrc=")(?:[^>]*\salt="(?P<alt>[^"]*)")?[^>]*>')
_LEADING_H1 = re.compile(r"\A\s*(<h1\b[^>]*>.*?</h1>)\s*", re.DOTALL)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, for every environment (Jinja2's bytecode cache, in memory).

    Each locale needs an environment of its own (its gettext is installed into it), and
    each environment compiled every template anew: 57 compilations, half a second of a
    no-op build of ten locales. Jinja2 keys the code by the template's name and checksums
    its source, so an edited template is compiled again.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()


def make_environment() -> Environment:
    """The Jinja2 environment for pages and the index: autoescape, i18n, strict about names."""
    env = Environment(
        bytecode_cache=_COMPILED,
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # the templates ship with the code: not asked of the disk again for every page
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def sanitize(html: str) -> str:
    """Keep only the tags, attributes and URL schemes a patient page needs (nh3 allow-list).

    An image whose address was refused (a ``data:`` URL, say) is left as its alt
    text: an ``<img>`` without ``src`` is not valid HTML. Control characters go too: a
    reference such as ``&#27;`` becomes the character itself in the parse (HTML's rule),
    and a terminal showing the plain-text page made from this HTML would run it.
    """
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return without_controls(_IMG_WITHOUT_SRC.sub(lambda match: match.group("alt") or "", clean))


# -- languages --------------------------------------------------------------------------


@dataclass(frozen=True)
class Language:
    """A locale as a page shows it: folder code, BCP 47 tag, own name, writing direction."""

    code: str
    tag: str
    name: str
    direction: str


@functools.cache
def language(code: str) -> Language:
    """Babel's CLDR data: the language named in itself, and ``rtl`` or ``ltr``."""
    locale = Locale.parse(code)
    tag = get_locale_identifier(parse_locale(code), sep="-")
    return Language(code, tag, locale.get_display_name(locale) or code, locale.text_direction)


@dataclass(frozen=True)
class Alternate:
    """This page in one published language, for hreflang links and the language switcher."""

    lang: Language
    href: str
    current: bool


def alternates(page: str, current: str, published: Iterable[str], base_url: str = "") -> tuple[Alternate, ...]:
    """The page in every published language (the current one included, marked), at its absolute address.

    Without a base URL there is no address that works both online and inside a
    downloaded bundle (which holds one language), so only the current language is
    listed: the page then has no language switcher and no ``hreflang`` links, and
    the index links every language.
    """
    if not base_url:
        return (Alternate(language(current), f"{page.rsplit('/', 1)[-1]}.html", True),)
    return tuple(Alternate(language(code), f"{base_url}{code}/{page}.html", code == current) for code in published)


def text_direction(text: str) -> str:
    """``rtl`` or ``ltr`` by the first letter with a direction, as ``dir="auto"`` decides (which print engines lack)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@dataclass(frozen=True)
class ClinicView:
    """A clinic's details as one page shows them (already in the page's language)."""

    name: str
    address: str = ""
    phone: str = ""
    website: str = ""
    emergency: str = ""
    logo: str = ""

    @property
    def name_dir(self) -> str:
        return text_direction(self.name)

    @property
    def address_dir(self) -> str:
        return text_direction(self.address)

    @property
    def emergency_isolated(self) -> Markup:
        """The emergency number as a left-to-right island: "999." must not read ".999" on an Arabic page."""
        return Markup('<span dir="ltr">{}</span>').format(self.emergency)

    @property
    def phone_href(self) -> str:
        """``tel:`` with the digits and a leading '+' only, as phones dial it."""
        digits = "".join(c for c in self.phone if c.isdigit() or c == "+")
        return f"tel:{digits}"


# -- one page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PageView:
    """Everything the page templates show, already translated and sanitised."""

    lang: Language
    title: str
    description: str
    heading: Markup
    body: Markup
    disclaimers: Markup
    alternates: tuple[Alternate, ...]
    source_name: str
    draft: bool = False
    fallback: bool = False
    #: How much of the page is shown in the source language, as the locale writes a percentage ("12 %").
    open_share: str = ""
    last_reviewed: str = ""
    reviewer: str = ""
    reviewed_on: str = ""
    #: A pinned page: the date of the source version it was translated from, as the locale writes it ...
    pinned_on: str = ""
    #: ... and the current page in the source language, which has changed since.
    current: Alternate | None = None
    clinic: ClinicView | None = None
    #: The language's list of pages, from this page (``../index.html`` for a nested page).
    home: str = "index.html"


def split_heading(body: str, title: str, title_in_body: bool = False) -> tuple[Markup, Markup]:
    """The page's level-1 heading and the rest: notices go between them.

    A body that starts with its own ``# heading`` keeps it (translated with the
    body). Otherwise the title becomes the heading, unless the title is a heading
    of the body (``title_in_body``: a page without a front-matter title, whose first
    heading comes after a paragraph or is not of level 1), which must not show twice.
    """
    match = _LEADING_H1.match(body)
    if match:
        return Markup(match.group(1)), Markup(body[match.end() :])
    if title_in_body:
        return Markup(""), Markup(body)
    return Markup("<h1>{}</h1>").format(title), Markup(body)


@functools.cache
def long_date(day: dt.date | None, locale: str) -> str:
    """A date as the locale writes it in running text (CLDR's long format)."""
    return format_date(day, format="long", locale=locale) if day else ""


@functools.cache
def source_language_name(source: str, locale: str) -> str:
    """The source language named in ``locale`` (for "shown in English"), from CLDR."""
    return Locale.parse(locale).languages.get(source) or language(source).name


def render_page(env: Environment, translations: UiTranslations, view: PageView, track: bool) -> str:
    """One page's HTML document; an interface string that fell back to the source turns the notice on.

    ``track`` is false for the source language, whose interface strings are the msgids.
    The plain text is made from this document's ``<main>`` (see :func:`carepages.render.page.render`).
    """
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    translations.fell_back = False
    document = env.get_template("page.html").render(view=view, csp=CSP)
    if track and translations.fell_back and not view.fallback:
        view = replace(view, fallback=True)
        document = env.get_template("page.html").render(view=view, csp=CSP)
    return document


def text_labels(env: Environment, translations: UiTranslations) -> dict[str, str]:
    """The words the plain-text renderer writes itself, translated like every interface string."""
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    module = env.get_template("labels.html").make_module()
    return {name: Markup(getattr(module, name)).unescape() for name in ("references", "important", "colon", "online")}


def neutral_fields(env: Environment, translations: UiTranslations) -> dict[str, str]:
    """What pages made for no particular clinic say in place of each clinic field, translated."""
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    module = env.get_template("fields.html").make_module()
    return {name: Markup(getattr(module, name)).unescape() for name in FIELD_NAMES}
