"""A build's work in a worker process: assess a locale (keeping drafts), render pages, zip bundles.

Each process holds one :class:`~carepages.markdown_ext.PageParser` (which keeps every
page's block parse for the next locale) and one template environment, set up once
by :func:`init_worker`; tasks pass only names and paths, and results stream to the
build's work and staging folders on disk, not back through the pool.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from carepages.assess import Assessment, assess_locale, draft_path
from carepages.build import dist as dist_folder
from carepages.build.cache import FileInfo
from carepages.build.dist import file_info
from carepages.build.outputs import BundleJob, write_bundle
from carepages.catalogs import DISCLAIMERS_DOMAIN
from carepages.checks.context import RunContext
from carepages.markdown_ext import PageParser
from carepages.page_links import relink
from carepages.parallel import STATE, guarded
from carepages.pinning.material import PinnedPage
from carepages.render import page as page_renderer
from carepages.render.body import Draft
from carepages.render.html import alternates
from carepages.verdict import LocaleVerdict


@dataclass(frozen=True)
class RenderJob:
    """Render some published pages of one locale into the staging folder.

    ``pages`` holds, per page, its name, the locales its switcher names, and its message count;
    ``pinned``, for each page served from an earlier revision, what to render it from.
    """

    locale: str
    verdict: LocaleVerdict
    ui_mo: bytes
    pages: tuple[tuple[str, tuple[str, ...], int], ...]
    staging: Path
    pinned: dict[str, PinnedPage] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """What a render job wrote: per page its title and files."""

    locale: str
    pages: dict[str, tuple[str, dict[str, FileInfo]]]


def init_worker(run: RunContext, work: Path) -> None:
    STATE.clear()
    STATE.update(run=run, work=work, parser=PageParser(keep_blocks=True))


def drafts_folder(work: Path, locale: str) -> Path:
    return work / "drafts" / locale


@guarded
def assess_task(locale: str) -> Assessment:
    """Assess one locale, keeping each page's draft in the work folder."""
    work: Path = STATE["work"]
    return assess_locale(STATE["run"], locale, STATE["parser"], drafts_folder(work, locale))


@guarded
def render_task(job: RenderJob) -> Rendered:
    """Wrap drafts into pages: HTML and plain text, straight to the staging folder."""
    run: RunContext = STATE["run"]
    frames = Frames(run, job)
    withheld = {page.page for page in job.verdict.withheld_pages}
    source = run.config.source_language
    out: dict[str, tuple[str, dict[str, FileInfo]]] = {}
    for name, published_in, total in job.pages:
        pinned = job.pinned.get(name)
        frame = frames.current() if pinned is None else frames.of(pinned)
        if pinned is None:
            draft, meta, day = Draft.load(draft_path(frames.drafts, name)), run.source_domains[name].page.meta, None
        else:
            draft, meta, day, total = pinned.page.draft, pinned.page.meta(), _pin_day(job, name), pinned.page.total
        draft = _relinked(draft, withheld, source)
        shared = relink(frame.disclaimers, DISCLAIMERS_DOMAIN, name, withheld, source)
        switcher = alternates(name, job.locale, published_in)
        page_frame = replace(frame, disclaimers=Markup(shared))
        review = job.verdict.page(name).review if pinned is None else pinned.page.review
        document, text = page_renderer.render(page_frame, meta, draft, total, switcher, review, day)
        out[name] = (draft.title, _write_page(job, name, document, text))
    return Rendered(job.locale, out)


def _relinked(draft: Draft, withheld: set[str], source_language: str) -> Draft:
    """The draft with its links to pages withheld in this locale sent to the source language's pages."""
    body = relink(draft.body, draft.page, draft.page, withheld, source_language)
    return draft if body == draft.body else replace(draft, body=body)


def _pin_day(job: RenderJob, page: str) -> dt.date:
    """The date of the revision a pinned page is served from, as its committer wrote it."""
    pin = job.verdict.page(page).pin
    assert pin is not None
    return pin.day


def _write_page(job: RenderJob, name: str, document: str, text: str) -> dict[str, FileInfo]:
    files = {}
    # A nested page (knee/exercises) mirrors its source folders: dist/<lang>/knee/exercises.html.
    (job.staging / job.locale / name).parent.mkdir(parents=True, exist_ok=True)
    for suffix, data in (("html", document.encode("utf-8")), ("txt", text.encode("utf-8"))):
        rel = f"{job.locale}/{name}.{suffix}"
        dist_folder.write_output(job.staging / rel, data)
        files[rel] = file_info(data)
    return files


class Frames:
    """The frames a render job needs: the locale's current one, and one per pinned revision, each made once."""

    def __init__(self, run: RunContext, job: RenderJob) -> None:
        self.run = run
        self.job = job
        self.drafts = drafts_folder(STATE["work"], job.locale)
        self.made: dict[str, page_renderer.Frame] = {}

    def current(self) -> page_renderer.Frame:
        if "" not in self.made:
            disclaimers = Draft.load(draft_path(self.drafts, DISCLAIMERS_DOMAIN))
            config, locale = self.run.config, self.job.locale
            self.made[""] = page_renderer.Frame.make(config, locale, self.job.ui_mo, disclaimers)
        return self.made[""]

    def of(self, pinned: PinnedPage) -> page_renderer.Frame:
        """The frame of the pinned page's revision: its shared disclaimers and interface strings."""
        if pinned.revision not in self.made:
            source = pinned.frame
            config, locale = self.run.config, self.job.locale
            frame = page_renderer.Frame.make(config, locale, source.ui_mo, source.disclaimers)
            self.made[pinned.revision] = frame
        return self.made[pinned.revision]


@guarded
def bundle_task(job: BundleJob) -> tuple[str, tuple[str, FileInfo]]:
    return job.locale, write_bundle(job)
