"""Broken and hostile catalogs: ``build`` and ``check`` give a clear error with file and line, never a traceback.

Each file in tests/data/hostile/catalogs/ replaces ``locale/de/LC_MESSAGES/short.po``
of a built project. Its first two lines say what must happen (line numbers count
those two lines too)::

    # build: published   the build shows the page with the translation
    # build: withheld    the build succeeds but withholds the page in German (the
                         other pages stay published) and ``build --strict`` fails
    # check: clean       no finding in short.po
    # check: parse 21, plural-forms 8 warning    these findings, on these lines
                         (0: the file as a whole), errors unless a severity is given

Then: interface strings whose placeholders a translator broke, a catalog that is a
link to a file outside the project, a very large catalog and a very long message.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Message
from hardening_helpers import HOSTILE, make_project, outside_dist, set_translation
from helpers import Result, run

from carepages import translate
from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config

#: The catalogs here hold pseudo-translations (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("pseudo_translations")

CASES = sorted((HOSTILE / "catalogs").glob("*.po"))
SHORT = "locale/de/LC_MESSAGES/short.po"
TRANSLATED = "Eine kurze Seite über"  # the start: a case may put control characters later on
SOURCE_TEXT = "A short page about the knee."


def case_meta(case: Path) -> tuple[str, str]:
    """The ``# build:`` and ``# check:`` lines of a case (whatever its encoding and line ends)."""
    lines = re.split(r"\r\n|\r|\n", case.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("latin-1"), maxsplit=2)
    assert lines[0].startswith("# build: ") and lines[1].startswith("# check: "), case.name
    return lines[0].removeprefix("# build: "), lines[1].removeprefix("# check: ")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile project, translated and built once."""
    root = make_project(tmp_path_factory.mktemp("catalogs") / "clinic")
    run_build(load_config(root), jobs=1)
    return root


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root)
    return root


def cli(capsys: pytest.CaptureFixture[str], root: Path, *argv: str) -> Result:
    result = run(capsys, "--project", str(root), *argv)
    assert "Traceback" not in result.err + result.out
    return result


def no_leftovers(root: Path) -> bool:
    return not [p.name for p in root.iterdir() if p.name.startswith((".dist-staging-", ".dist-work-", ".dist-old-"))]


def test_there_are_cases_for_every_kind_of_broken_catalog() -> None:
    names = {case.stem for case in CASES}
    kinds = ("syntax-", "latin1-", "charset-", "plural-forms-", "byte-order-mark", "crlf", "duplicate", "no-header")
    for prefix in kinds:
        assert any(name.startswith(prefix) for name in names), prefix


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_build_publishes_the_page_or_withholds_it(clinic: Path, case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected, _ = case_meta(case)
    (clinic / SHORT).write_bytes(case.read_bytes())
    rest = outside_dist(clinic)
    result = cli(capsys, clinic, "build", "-j", "1")
    assert outside_dist(clinic) == rest
    assert no_leftovers(clinic)
    assert result.status == 0, result.err
    assert (clinic / "dist" / "de" / "guide.html").is_file()  # the rest of the locale is still published
    page = clinic / "dist" / "de" / "short.html"
    strict = cli(capsys, clinic, "build", "--strict", "-j", "1")
    if expected == "withheld":
        assert not page.exists() and not page.with_suffix(".txt").exists()
        assert "de: withheld: short: " in result.out
        assert strict.status == 1, strict.out
        return
    assert expected == "published", expected
    assert TRANSLATED in page.read_text(encoding="utf-8")
    assert strict.status == 0, strict.out


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_check_reports_the_catalog_with_file_and_line(
    clinic: Path, case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, expected = case_meta(case)
    (clinic / SHORT).write_bytes(case.read_bytes())
    result = cli(capsys, clinic, "check", "-l", "de")
    mine = [line for line in result.out.splitlines() if line.startswith(f"{SHORT}:") or line.startswith(f"{SHORT}: ")]
    if expected == "clean":
        assert result.status == 0 and mine == [], result.out
        return
    severities = set()
    for item in expected.split(", "):
        code, line, *severity = item.split()
        severities.update(severity or ["error"])
        where = SHORT if line == "0" else f"{SHORT}:{line}"
        assert any(found.startswith(f"{where}: {(severity or ['error'])[0]}: [{code}] ") for found in mine), (
            item,
            mine,
        )
    assert result.status == (1 if "error" in severities else 0), result.out


# -- interface strings -------------------------------------------------------------------------------

LAST_REVIEWED = "Last reviewed: %(date)s"


@pytest.mark.parametrize(
    "msgstr",
    ["Zuletzt geprüft: %(datum)s", "Zu 100 % geprüft: %(date)s", "Zuletzt geprüft: %s", "Zuletzt geprüft."],
    ids=["renamed-placeholder", "stray-percent", "positional-placeholder", "dropped-placeholder"],
)
def test_an_interface_string_with_broken_placeholders_withholds_the_locale(
    clinic: Path, msgstr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every page shows the interface strings, so an error in one withholds the whole locale."""
    line = set_translation(clinic, "de", "ui", LAST_REVIEWED, msgstr)
    result = cli(capsys, clinic, "build", "-j", "1")
    assert result.status == 0, result.err
    assert not (clinic / "dist" / "de").exists()
    assert (clinic / "dist" / "en" / "guide.html").is_file()
    assert "de: withheld: all pages: " in result.out
    result = cli(capsys, clinic, "check", "-l", "de")
    assert result.status == 1
    assert f"locale/de/LC_MESSAGES/ui.po:{line}: error: [placeholders] " in result.out


def test_an_interface_string_with_its_placeholders_and_a_percent_sign_is_used(
    clinic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_translation(clinic, "de", "ui", LAST_REVIEWED, "Geprüft (%% genau) am %(date)s")
    assert cli(capsys, clinic, "build", "-j", "1").status == 0
    assert "Geprüft (% genau) am 20. November 2026" in (clinic / "dist/de/guide.html").read_text(encoding="utf-8")
    assert "[placeholders]" not in cli(capsys, clinic, "check", "-l", "de").out


# -- a catalog that is a link ----------------------------------------------------------------------


def test_a_catalog_linking_outside_the_project_is_refused_unread(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the first line of a private file\n", encoding="utf-8")
    (clinic / SHORT).unlink()
    (clinic / SHORT).symlink_to(secret)
    build = cli(capsys, clinic, "build", "-j", "1")
    assert build.status == 0
    assert "de: withheld: short: " in build.out
    assert not (clinic / "dist" / "de" / "short.html").exists()
    check = cli(capsys, clinic, "check", "-l", "de")
    assert check.status == 1
    assert f"{SHORT}: error: [parse] is a link to a file outside the locale folder" in check.out
    assert "private file" not in build.err + build.out + check.err + check.out


# -- size ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_very_large_catalog(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """20,000 messages: 500 in use on a page, 19,500 kept obsolete from earlier versions of it."""
    paragraphs = [f"Paragraph {number} about the knee." for number in range(500)]
    (clinic / "source" / "short.md").write_text(
        "---\ntitle: Short page\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
    )
    assert cli(capsys, clinic, "extract").status == 0
    assert cli(capsys, clinic, "update").status == 0
    config = load_config(clinic)
    path = po_path(config, "de", "short")
    catalog = read_catalog(path, SHORT, "de")
    for message in catalog:
        if message.id:
            message.string = f"DE {message.id}"
            message.flags.discard("fuzzy")  # update guessed each new paragraph from the old one
    for number in range(19500):
        catalog.obsolete[f"Old paragraph {number}."] = Message(f"Old paragraph {number}.", f"Alter Absatz {number}.")
    path.write_bytes(render_catalog(catalog, config.locations))
    assert path.read_bytes().count(b"msgid ") > 20000
    build = cli(capsys, clinic, "build", "-j", "1")
    assert build.status == 0, build.out
    assert "DE Paragraph 499 about the knee." in (clinic / "dist/de/short.html").read_text(encoding="utf-8")
    check = cli(capsys, clinic, "check", "-l", "de")
    assert check.status == 0, check.out
    assert cli(capsys, clinic, "update").status == 0


def test_a_very_long_message_is_refused_unrendered(
    clinic: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 1 MB translation on one PO line: over the limits (carepages.limits), never given to Markdown."""
    text = "Das Knie " * 116_000 + "ist ein Gelenk."
    assert len(text.encode("utf-8")) > 1_000_000
    data = (clinic / SHORT).read_bytes()
    old = f'msgstr "DE {SOURCE_TEXT}"'.encode()
    assert old in data
    (clinic / SHORT).write_bytes(data.replace(old, f'msgstr "{text}"'.encode()))
    shown: list[str] = []  # every translation a page could be rendered with, in build and check
    original = translate.TranslationTable.from_catalogs

    def tables(locale: str, catalogs: dict[str, Any]) -> translate.TranslationTable:
        table = original(locale, catalogs)
        shown.extend(text for domain in table.domains.values() for text in domain.values())
        return table

    monkeypatch.setattr(translate.TranslationTable, "from_catalogs", staticmethod(tables))
    assert cli(capsys, clinic, "build", "-j", "1").status == 0
    assert not (clinic / "dist/de/short.txt").exists()
    check = cli(capsys, clinic, "check", "-l", "de")
    assert shown and not any(len(text) > 100_000 for text in shown)  # never handed to the renderer
    assert check.status == 1
    assert re.search(rf"{SHORT}:\d+: error: \[limits\] the translation is 1044015 characters long", check.out)
