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

from carepages.catalogs import DISCLAIMERS_DOMAIN, UI_DOMAIN
from carepages.checks.catalog import excerpt
from carepages.checks.context import LocaleContext
from carepages.checks.model import Issue
from carepages.segments import Segment
from carepages.waivers import text_sha256, waivers_path


def check_disclaimers(ctx: LocaleContext) -> Iterator[Issue]:
    if not ctx.catalogs and not ctx.failures and not ctx.unread:
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
    for segment in run.ui_segments:  # the interface strings with safety meaning: every page's frame
        pages.setdefault((UI_DOMAIN, segment.disclaimer or ""), [])
    return [
        (domain, disclaimer, "every page" if domain in (shared, UI_DOMAIN) else "page " + ", ".join(names))
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
        return Issue(rel, 0, f"{name} is missing: the catalog does not exist: {update}", domain=domain, stale=False)
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


def check_carried(ctx: LocaleContext) -> Iterator[Issue]:
    """A disclaimer whose translation is older than its English text (:mod:`carepages.carryover`).

    A fuzzy flag cleared without a new translation leaves nothing in the file; git
    history shows that the catalog held this translation before the English existed.
    """
    waivers = ctx.config.relative(waivers_path(ctx.config, ctx.locale))
    for (domain, msgid), carried in sorted(ctx.run.carried.get(ctx.locale, {}).items()):
        entry = ctx.message(domain, msgid)
        if entry is None or entry.message.fuzzy or entry.strings != (carried.string,):
            continue  # not what was judged carried (the disclaimer check speaks of a missing or fuzzy one)
        page = ctx.run.source_domains.get(domain)
        name = next((s.disclaimer for s in page.segments if s.msgid == msgid), "") if page else ""
        shared = domain == DISCLAIMERS_DOMAIN  # `diff` takes a page, and shows the shared disclaimers with it
        show = f"carepages diff -l {ctx.locale}" + ("" if shared else f" {domain}")
        yield Issue(
            entry.path,
            entry.line,
            f"disclaimer {name!r}: the translation is the one the catalog held before this English text arrived "
            f"({carried.when}), so it translates the earlier English (a fuzzy flag cleared without a new "
            f"translation?): translate the change ({show} shows it), then run carepages build; when the new "
            f"English needs no new translation, a reviewer waives this finding in {waivers}",
            entry,
        )


def check_signoff(ctx: LocaleContext) -> Iterator[Issue]:
    """Each interface string with safety meaning needs a reviewer's sign-off of its current translation.

    No check can tell whether "This translation has not yet been reviewed" became "reviewed
    and approved by a doctor": a reviewer reads the translation and signs it off in
    waivers.toml, naming it by hash, so any later change lapses the sign-off.
    """
    rel = ctx.waivers.rel
    for entry in ctx.translated_entries():
        if entry.domain != UI_DOMAIN or not ctx.is_disclaimer(entry):
            continue
        translation = entry.strings[0]
        if ctx.waivers.signoff(entry.msgid, translation) is None:
            yield Issue(
                entry.path,
                entry.line,
                f"the interface string {excerpt(entry.msgid)} carries safety meaning and its translation has no "
                f"reviewer's sign-off: a reviewer who has checked that it says exactly what the source says adds "
                f'a [[signoff]] record to {rel} with msgid_sha256 = "{text_sha256(entry.msgid)[:16]}", '
                f'translation_sha256 = "{text_sha256(translation)[:16]}", reviewer and date',
                entry,
            )
