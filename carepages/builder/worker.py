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
from carepages.builder import dist as dist_folder
from carepages.builder.cache import FileInfo, fetch, stash
from carepages.builder.dist import file_info
from carepages.builder.editions import slot
from carepages.builder.outputs import BundleJob, write_bundle
from carepages.catalogs import DISCLAIMERS_DOMAIN
from carepages.checks.context import RunContext
from carepages.clinics import Edition
from carepages.errors import CarepagesError
from carepages.markdown_ext import PageParser
from carepages.page_links import relink
from carepages.parallel import STATE, guarded
from carepages.pinning.material import PinnedPage
from carepages.readback import Readings, reading_of
from carepages.render import page as page_renderer
from carepages.render.body import Draft
from carepages.render.html import alternates
from carepages.render.pdf import Handout, render_pdf
from carepages.verdict import LocaleVerdict


@dataclass(frozen=True)
class RenderJob:
    """Render some published pages of one locale, in one edition, into the staging folder.

    ``pages`` holds, per page, its name, the locales its switcher names, and its message count;
    ``handouts`` says whether this machine makes PDF handouts (WeasyPrint could be loaded);
    ``pinned``, for each page served from an earlier revision, what to render it from.
    """

    locale: str
    verdict: LocaleVerdict
    ui_mo: bytes
    pages: tuple[tuple[str, tuple[str, ...], int], ...]
    staging: Path
    edition: Edition
    handouts: bool = False
    pinned: dict[str, PinnedPage] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """What a render job wrote: per page (its slot in the cache) its title and files.

    The pages (and handouts) are also read back as the check reads them
    (:func:`carepages.readback.reading_of`), here while the bytes are in memory, and
    kept in the memo's folder straight away: nothing of them comes back to the build.
    """

    locale: str
    pages: dict[str, tuple[str, dict[str, FileInfo]]]


def init_worker(run: RunContext, work: Path) -> None:
    STATE.clear()
    STATE.update(run=run, work=work, parser=PageParser(keep_blocks=True))


def drafts_folder(work: Path, locale: str) -> Path:
    return work / "drafts" / locale


#: A locale to assess, its last assessment (whose unchanged pages' part is kept), and pages to assess anew anyway.
AssessJob = tuple[str, Assessment | None, frozenset[str]]


@guarded
def assess_task(job: AssessJob) -> Assessment:
    """Assess one locale (keeping what ``last`` says of its unchanged pages), each page's draft in the work folder."""
    locale, last, redo = job
    work: Path = STATE["work"]
    run: RunContext = STATE["run"]
    last = fetch(run.config, last)
    return stash(run.config, assess_locale(run, locale, STATE["parser"], drafts_folder(work, locale), last, redo))


@guarded
def render_task(job: RenderJob) -> Rendered:
    """Wrap drafts into pages: HTML, plain text and the PDF handout, straight to the staging folder."""
    run: RunContext = STATE["run"]
    frames = Frames(run, job)
    edition = job.edition
    withheld = {page.page for page in job.verdict.withheld_pages}
    source = run.config.source_language
    out: dict[str, tuple[str, dict[str, FileInfo]]] = {}
    readings = Readings(run.config.root)
    for name, published_in, total in job.pages:
        pinned = job.pinned.get(name)
        frame = frames.current() if pinned is None else frames.of(pinned)
        page = run.source_domains[name].page
        if pinned is None:
            draft, day = Draft.load(draft_path(frames.drafts, name)), None
        else:
            # The page as its revision had it: body, front matter (last reviewed), message count.
            draft, day, total = pinned.page.draft, _pin_day(job, name), pinned.page.total
            page = replace(page, meta=pinned.page.meta())
        draft = _relinked(draft, withheld, source)
        shared = relink(frame.disclaimers, DISCLAIMERS_DOMAIN, name, withheld, source)
        switcher = alternates(name, job.locale, published_in, edition.base_url)
        page_frame = replace(frame, disclaimers=Markup(shared))
        review = job.verdict.page(name).review if pinned is None else pinned.page.review
        made = page_renderer.render(page_frame, page, draft, total, switcher, review, day)
        # The handout prints the very HTML just made: a pinned page's, notice and all.
        contents = {"html": made.document.encode("utf-8"), "txt": made.text.encode("utf-8")}
        if job.handouts:
            contents["pdf"] = handout(made.document, made.handout, run.config.relative(page.path), job.locale)
        files = {}
        for suffix, data in contents.items():
            rel = f"{edition.prefix}{job.locale}/{name}.{suffix}"
            dist_folder.write_output(job.staging / rel, data)
            files[rel] = file_info(data)
            reading = reading_of(rel, data, made.tree if suffix == "html" else None)
            if reading is not None:
                readings.keep(*reading)
        out[slot(edition, name)] = (made.title, files)
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


class Frames:
    """The frames a render job needs (in its edition): the locale's current one, and one per pinned
    revision (its shared disclaimers and interface strings, the edition's clinic), each made once."""

    def __init__(self, run: RunContext, job: RenderJob) -> None:
        self.run = run
        self.job = job
        self.drafts = drafts_folder(STATE["work"], job.locale)
        self.made: dict[str, page_renderer.Frame] = {}

    def current(self) -> page_renderer.Frame:
        if "" not in self.made:
            disclaimers = Draft.load(draft_path(self.drafts, DISCLAIMERS_DOMAIN))
            config, locale = self.run.config, self.job.locale
            self.made[""] = page_renderer.Frame.make(config, locale, self.job.ui_mo, disclaimers, self.job.edition)
        return self.made[""]

    def of(self, pinned: PinnedPage) -> page_renderer.Frame:
        """The frame of the pinned page's revision: its shared disclaimers and interface strings."""
        if pinned.revision not in self.made:
            source = pinned.frame
            config, locale, edition = self.run.config, self.job.locale, self.job.edition
            frame = page_renderer.Frame.make(config, locale, source.ui_mo, source.disclaimers, edition)
            self.made[pinned.revision] = frame
        return self.made[pinned.revision]


def handout(document: str, details: Handout, where: str, locale: str) -> bytes:
    """The page's PDF; a character no installed font has is an error (it would print as an empty box)."""
    made = render_pdf(document, details)
    if made.missing_glyphs:
        shown = ", ".join(f"U+{ord(char):04X}" for char in made.missing_glyphs)
        packages = " ".join(sorted({font_package(char) for char in made.missing_glyphs}))
        raise CarepagesError(
            f"the {locale} handout has characters no installed font can draw ({shown})",
            path=where,
            hint=f"install fonts for them (apt-get install {packages}), or remove the characters",
        )
    return made.data


def font_package(char: str) -> str:
    """The Debian Noto package that draws ``char``: emoji, Chinese/Japanese/Korean, or every other script."""
    code = ord(char)
    if code >= 0x1F000 or 0x2600 <= code < 0x2800:
        return "fonts-noto-color-emoji"
    if 0x2E80 <= code < 0xA000 or 0xAC00 <= code < 0xD7B0 or 0xF900 <= code < 0xFB00 or 0xFF00 <= code < 0xFFF0:
        return "fonts-noto-cjk"
    return "fonts-noto-core"


@guarded
def bundle_task(job: BundleJob) -> tuple[str, tuple[str, FileInfo]]:
    return job.locale, write_bundle(job)
