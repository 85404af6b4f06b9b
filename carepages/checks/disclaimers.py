"""The disclaimers every page must carry, in every locale's catalogs.

Which disclaimers a page carries comes from the source (``PageMessages.disclaimers``:
the shared ones plus the page's own), never from a catalog, so deleting a
disclaimer from a catalog cannot make it stop being required. Each disclaimer
message is reported once per locale, however many pages carry it. Findings of
this check cannot be allowed by a translator comment.

Whether the built pages really show each disclaimer is checked separately, on
the built files themselves (:mod:`carepages.checks.built`).
"""

from __future__ import annotations

from collections.abc import Iterator

from carepages.checks.catalog import excerpt
from carepages.checks.context import LocaleContext
from carepages.checks.model import Issue
from carepages.segments import Segment


def check_disclaimers(ctx: LocaleContext) -> Iterator[Issue]:
    if not ctx.catalogs and not ctx.failures:
        return  # a locale without catalogs is not translated yet (the outdated check says so once)
    for domain, disclaimer, carriers in required(ctx):
        for segment in ctx.run.disclaimer_segments(domain, disclaimer):
            problem = _state(ctx, domain, segment, carriers)
            if problem is not None:
                yield problem


def required(ctx: LocaleContext) -> list[tuple[str, str, str]]:
    """(domain, disclaimer id, which pages carry it) for every disclaimer, each once."""
    run = ctx.run
    pages: dict[tuple[str, str], list[str]] = {}
    for page in run.sources.pages:
        for disclaimer in page.disclaimers:
            pages.setdefault((run.disclaimer_domain(page, disclaimer), disclaimer), []).append(page.domain)
    shared = run.sources.shared.domain
    for disclaimer in run.sources.shared.disclaimers:
        pages.setdefault((shared, disclaimer), [])
    return [
        (domain, disclaimer, "every page" if domain == shared else "page " + ", ".join(names))
        for (domain, disclaimer), names in sorted(pages.items())
    ]


def _state(ctx: LocaleContext, domain: str, segment: Segment, carriers: str) -> Issue | None:
    """The problem with one disclaimer message in the catalog, or None when it is publishable."""
    rel = ctx.po_rel(domain)
    name = f"disclaimer {segment.disclaimer!r} ({carriers})"
    update = f"run carepages update -l {ctx.locale}, then translate it"
    loaded = ctx.catalogs.get(domain)
    if loaded is None:
        if ctx.broken(domain):
            return None  # the parse or encoding error says why
        return Issue(rel, 0, f"{name} is missing: the catalog does not exist: {update}", domain=domain)
    entry = ctx.message(domain, segment.msgid)
    if entry is None:
        if segment.msgid in loaded.catalog.obsolete:
            line = loaded.catalog.obsolete[segment.msgid].lineno or 0
            return Issue(rel, line, f"{name} is obsolete (#~) in the catalog: {update} and check it", domain=domain)
        return Issue(rel, 0, f"{name} is missing from the catalog: {excerpt(segment.msgid)}: {update}", domain=domain)
    if entry.message.fuzzy:
        return Issue(
            rel,
            entry.line,
            f"{name} is fuzzy: check the translation against the source, remove the fuzzy flag, "
            "then run carepages build",
            entry,
        )
    if not entry.translated:
        return Issue(
            rel, entry.line, f"{name} is untranslated: translate it in Poedit, then run carepages build", entry
        )
    return None
