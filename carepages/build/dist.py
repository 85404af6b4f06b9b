"""The dist folder: one build at a time, written beside dist/ and swapped in whole.

* **Lock.** ``.<dist>-build.lock`` beside dist/, held with :mod:`filelock` (``flock``
  on POSIX, ``msvcrt`` on Windows): a second build waits for the first, up to
  :data:`LOCK_TIMEOUT` seconds. The operating system releases the lock when the
  build dies, and its workers exit with it (:mod:`carepages.parallel`).
* **Staging and swap.** A build writes a staging folder beside dist/ and puts it in
  place with two renames; a failed or interrupted build removes its staging folder
  and leaves dist/ exactly as it was, and the next build repairs an interruption
  between the two renames (:func:`recover`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from carepages.build.summary import Progress
from carepages.config import Config
from carepages.errors import CarepagesError

#: Seconds a build waits for another build of the same project before giving up.
LOCK_TIMEOUT = 600.0


def lock_path(config: Config) -> Path:
    return config.dist_dir.parent / f".{config.dist_dir.name}-build.lock"


@contextlib.contextmanager
def build_lock(config: Config, progress: Progress, timeout: float | None = None) -> Iterator[None]:
    """Hold the project's build lock; wait for another build, up to ``timeout`` (:data:`LOCK_TIMEOUT`) seconds."""
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    path = lock_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=timeout)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        progress.note("waiting for another build of this project to finish")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise CarepagesError(
                "another build of this project is still running",
                path=config.relative(path),
                hint="wait for it to finish, then build again",
            ) from None
    try:
        yield
    finally:
        lock.release()


def _siblings(dist: Path, kind: str) -> list[Path]:
    return sorted(dist.parent.glob(f".{dist.name}-{kind}-*"))


def recover(dist: Path) -> None:
    """Repair what an interrupted build left: put an old dist/ back if it was moved away, drop leftovers."""
    olds = _siblings(dist, "old")
    if olds and not dist.exists():
        os.rename(olds.pop(), dist)
    for leftover in [*olds, *_siblings(dist, "staging"), *_siblings(dist, "work")]:
        shutil.rmtree(leftover, ignore_errors=True)


def make_folder(dist: Path, kind: str) -> Path:
    """A new folder beside dist/ (``.dist-staging-…``, ``.dist-work-…``): same file system, so renames are atomic."""
    folder = Path(tempfile.mkdtemp(prefix=f".{dist.name}-{kind}-", dir=dist.parent))
    os.chmod(folder, 0o755)
    return folder


def swap_in(staging: Path, dist: Path) -> None:
    """Replace dist/ by the staging folder whole: dist/ is always entirely old or entirely new."""
    old = dist.parent / f".{dist.name}-old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    had_dist = dist.exists()
    if had_dist:
        os.rename(dist, old)
    os.rename(staging, dist)
    if had_dist:
        shutil.rmtree(old, ignore_errors=True)


def file_info(data: bytes) -> tuple[int, str]:
    """(size, sha256) of a file's bytes, as the manifest lists them."""
    return len(data), hashlib.sha256(data).hexdigest()


def reuse(source: Path, target: Path, expected: tuple[int, str]) -> bool:
    """Hard-link (or copy) a previous output into staging if its bytes are still what was recorded.

    A file edited in dist/ after the build (even to the same size) is not reused:
    the build renders it again, so dist/ never keeps bytes the build would not write.
    """
    try:
        data = source.read_bytes()
    except OSError:
        return False
    if file_info(data) != tuple(expected):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(data)
    return True
