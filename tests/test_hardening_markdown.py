"""Unusual Markdown sources: every stage works on them, or stops with one clear error naming file and line.

Each page in tests/data/hostile/pages/ is added to the hostile project. A page with a
``.expected`` file beside it must be refused by ``extract``, ``build`` and ``check``
with that error line (exit status 2, nothing written). All the others go together,
with a huge table made here, through ``extract``, ``update``, a translation (each
msgstr its msgid, prefixed), ``build`` and ``check``, each with exit status 0, and every page
built from them holds nothing active and carries exactly its disclaimers. Lists
nested deeper than the Markdown parser can follow are made here too (a large file).
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hardening_helpers import (
    HOSTILE,
    PageScan,
    assert_inert_text,
    dangers,
    german,
    identity,
    make_project,
    outside_dist,
    translate_catalogs,
)
from helpers import Result, run

from carepages.cli import main
from carepages.config import load_config
from carepages.extract import extract_sources

#: The catalogs here hold pseudo-translations (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("pseudo_translations")

PAGES = sorted((HOSTILE / "pages").glob("*.md"))
WORKING = [page for page in PAGES if not page.with_suffix(".expected").exists()]
REFUSED = [page for page in PAGES if page.with_suffix(".expected").exists()]
NAMES = [page.stem for page in WORKING] + ["huge-table"]


def huge_table() -> str:
    header = "| " + " | ".join(f"Column {c}" for c in range(12)) + " |\n|" + "---|" * 12 + "\n"
    rows = "".join("| " + " | ".join(f"Cell {r} {c}" for c in range(12)) + " |\n" for r in range(250))
    return f"---\ntitle: A huge table\n---\n\n{header}{rows}"


def quietly(root: Path, *argv: str) -> Result:
    """Run the CLI in-process for a module fixture (no capsys there), capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--project", str(root), *argv])
    return Result(status, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("markdown") / "clinic", translate=identity)


@pytest.fixture(scope="module")
def everything(prepared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Result]]:
    """Every working page (and the huge table) in one project, through every stage once."""
    root = tmp_path_factory.mktemp("markdown-all") / "clinic"
    shutil.copytree(prepared, root)
    for page in WORKING:
        shutil.copy(page, root / "source" / page.name)
    (root / "source" / "huge-table.md").write_text(huge_table(), encoding="utf-8")
    results = {"extract": quietly(root, "extract"), "update": quietly(root, "update")}
    translate_catalogs(root, "de", german)  # not identity: a disclaimer left as its source is an error
    results["build"] = quietly(root, "build", "-j", "1")
    results["check"] = quietly(root, "check")
    return root, results


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("stage", ["extract", "update", "build", "check"])
def test_every_stage_goes_through_the_unusual_pages(everything: tuple[Path, dict[str, Result]], stage: str) -> None:
    result = everything[1][stage]
    assert "Traceback" not in result.err
    assert result.status == 0, result.out + result.err


@pytest.mark.parametrize("name", NAMES)
def test_an_unusual_page_is_built_with_nothing_active(everything: tuple[Path, dict[str, Result]], name: str) -> None:
    root = everything[0]
    wanted = next(p for p in extract_sources(load_config(root)).pages if p.domain == name).disclaimers
    for locale in ("en", "de"):
        html = (root / "dist" / locale / f"{name}.html").read_text(encoding="utf-8")
        assert dangers(html) == []
        assert Counter(PageScan(html).values("data-disclaimer")) == Counter(wanted)
        assert_inert_text((root / "dist" / locale / f"{name}.txt").read_text(encoding="utf-8"))


def test_the_huge_table_keeps_every_cell(everything: tuple[Path, dict[str, Result]]) -> None:
    text = (everything[0] / "dist" / "de" / "huge-table.txt").read_text(encoding="utf-8")
    assert all(f"Cell {row} 11" in text for row in range(250))


@pytest.mark.parametrize("command", ["extract", "build", "check"])
@pytest.mark.parametrize("page", REFUSED, ids=[page.stem for page in REFUSED])
def test_a_broken_page_is_refused_with_file_and_line(
    clinic: Path, page: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(page, clinic / "source" / page.name)
    before = outside_dist(clinic)
    result = run(capsys, command)
    assert result.status == 2 and "Traceback" not in result.err
    assert result.err.startswith(page.with_suffix(".expected").read_text(encoding="utf-8").strip())
    assert outside_dist(clinic) == before
    assert not (clinic / "dist").exists()


def test_lists_nested_deeper_than_the_limit(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = "".join("    " * depth + f"- Item at depth {depth}\n" for depth in range(60))
    (clinic / "source" / "deep.md").write_text(f"---\ntitle: Deep\n---\n\nWords.\n\n{items}", encoding="utf-8")
    before = outside_dist(clinic)
    for command in ("extract", "build"):  # check parses the sources as extract does
        result = run(capsys, command)
        assert result.status == 2 and "Traceback" not in result.err
        assert result.err.startswith("source/deep.md:58: error: the page has a line nested 51 levels deep")
    assert outside_dist(clinic) == before
