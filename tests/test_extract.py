"""Extraction: golden templates, determinism, and what is (not) a message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import run

GOLDEN = Path(__file__).parent / "data" / "golden"


@pytest.mark.parametrize("domain", ["sample", "disclaimers"])
def test_template_matches_golden(project: Path, capsys: pytest.CaptureFixture[str], domain: str) -> None:
    assert run(capsys, "extract").status == 0
    written = (project / "locale" / "templates" / f"{domain}.pot").read_text(encoding="utf-8")
    assert written == (GOLDEN / f"{domain}.pot").read_text(encoding="utf-8")


def test_extract_twice_is_byte_identical_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    pot = project / "locale" / "templates" / "sample.pot"
    before, mtime = pot.read_bytes(), pot.stat().st_mtime_ns
    second = run(capsys, "extract")
    assert "0 created, 0 updated, 3 unchanged" in second.out
    assert pot.read_bytes() == before
    assert pot.stat().st_mtime_ns == mtime


def test_extraction_does_not_depend_on_the_folder(project: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "extract")
    other = tmp_path / "elsewhere" / "clinic"
    shutil.copytree(project / "source", other / "source")
    shutil.copy(project / "pyproject.toml", other / "pyproject.toml")
    assert run(capsys, "--project", str(other), "extract").status == 0
    for name in ("sample.pot", "disclaimers.pot"):
        assert (other / "locale/templates" / name).read_bytes() == (project / "locale/templates" / name).read_bytes()


def test_rewrapping_a_paragraph_keeps_its_msgid(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    pot = project / "locale" / "templates" / "sample.pot"
    before = pot.read_text(encoding="utf-8")
    page = project / "source" / "sample.md"
    text = page.read_text(encoding="utf-8")
    rewrapped = text.replace("`code`\nand a [link]", "`code` and\na [link]").replace(
        "that wraps\nover", "that\nwraps over"
    )
    assert rewrapped != text
    page.write_text(rewrapped, encoding="utf-8")
    run(capsys, "extract")
    assert pot.read_text(encoding="utf-8") == before


def test_code_urls_markup_and_notranslate_are_not_messages(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    pot = (project / "locale" / "templates" / "sample.pot").read_text(encoding="utf-8")
    for absent in ("indented code block", "fenced code block", "raw-url", "Brand Name Clinic", 'msgid "5"'):
        assert absent not in pot


def test_disclaimer_comments_and_source_references(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    shared = (project / "locale" / "templates" / "disclaimers.pot").read_text(encoding="utf-8")
    assert "#. disclaimer: not-advice\n#: source/_disclaimers.md:2\n" in shared
    assert "#. disclaimer: emergency\n#: source/_disclaimers.md:5\n" in shared


def test_deleted_page_removes_its_template(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "source" / "extra.md").write_text("---\ntitle: Extra\n---\n\nWords here.\n", encoding="utf-8")
    run(capsys, "extract")
    assert (project / "locale" / "templates" / "extra.pot").exists()
    (project / "source" / "extra.md").unlink()
    result = run(capsys, "extract")
    assert "removed: locale/templates/extra.pot" in result.out
    assert not (project / "locale" / "templates" / "extra.pot").exists()


def test_locations_setting_drops_line_numbers(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'locations = "file"\n', encoding="utf-8")
    run(capsys, "extract")
    pot = (project / "locale" / "templates" / "sample.pot").read_text(encoding="utf-8")
    assert "#: source/sample.md\n" in pot
    assert "source/sample.md:" not in pot
