"""Builds at the same time, and builds killed midway, never leave a mixed or partial dist/.

Builds run as real processes (``python -m carepages build``). After each scenario,
dist/ is byte for byte either the previous build or a complete new one (made for
comparison in a separate copy of the project), and the next build repairs whatever
an interrupted one left beside it. A build is killed at a chosen moment by starting
it with one function wrapped: the wrapper sleeps (so there is time to kill it while it
writes its staging folder) or sends SIGKILL to its own process (between the two renames
that swap the staging folder in).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hardening_helpers import make_project, set_translation, snapshot

from carepages.builder import run_build
from carepages.config import load_config

MSGID = "A short page about the knee."

#: Start a build with one function of the build wrapped (see the module docstring).
SLOW_WRITES = """
import sys, time
import carepages.render.page as page
render = page.render
def slow_render(*args, **kwargs):
    time.sleep(0.3)
    return render(*args, **kwargs)
page.render = slow_render
from carepages.cli import main
sys.exit(main(sys.argv[1:]))
"""
DIE_BETWEEN_RENAMES = """
import os, signal, sys
import carepages.builder.dist as dist
dist.exchange = lambda first, second: False  # the fallback, as where the system cannot exchange
rename = os.rename
def rename_then_die(source, target):
    rename(source, target)
    if ".dist-old-" in str(target):
        os.kill(os.getpid(), signal.SIGKILL)
dist.os.rename = rename_then_die
from carepages.cli import main
sys.exit(main(sys.argv[1:]))
"""
DIE_AFTER_EXCHANGE = """
import os, signal, sys
import carepages.builder.dist as dist
exchange = dist.exchange
def exchange_then_die(first, second):
    if not exchange(first, second):
        sys.exit(3)  # this system cannot exchange: nothing to test
    os.kill(os.getpid(), signal.SIGKILL)
dist.exchange = exchange_then_die
from carepages.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("concurrency") / "clinic")
    run_build(load_config(root), jobs=1)
    return root


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root)
    return root


def change_a_translation(root: Path, text: str = "Eine geänderte Übersetzung.") -> None:
    set_translation(root, "de", "short", MSGID, text)


def complete_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """dist/ as a complete build of the project's current inputs makes it, in a separate copy."""
    copy = tmp_path / "reference" / root.name
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("dist", ".dist-*"))
    run_build(load_config(copy), jobs=1)
    return snapshot(copy / "dist")


def start(root: Path, code: str | None = None) -> subprocess.Popen[bytes]:
    """``python -m carepages build`` (or the same with a wrapped function) in its own process."""
    command = [sys.executable, "-m", "carepages"] if code is None else [sys.executable, "-c", code]
    return subprocess.Popen(
        [*command, "--project", str(root), "-q", "build", "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".dist-staging-", ".dist-work-", ".dist-old-")))


def wait_for_staging_files(root: Path, process: subprocess.Popen[bytes]) -> None:
    """Until the build has written at least one page into its staging folder."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.is_file() for staging in root.glob(".dist-staging-*") for p in staging.rglob("*")):
            return
        time.sleep(0.02)
    pytest.fail("the build never wrote into a staging folder")


@pytest.mark.slow
def test_two_builds_at_once_give_one_complete_build(clinic: Path, tmp_path: Path) -> None:
    change_a_translation(clinic)
    wanted = complete_build(clinic, tmp_path)
    builds = [start(clinic), start(clinic)]
    for build in builds:
        _, err = build.communicate(timeout=120)
        assert build.returncode == 0, err.decode()
    assert snapshot(clinic / "dist") == wanted
    assert leftovers(clinic) == []


@pytest.mark.slow
def test_a_build_started_during_another_builds_the_latest_inputs(clinic: Path, tmp_path: Path) -> None:
    change_a_translation(clinic, "Die erste Änderung.")
    first = start(clinic, SLOW_WRITES)
    wait_for_staging_files(clinic, first)
    change_a_translation(clinic, "Die zweite Änderung.")
    second = start(clinic)
    for build in (first, second):
        _, err = build.communicate(timeout=120)
        assert build.returncode == 0, err.decode()
    assert snapshot(clinic / "dist") == complete_build(clinic, tmp_path)
    assert "Die zweite Änderung." in (clinic / "dist/de/short.html").read_text(encoding="utf-8")
    assert leftovers(clinic) == []


@pytest.mark.slow
def test_a_build_killed_while_writing_leaves_the_previous_dist(clinic: Path, tmp_path: Path) -> None:
    before = snapshot(clinic / "dist")
    change_a_translation(clinic)
    build = start(clinic, SLOW_WRITES)
    wait_for_staging_files(clinic, build)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL
    assert snapshot(clinic / "dist") == before
    assert leftovers(clinic), "the killed build had a staging folder"
    assert run_build(load_config(clinic), jobs=1).changed
    assert leftovers(clinic) == []
    assert snapshot(clinic / "dist") == complete_build(clinic, tmp_path)


@pytest.mark.slow
def test_a_build_killed_between_the_two_renames_is_repaired_by_the_next(clinic: Path, tmp_path: Path) -> None:
    before = snapshot(clinic / "dist")
    change_a_translation(clinic)
    build = start(clinic, DIE_BETWEEN_RENAMES)
    build.wait(timeout=120)
    assert build.returncode == -signal.SIGKILL
    assert not (clinic / "dist").exists()  # the one moment dist/ is neither: the old one is beside it, whole
    [old] = [p for p in clinic.iterdir() if p.name.startswith(".dist-old-")]
    assert snapshot(old) == before
    run_build(load_config(clinic), jobs=1)
    assert leftovers(clinic) == []
    assert snapshot(clinic / "dist") == complete_build(clinic, tmp_path)


def test_a_killed_build_with_nothing_to_do_touches_nothing(clinic: Path) -> None:
    before = snapshot(clinic)
    build = start(clinic)
    time.sleep(0.2)
    if build.poll() is None:
        os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=60)
    run_build(load_config(clinic), jobs=1)
    assert snapshot(clinic) == before


@pytest.mark.slow
def test_a_build_killed_right_after_the_exchange_leaves_the_new_dist(clinic: Path, tmp_path: Path) -> None:
    """With an atomic exchange there is no moment without a complete dist/: killed just after it, dist/ is new."""
    change_a_translation(clinic)
    wanted = complete_build(clinic, tmp_path)
    build = start(clinic, DIE_AFTER_EXCHANGE)
    build.wait(timeout=120)
    if build.returncode == 3:
        pytest.skip("this system cannot exchange two folders atomically")
    assert build.returncode == -signal.SIGKILL
    assert snapshot(clinic / "dist") == wanted
    assert leftovers(clinic), "the old dist/ is left in the staging folder"
    run_build(load_config(clinic), jobs=1)
    assert leftovers(clinic) == []
    assert snapshot(clinic / "dist") == wanted
