"""The ``unsigned`` check: with ``require_review = true``, a translation no reviewer signed off is an error.

By default an unsigned page is published with the draft notice (the reader is told
that no medical translator has reviewed it). A project that must never publish
unreviewed patient text sets ``require_review = true``: every translation a page
shows then needs a sign-off that holds in the ledger (:mod:`carepages.reviewstate`),
and one without it withholds its page (or, in the shared disclaimers and interface
strings, the locale) like any other error. No allowance can accept it: only a
reviewer's sign-off can.
"""

from __future__ import annotations

from collections.abc import Iterator

from carepages.checks.context import LocaleContext
from carepages.checks.model import Issue
from carepages.reviewstate import State


def check_unsigned(ctx: LocaleContext) -> Iterator[Issue]:
    if not ctx.config.require_review:
        return
    states, _stale = ctx.message_reviews
    for state in states:
        if state.shown and state.state != State.SIGNED:
            entry = state.entry
            why = "changed since its sign-off" if state.state == State.CHANGED else "not signed off"
            yield Issue(
                entry.path,
                entry.line,
                f"the translation is {why} by a medical reviewer (require_review = true): a reviewer signs it with "
                f"'carepages review sign -l {ctx.locale} --message {entry.domain}:{entry.line} --reviewer NAME'",
                entry,
            )
