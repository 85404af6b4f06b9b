"""The ``unsigned`` check: with ``require_review = true``, a translation no reviewer signed off is an error.

By default an unsigned page is published with the draft notice (the reader is told
that no medical translator has reviewed it). A project that must never publish
unreviewed patient text sets ``require_review = true``: every translation a page
shows then needs a sign-off that holds in the ledger (:mod:`carepages.reviewstate`),
and one without it withholds its page (or, in the shared disclaimers and interface
strings, the locale) like any other error. No allowance can accept it: only a
reviewer's sign-off can.

``require_review = "disclaimers"`` asks it of the disclaimers (shared and a page's own)
and of the interface strings with safety meaning only: no check can tell a disclaimer
whose negation a translator removed ("wait for the clinic") from a faithful one, but a
changed translation loses its sign-off, so such an edit withholds what it is on until
a reviewer signs the new words.
"""

from __future__ import annotations

from collections.abc import Iterator

from carepages.checks.context import LocaleContext
from carepages.checks.model import Issue
from carepages.reviewstate import State


def check_unsigned(ctx: LocaleContext) -> Iterator[Issue]:
    if not ctx.config.require_review:
        return
    only_disclaimers = ctx.config.require_review == "disclaimers"
    states, _stale = ctx.message_reviews
    for state in states:
        if state.shown and state.state != State.SIGNED:
            entry = state.entry
            if only_disclaimers and not ctx.is_disclaimer(entry):  # the ui safety strings are among them
                continue
            why = "changed since its sign-off" if state.state == State.CHANGED else "not signed off"
            setting = '"disclaimers"' if only_disclaimers else "true"
            yield Issue(
                entry.path,
                entry.line,
                f"the translation is {why} by a medical reviewer (require_review = {setting}): a reviewer signs it "
                f"with 'carepages review sign -l {ctx.locale} --message {entry.domain}:{entry.line} --reviewer NAME'",
                entry,
            )
