"""A jammed CI never happens: killed builds leave a complete dist/ and a free lock, a full disk one error.

The shipped project (seven pages in seven languages) is built in real processes with
two workers, so a build takes seconds; it is killed with SIGKILL at random moments.
After each kill dist/ must verify against its own manifest (complete, nothing half
written), the killed build's workers must be gone, and the lock free at once.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from filelock import FileLock

from carepages.builder import dist as dist_module
from carepages.builder import run_build
from carepages.builder.dist import exchange, lock_path
from carepages.cli import main
from carepages.config import load_config
from carepages.errors import CarepagesError
from carepages.integrity import check_folder
from carepages.readback import STYLESHEET

REPOSITORY = Path(__file__).parent.parent
KILLS = 20


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped project (sources, catalogs, review and waivers files)."""
    root = tmp_path / "shipped"
    root.mkdir()
    for folder in ("source", "locale"):
        shutil.copytree(REPOSITORY / folder, root / folder)
    table = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["carepages"]
    locales = ", ".join(f'"{code}"' for code in table["locales"])
    words = "".join(f"{key} = {json.dumps(table[key])}\n" for key in ("index_title", "index_intro"))
    # The index's words are the shipped ones (its ui catalogs translate them); handouts are not this test's matter.
    (root / "pyproject.toml").write_text(
        f"[tool.carepages]\nlocales = [{locales}]\nhandouts = false\n{words}", encoding="utf-8"
    )
    return root


def complete(dist: Path) -> bool:
    """dist/ holds exactly what its manifest lists, byte for byte, with every page whole."""
    return dist.is_dir() and check_folder(dist, STYLESHEET.read_text(encoding="utf-8")) == []


def workers_of(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux: /proc), the build's workers."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its reaper counts as gone: it holds no file and no lock)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "carepages", "--project", str(root), "-q", "build", "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def change_translation(root: Path, round_number: int) -> None:
    """Make the next build render again: a new translator's note in one catalog changes the locale's key."""
    path = root / "locale/de/LC_MESSAGES/knee.po"
    path.write_text(path.read_text(encoding="utf-8") + f"\n# round {round_number}\n", encoding="utf-8")


def lock_is_free(root: Path, timeout: float = 2.0) -> bool:
    lock = FileLock(lock_path(load_config(root)), timeout=timeout)
    try:
        lock.acquire()
    except TimeoutError:
        return False
    lock.release()
    return True


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the build's workers from /proc")
def test_killed_twenty_times_at_random_moments_dist_stays_complete(shipped: Path) -> None:
    started = time.monotonic()
    first = start_build(shipped)
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    duration = time.monotonic() - started
    assert complete(shipped / "dist")
    chance = random.Random(11)
    moments = []
    for round_number in range(KILLS):
        change_translation(shipped, round_number)
        build = start_build(shipped)
        moment = chance.uniform(0.0, duration)
        moments.append(round(moment, 2))
        deadline = time.monotonic() + moment
        workers: set[int] = set()
        while time.monotonic() < deadline and build.poll() is None:
            workers.update(workers_of(build.pid))
            time.sleep(0.01)
        workers.update(workers_of(build.pid))
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        gone_by = time.monotonic() + 2.0
        while any(alive(worker) for worker in workers) and time.monotonic() < gone_by:
            time.sleep(0.02)
        assert not any(alive(worker) for worker in workers), f"round {round_number}: workers outlived the build"
        assert complete(shipped / "dist"), f"round {round_number}, killed after {moment:.2f} s"
        assert lock_is_free(shipped), f"round {round_number}: the lock is still held"
    change_translation(shipped, KILLS)
    started = time.monotonic()
    summary = run_build(load_config(shipped), jobs=2)  # the next build: no waiting, no leftovers
    assert time.monotonic() - started < max(60.0, 10 * duration)
    assert summary.changed and complete(shipped / "dist")
    assert not [p.name for p in shipped.iterdir() if p.name.startswith(".dist-") and not p.name.endswith(".lock")]
    print(f"\nfull build {duration:.1f} s; killed at {moments}")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the build's workers from /proc")
def test_the_workers_die_with_a_killed_build_and_release_its_lock(shipped: Path) -> None:
    build = start_build(shipped)
    workers: list[int] = []
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        workers = workers_of(build.pid)
        time.sleep(0.01)
    assert len(workers) >= 2, "the build never started its two workers"
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=60)
    killed = time.monotonic()
    while any(alive(worker) for worker in workers) and time.monotonic() - killed < 5:
        time.sleep(0.01)
    gone_after = time.monotonic() - killed
    assert not any(alive(worker) for worker in workers)
    assert gone_after < 1.0, f"the workers took {gone_after:.2f} s to die"
    assert lock_is_free(shipped, timeout=0.5)


def full_disk(real: object) -> object:
    """A writer that fails as a full disk does, for every file of the staging folder."""

    def write(path: Path, data: bytes) -> None:
        if ".dist-staging-" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)  # type: ignore[operator]

    return write


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_one_clear_error_and_leaves_no_staging_folder(
    shipped: Path, jobs: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dist_module, "write_output", full_disk(dist_module.write_output))
    status = main(["--project", str(shipped), "build", "-j", jobs])  # two workers inherit the patch (fork)
    err = capsys.readouterr().err
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "error: no space left on the device (free some space, then build again (dist/ was left as it was))" in err
    assert "Traceback" not in err
    assert [p.name for p in shipped.iterdir() if p.name.startswith(".dist-") and not p.name.endswith(".lock")] == []
    assert not (shipped / "dist").exists()


def test_a_full_disk_while_swapping_leaves_dist_as_it_was(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_build(load_config(shipped), jobs=1)
    before = {p: p.read_bytes() for p in (shipped / "dist").rglob("*") if p.is_file()}
    (shipped / "locale/de/LC_MESSAGES/knee.po").write_text(
        (shipped / "locale/de/LC_MESSAGES/knee.po").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8"
    )
    monkeypatch.setattr(dist_module, "write_output", full_disk(dist_module.write_output))
    with pytest.raises(CarepagesError, match="no space left on the device"):
        run_build(load_config(shipped), jobs=1)
    assert {p: p.read_bytes() for p in (shipped / "dist").rglob("*") if p.is_file()} == before


def test_a_same_size_edit_of_dist_does_not_survive_the_next_build(shipped: Path) -> None:
    config = load_config(shipped)
    run_build(config, jobs=1)
    page = shipped / "dist/es/knee.html"
    original = page.read_bytes()
    edited = original.replace(b"<h2", b"<h3", 1)
    assert len(edited) == len(original) and edited != original
    page.write_bytes(edited)
    summary = run_build(config, jobs=1)
    assert summary.changed
    assert page.read_bytes() == original
    assert complete(shipped / "dist")


def test_exchange_swaps_two_folders_or_says_it_cannot(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one").write_text("1", encoding="utf-8")
    (second / "two").write_text("2", encoding="utf-8")
    if not exchange(first, second):
        assert (first / "one").exists() and (second / "two").exists()
        pytest.skip("this system cannot exchange two folders atomically")
    assert (first / "two").exists() and (second / "one").exists()
