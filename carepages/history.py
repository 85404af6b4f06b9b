"""The project's git history, read from git's objects: never a checkout, never the working tree.

Pinning (:mod:`carepages.pinning`) asks three things of it: which commits changed
the files a page depends on (one ``git log`` over the source and locale folders),
whether those files differ from the last commit (one ``git status``), and what a
file held at a revision (one ``git cat-file --batch`` process per reader, however
many files it reads). Everything goes through the ``git`` program, the one tool
that reads every repository format git itself writes; a project without git (a
tarball, no ``git`` installed, a folder git refuses to read) has no history, and
:meth:`History.open` says so with ``None``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

#: Options that keep a user's git configuration out of what carepages reads.
GIT = ("git", "-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "color.ui=false")
TIMEOUT = 120


@dataclass(frozen=True)
class Revision:
    """One commit of the first-parent history, with the project files it changed (paths from the project root)."""

    commit: str
    date: str  # committer date, ISO 8601 with the committer's offset
    changed: frozenset[str]

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.date)


class GitError(Exception):
    """git could not answer (the caller treats it as no history)."""


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run one git command in ``root``; its output, or :class:`GitError`."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(
            [*GIT, *args], cwd=root, input=stdin, capture_output=True, timeout=TIMEOUT, check=False, env=env
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(str(exc)) from exc
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


@dataclass(frozen=True)
class History:
    """The git history of a project folder: where it sits in the repository, and its HEAD commit."""

    root: Path
    prefix: str  # the project folder inside the repository ("" or "site/")
    head: str
    head_date: str
    shallow: bool = False  # a clone with only the latest commits (CI's default checkout)

    @classmethod
    def open(cls, root: Path) -> History | None:
        """The project's history, or None when there is none git can read."""
        try:
            out = _git(root, "rev-parse", "--is-shallow-repository", "--show-prefix", "HEAD").decode()
            shallow, prefix, head = out.split("\n")[:3]
            date = _git(root, "log", "-1", "--format=%cI", head).decode().strip()
        except (GitError, ValueError, UnicodeDecodeError):
            return None
        return cls(root, prefix, head, date, shallow == "true") if head and date else None

    def log(self, folders: Iterable[str], start: str | None = None) -> list[Revision]:
        """The first-parent commits that changed anything under ``folders`` (project paths), newest first.

        First-parent: the states the main line really had, a merge counted as one change.
        ``start``: from that commit back (default HEAD).
        """
        out = _git(
            self.root, "log", "--first-parent", "-m", "--no-renames", "--format=%x00%H %cI", "--name-only",
            start or self.head, "--", *sorted(set(folders)),
        ).decode("utf-8", "replace")  # fmt: skip
        revisions: list[Revision] = []
        for block in out.split("\0")[1:]:
            head, *names = block.strip("\n").split("\n")
            commit, date = head.split(" ", 1)
            changed = frozenset(self._project_path(name) for name in names if name.startswith(self.prefix))
            revisions.append(Revision(commit, date, changed))
        return revisions

    def dirty(self, folders: Iterable[str]) -> frozenset[str]:
        """Project paths under ``folders`` that differ from HEAD: changed, staged, new or deleted."""
        out = _git(
            self.root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--",
            *sorted(set(folders)),
        ).decode("utf-8", "replace")  # fmt: skip
        names = [entry[3:] for entry in out.split("\0") if len(entry) > 3]
        return frozenset(self._project_path(name) for name in names if name.startswith(self.prefix))

    def _project_path(self, name: str) -> str:
        return name[len(self.prefix) :]

    def reader(self) -> BlobReader:
        return BlobReader(self)


class BlobReader:
    """Files as they were at a revision, through one ``git cat-file --batch`` process (a context manager)."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        try:
            self.process = subprocess.Popen(
                [*GIT, "cat-file", "--batch"],
                cwd=self.history.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise GitError(str(exc)) from exc
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        process, self.process = self.process, None
        if process is not None:
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=TIMEOUT)
            if process.stdout is not None:
                process.stdout.close()

    def read(self, commit: str, path: str) -> bytes | None:
        """The file at ``path`` (from the project root) as ``commit`` had it; None when it had no such file."""
        if self.process is None or "\n" in path or "\r" in path:
            return None
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{commit}:{self.history.prefix}{path}\n".encode())
        self.process.stdin.flush()
        header = self.process.stdout.readline()
        parts = header.split()
        if len(parts) != 3:
            if not header:
                raise GitError("git cat-file stopped")
            return None  # "<name> missing" (or "ambiguous")
        size = int(parts[2])
        data = self.process.stdout.read(size + 1)[:size]  # the object, then a newline
        return data if parts[1] == b"blob" else None
