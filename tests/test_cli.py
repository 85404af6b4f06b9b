"""The command line: help for every subcommand, the project search, stats, exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run

from carepages.catalogs import read_catalog, render_catalog
from carepages.cli import main
from carepages.fsutil import write_if_changed

COMMANDS = ["extract", "update", "stats", "diff", "build", "check"]


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
    assert row.split() == ["de", "disclaimers", "1", "1", "0", "50.0", "%", "0", "8"]  # 8 fuzzy source words

    data = json.loads(run(capsys, "stats", "--format", "json").out)
    assert data["locales"]["de"]["pages"]["disclaimers"] == {
        "translated": 1,
        "fuzzy": 1,
        "untranslated": 0,
        "total": 2,
        "percent": 50.0,
        "words": {"total": 21, "new": 0, "fuzzy": 8},
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
    planted = project / "dist" / "de" / "sample.html"  # a page the verdict withholds (nothing is translated)
    planted.parent.mkdir(parents=True)
    planted.write_text("<p>planted</p>", encoding="utf-8")
    full = run(capsys, "check", "--format", "json")
    assert '"code": "built"' in full.out
    skipped = run(capsys, "check", "--format", "json", "--skip", "built", "--skip", "built-disclaimer")
    assert '"code": "built"' not in skipped.out
    assert "skipped checks: built, built-disclaimer" in skipped.err
    unknown = run(capsys, "check", "--skip", "nope")
    assert unknown.status == 2
    assert "unknown check 'nope'" in unknown.err
    deciding = run(capsys, "check", "--skip", "links")
    assert deciding.status == 2
    assert "'links' cannot be skipped" in deciding.err


def test_global_options_work_after_the_command(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    result = run(capsys, "extract", "-q", "--project", str(project))
    assert result.status == 0, result.err
    assert result.out == ""
    assert (project / "locale" / "templates" / "sample.pot").is_file()


def test_stats_refuses_an_unconfigured_locale(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    result = run(capsys, "stats", "-l", "fr")
    assert result.status == 2
    assert "locale 'fr' is not configured" in result.err


def test_stats_into_a_closed_pipe_ends_quietly(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``carepages stats | head -1``: the reader has gone when stats writes; it stops without a traceback."""
    run(capsys, "extract")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    with os.fdopen(write_end, "w") as pipe:
        monkeypatch.setattr(sys, "stdout", pipe)
        status = main(["stats"])
    assert status == 1
    assert "Traceback" not in capsys.readouterr().err


def test_the_tool_runs_where_fcntl_does_not_exist(project: Path) -> None:
    """On Windows there is no fcntl: the gate, the build and the pre-commit hook still import and run."""
    script = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import carepages.checks, carepages.gate, carepages.builder\n"
        "from carepages.cli import main\n"
        "assert main(['extract']) == 0 and main(['update']) == 0 and main(['build', '-j', '1']) == 0\n"
        "sys.exit(main(['check', '-q']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1  # a fresh project's translations are empty: the check fails, cleanly


def test_a_command_runs_with_the_collector_thresholds_and_restores_them(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command runs with the fewer collections its workers inherit; the caller's thresholds come back."""
    import gc

    from carepages import cli

    seen: list[tuple[int, ...]] = []
    real = cli.load_config

    def recording(project_arg: Path | None) -> object:
        seen.append(gc.get_threshold())
        return real(project_arg)

    monkeypatch.setattr(cli, "load_config", recording)
    before = gc.get_threshold()
    assert before != cli.COLLECTOR_THRESHOLDS
    assert main(["--project", str(project), "-q", "extract"]) == 0
    assert seen == [cli.COLLECTOR_THRESHOLDS]
    assert gc.get_threshold() == before
    with pytest.raises(SystemExit):  # an error leaves through the same door
        main(["--no-such-option"])
    assert gc.get_threshold() == before
