"""The dist folder: one build at a time, written beside dist/ and swapped in whole.

* **Lock.** ``.<dist>-build.lock`` beside dist/, held with :mod:`filelock` (``flock``
  on POSIX, ``msvcrt`` on Windows): a second build waits for the first, up to
  :data:`LOCK_TIMEOUT` seconds. The operating system releases the lock when the
  build dies, so a stale lock from a killed build is simply free; its workers die
  with it (:mod:`carepages.parallel`), so none of them holds it on.
* **Staging and swap.** A build writes a staging folder beside dist/ and exchanges it
  with dist/ in one atomic step (:func:`exchange`: Linux ``renameat2`` with
  ``RENAME_EXCHANGE``), so there is no moment without a complete dist/, whenever the
  build is killed. Where the system cannot exchange (another kernel, a file system
  without it), two renames do, and the next build repairs an interruption between
  them (:func:`recover`). A symlink that is flipped was the other choice; it would
  make dist/ a link, which web servers, rsync and Windows treat differently, and
  the folder's own path would change with every build.
* **Writes.** Every file of a build goes through :func:`write_output`; a full disk (or
  any write error) ends the build with one error naming the file, and the staging
  folder is removed (dist/ stays as it was).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from carepages.builder.summary import Progress
from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.integrity import Snapshot

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


def refuse_a_file_in_the_way(config: Config) -> None:
    """Stop before anything is built when dist/ is a file: the swap would replace it."""
    if config.dist_dir.exists() and not config.dist_dir.is_dir():
        raise CarepagesError(
            "exists and is not a folder: the build would replace it",
            path=config.relative(config.dist_dir),
            hint="move the file away, or set tool.carepages.dist_dir to another folder",
        )


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
    if dist.is_dir() and not dist.is_symlink() and exchange(staging, dist):
        shutil.rmtree(staging, ignore_errors=True)  # it holds the old dist/ now; a leftover is removed by recover()
        return
    old = dist.parent / f".{dist.name}-old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    had_dist = dist.exists()
    if had_dist:
        os.rename(dist, old)
    os.rename(staging, dist)
    if had_dist:
        shutil.rmtree(old, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Any:
    """glibc's ``renameat2`` (Linux 3.15+, glibc 2.28+), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot (then nothing happened)."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


def write_output(path: Path, data: bytes) -> None:
    """Write one file of a build into its staging or work folder (the one writer a full-disk test replaces)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def file_info(data: bytes) -> tuple[int, str]:
    """(size, sha256) of a file's bytes, as the manifest lists them."""
    return len(data), hashlib.sha256(data).hexdigest()


def reuse(source: Path, target: Path, expected: tuple[int, str]) -> bool:
    """Hard-link (or copy) a previous output into staging if its bytes are still what was recorded.

    A file edited in dist/ after the build (even to the same size) is not reused:
    the build renders it again, so dist/ never keeps bytes the build would not write.
    """
    try:
        if not stat.S_ISREG(os.lstat(source).st_mode):  # a link, or a FIFO that would block the read
            return False
        data = source.read_bytes()
    except OSError:
        return False
    if file_info(data) != tuple(expected):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        write_output(target, data)
    return True


def holds_exactly(held: Snapshot | None, expected: dict[str, tuple[int, str]]) -> bool:
    """Whether a folder's :func:`~carepages.integrity.snapshot` is exactly ``expected`` (paths in it): no file
    more or less, each of its size and sha256, and nothing but files (a link is never equal)."""
    if held is None or held.keys() != expected.keys():
        return False
    return all(held[rel] == tuple(info) for rel, info in expected.items())
