# ruff: noqa: RUF001 -- Arabic and Chinese text is this module's test data.
"""PDF handouts: the shipped pages printed by WeasyPrint, read back, and looked at.

The rendering tests need WeasyPrint's system libraries (Pango) and the Noto fonts;
they skip when those are absent, except in CI (``CAREPAGES_REQUIRE_EXTERNAL=1``),
where a missing library fails them. The text and QR-code helpers need neither.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import require_program

from carepages.builder import run_build
from carepages.config import load_config
from carepages.pdftext import LOST, Glyph, comparable, extract_text, find_in_order, logical_order, repair_text_layer
from carepages.readback import disclaimers_shown
from carepages.render import pdf as pdf_module
from carepages.render.pdf import Handout, PdfError, PdfUnavailable, handout_html, qr_svg, render_pdf

ROOT = Path(__file__).parents[1]
ADDRESS = "https://clinic.example/pages/{lang}/knee.html?from=print&x=<1>"
PAGES = ("en", "ar", "zh_CN")
#: Points per paper size (1/72 in), as PDF viewers report them.
PAPER_POINTS = {"A4": (595, 842), "Letter": (612, 792)}


def require_weasyprint() -> None:
    """Skip when WeasyPrint cannot run here; fail instead in CI, which installs what it needs."""
    try:
        pdf_module.load_weasyprint()
    except PdfUnavailable as error:
        if os.environ.get("CAREPAGES_REQUIRE_EXTERNAL"):
            pytest.fail(f"WeasyPrint is required in CI: {error}")
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built into a temporary folder (its dist/)."""
    root = tmp_path_factory.mktemp("shipped") / "project"
    root.mkdir()
    for name in ("source", "locale"):
        shutil.copytree(ROOT / name, root / name)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # The build's own handouts are not needed: these tests print the pages themselves.
    (root / "pyproject.toml").write_text(text.replace("[tool.carepages]\n", "[tool.carepages]\nhandouts = false\n"))
    run_build(load_config(root), ["ar", "zh_CN"], jobs=1)
    return root / "dist"


@pytest.fixture(scope="module")
def handouts(shipped: Path) -> dict[str, tuple[str, bytes]]:
    """The knee page of en, ar and zh_CN as handouts (A4 for en and ar, Letter for zh_CN)."""
    require_weasyprint()
    made = {}
    for lang in PAGES:
        html = (shipped / lang / "knee.html").read_text(encoding="utf-8")
        handout = Handout(
            paper="Letter" if lang == "zh_CN" else "A4",
            address=ADDRESS.format(lang=lang),
            reviewed=f"reviewed-{lang}",
        )
        rendered = render_pdf(html, handout)
        assert rendered.missing_glyphs == (), f"{lang}: no installed font has {rendered.missing_glyphs}"
        made[lang] = (html, rendered.data)
    return made


@pytest.mark.slow
@pytest.mark.parametrize("lang", PAGES)
def test_every_disclaimer_is_in_the_handouts_text(handouts: dict[str, tuple[str, bytes]], lang: str) -> None:
    html, data = handouts[lang]
    shown = disclaimers_shown(html)
    text = extract_text(data)
    assert len(shown) >= 4
    for disclaimer, (_, words) in shown.items():
        assert find_in_order(text, [words]), f"{lang}: disclaimer {disclaimer!r} not found in the PDF text"


@pytest.mark.slow
@pytest.mark.parametrize("lang", PAGES)
def test_handout_prints_address_date_and_qr_code(handouts: dict[str, tuple[str, bytes]], lang: str) -> None:
    _, data = handouts[lang]
    text = comparable(extract_text(data))
    assert comparable(ADDRESS.format(lang=lang)) in text  # escaped on the way in, as written on the way out
    assert text.count(f"reviewed-{lang}") >= 2  # the running footer: on every sheet
    assert ADDRESS.format(lang=lang) in _alternative_texts(data)  # the QR code's alt text, tagged as a figure


@pytest.mark.slow
def test_handout_is_tagged_pdf_ua(handouts: dict[str, tuple[str, bytes]]) -> None:
    """PDF/UA-1 as far as it can be seen without veraPDF: tags, language, title, identification."""
    from pdfminer.pdftypes import resolve1

    _, data = handouts["ar"]
    document = _pdf(data)
    catalog = document.catalog
    assert resolve1(catalog["MarkInfo"])["Marked"] is True
    assert resolve1(catalog["Lang"]) == b"ar"
    assert "StructTreeRoot" in catalog
    metadata = resolve1(catalog["Metadata"]).get_data()
    assert b'pdfuaid:part="1"' in metadata
    info = resolve1(document.info[0])
    assert _pdf_string(resolve1(info["Title"])) == "العلاج بالخلايا الجذعية لآلام الركبة"


@pytest.mark.slow
def test_handout_is_deterministic_and_sized_by_paper(handouts: dict[str, tuple[str, bytes]]) -> None:
    html, data = handouts["ar"]
    again = render_pdf(html, Handout(paper="A4", address=ADDRESS.format(lang="ar"), reviewed="reviewed-ar"))
    assert again.data == data
    for paper, (width, height) in PAPER_POINTS.items():
        page = _first_page(render_pdf(html, Handout(paper=paper)).data)
        assert (round(page.get_width()), round(page.get_height())) == (width, height)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "fonts"), [("ar", "NotoSansArabic"), ("zh_CN", "NotoSansCJK")])
def test_arabic_and_chinese_render_with_their_fonts(
    handouts: dict[str, tuple[str, bytes]], tmp_path: Path, lang: str, fonts: str
) -> None:
    """A page rendered to PNG shows ink, and every font it uses is embedded and made for its script.

    WeasyPrint reports each character no font has (``missing_glyphs``, checked when the
    handouts are made); here the fonts it chose are the ones for the script, embedded.
    The PNG is kept in ``tmp_path`` for a person to look at.
    """
    _, data = handouts[lang]
    image = _first_page(data).render(scale=2).to_pil().convert("L")
    image.save(tmp_path / f"{lang}.png")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height, f"{lang}: the page is (nearly) blank"
    names = _embedded_fonts(data)
    assert any(fonts in name.replace("-", "") for name in names), names


@pytest.mark.slow
def test_qr_code_decodes_to_the_address(handouts: dict[str, tuple[str, bytes]], tmp_path: Path) -> None:
    zbarimg = require_program("zbarimg")
    _, data = handouts["ar"]
    document = _document(data)
    last = document[len(document) - 1]
    png = tmp_path / "last.png"
    last.render(scale=3).to_pil().save(png)
    found = subprocess.run([zbarimg, "--quiet", "--raw", str(png)], capture_output=True, text=True, check=False)
    assert found.stdout.strip() == ADDRESS.format(lang="ar")


@pytest.mark.slow
def test_missing_glyphs_are_reported() -> None:
    require_weasyprint()
    page = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p>a\ue000b</p></body></html>'
    assert render_pdf(page, Handout()).missing_glyphs == ("\ue000",)


class _BrokenWeasyPrint(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports "weasyprint" as WeasyPrint does without Pango: a banner on stdout, then OSError."""

    def find_spec(self, name: str, path: object, target: object = None) -> importlib.machinery.ModuleSpec | None:
        return importlib.machinery.ModuleSpec(name, self) if name == "weasyprint" else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: object) -> None:
        print("\n-----\n\nWeasyPrint could not import some external libraries.\n-----\n")
        raise OSError("cannot load library 'libgobject-2.0-0': No such file or directory")


@pytest.mark.parametrize("cause", ["package", "pango"])
def test_unavailable_weasyprint_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cause: str
) -> None:
    pdf_module._load_weasyprint.cache_clear()
    if cause == "package":
        monkeypatch.setitem(sys.modules, "weasyprint", None)  # "import weasyprint" raises ImportError
    else:
        monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
        monkeypatch.setattr(sys, "meta_path", [_BrokenWeasyPrint(), *sys.meta_path])
    try:
        with pytest.raises(PdfUnavailable, match=r"apt-get install libpango-1\.0-0 .*fonts-noto-cjk") as raised:
            render_pdf("<html><body></body></html>", Handout())
    finally:
        pdf_module._load_weasyprint.cache_clear()
    assert ("libgobject" in str(raised.value)) == (cause == "pango")
    assert capsys.readouterr().out == ""  # WeasyPrint's banner is not shown: the build says it in one line


def test_handout_html_escapes_what_it_inserts() -> None:
    page = "<!DOCTYPE html><html><head><title>t</title></head><body>\n<main>x</main>\n</body></html>"
    hostile = 'https://x.example/"><script>alert(1)</script>'
    out = handout_html(page, Handout(address=hostile, reviewed="<b>r</b>"))
    assert "<script>" not in out and "<b>" not in out
    assert out.index('class="handout-footer"') < out.index("<main>") < out.index('class="handout-online"')
    with pytest.raises(PdfError):
        handout_html("<p>no body</p>", Handout())
    with pytest.raises(PdfError):
        pdf_module.handout_css(Handout(paper="A5"))


def test_qr_svg_is_an_svg_document() -> None:
    svg = qr_svg("https://clinic.example/")
    assert svg.startswith("<svg") and "<path" in svg


def _glyphs(*texts: str, rtl_marks: tuple[int, ...] = ()) -> list[Glyph]:
    """Glyphs laid out from left to right, in stream order; indexes in ``rtl_marks`` are zero-width."""
    glyphs, x = [], 0.0
    for order, text in enumerate(texts):
        width = 0.0 if order in rtl_marks else 5.0
        glyphs.append(Glyph(text, x, x + width, 100.0, 10.0, order))
        x += width
    return glyphs


def test_logical_order_reverses_arabic_but_not_its_numbers_or_latin() -> None:
    # Visual (left to right): "911" then a space then the reversed letters of "اتصل" then "FDA".
    visual = ["F", "D", "A", " ", "9", "1", "1", " ", "ل", "ص", "ت", "ا"]
    assert "".join(logical_order(_glyphs(*visual))) == "اتصل 911 FDA"


def test_logical_order_keeps_a_ligatures_letters_in_order() -> None:
    visual = ["ن", "ع", " ", "لا"]  # "لا عن": the ligature is one glyph with two letters
    assert "".join(logical_order(_glyphs(*visual))) == "لا عن"


def test_repair_gives_a_marks_stolen_letters_back_to_its_ligature() -> None:
    """WeasyPrint's first-cluster-wins ToUnicode: the fathatan glyph carries "لًا", the ligature nothing."""
    glyphs = _glyphs("ا", "لًا", "", "د", rtl_marks=(1,))
    repaired = [glyph.text for glyph in repair_text_layer(glyphs)]
    assert repaired == ["ا", "ً", "لا", "د"]
    assert [glyph.text for glyph in repair_text_layer(_glyphs("", "ت"))] == [LOST, "ت"]


def test_find_in_order_accepts_a_lost_lam_alef_and_nothing_else() -> None:
    assert find_in_order("و\ufffd تنتظر ردًّا", ["ولا تنتظر ردًّا"])
    assert not find_in_order("و\ufffd تنتظر", ["وقد تنتظر"])
    assert find_in_order("Call  911\nnow", ["Call 911", "now"])
    assert not find_in_order("now Call 911", ["Call 911", "now"])
    assert find_in_order("إذا كانت", ["إذا كانَت"])  # short vowels are not compared


def _document(data: bytes) -> Any:
    pdfium = pytest.importorskip("pypdfium2")
    return pdfium.PdfDocument(data)


def _first_page(data: bytes) -> Any:
    return _document(data)[0]


def _pdf(data: bytes) -> Any:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    return PDFDocument(PDFParser(io.BytesIO(data)))


def _embedded_fonts(data: bytes) -> set[str]:
    """The names of the fonts the pages use that embed their font program."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import PDFStream, resolve1

    names = set()
    for page in PDFPage.create_pages(_pdf(data)):
        for font in resolve1(page.resources.get("Font", {})).values():
            for descendant in resolve1(resolve1(font).get("DescendantFonts", [])):
                descriptor = resolve1(resolve1(descendant)["FontDescriptor"])
                if any(isinstance(resolve1(descriptor.get(key)), PDFStream) for key in ("FontFile2", "FontFile3")):
                    names.add(resolve1(descriptor["FontName"]).name)
    return names


def _alternative_texts(data: bytes) -> list[str]:
    """Every /Alt of the structure tree (what a screen reader says for a figure)."""
    from pdfminer.pdftypes import resolve1

    found: list[str] = []

    def walk(node: Any) -> None:
        node = resolve1(node)
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "Alt" in node:
                found.append(_pdf_string(resolve1(node["Alt"])))
            if "K" in node:
                walk(node["K"])

    walk(_pdf(data).catalog["StructTreeRoot"])
    return found


def _pdf_string(value: bytes) -> str:
    return value[2:].decode("utf-16-be") if value.startswith(b"\xfe\xff") else value.decode("latin-1")


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_table_cells_are_read_cell_by_cell(direction: str) -> None:
    """A cell's wrapped lines stay together, the cells in reading order, whichever way the table runs."""
    require_weasyprint()
    long = {"ltr": "one two three four five six seven eight nine ten " * 3, "rtl": "واحد اثنان ثلاثة أربعة خمسة " * 4}
    after = {"ltr": "After the table.", "rtl": "بعد الجدول."}
    cells = "".join(f"<td>{long[direction]}{n}</td>" for n in range(3))
    page = (
        f'<!DOCTYPE html><html lang="{"ar" if direction == "rtl" else "en"}" dir="{direction}"><head><title>t</title>'
        "<style>td { padding: 0 0.6em; vertical-align: top }</style>"
        f"</head><body><table><tr>{cells}</tr></table><p>{after[direction]}</p></body></html>"
    )
    text = extract_text(render_pdf(page, Handout()).data)
    assert find_in_order(text, [*(f"{long[direction]}{n}" for n in range(3)), after[direction]]), text
