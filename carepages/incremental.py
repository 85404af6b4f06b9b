"""What a locale's assessment can keep from the last one: each page's part, by the hashes of its inputs.

Assessing a locale renders every page with its translations and runs every check
on every message, so an author's edit to one page (or a translator's to one
catalog) would cost the whole locale again. Most of that work belongs to one page:
the messages of its catalog, rendered on it and checked one by one. So an
assessment records a key per page (:class:`UnitKeys`): a hash of the page's own
inputs (its source page, template and catalog, and what git history says of its
disclaimers: :mod:`carepages.carryover`) on top of a hash of everything the
locale's pages share (the code, every setting, the shared disclaimers' and the
interface strings' catalogs, templates and source, the locale's own files, and which
pages, templates and catalogs exist at all).

When the shared part is unchanged, the next assessment reads, renders and checks the
catalogs of the changed pages only (and the shared catalogs, which every page shows);
the merge functions here take every other ("kept") page's findings, review, counts and
expected disclaimers from the last assessment. One check looks across pages: the
``consistency`` of a text repeated on several pages. It runs on every page each time,
judging a kept page by the rows the last assessment kept of its repeated texts
(:func:`rows_to_keep`); a kept page that shares a text with a changed one and has no
row of it (a text newly repeated), or whose catalog was out of date, is read after all
(:func:`pages_to_read`). The result equals a full assessment: tests/test_incremental.py
and tests/test_incremental_assessment.py assert it after each kind of edit, with a
property test over random sequences of them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carepages.carryover import carried_digest
from carepages.catalog_paths import find_catalogs, find_templates, locale_files, po_path, pot_path
from carepages.catalogs import RESERVED_DOMAINS, UI_DOMAIN
from carepages.checks.allow import waiver_reason
from carepages.checks.model import Code, Finding, Repeated
from carepages.checks.registry import BY_CODE
from carepages.memo import code_digest, digest, hashed, settings_digest

if TYPE_CHECKING:
    from carepages.checks.context import ExpectedDisclaimers, LocaleContext, RunContext
    from carepages.reviewstate import PageReview
    from carepages.stats import Counts

#: Bump when what a unit key covers changes: older records are then never reused.
UNITS_FORMAT = "2"
#: Checks whose findings about a page depend on other pages: always run on every message.
ACROSS_PAGES = frozenset({Code.CONSISTENCY})


@dataclass(frozen=True)
class UnitKeys:
    """A locale's shared key and each page's key (see the module docstring)."""

    shared: str
    pages: dict[str, str]

    def unchanged(self, before: UnitKeys | None) -> frozenset[str]:
        """The pages whose part of the last assessment (made with ``before``) can be kept.

        None can when the shared part changed, or when there is no last assessment.
        """
        if before is None or before.shared != self.shared:
            return frozenset()
        return frozenset(page for page, key in self.pages.items() if before.pages.get(page) == key)

    def as_dict(self) -> dict[str, object]:
        return {"shared": self.shared, "pages": self.pages}

    @classmethod
    def from_dict(cls, data: Any) -> UnitKeys | None:
        if not isinstance(data, dict) or not isinstance(data.get("pages"), dict):
            return None
        return cls(str(data["shared"]), {str(k): str(v) for k, v in data["pages"].items()})


def unit_keys(run: RunContext, locale: str) -> UnitKeys:
    """Hash the locale's inputs: what every page shares, and what each page alone is made from."""
    config = run.config
    catalogs = find_catalogs(config, locale)
    templates = find_templates(config)
    pages = [messages.domain for messages in run.sources.pages]
    shared_files: list[Path] = [config.disclaimers_file, *locale_files(config, locale)]
    for domain in sorted(RESERVED_DOMAINS):
        shared_files += [po_path(config, locale, domain), pot_path(config, domain)]
    listing = json.dumps([sorted(run.source_domains), sorted(templates), sorted(catalogs)], ensure_ascii=False)
    carried = run.carried.get(locale, {})  # what git history says of the catalogs (carepages.carryover)
    of_pages = {page: {k: v for k, v in carried.items() if k[0] == page} for page in pages}
    others = carried_digest({k: v for k, v in carried.items() if k[0] not in of_pages})
    shared = digest(
        UNITS_FORMAT, code_digest(), settings_digest(config), locale, listing, *_hashes(shared_files, run), others
    )
    keys = {}
    for page in pages:
        own = [run.source_domains[page].page.path, po_path(config, locale, page), pot_path(config, page)]
        keys[page] = digest(shared, page, *_hashes(own, run), carried_digest(of_pages[page]))
    return UnitKeys(shared, keys)


def _hashes(paths: Iterable[Path], run: RunContext) -> list[str]:
    """Each path and its hash: the run's (:attr:`RunContext.hashes`), which the locale keys mostly made already."""
    return [part for path in paths for part in (str(path), hashed(path, run.config.root, run.hashes))]


def merge_findings(fresh: Iterable[Finding], last: Iterable[Finding], kept: frozenset[str]) -> list[Finding]:
    """This assessment's findings where it judged, the last one's for the ``kept`` pages it did not look at.

    Fresh findings stand for the other pages, the shared catalogs, the locale as a whole
    and the checks that look across pages (which judge the kept pages too, from their rows);
    the last ones for the kept pages, but for those checks.
    """
    mine = [f for f in fresh if f.code in ACROSS_PAGES or f.domain not in kept]
    theirs = [f for f in last if f.code not in ACROSS_PAGES and f.domain in kept]
    return [*mine, *theirs]


def merge_expected(fresh: ExpectedDisclaimers, last: ExpectedDisclaimers, kept: frozenset[str]) -> ExpectedDisclaimers:
    """What each page's disclaimers must show: the kept pages' as last time, the others' as rendered now."""
    merged = {domain: ids for domain, ids in fresh.items() if domain not in kept}
    merged.update({domain: ids for domain, ids in last.items() if domain in kept})
    return dict(sorted(merged.items()))


def merge_reviews(
    fresh: dict[str, PageReview], last: dict[str, PageReview], kept: frozenset[str]
) -> dict[str, PageReview]:
    """Each page's review: the kept pages' as last time, the others' from this reading of the ledger."""
    return {page: last[page] if page in kept and page in last else review for page, review in fresh.items()}


def pages_to_read(
    ctx: LocaleContext, last_findings: Iterable[Finding], rows: dict[str, list[Repeated]]
) -> frozenset[str]:
    """The kept pages the consistency check must read after all: those it has no row of a repeated text for.

    A kept page's messages are its template's (its catalog is unchanged and was not out of
    date, else it is read); where the pages read now share a source text with it that its
    kept rows do not hold (a text newly repeated), it is read again.
    """
    shared = {
        message.id
        for loaded in ctx.catalogs.values()
        if loaded.domain != UI_DOMAIN
        for message in loaded.catalog
        if isinstance(message.id, str) and message.id
    }
    outdated = {finding.domain for finding in last_findings if finding.code == Code.OUTDATED}
    wanted = set()
    for page in ctx.unread:
        template = ctx.run.templates.get(page)
        known = {row.msgid for row in rows.get(page, ())}
        if (
            page in outdated
            or template is None
            or any(msgid in shared and msgid not in known for msgid in template.ids)
        ):
            wanted.add(page)
    return frozenset(wanted)


def rows_to_keep(ctx: LocaleContext) -> dict[str, list[Repeated]]:
    """Per page, the consistency check's rows of its repeated texts (with the reason a finding is accepted)."""
    rows = ctx.repeated()
    count = Counter(row.msgid for row in rows)
    check = BY_CODE[Code.CONSISTENCY]
    kept: dict[str, list[Repeated]] = {}
    for row in rows:
        if count[row.msgid] > 1:
            allowed = waiver_reason(ctx, check, row.entry) if row.entry is not None else row.allowed  # type: ignore[arg-type]
            kept.setdefault(row.domain, []).append(replace(row, allowed=allowed, entry=None))
    return kept


def merge_counts(fresh: dict[str, Counts], last: dict[str, Counts], unread: frozenset[str]) -> dict[str, Counts]:
    """Each catalog's completion: the unread kept pages' as last counted, the others' as counted now."""
    return {domain: last[domain] if domain in unread and domain in last else counts for domain, counts in fresh.items()}
