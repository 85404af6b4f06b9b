"""Assess one locale: read its catalogs once, render every page as the build does, check, decide.

``build`` and ``check`` both call :func:`assess_locale`, so the findings a reader
of ``carepages check`` sees and the pages ``carepages build`` publishes come from
one reading of the catalogs, one rendering of each page and one verdict. The
build keeps what the rendering made (a :class:`Draft` per page, written to its
work folder) and wraps it into pages; the check keeps only the findings, the
verdict, and what each disclaimer must show on a built page.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carepages.carryover import CarriedMap, find_carried
from carepages.catalogs import SHARED_DOMAINS, UI_DOMAIN
from carepages.checks.context import (
    ExpectedDisclaimers,
    LocaleContext,
    RunContext,
    expected_disclaimers,
)
from carepages.checks.model import Finding, Repeated
from carepages.checks.registry import WAIVABLE, locale_findings, project_findings
from carepages.config import Config
from carepages.errors import Severity
from carepages.extract import PageMessages, extract_sources
from carepages.history import History
from carepages.incremental import (
    UnitKeys,
    merge_counts,
    merge_expected,
    merge_findings,
    merge_reviews,
    pages_to_read,
    rows_to_keep,
    unit_keys,
)
from carepages.markdown_ext import PageParser
from carepages.memo import FileHashes, cache_path, read_json, write_json
from carepages.render.body import Draft, Rendered, render_body
from carepages.render.html import language
from carepages.reviewstate import page_reviews
from carepages.stats import tally, tally_key
from carepages.translate import Lookup, TranslationTable
from carepages.verdict import LocaleVerdict, decide_locale, source_verdict


@dataclass
class Assessment:
    """What one locale's assessment decided: the verdict, its findings, and what disclaimers must show."""

    locale: str
    verdict: LocaleVerdict
    #: Every finding. ``None`` once they are kept beside the build's cache under ``findings_digest``
    #: (:func:`carepages.builder.cache.stash_findings`): the build then holds only :attr:`errors`,
    #: and check reads them back for its report (a locale whose findings cannot be read is assessed again).
    findings: list[Finding] | None = field(default_factory=list)
    expected: ExpectedDisclaimers = field(default_factory=dict)
    ui_mo: bytes = b""
    #: The keys of what each page's part was made from (:mod:`carepages.incremental`): the next one keeps the rest.
    units: UnitKeys | None = None
    #: Per page, the consistency check's rows of its repeated texts: what a kept page is judged across pages by.
    #: ``None`` once they are kept beside the build's cache under ``rows_digest``
    #: (:func:`carepages.builder.cache.stash_rows`): only the next assessment reads them.
    rows: dict[str, list[Repeated]] | None = field(default_factory=dict)
    #: The pages whose drafts this assessment wrote (every page, unless it kept some from the last one).
    drafted: frozenset[str] = frozenset()
    #: The counts of each catalog it read, for ``carepages stats`` (:func:`carepages.stats.tally`).
    tallies: dict[str, list[int]] = field(default_factory=dict)
    #: The digest of the stashed :attr:`rows`.
    rows_digest: str = ""
    #: The digest of the stashed :attr:`findings`.
    findings_digest: str = ""
    #: The error-level findings, kept when the others are stashed: all the build counts (:meth:`error_findings`).
    errors: list[Finding] = field(default_factory=list)

    def error_findings(self) -> list[Finding]:
        """Its error-level findings, whether its findings are held or stashed (only errors can fail the gate:
        pinning turns errors into warnings, never the reverse)."""
        if self.findings is None:
            return self.errors
        return [finding for finding in self.findings if finding.severity == Severity.ERROR]

    def held_findings(self) -> list[Finding]:
        """Every finding; an error to ask while they are stashed (a report must never hold fewer than were found)."""
        if self.findings is None:
            raise ValueError(
                f"{self.locale}: the assessment's findings were not read back (builder.cache.fetch_findings)"
            )
        return self.findings

    def kept(self) -> tuple[object, ...]:
        """What the build's cache keeps of it (:meth:`as_dict`), to compare two stashed ones without writing them."""
        return self.verdict, self.findings_digest, self.expected, self.ui_mo, self.units, self.rows_digest

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the build's cache (the check reuses an assessment whose inputs did not change).

        Its rows and findings must have been stashed (:func:`carepages.builder.cache.stash`): the cache names them.
        """
        if self.rows is not None or self.findings is not None:
            raise ValueError(f"{self.locale}: stash the assessment's rows and findings before writing it")
        return {
            "verdict": self.verdict.as_dict(),
            "findings": self.findings_digest,
            "errors": [finding.as_dict() for finding in self.errors],
            "expected": {d: {k: [list(c) for c in v] for k, v in ids.items()} for d, ids in self.expected.items()},
            "ui_mo": base64.b64encode(self.ui_mo).decode("ascii"),
            "units": self.units.as_dict() if self.units else None,
            "rows": self.rows_digest,
        }

    @classmethod
    def from_dict(cls, locale: str, data: dict[str, Any]) -> Assessment:
        expected = {d: {k: [tuple(c) for c in v] for k, v in ids.items()} for d, ids in data["expected"].items()}
        errors = [Finding.from_dict(finding) for finding in data["errors"]]
        ui_mo = base64.b64decode(data.get("ui_mo", ""))
        units = UnitKeys.from_dict(data.get("units"))
        verdict = LocaleVerdict.from_dict(locale, data["verdict"])
        return cls(
            locale,
            verdict,
            None,
            expected,
            ui_mo,
            units,
            None,
            rows_digest=str(data["rows"]),
            findings_digest=str(data["findings"]),
            errors=errors,
        )

    def rows_as_dict(self) -> dict[str, list[list[object]]]:
        """The rows, JSON-ready (kept apart from the rest: see :attr:`rows`)."""
        return {domain: [row.as_list() for row in rows] for domain, rows in (self.rows or {}).items()}

    @staticmethod
    def rows_from_dict(data: dict[str, Any]) -> dict[str, list[Repeated]]:
        return {domain: [Repeated.from_list(domain, row) for row in kept] for domain, kept in data.items()}


def load_run(
    config: Config,
    parser: PageParser | None = None,
    *,
    own_interface: bool = False,
    project_key: str = "",
    carried: CarriedMap | None = None,
    hashes: FileHashes | None = None,
) -> RunContext:
    """Parse the sources once and run the project checks: what every locale shares.

    A broken source page stops here (a :class:`~carepages.errors.CarepagesError`):
    nothing can be built or checked without the text itself. The templates are parsed
    when first needed (:attr:`RunContext.templates`). ``project_key`` (the sources,
    templates, settings and code: :func:`carepages.builder.keys.source_key`) keeps the
    project checks' findings for the next run with the same key. ``own_interface`` judges
    ``ui.pot`` against itself, not against the running tool's templates: an earlier
    revision's interface template records the tool of that revision (pinning). ``hashes``: the files
    the caller hashed for this run's keys, shared with the run (:attr:`RunContext.hashes`).
    """
    sources = extract_sources(config, parser, memo=not own_interface)  # a revision's pages are not kept
    run = RunContext(config, sources)
    if hashes is not None:
        run.hashes = hashes
    if own_interface:
        run.interface = run.templates.get(UI_DOMAIN)  # a revision: its carried translations are the judge's to find
    else:  # ``carried``: found already (by the keys), not found twice
        run.carried = carried_now(config, run) if carried is None else carried
    run.project_findings = _project_findings(run, "" if own_interface else project_key)
    return run


def carried_now(config: Config, run: RunContext | None = None) -> CarriedMap:
    """The working tree's carried disclaimer translations (:mod:`carepages.carryover`), every locale's.

    Without git history there are none, and the source pages are not even read; ``run``
    gives them when they are read already.
    """
    history = History.open(config.root)
    if history is None:
        return {}
    disclaimers = (run or RunContext(config, extract_sources(config))).disclaimer_msgids
    return find_carried(config, disclaimers, config.locales, history)


def _project_findings(run: RunContext, key: str) -> list[Finding]:
    """The project checks' findings: kept from the last run with the same ``key``, else found now (and kept)."""
    path = cache_path(run.config.root, "project")
    if key:
        kept = read_json(path, key).get("findings")
        if isinstance(kept, list):
            return [Finding.from_dict(finding) for finding in kept]
    findings = project_findings(run)
    if key:
        write_json(path, key, {"findings": [finding.as_dict() for finding in findings]})
    return findings


def source_renderings(
    run: RunContext, parser: PageParser, skip: frozenset[str] = frozenset()
) -> dict[str, dict[str, Rendered]]:
    """What each source message renders as on its page (what its translations are compared with), but ``skip``'s.

    Each page is rendered once per process, when a locale first needs it.
    """
    for messages in run.sources.all():
        if messages.domain not in run.source_renderings and messages.domain not in skip:
            run.source_renderings[messages.domain] = render_body(parser, messages.page, None).messages
    return run.source_renderings


def assess_locale(
    run: RunContext,
    locale: str,
    parser: PageParser,
    drafts: Path | None = None,
    last: Assessment | None = None,
    redo: frozenset[str] = frozenset(),
) -> Assessment:
    """Read, render, check and decide one locale; with ``drafts``, keep each page's rendering there.

    With ``last`` (the locale's previous assessment), the pages whose inputs did not
    change since are not rendered or checked again (but those in ``redo``): their part
    of ``last`` stands (:mod:`carepages.incremental`), and no draft of theirs is written.
    """
    last_rows: dict[str, list[Repeated]] = {}
    last_findings: list[Finding] = []
    if last is not None:
        if last.rows is None:  # a programming error: kept pages would be judged without their rows
            raise ValueError(f"{locale}: the last assessment's rows were not read back (builder.cache.fetch_rows)")
        last_rows, last_findings = last.rows, last.held_findings()
    pages = [messages.domain for messages in run.sources.pages]
    units = unit_keys(run, locale)
    kept = units.unchanged(last.units) - redo if last is not None else frozenset()
    if locale == run.config.source_language:
        if drafts is not None:
            for messages in run.sources.all():
                if messages.domain not in kept:
                    # The source renderings the next locales are compared with, made on the way.
                    rendered = _render(run, messages, Lookup(None), parser, drafts, None)
                    run.source_renderings.setdefault(messages.domain, rendered)
        return Assessment(locale, source_verdict(locale, pages), units=units, drafted=frozenset(pages) - kept)
    source_renderings(run, parser, kept)
    ctx = LocaleContext(run, locale, WAIVABLE, kept)
    if last is not None and kept:
        ctx.read(pages_to_read(ctx, last_findings, last_rows), last_rows)
    catalogs = {domain: loaded.catalog for domain, loaded in ctx.catalogs.items() if domain not in kept}
    table = TranslationTable.from_catalogs(locale, catalogs)
    fallback = _fallback_marks(run.config.source_language, locale)
    for messages in run.sources.all():
        if messages.domain in catalogs:
            lookup = Lookup(table.domains.get(messages.domain, {}))
            ctx.renderings[messages.domain] = _render(run, messages, lookup, parser, drafts, fallback)
            ctx.refused[messages.domain] = lookup.refused
    findings = locale_findings(ctx)
    reviews = page_reviews(ctx.message_reviews[0], pages, SHARED_DOMAINS)
    expected = expected_disclaimers(ctx)
    counts = ctx.counts
    if kept and last is not None:
        findings = merge_findings(findings, last_findings, kept)
        reviews = merge_reviews(reviews, {page.page: page.review for page in last.verdict.pages}, kept)
        expected = merge_expected(expected, last.expected, kept)
        counts = merge_counts(counts, {page.page: page.counts for page in last.verdict.pages}, ctx.unread)
    verdict = decide_locale(locale, pages, [*run.project_findings, *findings], counts, reviews)
    drafted = frozenset(pages) - kept
    tallies = {tally_key(loaded.path, run.config.root): tally(loaded.catalog) for loaded in ctx.catalogs.values()}
    rows = rows_to_keep(ctx)
    return Assessment(locale, verdict, findings, expected, table.ui_mo, units, rows, drafted, tallies)


def _render(
    run: RunContext,
    messages: PageMessages,
    lookup: Lookup,
    parser: PageParser,
    drafts: Path | None,
    fallback: dict[str, str] | None,
) -> dict[str, Rendered]:
    """Render one domain's page with the locale's translations; keep a draft when building.

    The source language's page is summarised too: it is what :func:`source_renderings` makes,
    and the process that drafts it assesses other locales after it (with no handler and with
    ``Lookup(None)`` the page converts alike).
    """
    body = render_body(parser, messages.page, lookup, fallback=fallback)
    if drafts is not None:
        page = messages.page
        title = body.title or lookup.text(page.meta.title)
        description = lookup.text(page.meta.description)
        open_messages = len(lookup.fell_back)
        Draft(messages.domain, title, description, body.html, open_messages).save(draft_path(drafts, messages.domain))
    return body.messages


def draft_path(drafts: Path, domain: str) -> Path:
    """Where a page's draft is kept in a build's work folder (the shared disclaimers included)."""
    return drafts / f"{domain}.draft"


def _fallback_marks(source_language: str, locale: str) -> dict[str, str]:
    """How a block left in the source language is marked: its language, and its direction where it differs."""
    source, target = language(source_language), language(locale)
    marks = {"lang": source.tag}
    if source.direction != target.direction:
        marks["dir"] = source.direction
    return marks
