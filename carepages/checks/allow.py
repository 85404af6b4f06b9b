"""Who may accept a finding: a translator's comment for ordinary ones, a reviewer's file for safety.

A translator accepts an ordinary finding for one message in its translator comment
(``#`` followed by a space, as Poedit writes "notes for translation")::

    # allow: numbers -- the local emergency number is 112, not 911
    # allow: identical, punctuation -- a brand name, kept as it is

A finding of a named check on that message is then reported with severity
``allowed`` and the reason, and counted in the summary, never dropped silently.

What guards safety a translator can never accept in their own file: any finding on
a disclaimer message, and the checks marked ``reviewer_only`` (links, raw HTML,
control and invisible characters, disclaimer text and sentences). Those only a
reviewer may waive, for the exact translation they read, in
``locale/<lang>/waivers.toml`` (:mod:`carepages.waivers`). A comment that tries to
is itself an error of the ``allow`` check, and withholds the page; a comment naming
no check at all (a typo) is a warning. Checks that guard publishing itself
(disclaimers missing or fuzzy, built output, catalog files) nobody can waive.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from carepages.checks.context import LocaleContext
from carepages.checks.model import Check, Entry, Issue
from carepages.errors import Severity, shorten
from carepages.waivers import waivers_path

ALLOW = re.compile(r"^allow\s*:\s*(?P<codes>.*?)\s*(?:--\s*(?P<reason>.*))?$", re.IGNORECASE)
NO_REASON = "no reason given"


def allowances(entry: Entry) -> dict[str, str]:
    """The check codes the message's translator comments allow, with the reason given for each."""
    allowed: dict[str, str] = {}
    for comment in entry.message.user_comments:
        match = ALLOW.match(comment.strip())
        if match:
            reason = (match.group("reason") or "").strip() or NO_REASON
            for code in re.split(r"[\s,]+", match.group("codes")):
                if code:
                    allowed[code.lower()] = reason
    return allowed


def check_allow_comments(ctx: LocaleContext, known: Collection[str], translator: Collection[str]) -> Iterator[Issue]:
    """Every allowance that names no check (a warning), or one a translator may not give (an error).

    ``known`` are all check codes, ``translator`` those a translator may allow.
    """
    waivers = ctx.config.relative(waivers_path(ctx.config, ctx.locale))
    for entry in ctx.entries:
        for code in sorted(allowances(entry)):
            severity: Severity | None = Severity.ERROR
            ask = f"remove it, and ask a reviewer to waive the finding in {waivers} if it is right"
            if code not in known:
                severity = None
                choices = ", ".join(sorted(translator))
                problem = (
                    f"'# allow:' names {shorten(code)}, which is not a check code: write '# allow: CODE -- reason'"
                )
                problem += f" with one of {choices}"
            elif ctx.is_disclaimer(entry):
                problem = f"'# allow: {code}' on a disclaimer: no translator comment accepts a finding there; {ask}"
            elif code not in translator:
                problem = f"'# allow: {code}' names a check only a reviewer may waive: {ask}"
            else:
                continue
            yield Issue(entry.path, entry.line, problem, entry, severity=severity)


def waiver_reason(ctx: LocaleContext, check: Check[LocaleContext], entry: Entry) -> str | None:
    """Why a finding of ``check`` on ``entry`` is accepted, or None: a reviewer's waiver, else a translator's.

    A translator's ``# allow:`` counts only for an ordinary message and a check that is
    not ``reviewer_only``.
    """
    translation = entry.strings if entry.plural else entry.strings[0]
    waiver = ctx.waivers.waiver(check.code, entry.domain, entry.msgid, translation)
    if waiver is not None:
        return f"{waiver.reason} (waived by {waiver.reviewer}, {ctx.waivers.rel}:{waiver.line})"
    if check.reviewer_only or ctx.is_disclaimer(entry):
        return None
    return allowances(entry).get(check.code)
