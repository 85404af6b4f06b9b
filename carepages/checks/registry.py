"""The registry of checks: each one a small function with one signature, as in Babel's checkers.

A check is registered with a short code, a severity and a one-line explanation
(what ``carepages check --list`` prints). Its function takes a context and yields
:class:`Issue` objects; the runner turns them into findings, applies translator
``# allow:`` comments and sorts everything before printing, so a check never
prints, never decides the exit status and never needs to know the output format.

Two scopes exist: ``project`` checks run once (the templates against the source
pages) with the run's context; ``locale`` checks run once per locale with that
locale's context. Checks run in registration order, which the package's
``__init__`` fixes by importing the family modules in order (the built-output
check last, so it can say whether a locale the build left out has other errors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carepages.checks.context import Entry

ERROR = "error"
WARNING = "warning"
#: A finding a reviewer accepted with a ``# allow:`` comment: shown and counted, never failing.
ALLOWED = "allowed"

PROJECT = "project"
LOCALE = "locale"

#: The function of a check: takes a RunContext (project scope) or a LocaleContext (locale scope).
CheckFunc = Callable[[Any], Iterable["Issue"]]


@dataclass(frozen=True)
class Issue:
    """What a check found, before severity and allow comments are applied.

    ``entry`` is the catalog message the issue is about, when there is one: its
    translator comments may allow the issue.
    """

    path: str
    line: int
    message: str
    entry: Entry | None = None


@dataclass(frozen=True)
class Check:
    """One registered check."""

    code: str
    severity: str
    explanation: str
    func: CheckFunc
    scope: str = LOCALE
    #: Whether a translator comment ``# allow: <code>`` may accept a finding of this check.
    allowable: bool = True


REGISTRY: dict[str, Check] = {}


def register(
    code: str, severity: str, explanation: str, *, scope: str = LOCALE, allowable: bool = True
) -> Callable[[CheckFunc], CheckFunc]:
    """Decorator: add a check function to :data:`REGISTRY` under ``code``."""

    def decorate(func: CheckFunc) -> CheckFunc:
        if code in REGISTRY:
            raise ValueError(f"check code {code!r} is registered twice")
        REGISTRY[code] = Check(code, severity, explanation, func, scope, allowable)
        return func

    return decorate


def checks(scope: str | None = None) -> list[Check]:
    """The registered checks in registration order, optionally of one scope."""
    return [check for check in REGISTRY.values() if scope is None or check.scope == scope]
