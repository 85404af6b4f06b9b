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

from carepages.catalogs import DISCLAIMERS_DOMAIN, UI_DOMAIN
from carepages.checks.context import (
    ExpectedDisclaimers,
    LocaleContext,
    RunContext,
    expected_disclaimers,
    load_templates,
)
from carepages.checks.model import Finding
from carepages.checks.registry import WAIVABLE, locale_findings, project_findings
from carepages.config import Config
from carepages.extract import PageMessages, extract_sources
from carepages.markdown_ext import PageParser
from carepages.render.body import Draft, Rendered, render_body
from carepages.render.html import language
from carepages.reviewstate import page_reviews
from carepages.translate import Lookup, TranslationTable
from carepages.verdict import LocaleVerdict, decide_locale, source_verdict

#: The catalogs every page shows: their translations count towards each page's review.
SHARED_DOMAINS = (DISCLAIMERS_DOMAIN, UI_DOMAIN)


@dataclass
class Assessment:
    """What one locale's assessment decided: the verdict, its findings, and what disclaimers must show."""

    locale: str
    verdict: LocaleVerdict
    findings: list[Finding] = field(default_factory=list)
    expected: ExpectedDisclaimers = field(default_factory=dict)
    ui_mo: bytes = b""

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the build's cache (the check reuses an assessment whose inputs did not change)."""
        return {
            "verdict": self.verdict.as_dict(),
            "findings": [finding.as_dict() for finding in self.findings],
            "expected": {d: {k: [list(c) for c in v] for k, v in ids.items()} for d, ids in self.expected.items()},
            "ui_mo": base64.b64encode(self.ui_mo).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, locale: str, data: dict[str, Any]) -> Assessment:
        expected = {d: {k: [tuple(c) for c in v] for k, v in ids.items()} for d, ids in data["expected"].items()}
        findings = [Finding.from_dict(finding) for finding in data["findings"]]
        ui_mo = base64.b64decode(data.get("ui_mo", ""))
        return cls(locale, LocaleVerdict.from_dict(locale, data["verdict"]), findings, expected, ui_mo)


def load_run(config: Config, parser: PageParser | None = None, *, own_interface: bool = False) -> RunContext:
    """Parse the sources and templates once and run the project checks: what every locale shares.

    A broken source page stops here (a :class:`~carepages.errors.CarepagesError`):
    nothing can be built or checked without the text itself. ``own_interface`` judges
    ``ui.pot`` against itself, not against the running tool's templates: an earlier
    revision's interface template records the tool of that revision (pinning).
    """
    templates, failures = load_templates(config)
    interface = templates.get(UI_DOMAIN) if own_interface else None
    run = RunContext(config, extract_sources(config, parser), templates, failures, interface=interface)
    run.project_findings = project_findings(run)
    return run


def source_renderings(run: RunContext, parser: PageParser) -> dict[str, dict[str, Rendered]]:
    """What every source message renders as on its page: what each translation is compared with."""
    if not run.source_renderings:
        for messages in run.sources.all():
            run.source_renderings[messages.domain] = render_body(parser, messages.page, None).messages
    return run.source_renderings


def assess_locale(run: RunContext, locale: str, parser: PageParser, drafts: Path | None = None) -> Assessment:
    """Read, render, check and decide one locale; with ``drafts``, keep each page's rendering there."""
    pages = [messages.domain for messages in run.sources.pages]
    if locale == run.config.source_language:
        if drafts is not None:
            for messages in run.sources.all():
                _render(run, messages, Lookup(None), parser, drafts, None)
        return Assessment(locale, source_verdict(locale, pages))
    source_renderings(run, parser)
    ctx = LocaleContext(run, locale, WAIVABLE)
    table = TranslationTable.from_catalogs(locale, {domain: loaded.catalog for domain, loaded in ctx.catalogs.items()})
    fallback = _fallback_marks(run.config.source_language, locale)
    for messages in run.sources.all():
        if messages.domain in ctx.catalogs:
            lookup = Lookup(table.domains.get(messages.domain, {}))
            ctx.renderings[messages.domain] = _render(run, messages, lookup, parser, drafts, fallback)
            ctx.refused[messages.domain] = lookup.refused
    findings = locale_findings(ctx)
    reviews = page_reviews(ctx.message_reviews[0], pages, SHARED_DOMAINS)
    verdict = decide_locale(locale, pages, [*run.project_findings, *findings], ctx.counts, reviews)
    return Assessment(locale, verdict, findings, expected_disclaimers(ctx), table.ui_mo)


def _render(
    run: RunContext,
    messages: PageMessages,
    lookup: Lookup,
    parser: PageParser,
    drafts: Path | None,
    fallback: dict[str, str] | None,
) -> dict[str, Rendered]:
    """Render one domain's page with the locale's translations; keep a draft when building."""
    source = lookup.messages is None
    body = render_body(parser, messages.page, lookup, summarise=not source, fallback=fallback)
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
