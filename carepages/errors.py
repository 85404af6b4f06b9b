"""Errors that carry a file and a line, so every message can point a person at the spot.

Every problem the tool reports to a user goes through :class:`CarepagesError`
(one fatal problem) or :class:`Problem` (one finding among many). Both format
themselves GNU style, ``path:line: error: message``, with a hint saying what to
do, because a translator should be able to fix the problem from the message alone.
"""

from __future__ import annotations

import errno
import reprlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

#: Exit statuses of every command, defined once: success, a failed gate or build, bad usage or input.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
#: What a shell reports for a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


class Severity(StrEnum):
    """How bad a finding is: an error fails the gate and withholds what it is about."""

    ERROR = "error"
    WARNING = "warning"
    #: A finding a reviewer accepted (see :mod:`carepages.checks.allow`): shown and counted, never failing.
    ALLOWED = "allowed"


def display_path(path: Path | str | None, root: Path | None = None) -> str:
    """Return ``path`` relative to ``root`` when it lies below it, for short messages.

    A relative path is already relative to the project root (errors carry such paths),
    never to the current folder, which may be a subfolder of the project.
    """
    if path is None:
        return ""
    p = Path(path)
    if root is None or not p.is_absolute():
        return p.as_posix()
    for candidate in (p, p.resolve()):
        if candidate.is_relative_to(root.resolve()):
            return candidate.relative_to(root.resolve()).as_posix()
    return p.as_posix()


_SHORT = reprlib.Repr()  # Python 3.11's Repr takes no arguments: set its limits one by one
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 2, 60, 60, 40
_SHORT.maxdict = _SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxset = 4


def shorten(value: object) -> str:
    """A value quoted for a message, cut short: a hostile file may hold a value of megabytes.

    ``repr()`` of a huge string (or of a structure a YAML alias bomb built) would print
    gigabytes; :mod:`reprlib` bounds every level.
    """
    return _SHORT.repr(value)


def format_location(path: str, line: int | None) -> str:
    """GNU style ``path:line`` (or just ``path`` when the line is unknown).

    A character that does not print (a newline or a zero-width space in a file name) is
    shown escaped, so the message stays one line and shows what is wrong with the name.
    """
    if not path:
        return "carepages"
    if not path.isprintable():
        path = "".join(char if char.isprintable() else repr(char)[1:-1] for char in path)
    return f"{path}:{line}" if line else path


class CarepagesError(Exception):
    """A fatal problem with the user's input: the command stops with exit status 2.

    ``path`` and ``line`` (1-based) say where; ``hint`` says what to do about it.
    """

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint

    def format(self, root: Path | None = None) -> str:
        """Render as one GNU-style line, plus the hint when there is one."""
        where = format_location(display_path(self.path, root), self.line)
        text = f"{where}: error: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def __str__(self) -> str:
        return self.format()


class ConfigError(CarepagesError):
    """The ``[tool.carepages]`` configuration is missing or has a bad value."""


class SourceError(CarepagesError):
    """A Markdown page or its front matter cannot be used."""


class CatalogError(CarepagesError):
    """A PO or POT file cannot be read, or a catalog operation failed.

    ``code`` names the kind of problem as the check reports it: ``encoding`` (not UTF-8),
    ``parse`` (broken syntax), ``duplicate`` (a message defined twice) or ``language``
    (no Language header), so every command refuses the same files for the same reasons.
    """

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
        code: str = "parse",
    ) -> None:
        super().__init__(message, path, line, hint)
        self.code = code


class DiskError(CarepagesError):
    """A file of the build could not be written (a full disk, no permission): the build stops, dist/ unchanged."""


def write_error(exc: OSError, relative: Callable[[Path], str] | None = None) -> DiskError:
    """One clear error for a failed write, naming the file; the same message for every file on a full disk."""
    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
    message = "no space left on the device" if full else f"cannot write: {exc.strerror or exc}"
    hint = "free some space, then build again (dist/ was left as it was)" if full else "check the folder's permissions"
    path = Path(exc.filename) if isinstance(exc.filename, str) else None
    shown = relative(path) if relative and path else path
    return DiskError(message, path=shown, hint=hint)


class ErrorList(CarepagesError):
    """Several fatal problems found in one pass: all are reported, sorted, then one failure."""

    def __init__(self, errors: list[CarepagesError]) -> None:
        self.errors = sorted(
            errors,
            key=lambda e: (str(e.path or ""), e.line or 0, e.message),
        )
        super().__init__(f"{len(self.errors)} problem(s)")

    def format(self, root: Path | None = None) -> str:
        return "\n".join(e.format(root) for e in self.errors)


def raise_all(errors: list[CarepagesError]) -> None:
    """Raise the collected errors, if any: one as itself, several as an :class:`ErrorList`."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ErrorList(errors)


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One finding of a check: where, how bad, which check, and what to do."""

    path: str
    line: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{format_location(self.path, self.line)}: {self.severity}: [{self.code}] {self.message}"
