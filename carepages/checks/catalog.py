"""Checks on catalogs as files: readable, UTF-8, the right language, up to date, complete enough.

Whether a file can be read at all is decided by :func:`carepages.catalogs.read_catalog`,
the one reader every command uses; these checks report what it refused (``parse``,
``encoding``, ``duplicate``, a missing ``language``) and look at what it accepted.

"Up to date" compares sets of msgids, never bytes: a catalog saved by Poedit with
other line wrapping, or a template whose only change is a line number, is not
stale. Templates are compared with what ``carepages extract`` would write now;
catalogs with the templates on disk, so each problem names the one command that
fixes it. Progress (untranslated, fuzzy, the publishing threshold) is counted by
:func:`carepages.stats.count_catalog`, exactly as ``carepages stats`` counts it.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from functools import cache

from babel import UnknownLocaleError
from babel.messages.plurals import get_plural

from carepages.catalog_paths import pot_path
from carepages.catalogs import RESERVED_DOMAINS, UI_DOMAIN, msgids
from carepages.checks.context import LoadedCatalog, LocaleContext, RunContext
from carepages.checks.model import Code, Issue
from carepages.errors import Severity
from carepages.extract import build_template
from carepages.locales import same_locale
from carepages.stats import Counts
from carepages.ui import ui_template

#: The numbers a plural rule is compared on: enough to tell every rule gettext uses apart.
PLURAL_SAMPLES = (*range(1001), 10_000, 100_000, 1_000_000, 10_000_000)


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


def check_templates(run: RunContext) -> Iterator[Issue]:
    """Compare each template's msgids with what extraction would write now."""
    config = run.config
    yield from run.template_failures
    broken = {issue.path for issue in run.template_failures}
    fix = "run carepages extract, then carepages update"
    for domain, (origin, wanted) in expected_templates(run).items():
        rel = config.relative(pot_path(config, domain))
        if rel in broken:
            continue
        template = run.templates.get(domain)
        if template is None:
            yield Issue(rel, 0, f"missing (the template of {origin}): {fix}", domain=domain)
            continue
        have = template.keys
        if wanted != have:
            change = count_change(len(wanted - have), len(have - wanted))
            yield Issue(rel, 0, f"out of date with {origin} ({change}): {fix}", domain=domain)
    for domain in sorted(set(run.templates) - set(run.source_domains) - RESERVED_DOMAINS):
        rel = config.relative(pot_path(config, domain))
        yield Issue(rel, 0, f"no source page {domain}.md is left for this template: {fix}", domain=domain)


def expected_templates(run: RunContext) -> dict[str, tuple[str, set[object]]]:
    """Per domain, where its template comes from and the msgids ``carepages extract`` would write now."""
    expected = {
        domain: (messages.page.rel, msgids(build_template(run.config, messages)))
        for domain, messages in run.source_domains.items()
    }
    interface = set(run.interface.keys) if run.interface is not None else msgids(ui_template(run.config))
    expected[UI_DOMAIN] = ("the page templates", interface)
    return expected


def _failures(ctx: LocaleContext, code: Code) -> Iterator[Issue]:
    yield from (issue for failure_code, issue in ctx.failures if failure_code == code)


def check_parse(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _failures(ctx, Code.PARSE)


def check_duplicates(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _failures(ctx, Code.DUPLICATE)


def check_review(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _failures(ctx, Code.REVIEW)


def check_waivers(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _failures(ctx, Code.WAIVERS)


def check_encoding(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _failures(ctx, Code.ENCODING)
    for loaded in ctx.catalogs.values():
        declared = _declared_charset(loaded)
        if declared is None:
            yield Issue(
                loaded.rel,
                header_line(loaded, "Content-Type"),
                "the header declares no charset (gettext tools then read the catalog as ASCII): "
                "add the header line 'Content-Type: text/plain; charset=UTF-8'",
                domain=loaded.domain,
            )
        elif declared.lower().replace("_", "-") not in {"utf-8", "utf8"}:
            yield Issue(
                loaded.rel,
                header_line(loaded, "Content-Type"),
                f"the Content-Type header declares charset={declared}: "
                "save the catalog as UTF-8 and set 'charset=UTF-8' in its header",
                domain=loaded.domain,
            )


def _declared_charset(loaded: LoadedCatalog) -> str | None:
    """The charset the catalog's Content-Type header declares, as written, or None."""
    for line in loaded.head.split("\n", 40)[:40]:
        if line.lstrip('"').lower().startswith("content-type:") and "charset=" in line.lower():
            value = line[line.lower().index("charset=") + len("charset=") :]
            return value.split("\\n")[0].strip(' ";')
    return None


def header_line(loaded: LoadedCatalog, field: str) -> int:
    """The 1-based line of a header field in the PO file, or of the header entry when the field is absent.

    Only the header entry is searched (:attr:`LoadedCatalog.head`): a message's text may start with ``"Language:`` too.
    """
    lines = loaded.head.split("\n")
    for wanted in (f'"{field}:', 'msgid ""'):
        for number, line in enumerate(lines, start=1):
            if line.lstrip().startswith(wanted):
                return number
    return 1


def _same_locale(declared: str | None, locale: str) -> bool:
    """Whether a Language header names the folder's locale in another spelling (``zh_Hans_CN`` for ``zh_CN``)."""
    try:
        return declared is not None and same_locale(declared) == same_locale(locale)
    except (ValueError, UnknownLocaleError):
        return False


def check_language_header(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _failures(ctx, Code.LANGUAGE_HEADER)
    for loaded in ctx.catalogs.values():
        declared = loaded.catalog.locale_identifier
        if declared != ctx.locale and not _same_locale(declared, ctx.locale):
            yield Issue(
                loaded.rel,
                header_line(loaded, "Language"),
                f"the Language header says {declared!r}, but the catalog is in the folder of {ctx.locale!r}: "
                f"set 'Language: {ctx.locale}' in the header (or move the file to the right folder)",
                domain=loaded.domain,
            )


def check_outdated(ctx: LocaleContext) -> Iterator[Issue]:
    """Compare each catalog's msgids with its template's."""
    fix = f"run carepages update -l {ctx.locale}"
    if not ctx.catalogs and not ctx.failures and not ctx.unread:
        yield Issue(
            ctx.config.relative(ctx.folder),
            0,
            f"the locale has no catalogs yet: {fix}",
            public="not translated yet",
            stale=False,  # nothing was ever translated: there is no earlier version to serve
        )
        return
    for domain, template in sorted(ctx.run.templates.items()):
        rel = ctx.po_rel(domain)
        loaded = ctx.catalogs.get(domain)
        if loaded is None:
            if not ctx.broken(domain):
                message = f"missing (the catalog for {ctx.pot_rel(domain)}): {fix}"
                yield Issue(rel, 0, message, domain=domain, stale=False)
            continue
        wanted, have = template.keys, msgids(loaded.catalog)
        if wanted != have:
            change = count_change(len(wanted - have), len(have - wanted))
            yield Issue(rel, 0, f"out of date with {ctx.pot_rel(domain)} ({change}): {fix}", domain=domain)


def _open_messages(ctx: LocaleContext, fuzzy: bool, advice: str) -> Iterator[Issue]:
    """Ordinary messages shown in the source language (a disclaimer in that state is an error of its own)."""
    label = "fuzzy" if fuzzy else "untranslated"
    for entry in ctx.entries:
        if (entry.message.fuzzy if fuzzy else entry.untranslated) and not ctx.is_disclaimer(entry):
            yield Issue(entry.path, entry.line, f"{label}: {excerpt(entry.msgid)}: {advice}", entry)


def check_untranslated(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _open_messages(ctx, False, "translate it in Poedit, then run carepages build")


def check_fuzzy(ctx: LocaleContext) -> Iterator[Issue]:
    yield from _open_messages(ctx, True, "check the translation against the source, then remove the fuzzy flag")


def check_threshold(ctx: LocaleContext) -> Iterator[Issue]:
    """A page whose own messages are translated below the threshold is withheld in the locale."""
    threshold = ctx.config.publish_threshold
    for page in ctx.run.sources.pages:
        counts = ctx.counts.get(page.domain)
        if counts is None or page.domain not in ctx.catalogs or counts.percent >= threshold:
            continue  # a missing or broken catalog is an error of its own
        yield Issue(
            ctx.po_rel(page.domain),
            0,
            f"{page.domain} is {counts.percent:.1f} % translated in {ctx.locale}, below the publishing threshold "
            f"of {threshold:g} %, so the build withholds this page: translate more of its "
            f"{counts.fuzzy + counts.untranslated} open messages",
            domain=page.domain,
            public=below_threshold(counts, threshold),
            stale=counts.translated > 0,  # nothing translated yet: no earlier version to serve
        )


def below_threshold(counts: Counts, threshold: float) -> str:
    """What a clinic reads about a page translated below the threshold (pinning judges revisions by it too)."""
    return f"only {counts.percent:.0f} % translated (at least {threshold:g} % is needed)"


def check_plural_forms(ctx: LocaleContext) -> Iterator[Issue]:
    """Compare each catalog's plural rule with Babel's for the locale, by what it does, not how it is written.

    A catalog with plural messages whose rule does not fit would show the wrong form: an
    error. Without plural messages the header shows nothing: a warning, so that a new
    Babel release with a refined rule (2.19 added a form for large numbers in es, fr,
    pt) does not fail a gate; ``carepages update`` writes the running Babel's rule.
    """
    expected = get_plural(ctx.locale)
    wanted = f"nplurals={expected.num_plurals}; plural={expected.plural_expr};"
    for loaded in ctx.catalogs.values():
        catalog = loaded.catalog
        problem = plural_problem(catalog.num_plurals, catalog.plural_expr, expected.num_plurals, expected.plural_expr)
        if not problem:
            continue
        has_plurals = any(message.pluralizable for message in catalog if message.id)
        effect = (
            f"a plural message would show the wrong form in {ctx.locale}" if has_plurals else "no message uses it yet"
        )
        yield Issue(
            loaded.rel,
            header_line(loaded, "Plural-Forms"),
            f"the Plural-Forms header {problem} ({effect}): run carepages update -l {ctx.locale}, "
            f"or set 'Plural-Forms: {wanted}' in the header",
            domain=loaded.domain,
            severity=None if has_plurals else Severity.WARNING,
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
