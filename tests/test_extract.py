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


def test_a_kept_parse_gives_what_parsing_gives_and_an_edited_page_is_parsed_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command parses every page (:class:`carepages.extract.ParseMemo` keeps what it found by the page's text)."""
    from carepages import extract
    from carepages.config import load_config

    config = load_config(project)
    fresh = extract.extract_sources(config)
    assert all(messages.page.source == "" for messages in fresh.pages)  # the files' texts are not held
    assert extract.extract_sources(config, memo=True) == fresh  # parsed, and kept
    parsed: list[str] = []
    original = extract.PageParser.convert

    def counting(self: object, body: str, rel: str, *args: object, **kwargs: object) -> object:
        parsed.append(rel)
        return original(self, body, rel, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(extract.PageParser, "convert", counting)
    assert extract.extract_sources(config, memo=True) == fresh  # from what was kept
    assert [rel for rel in parsed if rel != "source/_disclaimers.md"] == []
    page = next(p for p in fresh.pages)
    text = page.page.path.read_text(encoding="utf-8")
    page.page.path.write_text(text.replace("\n\n", "\n\nA sentence added.\n\n", 1), encoding="utf-8")
    again = extract.extract_sources(load_config(project), memo=True)
    assert [rel for rel in parsed if rel != "source/_disclaimers.md"] == [page.page.rel]
    assert again == extract.extract_sources(load_config(project))
    assert "A sentence added." in {segment.msgid for messages in again.pages for segment in messages.segments}
