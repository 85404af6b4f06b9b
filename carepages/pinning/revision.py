"""Judge pages at one earlier revision, by the same assessment and verdict as today.

The files the pages depend on are read from git's objects into a temporary folder
outside the project: first what every locale shares (:func:`prepare`: the pages'
sources and templates, the shared disclaimers and interface template), then, in a
worker process, one locale's catalogs and review record (:func:`judge_task`). There
:func:`carepages.assess.assess_locale` judges them with today's settings and code:
the very checks and verdict the build applies to the working tree. Nothing is
checked out and the working tree is never touched.

Each worker parses a revision's sources once (:data:`~carepages.parallel.STATE`
keeps the last one) and judges every locale it is given at that revision with it.
One difference from a build, on purpose: ``ui.pot`` is judged against itself (it
records the interface of that revision's tool; interface strings the running tool
has added since show in the source language, as untranslated ones always do).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from carepages.assess import Assessment, assess_locale, draft_path, load_run
from carepages.carryover import CarriedMap, find_carried
from carepages.catalog_paths import locale_files, po_path
from carepages.catalogs import DISCLAIMERS_DOMAIN, UI_DOMAIN, read_catalog
from carepages.checks.catalog import below_threshold
from carepages.checks.context import RunContext
from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.extract import PageMessages
from carepages.history import BlobReader, History
from carepages.markdown_ext import PageParser
from carepages.parallel import STATE, guarded
from carepages.pinning.material import Evaluation, FrameSource, PageSource
from carepages.render.body import Draft
from carepages.stats import count_catalog

#: Why a page cannot be served from a revision at which it, or its translation, did not exist.
NOT_YET = "the page or its translation did not exist yet"


@dataclass(frozen=True)
class Layout:
    """Where the project keeps each file a page depends on, as project paths (the same in the temporary copy).

    A page's files mirror its name (``knee/exercises``: ``source/knee/exercises.md``,
    ``locale/templates/knee/exercises.pot``, ``locale/<lang>/LC_MESSAGES/knee/exercises.po``);
    ``<lang>`` is the locale's folder as the project spells it (``pt-BR``).
    """

    sources: str
    templates: str
    disclaimers: str
    folders: tuple[tuple[str, str], ...]  # (locale, its folder, as a project path)
    own: tuple[tuple[str, tuple[str, ...]], ...]  # (locale, its own files besides catalogs)

    @classmethod
    def of(cls, config: Config) -> Layout:
        rel = config.relative
        folders = tuple((code, rel(config.locale_path(code))) for code in config.locales)
        own = tuple((code, tuple(rel(path) for path in locale_files(config, code))) for code in config.locales)
        return cls(rel(config.source_dir), rel(config.templates_dir), rel(config.disclaimers_file), folders, own)

    @property
    def watched(self) -> tuple[str, ...]:
        """The folders whose history matters: the sources, the templates and every locale's."""
        return (self.sources, self.templates, *(folder for _, folder in self.folders))

    def page(self, page: str) -> tuple[str, str]:
        """A page's source and template: the same for every locale."""
        return f"{self.sources}/{page}.md", f"{self.templates}/{page}.pot"

    def shared(self) -> tuple[str, ...]:
        """What every page of every locale depends on: the shared disclaimers and the two shared templates."""
        return self.disclaimers, *(f"{self.templates}/{domain}.pot" for domain in (DISCLAIMERS_DOMAIN, UI_DOMAIN))

    def catalog(self, locale: str, domain: str) -> str:
        return f"{dict(self.folders)[locale]}/LC_MESSAGES/{domain}.po"

    def locale(self, locale: str) -> tuple[str, ...]:
        """What every page of one locale depends on: its shared catalogs and its own files (review, sign-offs...)."""
        catalogs = (self.catalog(locale, domain) for domain in (DISCLAIMERS_DOMAIN, UI_DOMAIN))
        return *catalogs, *dict(self.own)[locale]

    def files(self, locale: str, page: str) -> frozenset[str]:
        """Every file one page of one locale depends on: the commits that change none of them change nothing for it."""
        return frozenset((*self.page(page), self.catalog(locale, page), *self.shared(), *self.locale(locale)))


def copy_files(reader: BlobReader, commit: str, root: Path, paths: Iterable[str]) -> bool:
    """Write the files ``commit`` had at ``paths`` below ``root``; whether it had every one."""
    complete = True
    for rel in paths:
        data = reader.read(commit, rel)
        if data is None:
            complete = False
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return complete


def prepare(layout: Layout, reader: BlobReader, commit: str, root: Path, pages: Iterable[str]) -> set[str]:
    """Write what every locale shares at ``commit`` below ``root``; return the pages that did not exist then."""
    copy_files(reader, commit, root, layout.shared())
    for folder in (layout.sources, layout.templates):
        (root / folder).mkdir(parents=True, exist_ok=True)
    return {page for page in pages if not copy_files(reader, commit, root, layout.page(page))}


@dataclass(frozen=True)
class Request:
    """Judge ``pages`` of ``locale`` at ``commit``, whose shared files :func:`prepare` wrote below ``root``."""

    history: History
    commit: str
    root: Path
    locale: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Judged:
    """What a request found: each page's evaluation, and the locale's frame when a page passed."""

    commit: str
    locale: str
    pages: dict[str, Evaluation]
    frame: FrameSource | None


@guarded
def judge_task(request: Request) -> Judged:
    """A pool task: the locale's files from git (one reader), then the assessment with the worker's parser."""
    config: Config = STATE["run"].config
    layout = Layout.of(config)
    with request.history.reader() as reader:
        copy_files(reader, request.commit, request.root, layout.locale(request.locale))
        catalogs = {page: layout.catalog(request.locale, page) for page in request.pages}
        absent = {page for page, rel in catalogs.items() if not copy_files(reader, request.commit, request.root, [rel])}
    found = {page: Evaluation(False, (NOT_YET,), ended=True) for page in absent}
    found.update(_too_little(config, request, [page for page in request.pages if page not in absent]))
    frame = None
    if len(found) < len(request.pages):
        evaluations, frame = judge(config, request, set(found))
        found.update(evaluations)
    return Judged(request.commit, request.locale, found, frame)


def _too_little(config: Config, request: Request, pages: list[str]) -> dict[str, Evaluation]:
    """The pages translated below the threshold at the revision: withheld by that alone, known without assessing.

    The same count the ``threshold`` check makes; a page translated over many commits
    is then rejected at each of them for the price of reading one catalog.
    """
    found = {}
    moved_config = moved(config, request.root)
    for page in pages:
        path = po_path(moved_config, request.locale, page)
        try:
            counts = count_catalog(read_catalog(path, moved_config.relative(path), request.locale))
        except CarepagesError:
            continue  # the assessment says what is wrong with it
        if counts.percent < config.publish_threshold:
            found[page] = Evaluation(False, (below_threshold(counts, config.publish_threshold),))
    return found


def judge(config: Config, request: Request, known: set[str]) -> tuple[dict[str, Evaluation], FrameSource | None]:
    """Assess the locale at the revision: each other page's evaluation, and the frame when one passed."""
    present = [page for page in request.pages if page not in known]
    try:
        run = revision_run(config, request)
        run.carried = _carried(run, request)
        assessment = assess_locale(run, request.locale, STATE["parser"], _drafts(request))
    except CarepagesError as exc:
        reason = f"the English text could not be read then: {exc.message}"
        return {page: Evaluation(False, (reason,)) for page in present}, None
    found = {page: _evaluation(run.source_domains[page], assessment, request) for page in present}
    passed = any(evaluation.passed for evaluation in found.values())
    return found, _frame(assessment, request) if passed else None


def _carried(run: RunContext, request: Request) -> CarriedMap:
    """The carried disclaimer translations of the request's pages at the revision, judged by the history up
    to it, as the build judges the working tree by HEAD's (:mod:`carepages.carryover`)."""
    domains = {DISCLAIMERS_DOMAIN, *request.pages}
    wanted = {domain: ids for domain, ids in run.disclaimer_msgids.items() if domain in domains}
    history, start = request.history, request.commit
    return find_carried(run.config, wanted, [request.locale], history, start=start, keep=False)


def revision_run(config: Config, request: Request) -> RunContext:
    """The sources and templates of the revision, parsed once per worker (the last revision is kept)."""
    kept = STATE.get("pinned_run")
    if kept is not None and kept[0] == (request.commit, request.root):
        return kept[1]
    parser = STATE.setdefault("extract_parser", PageParser())  # extraction needs source lines: not the build's
    STATE["pinned_run"] = None
    run = load_run(moved(config, request.root), parser, own_interface=True)
    STATE["pinned_run"] = ((request.commit, request.root), run)
    return run


def moved(config: Config, root: Path) -> Config:
    """Today's settings, with every folder where the temporary copy has it (the same paths below its root)."""

    def move(path: Path) -> Path:
        return root / config.relative(path)

    return replace(
        config,
        root=root,
        pyproject=move(config.pyproject),
        source_dir=move(config.source_dir),
        locale_dir=move(config.locale_dir),
        dist_dir=root / ".dist",
        disclaimers_file=move(config.disclaimers_file),
    )


def _drafts(request: Request) -> Path:
    return request.root / ".drafts" / request.locale


def _evaluation(messages: PageMessages, assessment: Assessment, request: Request) -> Evaluation:
    """One page's evaluation from the locale's assessment at that revision."""
    verdict, page = assessment.verdict, messages.domain
    if not verdict.publishes(page):
        return Evaluation(False, verdict.why(verdict.page(page)))
    draft = Draft.load(draft_path(_drafts(request), page))
    total = len({segment.msgid for segment in messages.segments})
    expected = {d: ids for d, ids in assessment.expected.items() if d in (DISCLAIMERS_DOMAIN, page)}
    reviewed = messages.page.meta.last_reviewed
    return Evaluation(True, source=PageSource(draft, total, reviewed.isoformat() if reviewed else "", expected))


def _frame(assessment: Assessment, request: Request) -> FrameSource:
    """The locale's frame at the revision: its shared disclaimers as rendered then, interface strings, review."""
    disclaimers = Draft.load(draft_path(_drafts(request), DISCLAIMERS_DOMAIN))
    return FrameSource(disclaimers, assessment.ui_mo)
