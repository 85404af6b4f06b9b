"""The registry of checks, in the order they run, and the runner that applies them.

Four lists, one per scope: the project checks run once (templates against the
source pages), the locale checks once per locale on its catalogs and its rendered
messages, the verdict checks once per locale on its verdict (pinned pages), the
output checks once per locale on dist/, after the verdict, and the dist checks once
on dist/ as a whole (against its manifest). Each
check is listed with its code, severity, one-line explanation (what ``carepages
check --list`` prints) and what a clinic reads when it withholds a page. The
runner turns issues into findings (a reviewer's allowance applied); it never
applies ``--strict`` (a report does) and never decides publication (the verdict does).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Iterator

from carepages.checks import (
    allow,
    built,
    catalog,
    disclaimers,
    dist,
    fields,
    language,
    legible,
    links,
    numbers,
    pinned,
    safety,
    signoffs,
    sources,
    structure,
    terms,
    wording,
)
from carepages.checks.context import LocaleContext, OutputContext, RunContext
from carepages.checks.dist import DistContext
from carepages.checks.model import DIST, TEMPLATES, Check, Code, ContextT, Entry, Finding, Issue, Scope, make_finding
from carepages.errors import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_DISCLAIMER = "a medical disclaimer is missing, untranslated or out of date"
_CATALOG = "the translation file cannot be used as it is"


def _allow_comments(ctx: LocaleContext) -> Iterator[Issue]:
    known = {check.code for check in ALL_CHECKS}
    return allow.check_allow_comments(ctx, known, TRANSLATOR_ALLOWABLE)


PROJECT_CHECKS: tuple[Check[RunContext], ...] = (
    Check(
        Code.TEMPLATE,
        ERROR,
        "A template (.pot) is missing, unreadable or out of date with the source pages (fix: carepages extract).",
        catalog.check_templates,
        Scope.PROJECT,
        allowable=False,
        reason="the translation template is out of date",
    ),
    Check(
        Code.FRONT_MATTER,
        WARNING,
        "A page's front matter has a field carepages does not know: it is not translated "
        "(declare it in tool.carepages.front_matter as translated or ignored).",
        sources.check_front_matter,
        Scope.PROJECT,
        allowable=False,
    ),
)

LOCALE_CHECKS: tuple[Check[LocaleContext], ...] = (
    Check(Code.PARSE, ERROR, "A catalog (.po) cannot be read or parsed.", catalog.check_parse,
          allowable=False, reason=_CATALOG),
    Check(Code.ENCODING, ERROR, "A catalog is not UTF-8, or its Content-Type header declares another charset or none.",
          catalog.check_encoding, allowable=False, reason=_CATALOG),
    Check(Code.LANGUAGE_HEADER, ERROR, "A catalog's Language header is missing or does not match its folder.",
          catalog.check_language_header, allowable=False, reason=_CATALOG),
    Check(Code.OUTDATED, ERROR,
          "A catalog is missing or out of date with its template (fix: carepages update -l LOCALE).",
          catalog.check_outdated, allowable=False, reason="the translation is out of date with the English page",
          stale=True),
    Check(Code.DUPLICATE, ERROR, "A message is defined twice in one catalog (gettext tools keep only one).",
          catalog.check_duplicates, allowable=False, reason=_CATALOG),
    Check(Code.PLURAL_FORMS, ERROR, "A catalog's Plural-Forms header does not fit its locale (Babel's rule); "
          "a warning when no message has plural forms.", catalog.check_plural_forms, allowable=False,
          reason=_CATALOG),
    Check(Code.REVIEW, ERROR, "The locale's sign-off ledger (signoff.tsv) or review file (review.toml) cannot be "
          "read or has a bad value; a review.toml still saying reviewed is a warning (run carepages review migrate).",
          catalog.check_review, allowable=False, reason="the medical review record is broken"),
    Check(Code.WAIVERS, ERROR, "The locale's waivers file (waivers.toml, the reviewer's) cannot be read or has a "
          "bad record.", catalog.check_waivers, allowable=False, reason="the reviewer's waivers file is broken"),
    Check(Code.DISCLAIMER, ERROR,
          "A disclaimer a page must carry is missing, untranslated, fuzzy or obsolete in the locale's catalog.",
          disclaimers.check_disclaimers, allowable=False, reason=_DISCLAIMER, stale=True),
    Check(Code.CARRIED, ERROR, "A disclaimer's translation is the one its catalog held before the English text "
          "changed (git history): a fuzzy flag cleared without a new translation.", disclaimers.check_carried,
          reviewer_only=True, reason=_DISCLAIMER, stale=True),
    Check(Code.DISCLAIMER_TEXT, ERROR, "A disclaimer's translation has too few letters of the locale's script for "
          "its source (punctuation, spaces, invisible characters), is identical to its source, or is (nearly) "
          "another disclaimer's translation.",
          legible.check_disclaimer_text, reviewer_only=True, reason=_DISCLAIMER),
    Check(Code.DISCLAIMER_SENTENCES, ERROR, "A disclaimer's translation has fewer different sentences than its "
          "source (Unicode's sentence boundaries), or stops in the middle of its last: a sentence may be left out.",
          legible.check_disclaimer_sentences,
          reviewer_only=True, reason=_DISCLAIMER),
    Check(Code.SIGNOFF, ERROR, "An interface string with safety meaning (the draft notice, the disclaimer "
          "heading) has no reviewer's sign-off of its current translation in waivers.toml.",
          disclaimers.check_signoff, allowable=False, reason="a safety notice of the page has no reviewer's sign-off"),
    Check(Code.UNTRANSLATED, WARNING, "An ordinary message is not translated yet (the page shows the source text).",
          catalog.check_untranslated),
    Check(Code.FUZZY, WARNING, "An ordinary message is marked fuzzy (the page shows the source text).",
          catalog.check_fuzzy),
    Check(Code.THRESHOLD, WARNING, "A page is translated below the publishing threshold (counted as carepages stats "
          "counts): the build withholds it in that locale.", catalog.check_threshold, allowable=False,
          withholds=True, stale=True),
    Check(Code.LINKS, ERROR,
          "Link or image targets in a translation differ from the source (added, removed or changed URLs; a web "
          "address written as text, a link's text included, counts).",
          links.check_links, reviewer_only=True),
    Check(Code.NUMBERS, ERROR,
          "Numbers in a translation differ from the source (the locale's own separators and digits are fine), or "
          "are written in digits of another script or in characters such as ① or ½ that the source does not use.",
          numbers.check_numbers),
    Check(Code.STRUCTURE, ERROR, "A line of a translation starts with Markdown block syntax its source does not "
          "have ('#', '>', '-'): the page shows it literally.", structure.check_structure),
    Check(Code.MARKUP, ERROR, "A translation's inline Markdown differs: unbalanced emphasis or code spans, "
          "broken link syntax.", structure.check_markup),
    Check(Code.HTML, ERROR, "A translation contains raw HTML that its source does not have.", structure.check_html,
          reviewer_only=True),
    Check(Code.CONTROL, ERROR, "A translation contains control characters (escape sequences, NUL, bell), also when "
          "written as HTML references (&#27;).",
          safety.check_control, reviewer_only=True),
    Check(Code.INVISIBLE, ERROR, "A translation contains invisible formatting characters its source does not have "
          "(bidi overrides and isolates, zero-width spaces, tag characters), or overlays that strike text through; "
          "also when written as HTML references (&#x202E;).", legible.check_invisible,
          reviewer_only=True),
    Check(Code.LIMITS, ERROR, "A translation is too long, or has too many '[', '<' or '`' for its length: "
          "rendering it could take minutes (see 'Bounded work' in the README).", safety.check_limits,
          allowable=False, reason="a translation is too large to publish"),
    Check(Code.PLACEHOLDERS, ERROR, "An interface translation's %(name)s placeholders differ from its source's.",
          safety.check_placeholders),
    Check(Code.CLINIC_FIELDS, ERROR, "A translation drops, adds or alters a {{clinic.…}} field of its source "
          "(each clinic's phone, regulator ... is put in its place).", fields.check_clinic_fields),
    Check(Code.IDENTICAL, WARNING, "A long text (over 20 characters, with letters) is left identical to the source.",
          wording.check_identical),
    Check(Code.WHITESPACE, WARNING, "Leading or trailing whitespace of a translation differs from the source.",
          wording.check_whitespace),
    Check(Code.PUNCTUATION, WARNING, "The sentence-ending punctuation of a translation differs from the source.",
          wording.check_punctuation),
    Check(Code.LANGUAGE, WARNING, "A translation of four or more words reads as another of the project's languages "
          "(the source left in, a paste from another catalog); in a disclaimer an error no allowance accepts, and a "
          "disclaimer of eight words or more must read as its locale's language among every language known.",
          language.check_language, reason="a medical disclaimer is not in the language of the page"),
    Check(Code.GLOSSARY, WARNING, "A translation leaves out the glossary's translation of a term its source names, "
          "or uses a forbidden term (locale/LOCALE/glossary.toml; an unreadable glossary is an error).",
          terms.check_glossary, reason="the locale's glossary cannot be read"),
    Check(Code.CONSISTENCY, WARNING, "The same source text is translated differently on two pages (a disclaimer: "
          "an error a reviewer may waive).", terms.check_consistency, reason=_DISCLAIMER),
    Check(Code.UNSIGNED, ERROR, "A translation a page shows has no sign-off that holds in the ledger "
          "(only with require_review = true; sign with carepages review sign).", signoffs.check_unsigned,
          allowable=False, reason="a translation is not yet signed off by a medical reviewer"),
    Check(Code.ALLOW, WARNING, "A '# allow:' translator comment names an unknown check (a warning), or tries to "
          "accept what only a reviewer may waive: a disclaimer, links, html, control, invisible (an error).",
          _allow_comments, allowable=False),
)  # fmt: skip

VERDICT_CHECKS: tuple[Check[OutputContext], ...] = (
    Check(Code.PINNED, WARNING, "A page withheld only because its translation is behind the English page is served "
          "from the last git revision at which it passed every check (pinned).",
          pinned.check_pinned, Scope.VERDICT, allowable=False),
)  # fmt: skip

OUTPUT_CHECKS: tuple[Check[OutputContext], ...] = (
    Check(Code.BUILT, ERROR, "dist/ does not hold exactly the pages the verdict publishes (fix: carepages build).",
          built.check_built, Scope.OUTPUT, allowable=False, reason="the built page is missing or out of date"),
    Check(Code.BUILT_DISCLAIMER, ERROR,
          "A disclaimer is absent from a built page's HTML (data-disclaimer element) or plain text.",
          built.check_built_disclaimers, Scope.OUTPUT, allowable=False, reason=_DISCLAIMER),
)  # fmt: skip

DIST_CHECKS: tuple[Check[DistContext], ...] = (
    Check(Code.MANIFEST, ERROR, "dist/ differs from its manifest.json (a file changed, missing, added or linked "
          "after the build, a bundle whose pages differ), or the manifest's verdicts are not the check's.",
          dist.check_manifest, Scope.DIST, allowable=False, reason="dist/ was changed after the build"),
    Check(Code.VISIBLE, ERROR, "A built page's stylesheet is not the shipped one, it holds a script or an event "
          "handler, or a disclaimer or the notice about the translation is hidden.", dist.check_visible, Scope.DIST,
          allowable=False, reason="dist/ was changed after the build"),
)  # fmt: skip

ALL_CHECKS: tuple[Check[RunContext] | Check[LocaleContext] | Check[OutputContext] | Check[DistContext], ...] = (
    *PROJECT_CHECKS,
    *LOCALE_CHECKS,
    *VERDICT_CHECKS,
    *OUTPUT_CHECKS,
    *DIST_CHECKS,
)
CODES = frozenset(check.code for check in ALL_CHECKS)
BY_CODE = {check.code: check for check in ALL_CHECKS}
#: What a reviewer may waive (waivers.toml), and what a translator's '# allow:' may accept.
WAIVABLE = frozenset(check.code for check in LOCALE_CHECKS if check.allowable)
TRANSLATOR_ALLOWABLE = frozenset(check.code for check in LOCALE_CHECKS if check.allowable and not check.reviewer_only)

#: Why a finding is accepted (a waiver's or an allowance's reason), or None.
Waive = Callable[[Check[ContextT], Entry], "str | None"]


def run_checks(
    scope: str,
    checks: Iterable[Check[ContextT]],
    ctx: ContextT,
    skip: Collection[str] = (),
    waive: Waive[ContextT] | None = None,
) -> list[Finding]:
    """Run ``checks`` on one context; every issue becomes a finding, waivers and allowances applied."""
    found = []
    for check in checks:
        if check.code in skip:
            continue
        for issue in check.func(ctx):
            reason = issue.allowed
            if waive is not None and check.allowable and issue.allowable and issue.entry is not None:
                reason = waive(check, issue.entry)
            found.append(make_finding(scope, check, issue, reason))
    return found


def project_findings(run: RunContext, skip: Collection[str] = ()) -> list[Finding]:
    return run_checks(TEMPLATES, PROJECT_CHECKS, run, skip)


def locale_findings(ctx: LocaleContext, skip: Collection[str] = ()) -> list[Finding]:
    return run_checks(ctx.locale, LOCALE_CHECKS, ctx, skip, functools.partial(allow.waiver_reason, ctx))


def output_findings(ctx: OutputContext, skip: Collection[str] = ()) -> list[Finding]:
    """The verdict's own findings (pinned pages), then the checks of dist/ (which ``skip`` may leave out)."""
    return run_checks(ctx.locale, VERDICT_CHECKS, ctx) + run_checks(ctx.locale, OUTPUT_CHECKS, ctx, skip)


def dist_findings(ctx: DistContext, skip: Collection[str] = ()) -> list[Finding]:
    return run_checks(DIST, DIST_CHECKS, ctx, skip)
