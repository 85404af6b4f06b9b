"""The files that describe a build: the per-locale bundles, ``index.html`` and ``manifest.json``.

All three are made from the verdicts and the files the build recorded, never by
reading dist/ back, and are byte-identical for identical inputs: zip entries carry
a fixed timestamp and order, JSON keys are sorted, and nothing depends on the time.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import carepages
from carepages.build import dist as dist_folder
from carepages.build.cache import FileInfo, LocaleEntry
from carepages.build.dist import file_info
from carepages.build.summary import NOT_BUILT
from carepages.config import Config
from carepages.extract import Sources
from carepages.render.html import IndexEntry, IndexPage, language, make_environment, render_index
from carepages.reviewstate import REVIEWED, SOURCE, PageReview
from carepages.verdict import LocaleVerdict, PageVerdict

MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"
#: Zip entries carry this timestamp (the earliest a zip can hold), so bundles are byte-identical.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Pages without an ``order`` come after every page with one.
_UNORDERED = 2**63


@dataclass(frozen=True)
class BundleJob:
    """``downloads/<lang>.zip`` of these pages (source order), read from the staging folder."""

    locale: str
    staging: Path
    pages: tuple[str, ...]


def write_bundle(job: BundleJob) -> tuple[str, FileInfo]:
    """Zip a locale's pages, HTML then text, with fixed metadata; return its path and (size, sha256)."""
    rel = f"downloads/{job.locale}.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name in job.pages:
            for suffix in ("html", "txt"):
                member = f"{job.locale}/{name}.{suffix}"
                info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, whatever the platform, so the bytes do not depend on it
                info.external_attr = 0o644 << 16
                bundle.writestr(info, (job.staging / member).read_bytes())
    data = buffer.getvalue()
    dist_folder.write_output(job.staging / rel, data)
    return rel, file_info(data)


def index_html(config: Config, sources: Sources, order: Sequence[str], entries: dict[str, LocaleEntry]) -> bytes:
    """``dist/index.html``: each published locale with its pages, and what is withheld and why."""
    titles = source_titles(config, sources, entries)
    place = index_order(sources)
    shown, left = [], []
    for code in order:
        entry = entries.get(code)
        if entry is None:
            left.append(IndexEntry(language(code), "?", "", reasons=(NOT_BUILT,)))
            continue
        verdict = entry.assessment.verdict
        percent = f"{verdict.counts.percent:.1f} %" if code != config.source_language else "100.0 %"
        if not verdict.published:
            unpinned = sorted({page.unpinned for page in verdict.pages if page.unpinned})
            reasons = (*verdict.reasons, *unpinned) or ("no page is ready yet",)
            left.append(IndexEntry(language(code), percent, "", reasons=reasons))
            continue
        names = sorted(verdict.published_pages, key=place.__getitem__)
        pages = tuple(_index_page(entry, verdict.page(name), config.show_reviewers) for name in names)
        withheld = tuple(
            (titles.get(page.page, page.page), "; ".join(verdict.why(page))) for page in verdict.withheld_pages
        )
        shown.append(IndexEntry(language(code), percent, review_text(verdict), pages, withheld=withheld))
    return render_index(make_environment(), config, shown, left).encode("utf-8")


def source_titles(config: Config, sources: Sources, entries: dict[str, LocaleEntry]) -> dict[str, str]:
    """Each page's title in the source language, as text: what the index names a withheld page by.

    A title taken from a heading may hold inline Markdown (``Do injections **cure** it?``):
    the source language's rendering of the page knows its visible text.
    """
    source = entries.get(config.source_language)
    rendered = {name: page.title for name, page in source.pages.items() if page.title} if source else {}
    return {m.domain: rendered.get(m.domain) or m.page.meta.title for m in sources.pages}


def index_order(sources: Sources) -> dict[str, tuple[int, int]]:
    """Where each page stands in the index: by its front matter's ``order``, then as the source folder has it."""
    return {
        m.domain: (m.page.meta.order if m.page.meta.order is not None else _UNORDERED, position)
        for position, m in enumerate(sources.pages)
    }


def _index_page(entry: LocaleEntry, page: PageVerdict, show_reviewers: bool) -> IndexPage:
    """A published page on the index; a pinned one says from which English version it was translated."""
    pinned = page.pin.day.isoformat() if page.pin else ""
    review = page_review_text(page.review, show_reviewers)
    return IndexPage(page.page, entry.pages[page.page].title, review, pinned)


def review_text(verdict: LocaleVerdict) -> str:
    """A locale's medical review on the index, from its pages' sign-offs."""
    status = verdict.review_status
    if status == SOURCE:
        return "source text"
    if status == REVIEWED:
        return "reviewed: every page signed off by a medical reviewer"
    reviewed = sum(1 for page in verdict.pages if page.review.status == REVIEWED)
    if reviewed:
        return f"partly reviewed: {reviewed} of {len(verdict.pages)} pages signed off"
    return "draft: not yet reviewed by a medical translator"


def page_review_text(review: PageReview, show_reviewers: bool) -> str:
    """One page's review on the index: when, and by whom when the project names reviewers."""
    if review.status == REVIEWED and review.last_signed:
        who = f" by {', '.join(review.reviewers)}" if show_reviewers and review.reviewers else ""
        return f"reviewed{who} on {review.last_signed.isoformat()}"
    return "" if review.status == SOURCE else "draft"


def manifest_json(
    config: Config, order: Sequence[str], entries: dict[str, LocaleEntry], files: dict[str, FileInfo]
) -> bytes:
    """``dist/manifest.json``: every file with size and sha256, and each locale's verdict, page by page."""
    locales: dict[str, Any] = {}
    for code in order:
        entry = entries.get(code)
        locales[code] = entry.assessment.verdict.as_dict() if entry else {"published": False, "reasons": [NOT_BUILT]}
    manifest: dict[str, Any] = {
        "generator": f"carepages {carepages.__version__}",
        "project": config.project_name,
        "source_language": config.source_language,
        "publish_threshold": config.publish_threshold,
        "locales": locales,
        "files": {rel: {"size": size, "sha256": sha} for rel, (size, sha) in sorted(files.items())},
    }
    revision = source_revision(config.root)
    if revision:
        manifest["source_revision"] = revision
    return json_bytes(manifest)


def json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def source_revision(root: Path) -> str | None:
    """``git rev-parse HEAD`` when the project is in a git checkout; None otherwise."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    revision = done.stdout.strip()
    return revision if done.returncode == 0 and revision else None
