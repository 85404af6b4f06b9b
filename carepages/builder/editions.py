"""A build's editions: where each one's files go, what its pages depend on, and its landing pages.

With no clinic configured there is one edition, the neutral one, in dist/ itself; with
clinics, each clinic's edition is in ``dist/<clinic>/`` with its own pages, index,
manifest and bundles. Every edition shares the locales' verdicts (a translation is
published or withheld the same way for every clinic); only the frame differs: the
clinic's details and field values, its base URL, its paper size.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

from carepages.builder.cache import FileInfo, LocaleEntry
from carepages.builder.keys import digest
from carepages.clinics import Edition
from carepages.config import Config
from carepages.layout import INDEX_NAME, bundle_name
from carepages.render.landing import (
    LandingPage,
    make_landing,
    render_edition_index,
    render_language_index,
)
from carepages.reviewstate import REVIEWED, SOURCE

#: A page to render: its name, the locales its switcher names, its message count.
PageTask = tuple[str, tuple[str, ...], int]
#: Per locale, the (edition, page) pairs reused from the previous dist/ (or found changed there).
Reused = dict[str, list[tuple[Edition, str]]]


def slot(edition: Edition, page: str) -> str:
    """The key of one page of one edition in a locale's cache entry (``clinic/page``, or ``page``)."""
    return f"{edition.prefix}{page}"


def edition_key(edition: Edition, handouts: bool) -> str:
    """What an edition adds to a page's key: the clinic's profile, base URL, paper, and whether PDFs are made."""
    clinic = edition.clinic
    profile = [clinic.id, clinic.fields, clinic.overrides, clinic.logo] if clinic else None
    return digest(json.dumps([profile, edition.base_url, edition.paper, handouts], sort_keys=True, ensure_ascii=False))


def language_switchers(order: Sequence[str], entries: dict[str, LocaleEntry]) -> dict[str, tuple[str, ...]]:
    """Per page, the locales that publish it, in configuration order: what its language switcher names."""
    found: dict[str, list[str]] = defaultdict(list)
    for code in order:
        entry = entries.get(code)
        for page in entry.assessment.verdict.published_pages if entry else ():
            found[page].append(code)
    return {page: tuple(codes) for page, codes in found.items()}


def published_files(editions: Sequence[Edition], entries: Iterable[LocaleEntry]) -> dict[str, FileInfo]:
    """Every page and bundle of the published locales' ``entries`` (paths in dist/), with size and sha256."""
    files: dict[str, FileInfo] = {}
    for entry in entries:
        for edition in editions:
            for page in entry.assessment.verdict.published_pages:
                files.update(entry.pages[slot(edition, page)].files)
        files.update(entry.bundle)
    return files


def landing_documents(
    config: Config,
    edition: Edition,
    order: Sequence[str],
    entries: dict[str, LocaleEntry],
    handouts: bool,
    place: dict[str, tuple[int, int]],
) -> dict[str, bytes]:
    """The edition's ``index.html`` and each published language's ``<lang>/index.html`` (paths in dist/).

    ``place`` orders the pages (front matter ``order``, then the source folders' order).
    """
    sections = []
    documents = {}
    for code in order:
        entry = entries.get(code)
        if entry is None or not entry.assessment.verdict.published:
            continue
        verdict = entry.assessment.verdict
        names = sorted(verdict.published_pages, key=place.__getitem__)
        pages = [LandingPage(page, entry.pages[slot(edition, page)].title) for page in names]
        made = make_landing(
            config,
            edition,
            code,
            entry.assessment.ui_mo,
            pages,
            draft=verdict.review_status != SOURCE and verdict.review_status != REVIEWED,
            bundle=bundle_name(code),
            handouts=handouts,
        )
        sections.append(made)
        language_page = render_language_index(config, edition, made[0], made[1])
        documents[f"{edition.prefix}{code}/{INDEX_NAME}"] = language_page.encode("utf-8")
    index = render_edition_index(config, edition, sections)
    documents[f"{edition.prefix}{INDEX_NAME}"] = index.encode("utf-8")
    return documents
