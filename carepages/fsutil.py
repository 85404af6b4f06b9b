"""File-system helpers: every write of the tool goes through :func:`write_if_changed`.

Two promises live here. Writes are atomic (temporary file in the same folder, then
``os.replace``), so an interrupted run never leaves a half-written catalog or page.
And a file whose content did not change is not touched at all, so translators see
no diffs that say nothing and build tools see no new modification times.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

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
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


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


@dataclass
class WriteSummary:
    """What a command did to the files it manages, for the CLI to print and tests to assert."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: Problems that stop nothing (an unknown front-matter field), for the CLI to print.
    warnings: list[Problem] = field(default_factory=list)

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
