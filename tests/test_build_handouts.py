"""The build's PDF handouts: written after each page, said once when they cannot be made, fatal under --strict.

The handout renderer itself is tested in tests/test_render_pdf.py; here the build
around it: a machine without WeasyPrint's libraries still builds everything else and
says so in one line, ``--strict`` then fails, and a character no font can draw is an
error that names the page and the Debian package of fonts to install.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from helpers import run
from test_render_pdf import require_weasyprint

from carepages.render import pdf as pdf_module
from carepages.render.pdf import PdfUnavailable

FIXTURE = Path(__file__).parent / "data" / "build" / "project"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The build fixture with handouts on and only German besides the source (fewer PDFs to print)."""
    target = tmp_path / "site"
    shutil.copytree(FIXTURE, target)
    path = target / "pyproject.toml"
    text = path.read_text(encoding="utf-8").replace("handouts = false", "handouts = true")
    path.write_text(text.replace('locales = ["de", "ar", "zh_CN"]', 'locales = ["de"]'), encoding="utf-8")
    monkeypatch.chdir(target)
    return target


def _unavailable() -> None:
    raise PdfUnavailable("PDF handouts are not made: a system library WeasyPrint loads is missing (install ...)")


def test_without_weasyprint_everything_else_is_built_and_said_once(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pdf_module, "load_weasyprint", _unavailable)
    result = run(capsys, "build", "-j", "1")
    assert result.status == 0
    assert result.out.count("PDF handouts are not made") == 1
    assert (root / "dist" / "de" / "guide.html").is_file() and not list((root / "dist").rglob("*.pdf"))
    assert json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))["handouts"] is False
    assert "PDF handouts: PDF handouts are not made" in (root / "dist" / "REPORT.txt").read_text(encoding="utf-8")
    assert run(capsys, "check").status == 0  # the check asks for handouts only where the build made them
    strict = run(capsys, "build", "--strict")
    assert strict.status == 1 and "build: failed (--strict): no PDF handouts" in strict.out


@pytest.mark.slow
def test_handouts_are_written_beside_each_page_and_bundled(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require_weasyprint()
    assert run(capsys, "build", "--strict").status == 0
    dist = root / "dist"
    for name in ("guide", "overview"):
        assert (dist / "de" / f"{name}.pdf").read_bytes().startswith(b"%PDF-")
    with zipfile.ZipFile(dist / "downloads" / "de.zip") as bundle:
        assert "de/guide.pdf" in bundle.namelist()
    assert 'href="de/guide.pdf" type="application/pdf"' in (dist / "index.html").read_text(encoding="utf-8")
    assert run(capsys, "check", "--strict").status == 0


@pytest.mark.slow
def test_a_character_no_font_can_draw_is_an_error_naming_page_and_fonts(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_weasyprint()
    guide = root / "source" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nA private sign: \ue000.\n", encoding="utf-8")
    assert run(capsys, "extract").status == 0
    result = run(capsys, "build", "-j", "1", "-l", "en")
    assert result.status == 2
    assert result.err.startswith("source/guide.md: error: the en handout has characters no installed font can draw")
    assert "(U+E000)" in result.err and "apt-get install fonts-noto-core" in result.err
