"""Checks on catalogs as files: readable, UTF-8, the right language, up to date, no duplicates.

Also the translation-progress warnings: untranslated and fuzzy ordinary messages
(a disclaimer in that state is an error, see :mod:`carepages.checks.disclaimers`)
and a locale below the publishing threshold, computed exactly as ``carepages
stats`` computes it.

"Up to date" compares sets of msgids, never bytes: a catalog saved by Poedit
with other line wrapping, or a template whose only change is a line number, is
not stale. Templates are compared with what ``carepages extract`` would write
now; catalogs with the templates on disk, so each problem names the one command
that fixes it.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from functools import cache

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural

from carepages.catalogs import find_duplicates
from carepages.checks.context import LoadedCatalog, LocaleContext, RunContext
from carepages.checks.registry import ERROR, PROJECT, WARNING, Issue, register
from carepages.extract import RESERVED_DOMAINS, UI_DOMAIN, build_template
from carepages.stats import Counts, count_catalog

_HEADER_ENTRY = re.compile(rb'^msgid ""\r?\nmsgstr ', re.MULTILINE)
_ACTIVE_MSGID = re.compile(rb"^msgid ", re.MULTILINE)
_OBSOLETE_MSGID = re.compile(rb"^#~ msgid ", re.MULTILINE)
_DECLARED_CHARSET = re.compile(rb'"Content-Type:[^"\r\n]*charset=', re.IGNORECASE)
#: The numbers a plural rule is compared on: enough to tell every rule gettext uses apart.
PLURAL_SAMPLES = (*range(1001), 10_000, 100_000, 1_000_000, 10_000_000)


def msgids(catalog: Catalog) -> set[object]:
    """The msgids of a catalog's active messages (a plural message counts by its msgid pair)."""
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def excerpt(text: str, width: int = 48) -> str:
    """The start of a message, quoted, for a finding a person can recognise."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def count_change(added: int, removed: int) -> str:
    """'2 new messages, 1 message no longer used': how far a file is behind, in words."""
    parts = []
    if added:
        parts.append(f"{added} new message{'s' if added != 1 else ''}")
    if removed:
        parts.append(f"{removed} message{'s' if removed != 1 else ''} no longer used")
    return ", ".join(parts)


@register(
    "template",
    ERROR,
    "A template (.pot) is missing, unreadable or out of date with the source pages (fix: carepages extract).",
    scope=PROJECT,
    allowable=False,
)
def check_templates(run: RunContext) -> Iterator[Issue]:
    """Compare each template's msgids with what extraction would write now."""
    config = run.config
    yield from run.template_failures
    broken = {issue.path for issue in run.template_failures}
    fix = "run carepages extract, then carepages update"
    for domain, (origin, wanted) in expected_templates(run).items():
        rel = config.relative(config.templates_dir / f"{domain}.pot")
        if rel in broken:
            continue
        template = run.templates.get(domain)
        if template is None:
            yield Issue(rel, 0, f"missing (the template of {origin}): {fix}")
            continue
        have = msgids(template)
        if wanted != have:
            change = count_change(len(wanted - have), len(have - wanted))
            yield Issue(rel, 0, f"out of date with {origin} ({change}): {fix}")
    for domain in sorted(set(run.templates) - set(run.source_domains) - RESERVED_DOMAINS):
        rel = config.relative(config.templates_dir / f"{domain}.pot")
        yield Issue(rel, 0, f"no source page {domain}.md is left for this template: {fix}")


def expected_templates(run: RunContext) -> dict[str, tuple[str, set[object]]]:
    """Per domain, where its template comes from and the msgids ``carepages extract`` would write now."""
    from carepages.render.html import ui_template  # as run_extract does: the page templates' strings

    expected = {
        domain: (messages.page.rel, msgids(build_template(run.config, messages)))
        for domain, messages in run.source_domains.items()
    }
    expected[UI_DOMAIN] = ("the page templates", msgids(ui_template(run.config)))
    return expected


@register("parse", ERROR, "A catalog (.po) cannot be read or parsed.", allowable=False)
def check_parse(ctx: LocaleContext) -> Iterator[Issue]:
    yield from (issue for code, issue in ctx.failures if code == "parse")


@register(
    "encoding",
    ERROR,
    "A catalog is not UTF-8, or its Content-Type header declares another charset or none.",
    allowable=False,
)
def check_encoding(ctx: LocaleContext) -> Iterator[Issue]:
    yield from (issue for code, issue in ctx.failures if code == "encoding")
    for loaded in ctx.catalogs.values():
        charset = (loaded.catalog.charset or "").lower().replace("_", "-")
        if charset not in {"utf-8", "utf8"}:
            yield Issue(
                loaded.rel,
                header_line(loaded, "Content-Type"),
                f"the Content-Type header declares charset={loaded.catalog.charset}: "
                "save the catalog as UTF-8 and set 'charset=UTF-8' in its header",
            )
        elif not _DECLARED_CHARSET.search(loaded.data):
            yield Issue(
                loaded.rel,
                header_line(loaded, "Content-Type"),
                "the header declares no charset (gettext tools then read the catalog as ASCII): "
                "add the header line 'Content-Type: text/plain; charset=UTF-8'",
            )


def header_line(loaded: LoadedCatalog, field: str) -> int:
    """The 1-based line of a header field in the PO file, or of the header entry when the field is absent."""
    lines = loaded.data.split(b"\n")
    for wanted in (f'"{field}:'.encode(), b'msgid ""'):
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith(wanted):
                return number
    return 1


@register("language", ERROR, "A catalog's Language header is missing or does not match its folder.", allowable=False)
def check_language(ctx: LocaleContext) -> Iterator[Issue]:
    for loaded in ctx.catalogs.values():
        declared = loaded.catalog.locale_identifier
        if declared == ctx.locale:
            continue
        what = f"says {declared!r}" if declared else "is missing"
        yield Issue(
            loaded.rel,
            header_line(loaded, "Language"),
            f"the Language header {what}, but the catalog is in the folder of {ctx.locale!r}: "
            f"set 'Language: {ctx.locale}' in the header (or move the file to the right folder)",
        )


@register(
    "outdated",
    ERROR,
    "A catalog is missing or out of date with its template (fix: carepages update -l LOCALE).",
    allowable=False,
)
def check_outdated(ctx: LocaleContext) -> Iterator[Issue]:
    """Compare each catalog's msgids with its template's."""
    fix = f"run carepages update -l {ctx.locale}"
    if not ctx.catalogs and not ctx.failures:
        yield Issue(ctx.config.relative(ctx.folder), 0, f"the locale has no catalogs yet: {fix}")
        return
    for domain, template in sorted(ctx.run.templates.items()):
        rel = ctx.po_rel(domain)
        loaded = ctx.catalogs.get(domain)
        if loaded is None:
            if not ctx.broken(domain):
                yield Issue(rel, 0, f"missing (the catalog for {ctx.pot_rel(domain)}): {fix}")
            continue
        wanted, have = msgids(template), msgids(loaded.catalog)
        if wanted != have:
            change = count_change(len(wanted - have), len(have - wanted))
            yield Issue(rel, 0, f"out of date with {ctx.pot_rel(domain)} ({change}): {fix}")


@register(
    "duplicate", ERROR, "A message is defined twice in one catalog (gettext tools keep only one).", allowable=False
)
def check_duplicates(ctx: LocaleContext) -> Iterator[Issue]:
    for loaded in ctx.catalogs.values():
        if not _may_have_duplicates(loaded):
            continue
        for line, msgid in find_duplicates(loaded.path):
            yield Issue(
                loaded.rel,
                line,
                f"message {excerpt(msgid)} is defined twice: delete one of the two entries "
                "(keep the right translation)",
            )


def _may_have_duplicates(loaded: LoadedCatalog) -> bool:
    """Whether the file has more msgid lines than Babel kept messages: only then parse it again.

    Babel keeps one message per msgid, so equal counts prove there is no duplicate;
    the second, slower parse (polib's, which reports lines) runs only when needed.
    """
    headers = min(1, len(_HEADER_ENTRY.findall(loaded.data)))
    active = len(_ACTIVE_MSGID.findall(loaded.data))
    obsolete = len(_OBSOLETE_MSGID.findall(loaded.data))
    return active != len(loaded.catalog) + headers or obsolete != len(loaded.catalog.obsolete)


@register("untranslated", WARNING, "An ordinary message is not translated yet (the page shows the source text).")
def check_untranslated(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.entries:
        if entry.untranslated and not ctx.is_disclaimer(entry):
            yield Issue(
                entry.path,
                entry.line,
                f"untranslated: {excerpt(entry.msgid)}: translate it in Poedit, then run carepages build",
                entry,
            )


@register("fuzzy", WARNING, "An ordinary message is marked fuzzy (the build does not use it).")
def check_fuzzy(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.entries:
        if entry.message.fuzzy and not ctx.is_disclaimer(entry):
            yield Issue(
                entry.path,
                entry.line,
                f"fuzzy: {excerpt(entry.msgid)}: check the translation against the source, then remove the fuzzy flag",
                entry,
            )


@register(
    "threshold",
    WARNING,
    "The locale is translated below the publishing threshold (counted as carepages stats counts).",
    allowable=False,
)
def check_threshold(ctx: LocaleContext) -> Iterator[Issue]:
    counts = locale_counts(ctx)
    threshold = ctx.config.publish_threshold
    if counts.total and counts.percent < threshold:
        missing = counts.fuzzy + counts.untranslated
        yield Issue(
            ctx.config.relative(ctx.config.locale_dir / ctx.locale),
            0,
            f"{ctx.locale} is {counts.percent:.1f} % translated, below the publishing threshold of "
            f"{threshold:g} %, so the build leaves it out: translate more of its {missing} open messages "
            f"(carepages stats -l {ctx.locale} shows which pages)",
        )


def locale_counts(ctx: LocaleContext) -> Counts:
    """Completion over every template, as ``carepages stats``: a missing catalog is all untranslated."""
    total = Counts()
    for domain, template in ctx.run.templates.items():
        loaded = ctx.catalogs.get(domain)
        if loaded is not None:
            total = total + count_catalog(loaded.catalog)
        else:
            total = total + Counts(untranslated=sum(1 for m in template if m.id))
    return total


@register(
    "plural-forms",
    ERROR,
    "A catalog's Plural-Forms header does not fit its locale (Babel's plural rule for the language).",
    allowable=False,
)
def check_plural_forms(ctx: LocaleContext) -> Iterator[Issue]:
    """Compare each catalog's plural rule with Babel's for the locale, by what it does, not how it is written."""
    expected = get_plural(ctx.locale)
    wanted = f"nplurals={expected.num_plurals}; plural={expected.plural_expr};"
    for loaded in ctx.catalogs.values():
        catalog = loaded.catalog
        problem = plural_problem(catalog.num_plurals, catalog.plural_expr, expected.num_plurals, expected.plural_expr)
        if problem:
            yield Issue(
                loaded.rel,
                header_line(loaded, "Plural-Forms"),
                f"the Plural-Forms header {problem}: set 'Plural-Forms: {wanted}' in the header "
                f"(a plural message would otherwise show the wrong form in {ctx.locale})",
            )


@cache
def plural_problem(count: int, expression: str, expected_count: int, expected_expression: str) -> str | None:
    """What is wrong with a declared plural rule (count and C expression), or None when it fits."""
    try:
        declared = gettext.c2py(expression)
    except (ValueError, SyntaxError, RecursionError):
        return f"has a plural expression gettext cannot read ({expression!r})"
    if count != expected_count:
        return f"says nplurals={count}, but the language has {expected_count} plural form(s)"
    reference = gettext.c2py(expected_expression)
    wrong = next((n for n in PLURAL_SAMPLES if declared(n) != reference(n)), None)
    if wrong is not None:
        return f"chooses form {declared(wrong)} for n={wrong}, where the language uses form {reference(wrong)}"
    return None
