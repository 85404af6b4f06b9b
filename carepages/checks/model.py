"""What a check is and what it finds: the types the checks, the verdict and the reports share.

A check is a small function with one signature, as in Babel's checkers: it takes a
context and yields :class:`Issue` objects. The runner turns each issue into a
:class:`Finding` (the check's severity, a reviewer's allowance), and the verdict
(:mod:`carepages.verdict`) decides publication from the findings alone. A check
never prints, never decides the exit status and never withholds a page itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property
from typing import Generic, TypeVar

from babel.messages.catalog import Message

from carepages.errors import Problem, Severity

#: The scope name of the project-wide findings (templates against the source pages).
TEMPLATES = "templates"
#: The scope name of the findings about dist/ as a whole (against its manifest).
DIST = "dist"


class Scope(StrEnum):
    """When a check runs: once per project; per locale on its catalogs, its verdict or its built output; on dist/."""

    PROJECT = "project"
    LOCALE = "locale"
    VERDICT = "verdict"
    OUTPUT = "output"
    DIST = "dist"


class Code(StrEnum):
    """Every check's code: what ``--skip``, ``# allow:`` and the reports name."""

    TEMPLATE = "template"
    FRONT_MATTER = "front-matter"
    PARSE = "parse"
    ENCODING = "encoding"
    LANGUAGE_HEADER = "language-header"
    OUTDATED = "outdated"
    DUPLICATE = "duplicate"
    PLURAL_FORMS = "plural-forms"
    REVIEW = "review"
    UNTRANSLATED = "untranslated"
    FUZZY = "fuzzy"
    THRESHOLD = "threshold"
    DISCLAIMER = "disclaimer"
    CARRIED = "carried"
    LINKS = "links"
    NUMBERS = "numbers"
    STRUCTURE = "structure"
    MARKUP = "markup"
    HTML = "html"
    CONTROL = "control"
    INVISIBLE = "invisible"
    DISCLAIMER_TEXT = "disclaimer-text"
    DISCLAIMER_SENTENCES = "disclaimer-sentences"
    SIGNOFF = "signoff"
    WAIVERS = "waivers"
    LIMITS = "limits"
    PLACEHOLDERS = "placeholders"
    CLINIC_FIELDS = "clinic-fields"
    IDENTICAL = "identical"
    WHITESPACE = "whitespace"
    PUNCTUATION = "punctuation"
    LANGUAGE = "language"
    GLOSSARY = "glossary"
    CONSISTENCY = "consistency"
    UNSIGNED = "unsigned"
    ALLOW = "allow"
    PINNED = "pinned"
    BUILT = "built"
    BUILT_DISCLAIMER = "built-disclaimer"
    MANIFEST = "manifest"
    VISIBLE = "visible"


@dataclass(frozen=True)
class Entry:
    """One active message of a locale's catalog, with where it stands."""

    domain: str
    path: str  # the catalog, relative to the project root
    message: Message

    @property
    def line(self) -> int:
        """The 1-based line of the msgid in the PO file (0 when unknown)."""
        return self.message.lineno or 0

    @property
    def msgid(self) -> str:
        """The msgid (the singular one, for a plural message)."""
        value = self.message.id
        return value[0] if isinstance(value, tuple | list) else value

    @property
    def strings(self) -> tuple[str, ...]:
        value = self.message.string
        return tuple(value) if isinstance(value, tuple | list) else (value or "",)

    @property
    def plural(self) -> bool:
        return isinstance(self.message.id, tuple | list)

    @property
    def translated(self) -> bool:
        """Every form filled in and not fuzzy: what the build may show."""
        return not self.message.fuzzy and all(self.strings)

    @property
    def untranslated(self) -> bool:
        return not self.message.fuzzy and not all(self.strings)

    def pairs(self) -> list[tuple[str, str]]:
        """(source, translation) pairs: singular with the first form, plural with the others."""
        return self._pairs

    @cached_property
    def _pairs(self) -> list[tuple[str, str]]:
        ids = self.message.id if self.plural else (self.msgid,)
        return [(ids[min(i, len(ids) - 1)], text) for i, text in enumerate(self.strings)]


@dataclass(frozen=True, slots=True)
class Repeated:
    """A message whose source text is on more than one page: what the ``consistency`` check compares.

    ``text`` is the translation with its whitespace normalised, or None when the page does
    not show it (untranslated, fuzzy, over the limits). ``index`` is its place among its
    catalog's messages (the check's order). A page kept from the last assessment is not
    read again (see :mod:`carepages.incremental`): its rows are kept instead, with the
    reason a finding on each would be accepted (``allowed``); a row read now has its ``entry``.
    """

    domain: str
    index: int
    msgid: str
    text: str | None
    path: str
    line: int
    allowed: str | None = None
    entry: Entry | None = None

    @classmethod
    def of(cls, entry: Entry, index: int, shown: bool) -> Repeated:
        """An entry's row: its translation's text with whitespace normalised (line wrapping is no difference)."""
        text = " ".join(entry.strings[0].split()) if shown else None
        return cls(entry.domain, index, entry.msgid, text, entry.path, entry.line, entry=entry)

    def as_list(self) -> list[object]:
        return [self.index, self.msgid, self.text, self.path, self.line, self.allowed]

    @classmethod
    def from_list(cls, domain: str, data: list[object]) -> Repeated:
        index, msgid, text, path, line, allowed = data
        shown = None if text is None else str(text)
        allowance = None if allowed is None else str(allowed)
        # every locale's rows repeat the same msgids and paths: one string each, not one per row
        msgid_text, where = sys.intern(str(msgid)), sys.intern(str(path))
        return cls(domain, int(str(index)), msgid_text, shown, where, int(str(line)), allowance)


@dataclass(frozen=True)
class Issue:
    """What a check found, before severity and allowances are applied.

    ``domain`` is the catalog the issue is about (a page, ``disclaimers`` or ``ui``;
    None for the locale as a whole): the verdict withholds what it names. ``entry``
    is the message, when there is one: a reviewer's allowance may accept the issue.
    """

    path: str
    line: int
    message: str
    entry: Entry | None = None
    domain: str | None = None
    #: What a clinic reads when this issue withholds a page (default: the check's ``reason``).
    public: str = ""
    #: A severity other than the check's own, for checks whose findings differ (plural-forms; a disclaimer's).
    severity: Severity | None = None
    #: False when no allowance may accept this issue even though its check is allowable (a disclaimer's).
    allowable: bool = True
    #: Whether the issue means the translation is behind the source (default: the check's ``stale``).
    stale: bool | None = None
    #: The reason it is accepted, found already: a message of a page kept from the last assessment,
    #: which is not read again (see :mod:`carepages.incremental`).
    allowed: str | None = None

    @property
    def about(self) -> str | None:
        return self.entry.domain if self.entry is not None else self.domain


ContextT = TypeVar("ContextT")


@dataclass(frozen=True)
class Check(Generic[ContextT]):
    """One check: its code, how bad its findings are, what it explains, and its function.

    ``withholds`` makes even a warning of this check withhold what it is about (a page
    below the publishing threshold); an error always withholds. ``allowable`` says
    whether a finding may be accepted at all; ``reviewer_only`` that only a reviewer
    may accept it (in ``waivers.toml``), never a translator's ``# allow:`` comment.
    ``reason`` is what a clinic reads when this check withholds a page. ``stale``
    says that what it finds means the translation is behind the source, not wrong (a
    fuzzy disclaimer, an outdated catalog): a page withheld only by such findings may
    be served from an earlier revision (see :mod:`carepages.verdict`).
    """

    code: Code
    severity: Severity
    explanation: str
    func: Callable[[ContextT], Iterable[Issue]]
    scope: Scope = Scope.LOCALE
    allowable: bool = True
    withholds: bool = False
    reviewer_only: bool = False
    reason: str = "a translation error must be fixed first"
    stale: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one scope (a locale, or the templates), maybe accepted by a reviewer.

    ``withholds`` is the verdict's input: whether this finding keeps ``domain`` (or,
    for ``None``, the whole locale) from being published; ``stale``, whether it does
    so only because the translation is behind the source.
    """

    scope: str
    problem: Problem
    reason: str | None = None  # the reviewer's reason, when allowed
    domain: str | None = None
    withholds: bool = False
    public_reason: str = ""
    stale: bool = False

    @property
    def sort_key(self) -> tuple[str, int, str, str, str]:
        p = self.problem
        return (p.path, p.line, p.code, p.message, self.scope)

    @property
    def severity(self) -> Severity:
        return self.problem.severity

    @property
    def code(self) -> str:
        return self.problem.code

    def strict(self) -> Finding:
        """The finding under ``--strict``: a warning counts as an error (the verdict never sees this)."""
        if self.problem.severity != Severity.WARNING:
            return self
        return replace(self, problem=replace(self.problem, severity=Severity.ERROR))

    def format(self) -> str:
        text = self.problem.format()
        return f"{text} (allowed: {self.reason})" if self.reason is not None else text

    def as_dict(self) -> dict[str, object]:
        p = self.problem
        return {
            "scope": self.scope,
            "path": p.path,
            "line": p.line,
            "severity": str(p.severity),
            "code": p.code,
            "message": p.message,
            "allowed_reason": self.reason,
            "domain": self.domain,
            "withholds": self.withholds,
            "public_reason": self.public_reason,
            "stale": self.stale,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Finding:
        """A finding as :meth:`as_dict` wrote it (the build's cache keeps findings this way)."""
        problem = Problem(
            sys.intern(str(data["path"])),
            int(str(data["line"])),
            Severity(str(data["severity"])),
            sys.intern(str(data["code"])),
            str(data["message"]),
        )
        reason = data.get("allowed_reason")
        domain = data.get("domain")
        return cls(
            sys.intern(str(data["scope"])),
            problem,
            None if reason is None else str(reason),
            None if domain is None else sys.intern(str(domain)),
            bool(data.get("withholds")),
            sys.intern(str(data.get("public_reason") or "")),
            bool(data.get("stale")),
        )


def make_finding(scope: str, check: Check[ContextT], issue: Issue, allowed: str | None) -> Finding:
    """Apply the check's severity and a reviewer's allowance (``allowed``: the reason, or None)."""
    severity = Severity.ALLOWED if allowed is not None else issue.severity or check.severity
    withholds = severity == Severity.ERROR or (check.withholds and severity != Severity.ALLOWED)
    problem = Problem(issue.path, issue.line, severity, check.code, issue.message)
    stale = withholds and (check.stale if issue.stale is None else issue.stale)
    return Finding(scope, problem, allowed, issue.about, withholds, issue.public or check.reason, stale)
