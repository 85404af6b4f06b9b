"""``carepages build``: every published locale's pages, the index, the manifest and the bundles in dist/.

How a build runs:

1. **Lock.** ``fcntl.flock`` on ``.<dist>-build.lock`` in the project folder: a
   second build waits for the first (up to :data:`LOCK_TIMEOUT` seconds), so two
   builds never interleave their writes.
2. **Decide.** Each locale's inputs (its catalogs and review file, the source
   pages, the templates and the tool's own code, the configuration) are hashed
   into a *status key*. A locale whose key is in the cache kept by the previous
   build (``dist/.carepages-cache.json``) is not even parsed; the others are
   assessed in worker processes (:func:`carepages.translate.assess_locale`):
   completion against the threshold, and the disclaimer gate. (The cache is the
   one file of dist/ that ``manifest.json`` does not list: it is the build's, not
   the reader's.)
3. **Render.** A published locale's *render key* is its status key plus the list
   of published locales (which every page names in its language switcher). Only
   locales whose render key changed are rendered, in parallel in page chunks (so
   every core stays busy), one :class:`PageParser` per worker, each page streamed
   to disk as it is made, then each locale's bundle is zipped; the others' files
   are hard-linked from the previous dist/.
4. **Swap.** Everything is written to a staging folder beside dist/ and swapped in
   with two renames; a failed or interrupted build removes its staging folder and
   leaves the previous dist/ exactly as it was (an interruption between the two
   renames is repaired by the next build). When nothing changed, dist/ is not
   touched at all.

Outputs are byte-identical for identical inputs. The one input from outside the
project's files is the git revision recorded in ``manifest.json`` (``source_revision``,
from ``git rev-parse HEAD`` when the project is in a git checkout): two checkouts of
the same files at different commits give the same pages and a different manifest.
It takes no part in the cache keys, so a new commit alone re-renders nothing.

``-l LOCALE`` limits the work to those locales (and the source language, which is
always built): other locales keep the pages, status and bundle of the previous
build, possibly out of date, and the index and manifest still describe them. A
locale that no build has made yet is listed as not built.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

import carepages
from carepages.config import Config
from carepages.errors import CarepagesError, raise_all
from carepages.extract import DISCLAIMERS_DOMAIN, PageMessages, Sources, extract_sources
from carepages.markdown_ext import PageParser
from carepages.render.html import (
    IndexEntry,
    IndexPage,
    PageView,
    alternates,
    language,
    long_date,
    make_environment,
    markdown_html,
    render_index,
    render_page,
    source_language_name,
    split_heading,
    text_labels,
    ui_messages,
)
from carepages.render.text import html_to_text
from carepages.review import REVIEWED, SOURCE, Review, load_review, review_path
from carepages.stats import Counts
from carepages.translate import (
    LocaleStatus,
    PageLookup,
    TranslationTable,
    UiTranslations,
    assess_locale,
    build_domains,
    load_catalogs,
    source_status,
)

#: Bump when the cache's layout or meaning changes: an old cache is then ignored.
CACHE_FORMAT = 1
CACHE_NAME = ".carepages-cache.json"
MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"
#: Seconds a build waits for another build of the same project before giving up.
LOCK_TIMEOUT = 600.0
#: Zip entries carry this timestamp (the earliest a zip can hold), so bundles are byte-identical.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
NOT_BUILT = "not built yet: run carepages build without -l"
#: Rendering passes no source lines: segments' line numbers are for templates and errors, not pages.
NO_LINES: list[str] = []
LIBRARIES = ("Babel", "Markdown", "nh3", "Jinja2", "MarkupSafe", "wcwidth")


# -- input keys ---------------------------------------------------------------------------


def _hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path], base: Path) -> str:
    """One hash over the names and contents of ``paths`` (sorted), as the inputs of a key."""
    parts: list[str | bytes] = []
    for path in sorted(set(paths)):
        parts += [path.relative_to(base).as_posix(), path.read_bytes()]
    return _hash(*parts)


def code_digest() -> str:
    """The tool itself: its version, its code and templates, and the libraries that shape output."""
    package = Path(carepages.__file__).parent
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    versions = [f"{name}={_version(name)}" for name in LIBRARIES]
    return _hash(carepages.__version__, *versions, files_digest(files, package))


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def base_key(config: Config) -> str:
    """What every locale's pages depend on: the code, the settings that shape output, the source."""
    settings = json.dumps(
        [config.source_language, config.publish_threshold, config.line_width, config.project_name],
        ensure_ascii=False,
    )
    sources = [p for p in config.source_dir.glob("*.md") if p.is_file()]
    if config.disclaimers_file.is_file():
        sources.append(config.disclaimers_file)
    return _hash(str(CACHE_FORMAT), code_digest(), settings, files_digest(sources, config.root))


def locale_key(config: Config, base: str, locale: str) -> str:
    """A locale's status key: the base plus its catalogs and review file."""
    if locale == config.source_language:
        return _hash(base, "source")
    folder = config.locale_dir / locale / "LC_MESSAGES"
    files = [p for p in folder.glob("*.po") if p.is_file()] if folder.is_dir() else []
    review = review_path(config, locale)
    if review.is_file():
        files.append(review)
    return _hash(base, locale, files_digest(files, config.root))


def render_key(status_key: str, published: list[str]) -> str:
    """Pages also name every published locale (switcher, hreflang): a change there re-renders."""
    return _hash(status_key, *published)


# -- the cache kept in dist/ ----------------------------------------------------------------


@dataclass
class Entry:
    """What the previous build knew about one locale, and the files it made for it."""

    status_key: str
    status: LocaleStatus
    render_key: str = ""
    pages: list[tuple[str, str]] = field(default_factory=list)  # (page name, title in the locale)
    files: dict[str, tuple[int, str]] = field(default_factory=dict)  # rel -> (size, sha256)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status_key": self.status_key,
            "status": self.status.as_dict(),
            "render_key": self.render_key,
            "pages": [list(page) for page in self.pages],
            "files": {rel: list(info) for rel, info in sorted(self.files.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        return cls(
            status_key=data["status_key"],
            status=LocaleStatus.from_dict(data["status"]),
            render_key=data["render_key"],
            pages=[(name, title) for name, title in data["pages"]],
            files={rel: (int(size), str(sha)) for rel, (size, sha) in data["files"].items()},
        )

    def files_present(self, dist: Path) -> bool:
        """Whether the previous dist/ still holds every file, at its recorded size."""
        try:
            return all((dist / rel).stat().st_size == size for rel, (size, _) in self.files.items())
        except OSError:
            return False


def read_cache(dist: Path) -> dict[str, Entry]:
    """The previous build's cache; a missing, old or damaged one just means rendering everything."""
    try:
        data = json.loads((dist / CACHE_NAME).read_text(encoding="utf-8"))
        if data.get("format") != CACHE_FORMAT:
            return {}
        return {locale: Entry.from_dict(entry) for locale, entry in data["locales"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def cache_bytes(entries: dict[str, Entry]) -> bytes:
    data = {"format": CACHE_FORMAT, "locales": {code: entry.as_dict() for code, entry in entries.items()}}
    return _json_bytes(data)


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


# -- workers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderJob:
    """Render pages ``start`` to ``stop`` (source order) of one locale into the staging folder."""

    locale: str
    status: LocaleStatus
    published: tuple[str, ...]
    staging: Path
    start: int = 0
    stop: int | None = None


@dataclass(frozen=True)
class LocaleResult:
    """What one render job made: (page, title) in order, and each file's size and sha256."""

    locale: str
    start: int
    pages: list[tuple[str, str]]
    files: dict[str, tuple[int, str]]


@dataclass(frozen=True)
class BundleJob:
    locale: str
    staging: Path
    pages: tuple[str, ...]


@dataclass(frozen=True)
class Failure:
    """A worker's input errors, as plain data (exceptions with extra fields do not pickle well)."""

    errors: list[tuple[str, str | None, int | None, str | None]]

    @classmethod
    def of(cls, exc: CarepagesError) -> Failure:
        found = getattr(exc, "errors", None) or [exc]
        return cls([(e.message, str(e.path) if e.path else None, e.line, e.hint) for e in found])

    def exceptions(self) -> list[CarepagesError]:
        return [CarepagesError(message, path, line, hint) for message, path, line, hint in self.errors]


class LocaleWriter:
    """Writes pages of one locale into the staging folder, recording each file's size and hash."""

    def __init__(self, staging: Path, locale: str) -> None:
        self.staging = staging
        self.locale = locale
        (staging / locale).mkdir(parents=True, exist_ok=True)
        self.files: dict[str, tuple[int, str]] = {}

    def add(self, name: str, data: bytes) -> None:
        rel = f"{self.locale}/{name}"
        (self.staging / rel).write_bytes(data)
        self.files[rel] = (len(data), hashlib.sha256(data).hexdigest())


def write_bundle(job: BundleJob) -> tuple[str, tuple[int, str]]:
    """``downloads/<lang>.zip``: the locale's pages in source order, HTML then text, fixed metadata."""
    rel = f"downloads/{job.locale}.zip"
    target = job.staging / rel
    target.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name in job.pages:
            for suffix in ("html", "txt"):
                member = f"{job.locale}/{name}.{suffix}"
                info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, whatever the platform, so the bytes do not depend on it
                info.external_attr = 0o644 << 16
                bundle.writestr(info, (job.staging / member).read_bytes())
    data = target.read_bytes()
    return rel, (len(data), hashlib.sha256(data).hexdigest())


class Worker:
    """One process's share of a build: a parser and a template environment, reused for every locale."""

    def __init__(self, config: Config, sources: Sources, ui_ids: list[str], work_dir: Path) -> None:
        self.config = config
        self.sources = sources
        self.ui_ids = ui_ids
        self.work_dir = work_dir
        self.parser = PageParser(keep_blocks=True)
        self.env: Environment = make_environment()

    def table_path(self, locale: str) -> Path:
        return self.work_dir / f"{locale}.table"

    def assess(self, locale: str) -> LocaleStatus:
        """Parse the locale's catalogs once: decide, and keep what rendering needs on disk."""
        catalogs = load_catalogs(self.config, locale, build_domains(self.sources))
        review = load_review(self.config, locale)
        status = assess_locale(self.config, locale, self.sources, self.ui_ids, catalogs, review)
        if status.published:
            TranslationTable.from_catalogs(locale, catalogs).save(self.table_path(locale))
        return status

    def render(self, job: RenderJob) -> LocaleResult:
        """Every page of one locale, in both formats, straight to the staging folder."""
        source = job.locale == self.config.source_language
        table = None if source else TranslationTable.load(self.table_path(job.locale))
        translations = UiTranslations(table.ui_mo if table else None)
        labels = text_labels(self.env, translations)
        shared_page = self.sources.shared.page
        shared = _lookup(table, DISCLAIMERS_DOMAIN)
        disclaimers = Markup(markdown_html(self.parser, shared_page, NO_LINES, shared))
        writer = LocaleWriter(job.staging, job.locale)
        titles = []
        for messages in self.sources.pages[job.start : job.stop]:
            view = self.page_view(job, messages, _lookup(table, messages.domain), disclaimers, shared.fell_back)
            rendered = render_page(self.env, translations, view, track=table is not None)
            text = html_to_text(rendered.fragment, self.config.line_width, labels)
            writer.add(f"{messages.domain}.html", rendered.document.encode("utf-8"))
            writer.add(f"{messages.domain}.txt", text.encode("utf-8"))
            titles.append((messages.domain, view.title))
        return LocaleResult(job.locale, job.start, titles, writer.files)

    def page_view(
        self, job: RenderJob, messages: PageMessages, lookup: PageLookup, disclaimers: Markup, shared_fell_back: bool
    ) -> PageView:
        """Translate one page: the body through the parser with the lookup, then title and notices."""
        page, locale, review = messages.page, job.locale, job.status.review
        body = markdown_html(self.parser, page, NO_LINES, lookup)
        title = lookup.text(page.meta.title)
        heading, rest = split_heading(body, title)
        reviewed = review.status == REVIEWED
        return PageView(
            lang=language(locale),
            title=title,
            description=lookup.text(page.meta.description),
            heading=heading,
            body=rest,
            disclaimers=disclaimers,
            alternates=alternates(page.name, locale, job.published),
            source_name=source_language_name(self.config.source_language, locale),
            draft=review.is_draft,
            fallback=lookup.fell_back or shared_fell_back,
            last_reviewed=long_date(page.meta.last_reviewed, locale),
            reviewer=review.reviewer if reviewed else "",
            reviewed_on=long_date(review.reviewed_on, locale) if reviewed else "",
        )


def _lookup(table: TranslationTable | None, domain: str) -> PageLookup:
    """The source language looks nothing up; a locale without a domain's catalog falls back for all of it."""
    return PageLookup(None if table is None else table.domains.get(domain, {}))


_WORKER: Worker | None = None


def _init_worker(config: Config, sources: Sources, ui_ids: list[str], work_dir: Path) -> None:
    global _WORKER
    _WORKER = Worker(config, sources, ui_ids, work_dir)


def _assess_task(locale: str) -> LocaleStatus | Failure:
    assert _WORKER is not None
    try:
        return _WORKER.assess(locale)
    except CarepagesError as exc:
        return Failure.of(exc)


def _render_task(job: RenderJob) -> LocaleResult | Failure:
    assert _WORKER is not None
    try:
        return _WORKER.render(job)
    except CarepagesError as exc:
        return Failure.of(exc)


def _bundle_task(job: BundleJob) -> tuple[str, tuple[str, tuple[int, str]]]:
    return job.locale, write_bundle(job)


class Runner:
    """Runs tasks across processes (one per available core), or in this process for ``jobs=1``."""

    def __init__(self, jobs: int, init_args: tuple[Any, ...]) -> None:
        self.jobs = jobs
        self.init_args = init_args
        self.pool: ProcessPoolExecutor | None = None
        self.local = False

    def run(self, task: Any, items: list[Any]) -> Iterator[Any]:
        """Yield the tasks' results as they complete; input errors of all of them are raised together."""
        failures: list[CarepagesError] = []
        for result in self._results(task, items):
            if isinstance(result, Failure):
                failures.extend(result.exceptions())
            else:
                yield result
        raise_all(failures)

    def _results(self, task: Any, items: list[Any]) -> Iterator[Any]:
        if self.jobs <= 1 or (len(items) <= 1 and self.pool is None):
            if not self.local:
                _init_worker(*self.init_args)
                self.local = True
            yield from (task(item) for item in items)
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs, initializer=_init_worker, initargs=self.init_args)
        futures: list[Future[Any]] = [self.pool.submit(task, item) for item in items]
        for future in as_completed(futures):
            yield future.result()

    def start(self, task: Any, item: Any) -> Future[Any]:
        """Queue one more task behind those already running (run here, at once, without a pool)."""
        if self.pool is not None:
            return self.pool.submit(task, item)
        done: Future[Any] = Future()
        done.set_result(task(item))
        return done

    def close(self) -> None:
        global _WORKER
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.local:
            _WORKER = None


def chunk_size(pages: int, locales: int, jobs: int) -> int:
    """Pages per render task: about four tasks per worker in all, so no worker idles at the end."""
    if jobs <= 1 or pages == 0:
        return max(pages, 1)
    per_locale = max(1, -(-4 * jobs // locales))
    return max(1, -(-pages // per_locale))


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# -- the folder: lock, staging, swap ----------------------------------------------------------


@contextlib.contextmanager
def build_lock(config: Config, progress: Progress) -> Iterator[None]:
    """Hold the project's build lock; wait for another build, up to :data:`LOCK_TIMEOUT` seconds."""
    dist = config.dist_dir
    dist.parent.mkdir(parents=True, exist_ok=True)
    path = dist.parent / f".{dist.name}-build.lock"
    with path.open("a+b") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT
        waiting = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CarepagesError(
                        "another build of this project is still running",
                        path=config.relative(path),
                        hint="wait for it to finish, then build again",
                    ) from None
                if not waiting:
                    progress.note("waiting for another build of this project to finish")
                    waiting = True
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _siblings(dist: Path, kind: str) -> list[Path]:
    return sorted(dist.parent.glob(f".{dist.name}-{kind}-*"))


def recover(dist: Path) -> None:
    """Repair what an interrupted build left: put an old dist/ back if it was moved away, drop leftovers."""
    olds = _siblings(dist, "old")
    if olds and not dist.exists():
        os.rename(olds.pop(), dist)
    for leftover in [*olds, *_siblings(dist, "staging"), *_siblings(dist, "work")]:
        shutil.rmtree(leftover, ignore_errors=True)


def swap_in(staging: Path, dist: Path) -> None:
    """Replace dist/ by the staging folder whole: dist/ is always entirely old or entirely new."""
    old = dist.parent / f".{dist.name}-old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    had_dist = dist.exists()
    if had_dist:
        os.rename(dist, old)
    os.rename(staging, dist)
    if had_dist:
        shutil.rmtree(old, ignore_errors=True)


def link_or_copy(source: Path, target: Path) -> None:
    """Reuse a previous output: a hard link (instant, same file system), or a copy where links fail."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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


# -- summary and progress -----------------------------------------------------------------------


class Progress:
    """Progress for a person at a terminal (stderr); silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def note(self, message: str) -> None:
        if self.enabled:
            print(f"build: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class LocaleOutcome:
    """What the build did with one locale."""

    status: LocaleStatus
    rendered: int = 0
    reused: int = 0
    selected: bool = True  # False: left alone because of -l

    @property
    def locale(self) -> str:
        return self.status.locale


@dataclass(frozen=True)
class BuildSummary:
    """The result of a build, for the CLI to print and tests to assert."""

    dist: str
    outcomes: tuple[LocaleOutcome, ...]
    strict: bool = False
    changed: bool = True

    @property
    def pages_rendered(self) -> int:
        return sum(outcome.rendered for outcome in self.outcomes)

    @property
    def pages_reused(self) -> int:
        return sum(outcome.reused for outcome in self.outcomes)

    @property
    def published(self) -> list[str]:
        return [o.locale for o in self.outcomes if o.status.published and (o.rendered or o.reused)]

    @property
    def left_out(self) -> dict[str, tuple[str, ...]]:
        """Locales of this build that are not published, with the reasons."""
        return {o.locale: o.status.reasons for o in self.outcomes if o.selected and not o.status.published}

    @property
    def failed(self) -> bool:
        return self.strict and bool(self.left_out)

    def report_lines(self) -> list[str]:
        lines = [_outcome_line(outcome) for outcome in self.outcomes if outcome.status.published]
        for outcome in self.outcomes:
            for reason in outcome.status.reasons:
                lines.append(f"{outcome.locale}: left out: {reason}")
        where = "updated" if self.changed else "unchanged"
        lines.append(
            f"build: {len(self.published)} locale(s) published, {len(self.left_out)} left out; "
            f"{self.pages_rendered} page(s) rendered, {self.pages_reused} reused; {self.dist}/ {where}"
        )
        if self.failed:
            lines.append(f"build: failed: {len(self.left_out)} locale(s) left out (--strict)")
        return lines


def _outcome_line(outcome: LocaleOutcome) -> str:
    status = outcome.status
    done = f"{outcome.rendered} page(s) rendered" if outcome.rendered else f"{outcome.reused} page(s) unchanged"
    if not outcome.selected:
        done += " (kept from the previous build: not selected with -l)"
    return f"{outcome.locale}: published, {status.percent:.1f} % translated, review: {status.review.status}; {done}"


# -- the build ------------------------------------------------------------------------------------


def run_build(
    config: Config,
    locales: list[str] | None = None,
    *,
    strict: bool = False,
    jobs: int | None = None,
    progress: bool = False,
) -> BuildSummary:
    """Build dist/ (see the module docstring); return what was done, for the report."""
    if jobs is not None and jobs < 1:
        raise CarepagesError(f"--jobs must be at least 1, not {jobs}", hint="use -j 1 to build in one process")
    selected = config.select_locales(locales, allow_source=True)
    if config.dist_dir.exists() and not config.dist_dir.is_dir():
        raise CarepagesError(
            "exists and is not a folder: the build would replace it",
            path=config.relative(config.dist_dir),
            hint="move the file away, or set tool.carepages.dist_dir to another folder",
        )
    reporter = Progress(progress)
    with build_lock(config, reporter):
        recover(config.dist_dir)
        return Build(config, selected, strict, jobs or available_cores(), reporter).run()


class Build:
    """One build, from the decision to the swap. Small steps; the state lives here."""

    def __init__(self, config: Config, selected: list[str], strict: bool, jobs: int, progress: Progress) -> None:
        self.config = config
        self.dist = config.dist_dir
        self.source = config.source_language
        self.order = [self.source, *config.locales]
        self.selected = {self.source, *selected}
        self.strict = strict
        self.jobs = jobs
        self.progress = progress
        self.previous = read_cache(self.dist)
        self.entries: dict[str, Entry] = {}
        self.rendered: dict[str, int] = {}
        self.work = Path(tempfile.mkdtemp(prefix=f".{self.dist.name}-work-", dir=self.dist.parent))
        self.assessed: set[str] = set()  # locales whose catalogs this build has read (tables on disk)
        self._sources: Sources | None = None
        self._runner: Runner | None = None

    def run(self) -> BuildSummary:
        try:
            base = base_key(self.config)
            keys = {code: locale_key(self.config, base, code) for code in self.order if code in self.selected}
            self.decide(keys)
            published = [code for code in self.order if code in self.entries and self.entries[code].status.published]
            jobs = self.render_plan(keys, published)
            return self.publish(jobs, published)
        finally:
            if self._runner is not None:
                self._runner.close()
            shutil.rmtree(self.work, ignore_errors=True)

    # step 2: statuses

    def decide(self, keys: dict[str, str]) -> None:
        """Every locale's status: from the cache when its inputs did not change, else assessed."""
        for code in self.order:
            entry = self.previous.get(code)
            if code not in self.selected:
                if entry is not None and (not entry.status.published or entry.files_present(self.dist)):
                    self.entries[code] = entry
            elif entry is not None and entry.status_key == keys[code]:
                self.entries[code] = Entry(keys[code], entry.status, entry.render_key, entry.pages, entry.files)
        todo = [code for code in self.order if code in self.selected and code not in self.entries]
        self.assess(todo, keys)

    def assess(self, codes: list[str], keys: dict[str, str]) -> None:
        """Assess locales in the workers (the source language needs no catalogs)."""
        if self.source in codes:
            self.entries[self.source] = Entry(keys[self.source], source_status(self.config))
        others = [code for code in codes if code != self.source]
        if not others:
            return
        self.progress.note(f"reading the catalogs of {len(others)} locale(s)")
        for status in self.runner().run(_assess_task, others):
            self.entries[status.locale] = Entry(keys[status.locale], status)
            self.assessed.add(status.locale)
            self.progress.note(f"{status.locale}: {'published' if status.published else 'left out'}")

    # step 3: what to render

    def render_plan(self, keys: dict[str, str], published: list[str]) -> list[RenderJob]:
        """Locales whose pages must be made again; the others keep the previous files."""
        jobs = []
        for code in published:
            if code not in self.selected:
                continue
            entry = self.entries[code]
            wanted = render_key(keys[code], published)
            if entry.render_key == wanted and entry.files and entry.files_present(self.dist):
                continue
            self.entries[code] = Entry(keys[code], entry.status, wanted)
            jobs.append(RenderJob(code, entry.status, tuple(published), Path()))
        need_tables = [job.locale for job in jobs if job.locale != self.source and job.locale not in self.assessed]
        if need_tables:
            list(self.runner().run(_assess_task, need_tables))
        return jobs

    def sources(self) -> Sources:
        """The parsed source pages, read only when something must be assessed or rendered."""
        if self._sources is None:
            self._sources = extract_sources(self.config)
        return self._sources

    def runner(self) -> Runner:
        if self._runner is None:
            ui_ids = [msgid for msgid, *_ in ui_messages()]
            self._runner = Runner(self.jobs, (self.config, self.sources(), ui_ids, self.work))
        return self._runner

    # step 4: write and swap

    def publish(self, jobs: list[RenderJob], published: list[str]) -> BuildSummary:
        if not jobs:
            index, manifest, cache = self.finishing_files(published)
            if self.unchanged(index, manifest, cache):
                self.progress.note("nothing changed")
                return self.summary(changed=False)
        staging = Path(tempfile.mkdtemp(prefix=f".{self.dist.name}-staging-", dir=self.dist.parent))
        try:
            os.chmod(staging, 0o755)
            self.reuse(staging, published)
            self.render(jobs, staging)
            index, manifest, cache = self.finishing_files(published)
            (staging / INDEX_NAME).write_bytes(index)
            (staging / MANIFEST_NAME).write_bytes(manifest)
            (staging / CACHE_NAME).write_bytes(cache)
            swap_in(staging, self.dist)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self.summary(changed=True)

    def reuse(self, staging: Path, published: list[str]) -> None:
        """Hard-link the unchanged locales' files from the previous dist/."""
        for code in published:
            entry = self.entries[code]
            if entry.files:
                for rel in entry.files:
                    link_or_copy(self.dist / rel, staging / rel)

    def render(self, jobs: list[RenderJob], staging: Path) -> None:
        """Render in page chunks (so every worker stays busy); zip each locale once its pages are done.

        A locale's zip is queued as soon as its last chunk is back, so the zips fill
        the time a worker would otherwise wait for the others' last chunks.
        """
        if not jobs:
            return
        self.progress.note(f"rendering {len(jobs)} locale(s)")
        pages = len(self.sources().pages)
        size = chunk_size(pages, len(jobs), self.jobs)
        chunks = [
            RenderJob(job.locale, job.status, job.published, staging, start, start + size)
            for job in jobs
            for start in range(0, max(pages, 1), size)
        ]
        waiting = Counter(chunk.locale for chunk in chunks)
        results: dict[str, list[LocaleResult]] = {job.locale: [] for job in jobs}
        bundles: list[Future[tuple[str, tuple[str, tuple[int, str]]]]] = []
        for result in self.runner().run(_render_task, chunks):
            results[result.locale].append(result)
            waiting[result.locale] -= 1
            if not waiting[result.locale]:
                bundles.append(self.runner().start(_bundle_task, self.rendered_locale(result.locale, results, staging)))
        for done, future in enumerate(as_completed(bundles), start=1):
            locale, (rel, info) = future.result()
            self.entries[locale].files[rel] = info
            self.progress.note(f"[{done}/{len(jobs)}] {locale}: {self.rendered[locale]} page(s)")

    def rendered_locale(self, locale: str, results: dict[str, list[LocaleResult]], staging: Path) -> BundleJob:
        """Record a locale's rendered pages and files (chunks in page order); return its zip job."""
        parts = sorted(results[locale], key=lambda part: part.start)
        entry = self.entries[locale]
        titles = [title for part in parts for title in part.pages]
        files = {rel: info for part in parts for rel, info in part.files.items()}
        self.entries[locale] = Entry(entry.status_key, entry.status, entry.render_key, titles, files)
        self.rendered[locale] = len(titles)
        return BundleJob(locale, staging, tuple(name for name, _ in titles))

    def finishing_files(self, published: list[str]) -> tuple[bytes, bytes, bytes]:
        """index.html, manifest.json and the cache, from the entries (no file is read)."""
        index = self.index_html(published).encode("utf-8")
        files: dict[str, tuple[int, str]] = {INDEX_NAME: (len(index), hashlib.sha256(index).hexdigest())}
        for code in published:
            files.update(self.entries[code].files)
        manifest = _json_bytes(self.manifest(files, published))
        cache = cache_bytes({code: self.entries[code] for code in self.order if code in self.entries})
        return index, manifest, cache

    def unchanged(self, index: bytes, manifest: bytes, cache: bytes) -> bool:
        """True when dist/ already holds exactly this build (then it is not touched)."""
        wanted = {INDEX_NAME: index, MANIFEST_NAME: manifest, CACHE_NAME: cache}
        try:
            return all((self.dist / name).read_bytes() == data for name, data in wanted.items())
        except OSError:
            return False

    def index_html(self, published: list[str]) -> str:
        shown, left = [], []
        for code in self.order:
            entry = self.entries.get(code)
            if entry is not None and code in published:
                pages = tuple(IndexPage(name, title) for name, title in entry.pages)
                shown.append(IndexEntry(language(code), _percent(entry.status), _review_text(entry.status), pages))
            else:
                status = entry.status if entry is not None else None
                reasons = status.reasons if status is not None else (NOT_BUILT,)
                percent = _percent(status) if status is not None else "?"
                left.append(IndexEntry(language(code), percent, "", reasons=reasons))
        return render_index(make_environment(), self.config, shown, left)

    def manifest(self, files: dict[str, tuple[int, str]], published: list[str]) -> dict[str, Any]:
        locales: dict[str, Any] = {}
        for code in self.order:
            entry = self.entries.get(code)
            if entry is None:
                locales[code] = {"published": False, "reasons": [NOT_BUILT]}
                continue
            data = entry.status.as_dict()
            data.pop("locale")
            data["published"] = code in published
            data["pages"] = [name for name, _ in entry.pages] if code in published else []
            locales[code] = data
        manifest: dict[str, Any] = {
            "generator": f"carepages {carepages.__version__}",
            "project": self.config.project_name,
            "source_language": self.source,
            "publish_threshold": self.config.publish_threshold,
            "locales": locales,
            "files": {rel: {"size": size, "sha256": sha} for rel, (size, sha) in sorted(files.items())},
        }
        revision = source_revision(self.config.root)
        if revision:
            manifest["source_revision"] = revision
        return manifest

    def summary(self, changed: bool) -> BuildSummary:
        outcomes = []
        for code in self.order:
            entry = self.entries.get(code)
            status = entry.status if entry is not None else LocaleStatus(code, Counts(), Review(), (NOT_BUILT,))
            rendered = self.rendered.get(code, 0)
            reused = 0 if rendered or entry is None or not status.published else len(entry.pages)
            outcomes.append(LocaleOutcome(status, rendered, reused, code in self.selected))
        return BuildSummary(self.config.relative(self.dist), tuple(outcomes), self.strict, changed)


def _percent(status: LocaleStatus) -> str:
    return f"{status.percent:.1f} %"


def _review_text(status: LocaleStatus) -> str:
    review = status.review
    if review.status == SOURCE:
        return "source text"
    if review.status == REVIEWED and review.reviewed_on:
        return f"reviewed by {review.reviewer} on {review.reviewed_on.isoformat()}"
    return "draft: not yet reviewed by a medical translator"
