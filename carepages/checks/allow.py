"""Reviewer decisions: a translator comment that accepts one finding for one message.

The one form, in a message's translator comment (``#`` followed by a space, as
Poedit writes "notes for translation")::

    # allow: numbers -- the local emergency number is 112, not 911
    # allow: identical, punctuation -- a brand name, kept as it is

A finding of a named check on that message is then reported with severity
``allowed`` and the reason, and counted in the summary, never dropped silently.
Checks that guard publishing itself (disclaimers, built output, catalog files)
cannot be allowed; naming one, or a code that does not exist, is a warning of
its own (``allow``), so a typo never hides a problem.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from carepages.checks.context import LocaleContext
from carepages.checks.model import Entry, Issue
from carepages.errors import shorten

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


def check_allow_comments(ctx: LocaleContext, known: Collection[str], allowable: Collection[str]) -> Iterator[Issue]:
    """Every allowance that names no check, or one that cannot be allowed (``known``, ``allowable``: codes)."""
    for entry in ctx.entries:
        for code in sorted(allowances(entry)):
            if code not in known:
                problem = f"'# allow:' names {shorten(code)}, which is not a check code"
            elif code not in allowable:
                problem = f"'# allow:' names {shorten(code)}, a check that cannot be allowed"
            else:
                continue
            yield Issue(
                entry.path,
                entry.line,
                f"{problem}: write '# allow: CODE -- reason' with one of {', '.join(sorted(allowable))}",
            )
