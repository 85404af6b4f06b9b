"""``carepages review sign`` and ``review migrate``: a reviewer approves the translations they were shown.

Signing is two steps, so that nothing is signed that was not shown: :func:`plan_signing`
chooses the messages and fixes, for each, the exact msgid and msgstr hashes of the
text it returns for display; :func:`apply_signing` writes those records and nothing
else. A translation edited between the two steps no longer matches its record,
so it shows as changed, never as approved.

Only what the gate would publish can be signed: a translated, non-fuzzy message
with no finding on it (an allowed one is fine: a reviewer accepted it) in a
catalog the gate accepts, with templates and catalogs up to date.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from carepages.assess import load_run
from carepages.checks.context import LocaleContext, describe
from carepages.checks.model import TEMPLATES, Code, Finding
from carepages.checks.registry import OUTPUT_CHECKS
from carepages.config import Config
from carepages.errors import EXIT_FAILED, EXIT_OK, CarepagesError, Severity
from carepages.review import REVIEWED, load_review, review_path
from carepages.reviewstate import MessageReview, State
from carepages.signoff import Ledger, SignOff, clean_field, ledger_path, message_hashes, write_ledger


@dataclass
class SigningPlan:
    """What a sign-off would approve: each message as shown, with the record that would approve it."""

    locale: str
    signing: list[tuple[MessageReview, SignOff]] = field(default_factory=list)
    already: int = 0  # signed before, unchanged
    blocked: list[tuple[MessageReview, str]] = field(default_factory=list)  # with the reason
    ledger: Ledger = field(default_factory=lambda: Ledger(""))
    migrate: bool = False


def open_locale(config: Config, locale: str) -> LocaleContext:
    """A locale's catalogs and ledger, read once; a broken ledger stops every review command."""
    ctx = LocaleContext(load_run(config), locale)
    for code, issue in ctx.failures:
        if code == Code.REVIEW and issue.severity != Severity.WARNING:
            raise CarepagesError(issue.message, path=issue.path, line=issue.line or None)
    return ctx


def plan_signing(
    config: Config,
    locale: str,
    reviewer: str,
    *,
    page: str | None = None,
    message: str | None = None,
    note: str = "",
    day: dt.date | None = None,
) -> SigningPlan:
    """Choose what ``reviewer`` signs (every page, one page, or one message ``PAGE:LINE``) and fix its hashes."""
    from carepages.gate import collect  # the gate runs the same checks as CI, on this locale only

    reviewer, note = clean_field(reviewer, "reviewer name"), clean_field(note, "note")
    if not reviewer:
        raise CarepagesError("the reviewer's name is empty", hint='give --reviewer "Dr. A. Name"')
    ctx = open_locale(config, locale)
    states = _select(ctx, page, message)
    report = collect(config, [locale], skip=frozenset(check.code for check in OUTPUT_CHECKS))
    blocking = _blocking(report.findings, locale, ctx)
    plan = SigningPlan(locale, ledger=ctx.ledger or Ledger(config.relative(ledger_path(config, locale))))
    today = day or dt.date.today()
    for state in states:
        if state.state == State.SIGNED:
            plan.already += 1
        elif not state.shown:
            continue  # the page shows the source text: no translation to approve
        elif (reason := blocking(state)) is not None:
            plan.blocked.append((state, reason))
        else:
            msgid_hash, msgstr_hash = message_hashes(state.entry.message)
            record = SignOff(state.entry.domain, msgid_hash, msgstr_hash, reviewer, today, note)
            plan.signing.append((state, record))
    return plan


def _select(ctx: LocaleContext, page: str | None, message: str | None) -> list[MessageReview]:
    """The messages a sign-off is about: one page's, one message (``PAGE:LINE``), or all."""
    states, _stale = ctx.message_reviews
    if message is not None:
        domain, _, line = message.rpartition(":")
        domain = domain.rsplit("/", 1)[-1].removesuffix(".po")
        chosen = [s for s in states if s.entry.domain == domain and line.isdigit() and s.entry.line == int(line)]
        if not chosen:
            raise CarepagesError(
                f"no message at {message!r}", hint="give PAGE:LINE, the line of its msgid (see carepages review status)"
            )
        return chosen
    if page is not None:
        if page not in ctx.catalogs:
            raise CarepagesError(f"no catalog {page!r} in {ctx.locale}", hint="see carepages review status")
        return [s for s in states if s.entry.domain == page]
    return list(states)


def _blocking(findings: Iterable[Finding], locale: str, ctx: LocaleContext) -> Callable[[MessageReview], str | None]:
    """A function that says why a message may not be signed (a finding on it or its catalog), or None."""
    # "unsigned" (require_review) is what signing resolves, not a reason to refuse it.
    active = [
        f
        for f in findings
        if f.severity != Severity.ALLOWED and f.scope in (locale, TEMPLATES) and f.code != Code.UNSIGNED
    ]
    if any(f.scope == TEMPLATES for f in active):
        raise CarepagesError("the templates are out of date", hint="run carepages extract and carepages update first")
    entry_lines = {(entry.path, entry.line) for entry in ctx.entries}
    on_message = {(f.problem.path, f.problem.line): f for f in active}
    on_file = {
        f.problem.path: f
        for f in active
        if f.severity == Severity.ERROR and (f.problem.path, f.problem.line) not in entry_lines
    }

    def why(state: MessageReview) -> str | None:
        found = on_message.get((state.entry.path, state.entry.line)) or on_file.get(state.entry.path)
        return f"[{found.code}] {found.problem.message}" if found else None

    return why


def apply_signing(config: Config, plan: SigningPlan) -> int:
    """Write the plan's records into the ledger (a newer sign-off of a message replaces the older one)."""
    records = plan.ledger.by_key()
    for _state, record in plan.signing:
        records[record.key] = record
    write_ledger(config, plan.locale, list(records.values()))
    if plan.migrate:
        review_path(config, plan.locale).unlink(missing_ok=True)
    return len(plan.signing)


def sign_interactively(config: Config, plan: SigningPlan, yes: bool) -> int:
    """Show every message the plan signs, ask (unless --yes), then sign exactly those."""
    for state, _record in plan.signing:
        entry = state.entry
        print(f"{entry.path}:{entry.line}: sign {entry.domain}:{entry.line}")
        print(f"  source:      {entry.msgid}")
        print(f"  translation: {entry.strings[0]}")
    for state, reason in plan.blocked:
        print(f"{state.entry.path}:{state.entry.line}: not signed: {reason}", file=sys.stderr)
    print(f"review: {len(plan.signing)} to sign, {plan.already} already signed, {len(plan.blocked)} not signable")
    if not plan.signing and not plan.migrate:
        return EXIT_FAILED if plan.blocked else EXIT_OK
    if not yes and not _confirm(f"Sign these {len(plan.signing)} translation(s)? [y/N] "):
        raise CarepagesError("nothing signed", hint="answer y, or add --yes once you have read the list above")
    signed = apply_signing(config, plan)
    print(f"review: signed {signed} translation(s) in {config.relative(ledger_path(config, plan.locale))}")
    return EXIT_OK


def _confirm(question: str) -> bool:
    """A yes from a person at a terminal; never from a pipe or CI (they pass --yes)."""
    if not sys.stdin.isatty():
        return False
    return input(question).strip().lower() in {"y", "yes"}


def plan_migration(config: Config, locale: str) -> SigningPlan:
    """``review migrate``: a review.toml that says "reviewed" becomes sign-offs of today's clean translations.

    Its reviewer and date are recorded, with a note saying where they came from;
    then review.toml is removed (the ledger is the record). A draft review.toml
    signs nothing and is removed too.
    """
    try:
        review = load_review(config, locale)
    except CarepagesError as exc:
        raise CarepagesError(describe(exc), path=exc.path, line=exc.line) from exc
    if not review_path(config, locale).is_file():
        raise CarepagesError(f"{locale} has no review.toml to migrate", hint="sign with carepages review sign")
    if review.status != REVIEWED:
        plan = SigningPlan(locale, ledger=open_locale(config, locale).ledger or Ledger(""))
    else:
        plan = plan_signing(config, locale, review.reviewer, note="migrated from review.toml", day=review.reviewed_on)
    plan.migrate = True
    return plan
