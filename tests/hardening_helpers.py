"""Helpers for the hardening tests: a small translated project, snapshots, and what "inert" means.

``tests/data/hostile/project`` is a small clinic site (a rich page ``guide``, a tiny
page ``short`` and two shared disclaimers) with one locale, ``de``. Its templates and
catalogs are made at test time with ``carepages extract`` and ``update``, then
translated mechanically through Babel (never by writing PO syntax by hand), so the
tests do not depend on the exact interface strings of the page templates.

:class:`PageScan` reads a built page with the standard library's HTML tokenizer (the
one the checks use) and :func:`assert_inert_html` states what a page built from any
translation may contain: nothing a browser would execute or load, and no element
that only the source may make (a disclaimer, a notice).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from helpers import give_interface_safety_strings

from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config
from carepages.extract import run_extract
from carepages.update import run_update

HOSTILE = Path(__file__).parent / "data" / "hostile"
PROJECT = HOSTILE / "project"
LOCK_NAME = ".dist-build.lock"  # the build's lock file, beside dist/ (see carepages.builder.build_lock)

Translator = Callable[[str, str], str]  # (domain, msgid) -> msgstr


#: The hostile project's disclaimers in real German: a disclaimer that reads as English is an error of
#: the ``language`` check, also in builds that run in other processes (where no fixture reaches).
GERMAN_DISCLAIMERS = {
    "This page is general information, not medical advice. Talk to a qualified clinician.": (
        "Diese Seite bietet allgemeine Informationen, keine medizinische Beratung. Sprechen Sie mit einer "
        "qualifizierten Ärztin oder einem qualifizierten Arzt."
    ),
    "In an emergency, call your local emergency number.": "Rufen Sie im Notfall Ihre örtliche Notrufnummer an.",
    "No clinic can guarantee a result.": "Keine Klinik kann ein Ergebnis garantieren.",
}


def german(domain: str, msgid: str) -> str:
    """A mechanical translation that keeps every number, link and placeholder of the source (disclaimers real)."""
    return GERMAN_DISCLAIMERS.get(msgid, f"DE {msgid}")


def identity(domain: str, msgid: str) -> str:
    return msgid


def make_project(
    target: Path, pages: dict[str, str] | None = None, translate: Translator = german, *, safe_interface: bool = True
) -> Path:
    """Copy the hostile project to ``target``, add ``pages`` (name -> Markdown), extract, update, translate.

    ``safe_interface`` gives the interface strings with safety meaning their real, signed-off
    translation (see :func:`translate_catalogs`); without it ``translate`` fills them too.
    """
    shutil.copytree(PROJECT, target)
    for name, text in (pages or {}).items():
        (target / "source" / f"{name}.md").write_text(text, encoding="utf-8")
    config = load_config(target)
    run_extract(config)
    run_update(config)
    translate_catalogs(target, "de", translate, safe_interface=safe_interface)
    return target


def translate_catalogs(root: Path, locale: str, translate: Translator, *, safe_interface: bool = True) -> None:
    """Fill every message of every catalog of ``locale`` with ``translate(domain, msgid)``.

    The interface strings with safety meaning get their real translation and a reviewer's
    sign-off (:func:`helpers.give_interface_safety_strings`); attack them explicitly.
    """
    config = load_config(root)
    for path in sorted((config.locale_dir / locale / "LC_MESSAGES").glob("*.po")):
        catalog = read_catalog(path, config.relative(path), locale)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = translate(path.stem, message.id)
        path.write_bytes(render_catalog(catalog, config.locations))
    if safe_interface:
        give_interface_safety_strings(root, [locale])


def set_translation(root: Path, locale: str, domain: str, msgid: str, msgstr: str) -> int:
    """Give one message a translation (through Babel); return the PO line of its msgid."""
    config = load_config(root)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    catalog[msgid].string = msgstr
    path.write_bytes(render_catalog(catalog, config.locations))
    message = read_catalog(path, config.relative(path), locale)[msgid]
    return message.lineno or 0


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones included) with its bytes, but those under ``skip``."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not any(rel == s or rel.startswith(f"{s}/") for s in skip):
            files[rel] = path.read_bytes()
    return files


def outside_dist(root: Path) -> dict[str, bytes]:
    """The project's files apart from dist/ and the build's lock file: a build may change nothing here."""
    return snapshot(root, skip=("dist", LOCK_NAME))


# -- what a built page may contain ---------------------------------------------------------------

#: Every element the page templates and the sanitiser's allow-list can produce.
PAGE_TAGS = frozenset(
    {"html", "head", "meta", "title", "link", "style", "body", "header", "nav", "main", "section", "span"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "blockquote", "div", "pre", "code"}
    | {"table", "caption", "thead", "tbody", "tr", "th", "td", "a", "strong", "em", "img", "sup", "sub"}
)
#: Attributes that load or run something whatever their value.
ACTIVE_ATTRIBUTES = frozenset({"style", "srcdoc", "formaction", "action", "background", "dynsrc", "lowsrc", "ping"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads from an attribute value (WHATWG URL: outer blanks, tabs and newlines dropped)."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip(_C0_AND_SPACE)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


class PageScan(HTMLParser):
    """Every start tag of a page, in order, with its attributes and whether it is inside <head>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str], bool]] = []
        self.in_head = False
        self.title = ""
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}, self.in_head))
        self.in_head = self.in_head or tag == "head"
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.in_head = self.in_head and tag != "head"
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def values(self, attribute: str) -> list[str]:
        return [attrs[attribute] for _, attrs, _ in self.tags if attribute in attrs]

    def classes(self) -> Counter[str]:
        return Counter(attrs["class"] for _, attrs, _ in self.tags if "class" in attrs)


def dangers(html: str) -> list[str]:
    """Everything in a built page that a browser could execute or load, or that no page may have."""
    scan = PageScan(html)
    found = []
    for tag, attrs, in_head in scan.tags:
        if tag not in PAGE_TAGS:
            found.append(f"<{tag}> element")
        if tag == "style" and not in_head:
            found.append("<style> outside <head>")
        if tag in {"meta", "link"} and not in_head:
            found.append(f"<{tag}> outside <head>")
        if tag == "meta" and "http-equiv" in attrs and attrs["http-equiv"].lower() != "content-security-policy":
            found.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
        if tag == "link" and attrs.get("rel") != "alternate":
            found.append(f"<link rel={attrs.get('rel')!r}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in ACTIVE_ATTRIBUTES:
                found.append(f"{name}= attribute on <{tag}>")
            if name in {"href", "src", "data", "poster", "xlink:href"}:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    found.append(f"{scheme}: URL in {name}= of <{tag}>")
    return found


def assert_inert_html(html: str, disclaimers: Counter[str], classes: Counter[str]) -> None:
    """Nothing active, exactly the disclaimers the source asks for, and no element class a translation made."""
    assert dangers(html) == []
    scan = PageScan(html)
    assert Counter(scan.values("data-disclaimer")) == disclaimers
    assert scan.classes() == classes


def reference_targets(text: str) -> list[str]:
    """The link targets listed under a plain-text page's numbered references."""
    return [match.group(1) for match in re.finditer(r"^<\d+> (\S+)", text, re.MULTILINE)]


def assert_inert_text(text: str) -> None:
    """A plain-text page: no control character a terminal would run, no dangerous link offered."""
    assert not _CONTROL.search(text), repr(_CONTROL.findall(text))
    for target in reference_targets(text):
        scheme = url_scheme(target)
        assert scheme is None or scheme in SAFE_SCHEMES, target
