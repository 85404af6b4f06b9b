"""PDF handouts: the built HTML page, printed by WeasyPrint, with its address, date and a QR code.

Clinics print pages for patients, so a handout is made from the very HTML the
build writes (``dist/<lang>/<page>.html``): the same disclaimers, the same
``lang`` and ``dir``, the page's own print stylesheet. This module only adds
what paper needs: a page size (A4 or Letter), a running footer on every sheet
(the "last reviewed" line, the page's online address, "page n / N"), and at the
end a QR code to the online page when there is one.

Why WeasyPrint: it shapes text with Pango and HarfBuzz (Arabic joined and laid
out right to left, Chinese through fontconfig's language-aware fallback), runs
no browser, and writes tagged PDF (PDF/UA-1) with the document's title and
language. It needs the system libraries Pango and fontconfig and fonts for every
script, which pip cannot install: :func:`load_weasyprint` turns their absence
into one :class:`PdfUnavailable` naming the Debian packages, so the build can
skip handouts with one line and still build everything else.

Everything here is a pure function of its arguments (HTML string in, bytes
out); the fetcher refuses every URL but ``data:``, so a page can neither reach
the network nor read a file while it is printed.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import segno
from jinja2 import Environment
from markupsafe import Markup

from carepages.render.html import make_environment

#: The Debian packages WeasyPrint needs at run time: the libraries it loads, and fonts for
#: Latin, Arabic (fonts-noto-core) and Chinese (fonts-noto-cjk) text.
DEBIAN_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-core", "fonts-noto-cjk")
#: The paper sizes a handout is made for, as CSS ``@page size`` keywords.
PAPER_SIZES = {"A4": "A4", "Letter": "letter"}
#: PDF/UA-1: tagged, with title and language, as screen readers need.
PDF_VARIANT = "pdf/ua-1"

# WeasyPrint's own words for a character no installed font has (weasyprint/draw/text.py).
_NOTDEF = re.compile(r"unsupported by fonts: .* \(U\+(?P<code>[0-9A-F]{4,6})\)")
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it loads are not installed: no handouts on this machine."""


class PdfError(ValueError):
    """A page cannot become a handout as it is (for instance: it has no ``<body>``)."""


@dataclass(frozen=True)
class Handout:
    """What a handout prints beyond the page itself; every text is already in the page's language.

    ``address`` is the absolute address of the page online (the build knows it only when
    a base URL is configured): it is printed on every sheet and as a QR code at the end.
    ``reviewed`` is the page's localised "Last reviewed: …" line, repeated on every
    sheet so a single sheet still says how current it is.
    """

    paper: str = "A4"
    address: str = ""
    reviewed: str = ""
    online_label: str = ""


@dataclass(frozen=True)
class RenderedPdf:
    """A handout's bytes and the characters it could only draw as empty boxes (no font has them)."""

    data: bytes
    missing_glyphs: tuple[str, ...]


def load_weasyprint() -> ModuleType:
    """WeasyPrint, or :class:`PdfUnavailable` saying what to install.

    WeasyPrint loads Pango when it is imported and, when it cannot, prints a banner
    to stdout before raising ``OSError``: the banner is swallowed so that the build
    says it once, in its own words.
    """
    return _load_weasyprint()


def handouts_unavailable() -> str:
    """Why this machine cannot print PDF handouts (one line naming what to install), or '' when it can."""
    try:
        load_weasyprint()
    except PdfUnavailable as exc:
        return str(exc)
    return ""


@functools.cache
def _load_weasyprint() -> ModuleType:
    banner = io.StringIO()
    try:
        with contextlib.redirect_stdout(banner):
            import weasyprint
    except ImportError as error:
        raise PdfUnavailable(_install_hint(f"the Python package weasyprint is missing ({error})")) from error
    except OSError as error:
        raise PdfUnavailable(_install_hint(f"a system library WeasyPrint loads is missing ({error})")) from error
    return weasyprint


def _install_hint(cause: str) -> str:
    packages = " ".join(DEBIAN_PACKAGES)
    return f"PDF handouts are not made: {cause} (install them: apt-get install {packages}; then scripts/bootstrap)"


def qr_svg(address: str) -> str:
    """The QR code of ``address`` as an SVG document: vector, so it prints sharp at any size.

    Error correction level M survives a crease or a smudge on a printed sheet; the
    four-module quiet zone the standard asks for is kept.
    """
    code = segno.make(address, error="m", micro=False)
    return str(code.svg_inline(scale=1, omitsize=False, dark="#000", light="#fff"))


def qr_data_uri(address: str) -> str:
    """The QR code of ``address`` as a ``data:`` URI, the only kind of URL a handout may load."""
    code = segno.make(address, error="m", micro=False)
    return str(code.svg_data_uri(scale=1, dark="#000", light="#fff"))


def handout_css(handout: Handout) -> str:
    """The stylesheet a handout adds to the page's own: paper size, footer, QR code block."""
    if handout.paper not in PAPER_SIZES:
        raise PdfError(f"unknown paper size {handout.paper!r} (use one of: {', '.join(PAPER_SIZES)})")
    template = _environment().get_template("handout.css")
    return template.render(paper=Markup(PAPER_SIZES[handout.paper]))


def handout_html(page_html: str, handout: Handout) -> str:
    """The page with the handout's running footer first in ``<body>`` and its QR code block last.

    A running element must come before the content of the first sheet it appears on,
    hence the footer right after ``<body>``; the QR code follows the last-reviewed line.
    The texts are escaped by the template (autoescape), wherever they come from.
    """
    start = _BODY.search(page_html)
    end = next(iter(reversed(list(_BODY_END.finditer(page_html)))), None)  # the last one
    if start is None or end is None or end.start() < start.end():
        raise PdfError("the page has no <body> element to print")
    parts = _environment().get_template("handout.html").module
    footer = str(parts.footer(handout))  # type: ignore[attr-defined]
    online = str(parts.online(handout, qr_data_uri(handout.address))) if handout.address else ""  # type: ignore[attr-defined]
    return (
        page_html[: start.end()]
        + "\n"
        + footer
        + page_html[start.end() : end.start()]
        + online
        + page_html[end.start() :]
    )


@functools.cache
def _environment() -> Environment:
    """The page templates' environment (autoescape), made once per process."""
    return make_environment()


def render_pdf(page_html: str, handout: Handout) -> RenderedPdf:
    """The handout of one built page as tagged PDF bytes (deterministic for the same inputs).

    Raises :class:`PdfUnavailable` when WeasyPrint cannot run here, :class:`PdfError`
    when the page or the options are unusable.
    """
    weasyprint = load_weasyprint()
    document = handout_html(page_html, handout)
    stylesheet = weasyprint.CSS(string=handout_css(handout))
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    with _missing_glyphs() as missing:
        html = weasyprint.HTML(string=document, base_url=None, url_fetcher=fetcher)
        data = html.write_pdf(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT, **_options())
    return RenderedPdf(data, tuple(sorted(set(missing))))


def _options() -> dict[str, Any]:
    """WeasyPrint's options: the file identifier is a hash of the content, so equal inputs give equal bytes."""
    return {"pdf_identifier": True, "custom_metadata": False, "uncompressed_pdf": False}


@contextlib.contextmanager
def _missing_glyphs() -> Iterator[list[str]]:
    """Collect the characters WeasyPrint had to draw as .notdef (it logs each one as a warning)."""
    found: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            match = _NOTDEF.search(record.getMessage())
            if match:
                found.append(chr(int(match["code"], 16)))

    logger = logging.getLogger("weasyprint")
    handler = Collector(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
