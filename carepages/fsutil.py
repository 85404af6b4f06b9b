"""File-system helpers: every write of the tool goes through :func:`write_if_changed`.

Two promises live here. Writes are atomic (temporary file in the same folder, then
``os.replace``), so an interrupted run never leaves a half-written catalog or page.
And a file whose content did not change is not touched at all, so translators see
no diffs that say nothing and build tools see no new modification times.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from carepages.errors import CarepagesError, Problem


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write ``data`` to ``path`` unless it already holds exactly that.

    Returns ``True`` when the file was written.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    return _write_atomically(path, [data], compare=False)


def write_chunks_if_changed(path: Path, chunks: Iterable[bytes]) -> bool:
    """:func:`write_if_changed` for content made a piece at a time, never held whole.

    The pieces go to the temporary file as they come, hashed on the way; the file
    replaces ``path`` only when the hashes differ (a cache of every locale's work at
    1000 pages x 20 locales is some 80 MB: built whole, then compared with the file
    read whole, it cost twice that in memory).
    """
    return _write_atomically(path, chunks, compare=True)


def _write_atomically(path: Path, chunks: Iterable[bytes], *, compare: bool) -> bool:
    """Write ``chunks`` to a temporary file beside ``path``, then put it in place (``compare``: unless equal)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        new = hashlib.sha256()
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                if compare:
                    new.update(chunk)
                handle.write(chunk)
        if compare and _file_sha256(path) == new.digest():
            Path(tmp).unlink()
            return False
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _file_sha256(path: Path) -> bytes | None:
    """A file's sha256 read a block at a time; ``None`` when it does not exist."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except FileNotFoundError:
        return None


def safe_join(base: Path, *parts: str) -> Path:
    """Join ``parts`` below ``base``, refusing anything that would land outside it.

    Names come from configuration, page files and locale codes; a ``..``, an
    absolute path, a NUL byte or a path separator in any of them must never let
    the tool read or write outside its folder.
    """
    for part in parts:
        if not part or "\x00" in part or part in {".", ".."} or "/" in part or "\\" in part:
            raise CarepagesError(
                f"refusing unsafe path component {part!r} below {base.as_posix()}",
                hint="use a plain name without '..', slashes or NUL bytes",
            )
    joined = base.joinpath(*parts)
    base_resolved = base.resolve()
    if not joined.resolve().is_relative_to(base_resolved):
        raise CarepagesError(
            f"refusing path {joined.as_posix()}: it resolves outside {base.as_posix()}",
            hint="remove the symbolic link or rename the file",
        )
    return joined


def read_input(path: Path, rel: str, root: Path | None, limit: tuple[int, str], error: type[CarepagesError]) -> bytes:
    """The bytes of one of the project's input files, refused before reading when reading could go wrong.

    A link that leads out of the project (``root``) would publish a file nobody reviewed;
    a FIFO or a device would block or never end; a huge file would take minutes. Each is
    one ``error`` naming the file. ``limit`` is (bytes, what the file is, for the message).
    A missing file raises :class:`FileNotFoundError`.
    """
    most, what = limit
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=rel) from exc
    if root is not None and not path.resolve().is_relative_to(root):
        raise error("is a link to a file outside the project", path=rel, hint="replace the link by the file itself")
    if not stat.S_ISREG(info.st_mode):
        raise error("is not a regular file", path=rel, hint="replace it by an ordinary file")
    too_big = f"is more than the {most} bytes accepted for {what}"
    if info.st_size > most:
        raise error(f"{too_big} ({info.st_size} bytes)", path=rel, hint="split it up")
    try:
        with path.open("rb") as handle:
            data = _read_bounded(handle, info.st_size, most)
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror}", path=rel) from exc
    if len(data) > most:
        raise error(too_big, path=rel, hint="split it up")
    return data


def _read_bounded(handle: BinaryIO, size: int, most: int) -> bytes:
    """At most ``most + 1`` bytes of an open file whose size was ``size`` when asked.

    Asking ``read`` for ``most + 1`` bytes (33 MB for a catalog) made Python allocate
    that much for every file read, which the system then mapped and unmapped: some
    50 microseconds per read, on every catalog and page of every run. A file read
    as its size says is read in one call; one that grew meanwhile is read on, still
    no further than ``most + 1``.
    """
    data = handle.read(min(size, most) + 1)
    if len(data) > size:  # it grew since it was measured
        data += handle.read(most + 1 - len(data))
    return data


@dataclass
class WriteSummary:
    """What a command did to the files it manages, for the CLI to print and tests to assert."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: Problems that stop nothing (an unknown front-matter field), for the CLI to print.
    warnings: list[Problem] = field(default_factory=list)
    #: What a command changed in a file beyond the merge itself, one line each (``update``: ``#|`` lines dropped).
    normalised: list[str] = field(default_factory=list)

    def record(self, rel: str, existed: bool, written: bool) -> None:
        if not written:
            self.unchanged.append(rel)
        elif existed:
            self.updated.append(rel)
        else:
            self.created.append(rel)

    def describe(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed"
        )
