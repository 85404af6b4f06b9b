# ruff: noqa: RUF001 -- fullwidth letters that look like ASCII ones are one of the cases.
"""Names that could lead the tool outside its folders: locale codes, folders, page and catalog file names.

Whatever the command, a ``..``, a slash, an absolute path, a NUL byte or odd Unicode in
a locale code (configuration or ``-l``), a folder setting, a page's file name or a
catalog's file name gives one clear error naming the file, exit status 2, no traceback,
and nothing is written: the project, its catalogs and the previous dist/ stay as they were.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hardening_helpers import make_project, snapshot
from helpers import Result, run

from carepages.builder import run_build
from carepages.config import load_config

#: The catalogs here hold pseudo-translations (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("pseudo_translations")

COMMANDS = ("extract", "update", "stats", "build", "check")
#: Locale codes as TOML strings: parent folders, slashes, absolute paths, NUL, newline, odd Unicode.
BAD_LOCALES = {
    "parent": r'"../de"',
    "parent-inside": r'"de/../../x"',
    "absolute": r'"/etc"',
    "backslash": r'"de\\..\\x"',
    "nul": r'"de\u0000"',
    "newline": r'"de\n"',
    "accented": r'"dé"',
    "fullwidth": r'"ｄｅ"',
    "zero-width-space": r'"d\u200be"',
    "empty": r'""',
}

#: The same, as typed after ``-l``.
CLI_LOCALES = {
    "parent": "../de",
    "parent-inside": "de/../../x",
    "absolute": "/etc",
    "backslash": "de\\..\\x",
    "nul": "de\x00",
    "newline": "de\n",
    "accented": "dé",
    "fullwidth": "ｄｅ",
    "zero-width-space": "d\u200be",
    "empty": "",
}

#: Page file names (without ".md") that are no domain: case, accents, spaces, dots, newlines, odd Unicode.
BAD_PAGE_NAMES = {
    "capital": "Knee",
    "accent": "knée",
    "space": "knee page",
    "dash-first": "-knee",
    "dot": "knee.v2",
    "newline": "knee\nx",
    "final-newline": "knee\n",
    "zero-width-space": "k\u200bnee",
    "fullwidth": "ｋｎｅｅ",
    "ui": "ui",
    "shared": "disclaimers",
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("paths") / "clinic")
    run_build(load_config(root), jobs=1)
    return root


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root)
    monkeypatch.chdir(root)
    return root


def refused(capsys: pytest.CaptureFixture[str], root: Path, *argv: str) -> Result:
    """Run a command that must be refused: exit status 2, one clear message, not one file changed."""
    before = snapshot(root.parent)
    result = run(capsys, *argv)
    assert result.status == 2, result.out + result.err
    assert "Traceback" not in result.err
    assert result.err.count("\n") == 1, result.err  # one problem, one line
    assert snapshot(root.parent) == before
    return result


def set_setting(root: Path, line: str) -> None:
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("code", list(BAD_LOCALES.values()), ids=list(BAD_LOCALES))
def test_a_bad_locale_code_in_the_configuration(
    clinic: Path, code: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = clinic / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('locales = ["de"]', f"locales = [{code}]"))
    result = refused(capsys, clinic, command)
    assert result.err.startswith("pyproject.toml: error: tool.carepages.locales: ")


@pytest.mark.parametrize("command", ["update", "stats", "diff", "build", "check"])
@pytest.mark.parametrize("code", list(CLI_LOCALES.values()), ids=list(CLI_LOCALES))
def test_a_bad_locale_code_on_the_command_line(
    clinic: Path, code: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(clinic.parent)
    with pytest.raises(SystemExit) as stopped:
        run(capsys, command, "-l", code)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "argument -l/--locale: " in err and "Traceback" not in err
    assert snapshot(clinic.parent) == before


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('dist_dir = "."', "overlaps source_dir"),
        ('dist_dir = "source"', "overlaps source_dir"),
        ('dist_dir = "source/.."', "overlaps source_dir"),
        ('dist_dir = "locale"', "overlaps locale_dir"),
        ('dist_dir = "locale/de"', "overlaps locale_dir"),
        ('dist_dir = "../outside"', "lies outside the project folder"),
        ('dist_dir = "/tmp"', "lies outside the project folder"),
        ('dist_dir = "dist\\u0000"', "must be a folder name"),
        ('locale_dir = "dist"', "overlaps locale_dir"),
        ('source_dir = "../.."', "lies outside the project folder"),
        ('locale_dir = "../../etc"', "lies outside the project folder"),
    ],
    ids=[
        "root",
        "source",
        "source-parent",
        "locale",
        "a-locale",
        "parent",
        "absolute",
        "nul",
        "dist-is-locale",
        "source-parent-outside",
        "etc",
    ],
)
def test_a_folder_setting_that_would_replace_or_leave_the_project(
    clinic: Path, setting: str, message: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    set_setting(clinic, setting)
    result = refused(capsys, clinic, command)
    assert result.err.startswith("pyproject.toml: error: tool.carepages.")
    assert message in result.err


def test_a_file_where_dist_should_be_is_kept(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(clinic / "dist")
    (clinic / "dist").write_text("my notes\n", encoding="utf-8")
    result = refused(capsys, clinic, "build")
    assert result.err.startswith("dist: error: exists and is not a folder")


@pytest.mark.parametrize("name", list(BAD_PAGE_NAMES.values()), ids=list(BAD_PAGE_NAMES))
@pytest.mark.parametrize("command", ["extract", "build", "check"])
def test_a_page_whose_name_cannot_be_a_file_name_or_domain(
    clinic: Path, name: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (clinic / "source" / f"{name}.md").write_text("---\ntitle: A page\n---\n\nWords here.\n", encoding="utf-8")
    result = refused(capsys, clinic, command)
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in name)
    assert result.err.startswith(f"source/{shown}.md: error: ")


@pytest.mark.parametrize("command", ["extract", "check"])
def test_a_folder_named_like_a_page(clinic: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    (clinic / "source" / "folder.md").mkdir()
    result = refused(capsys, clinic, command)
    assert result.err.startswith("source/folder.md: error: is not a regular file")


@pytest.mark.parametrize("name", ["evil name", "Knee", "..hidden", "k\u200bnee"])
def test_a_template_whose_name_is_not_a_domain(clinic: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(clinic / "locale/templates/short.pot", clinic / "locale/templates" / f"{name}.pot")
    result = refused(capsys, clinic, "update")
    assert "error: template name is not a valid domain" in result.err


@pytest.mark.parametrize("name", ["evil name", "..", "Knee", "k\u200bnee"])
def test_a_stray_catalog_is_neither_read_by_the_build_nor_a_crash(
    clinic: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(clinic / "locale/de/LC_MESSAGES/short.po", clinic / "locale/de/LC_MESSAGES" / f"{name}.po")
    build = run(capsys, "build", "-j", "1")
    assert build.status == 0 and "Traceback" not in build.err
    assert sorted(p.name for p in (clinic / "dist" / "de").iterdir()) == [
        "guide.html",
        "guide.txt",
        "index.html",
        "short.html",
        "short.txt",
    ]
    check = run(capsys, "check", "-l", "de")
    assert check.status in {0, 1} and "Traceback" not in check.err


def test_a_locale_folder_linking_outside_the_project(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(clinic / "dist")  # a first build: nothing cached
    outside = tmp_path / "elsewhere"
    shutil.move(clinic / "locale" / "de", outside)
    (clinic / "locale" / "de").symlink_to(outside)
    before = snapshot(outside)
    assert run(capsys, "update").status == 2
    build = run(capsys, "build", "-j", "1")
    assert build.status == 0 and "de: withheld: all pages: " in build.out
    assert not (clinic / "dist" / "de").exists()
    assert run(capsys, "build", "--strict", "-j", "1").status == 1
    check = run(capsys, "check", "-l", "de")
    assert check.status == 1 and "is a link to a file outside the locale folder" in check.out
    assert snapshot(outside) == before


@pytest.mark.parametrize("name", ["glossary.toml", "signoff.tsv"])
@pytest.mark.parametrize("kind", ["link outside", "fifo"])
def test_a_locale_record_that_links_outside_or_would_block_is_refused_unread(
    clinic: Path, tmp_path: Path, name: str, kind: str
) -> None:
    """The glossary and the sign-off ledger are read like every other input (fsutil.read_input)."""
    from carepages.errors import CarepagesError
    from carepages.glossary import load_glossary
    from carepages.signoff import load_ledger

    path = clinic / "locale" / "de" / name
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)  # reading it would block for ever
    else:
        secret = tmp_path / "secret"
        secret.write_text("", encoding="utf-8")  # a valid, empty file: only where it is is wrong
        path.symlink_to(secret)
    load = load_glossary if name == "glossary.toml" else load_ledger
    with pytest.raises(CarepagesError) as caught:
        load(load_config(clinic), "de")
    assert caught.value.path == Path(f"locale/de/{name}")
