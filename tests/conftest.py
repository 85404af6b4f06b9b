"""Shared fixtures: every test runs in tmp_path, isolated from the machine's environment."""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

#: Modules whose tests build whole projects (each a second or so, over a hundred of them):
#: marked ``slow`` as a whole, so that ``scripts/test -m "not slow"`` is the quick loop of the
#: units (catalogs, Markdown, translation, rendering, each check, the verdict) and CI, which
#: runs everything, still runs them. Single slow tests elsewhere carry the mark themselves.
SLOW_MODULES = frozenset(
    {
        "test_attacks.py",
        "test_build.py",
        "test_clinics.py",
        "test_crash_safety.py",
        "test_hardening_catalogs.py",
        "test_incremental.py",
        "test_incremental_assessment.py",
        "test_pinning.py",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of :data:`SLOW_MODULES` as slow."""
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A cache folder for the whole session, set before any module's fixture builds a project.

    The per-test folder below comes too late for a module-scoped fixture (it is set up
    first): without this one, such a fixture's build wrote its memos into the user's own
    ``~/.cache/carepages``.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("XDG_CACHE_HOME", raising=False)
        patch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
        yield


@pytest.fixture(scope="session")
def _unpacked_model(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The language model unpacked once for the session (68 MB; :func:`carepages.langident._model_arrays`)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    from carepages import langident

    folder = tmp_path_factory.mktemp("model")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREPAGES_CACHE_DIR", str(folder))
        langident._model_arrays(Path(MODEL_DIR) / MODEL_FILE)
    return next(folder.glob("langid-*.npz"), None)


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory, _unpacked_model: Path | None
) -> None:
    """Variables that change output (dates, language, colour) are cleared; each test has its own cache folder.

    The folder starts with the session's unpacked language model, linked: unpacked in
    each test's folder, it took 68 MB of disk per test that judged a language.
    """
    for name in ("SOURCE_DATE_EPOCH", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "NO_COLOR", "CI", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    cache = tmp_path_factory.mktemp("cache")
    if _unpacked_model is not None:
        with contextlib.suppress(OSError):  # another file system: each test unpacks its own
            (cache / _unpacked_model.name).hardlink_to(_unpacked_model)
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(cache))


@pytest.fixture(scope="module")
def pseudo_translations() -> Iterator[None]:
    """For test modules whose catalogs hold pseudo-translations ("DE " + the English text).

    The ``language`` check rightly reads them as English (and withholds a locale whose
    disclaimers read so); these modules test something else (markup, hostile input,
    the verdict's plumbing), so here it judges no text. Its own tests
    (tests/test_language_integrity.py) and the shipped project's run it for real.
    """
    from carepages.checks import language

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(language, "MIN_WORDS", sys.maxsize)
        yield


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/data/project (locales de and ar, one sample page) as the current folder."""
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    monkeypatch.chdir(root)
    return root


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the reading grades and the check's precision measured by the tests, even with -q."""
    from precision import TABLES

    for table in TABLES:
        terminalreporter.write_sep("-", "precision of carepages check on real-world Markdown (tests/precision.py)")
        for line in table:
            terminalreporter.write_line(line)
    _reading_grades(terminalreporter)


def _reading_grades(terminalreporter: pytest.TerminalReporter) -> None:
    """The reading grade measured for each English page (tests/test_content.py)."""
    from content_helpers import GRADES, MAX_GRADE

    if not GRADES:
        return
    terminalreporter.write_sep("-", f"reading grade of the English pages (Flesch-Kincaid, at most {MAX_GRADE:g})")
    for name in sorted(GRADES):
        grade, words = GRADES[name]
        verdict = "ok" if grade <= MAX_GRADE else "TOO HARD"
        terminalreporter.write_line(f"source/{name + '.md':<24} grade {grade:4.1f}  {words:5d} words  {verdict}")
