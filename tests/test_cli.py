"""The command line: help for every subcommand, the project search, stats, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

from carepages.catalogs import read_catalog, render_catalog
from carepages.fsutil import write_if_changed

COMMANDS = ["extract", "update", "stats", "build", "check"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(capsys, command, "--help")
    assert exit_info.value.code == 0
    assert f"usage: carepages {command}" in capsys.readouterr().out


def test_project_is_found_from_a_subfolder(project: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project / "source")
    assert run(capsys, "extract").status == 0
    assert (project / "locale" / "templates" / "sample.pot").exists()


def test_stats_table_and_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    run(capsys, "update")
    path = project / "locale/de/LC_MESSAGES/disclaimers.po"
    catalog = read_catalog(path, "x")
    first = next(m for m in catalog if m.id)
    first.string = "Allgemeine Information, keine medizinische Beratung."
    second = [m for m in catalog if m.id][1]
    second.string = "Im Notfall"
    second.flags.add("fuzzy")
    write_if_changed(path, render_catalog(catalog))

    table = run(capsys, "stats", "-l", "de")
    assert table.status == 0
    row = next(line for line in table.out.splitlines() if "disclaimers" in line)
    assert row.split() == ["de", "disclaimers", "1", "1", "0", "50.0", "%"]

    data = json.loads(run(capsys, "stats", "--format", "json").out)
    assert data["locales"]["de"]["pages"]["disclaimers"] == {
        "translated": 1,
        "fuzzy": 1,
        "untranslated": 0,
        "total": 2,
        "percent": 50.0,
    }
    assert data["locales"]["ar"]["total"]["translated"] == 0
    assert set(data["locales"]) == {"de", "ar"}


def test_quiet_prints_nothing_on_success(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "-q", "extract")
    assert result.status == 0
    assert result.out == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(capsys, "--version")
    assert capsys.readouterr().out.startswith("carepages ")


def test_check_skip_is_said_and_unknown_codes_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    run(capsys, "update")
    full = run(capsys, "check", "--format", "json")
    assert '"built"' in full.out
    skipped = run(capsys, "check", "--format", "json", "--skip", "built", "--skip", "built-disclaimer")
    assert '"built"' not in skipped.out
    assert "skipped checks: built, built-disclaimer" in skipped.err
    unknown = run(capsys, "check", "--skip", "nope")
    assert unknown.status == 2
    assert "unknown check 'nope'" in unknown.err
