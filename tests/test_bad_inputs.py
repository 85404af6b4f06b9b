"""Bad input gets one clear error naming file and line, exit status 2, no traceback, nothing written.

Each case is a file in tests/data/bad/ with a ``.expected`` file beside it holding the
start of the error line. ``.md`` files are added as a page and extracted; ``.po`` files
replace a German catalog before an update; ``.toml`` files replace the project's
``[tool.carepages]`` table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

BAD = Path(__file__).parent / "data" / "bad"
CASES = sorted(p for p in BAD.iterdir() if p.suffix in {".md", ".po", ".toml"})


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def prepare(project: Path, case: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Put the bad input in place; return the command that must reject it."""
    if case.suffix == ".md":
        (project / "source" / case.name).write_bytes(case.read_bytes())
        return ["extract"]
    if case.suffix == ".po":
        assert run(capsys, "extract").status == 0
        assert run(capsys, "update").status == 0
        (project / "locale/de/LC_MESSAGES/sample.po").write_bytes(case.read_bytes())
        return ["update"]
    (project / "pyproject.toml").write_text("[tool.carepages]\n" + case.read_text(), encoding="utf-8")
    return ["extract"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_one_clear_error(project: Path, case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command = prepare(project, case, capsys)
    before = snapshot(project)
    result = run(capsys, *command)
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").strip()
    assert result.status == 2
    assert expected in result.err, result.err
    assert "Traceback" not in result.err
    assert snapshot(project) == before


def test_unknown_locale_on_the_command_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, "update", "-l", "xx_QQ")
    assert exit_info.value.code == 2
    assert "unknown locale 'xx_QQ'" in capsys.readouterr().err


@pytest.mark.parametrize("code", ["../de", "de/../../x", "/etc", "de\x00", "dé"])
def test_locale_codes_that_would_escape_are_refused(project: Path, code: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit):
        run(capsys, "update", "-l", code)
    assert "is not a locale code" in capsys.readouterr().err


def test_no_project_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = run(capsys, "extract")
    assert result.status == 2
    assert "no carepages project found" in result.err
    assert "--project DIR" in result.err


def test_several_bad_pages_are_all_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("yaml-error.md", "no-title.md"):
        (project / "source" / name).write_bytes((BAD / name).read_bytes())
    result = run(capsys, "extract")
    lines = result.err.strip().splitlines()
    assert result.status == 2
    assert [line.split(":")[0] for line in lines] == ["source/no-title.md", "source/yaml-error.md"]


def test_page_linking_outside_the_source_folder(project: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\n\nPrivate words.\n", encoding="utf-8")
    (project / "source" / "evil.md").symlink_to(secret)
    result = run(capsys, "extract")
    assert result.status == 2
    assert "source/evil.md: error: page is a link to a file outside the source folder" in result.err
    assert not (project / "locale").exists()


def test_error_paths_are_relative_to_the_project_from_a_subfolder(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "source" / "no-title.md").write_bytes((BAD / "no-title.md").read_bytes())
    monkeypatch.chdir(project / "source")
    result = run(capsys, "extract")
    assert result.err.startswith("source/no-title.md:1: error: page has no title")
