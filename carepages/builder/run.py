"""One build, step by step: lock, recover, assess, pin, plan, render, publish, swap.

1. **Assess.** Every selected locale's key (:mod:`carepages.builder.keys`) is looked
   up in the cache; a locale whose inputs changed is assessed in the workers
   (:func:`carepages.assess.assess_locale`: read, render, check, decide), keeping
   each page's draft in the work folder. Then each stale page is pinned to an
   earlier revision where one passed (:mod:`carepages.pinning`), decided again on
   every build from the unpinned verdict, since history moves on.
2. **Plan.** A page is published where its locale's verdict publishes it; its
   language switcher names exactly those locales. A page whose key (the files it is
   made from, what the verdict says of it, that list: :class:`~carepages.builder.keys.PageKeys`)
   is unchanged and whose previous files are still byte for byte
   what the build recorded is reused; every other published page is rendered.
3. **Publish.** Pages, bundles, ``index.html`` and ``manifest.json`` go to a staging
   folder that replaces dist/ whole; when nothing changed, dist/ is not touched.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, as_completed
from dataclasses import replace
from pathlib import Path

from carepages import langident
from carepages.assess import Assessment, load_run
from carepages.builder import dist as dist_folder
from carepages.builder.cache import FileInfo, LocaleEntry, PageEntry, pin_store, read_cache, write_cache
from carepages.builder.editions import (
    PageTask,
    Reused,
    edition_key,
    language_switchers,
    slot,
)
from carepages.builder.keys import PageKeys, digest, locale_key, source_key
from carepages.builder.outputs import BundleJob
from carepages.builder.published import Published
from carepages.builder.summary import BuildSummary, Progress, locale_outcomes
from carepages.builder.worker import (
    AssessJob,
    Rendered,
    RenderJob,
    assess_task,
    bundle_task,
    init_worker,
    render_task,
)
from carepages.checks.context import ExpectedDisclaimers
from carepages.checks.model import Finding
from carepages.checks.outputs import LocaleOutput, built_findings
from carepages.clinics import Edition, missing_values
from carepages.config import Config
from carepages.errors import CarepagesError, raise_all, write_error
from carepages.integrity import Snapshot, snapshot
from carepages.layout import bundle_members, bundle_name
from carepages.parallel import Runner, chunked, default_jobs
from carepages.pinning import PinnedPage, resolve_pins
from carepages.readback import Readings
from carepages.render.pdf import handouts_unavailable
from carepages.stats import keep_counts
from carepages.verdict import error_count


def run_build(
    config: Config,
    locales: list[str] | None = None,
    *,
    clinics: list[str] | None = None,
    strict: bool = False,
    jobs: int | None = None,
    progress: bool = False,
) -> BuildSummary:
    """Build dist/ (see the module docstring); return what was done, for the report.

    ``clinics`` selects clinic editions (default: every configured clinic, or the
    neutral edition when none is configured).
    """
    if jobs is not None and jobs < 1:
        raise CarepagesError(f"--jobs must be at least 1, not {jobs}", hint="use -j 1 to build in one process")
    selected = config.select_locales(locales, allow_source=True)
    editions = config.editions(clinics)
    dist_folder.refuse_a_file_in_the_way(config)
    reporter = Progress(progress)
    with dist_folder.build_lock(config, reporter):
        dist_folder.recover(config.dist_dir)
        langident.prepare()  # a first run's model copy, made before the sources are held (see there)
        return Build(config, selected, editions, strict, jobs or default_jobs(), reporter).run()


class Build:
    """One build; small steps, the state lives here."""

    def __init__(
        self, config: Config, selected: list[str], editions: list[Edition], strict: bool, jobs: int, progress: Progress
    ) -> None:
        self.config = config
        self.dist = config.dist_dir
        self.order = [config.source_language, *config.locales]
        self.selected = {config.source_language, *selected}
        self.editions = editions
        self.strict = strict
        self.jobs = jobs
        self.progress = progress
        self.previous = read_cache(config)
        self.entries: dict[str, LocaleEntry] = {}
        self.drafted: dict[str, frozenset[str]] = {}  # per locale, the pages whose drafts this build made
        self.rendered: Counter[str] = Counter()
        self.work = dist_folder.make_folder(self.dist, "work")
        self.page_keys = PageKeys(config)
        self.base = source_key(config, self.page_keys.hashes)  # what every locale's key and the project checks share
        self.run_ctx = load_run(config, project_key=self.base, hashes=self.page_keys.hashes)
        self.no_handouts = handouts_unavailable() if config.site.handouts else ""
        self.handouts = config.site.handouts and not self.no_handouts
        self._runner: Runner | None = None
        self.pinned: dict[str, dict[str, PinnedPage]] = {}  # per locale, what each pinned page is rendered from
        self.tallies: dict[str, list[int]] = {}  # each catalog read: its counts, for stats
        self.built: list[Finding] = []  # check's findings on the dist/ this build published
        sources = self.run_ctx.sources
        self.site = Published(config, self.order, editions, self.entries, sources, self.handouts, self.no_handouts)
        self.readings = Readings(config.root)  # the pages read back (for the check): kept on disk, not held here

    def run(self) -> BuildSummary:
        try:
            raise_all(missing_values(self.config.site.clinics, self.order, self.run_ctx.sources.used_fields()))
            hashes, base = self.page_keys.hashes, self.base
            carried = self.run_ctx.carried
            keys = {
                code: locale_key(self.config, base, code, hashes, carried)
                for code in self.order
                if code in self.selected
            }
            self.decide(keys)
            self.pin()
            switchers = language_switchers(self.order, self.entries)
            jobs, reused = self.plan(keys, switchers)
            summary = self.publish(jobs, reused)
            keep_counts(self.config, self.tallies, lambda: self.run_ctx.templates)  # stats need not read them again
            return summary
        finally:
            if self._runner is not None:
                self._runner.close()
            shutil.rmtree(self.work, ignore_errors=True)

    def runner(self) -> Runner:
        if self._runner is None:
            self._runner = Runner(self.jobs, init_worker, (self.run_ctx, self.work))
        return self._runner

    # step 1: the verdicts

    def decide(self, keys: dict[str, str]) -> None:
        """Every locale's assessment: from the cache when its inputs did not change, else assessed now."""
        for code in self.order:
            entry = self.previous.get(code)
            if entry is None:
                continue
            if code not in self.selected:  # -l: left as the last build made it (a copy: the run may add to it)
                self.entries[code] = LocaleEntry(entry.key, entry.assessment, dict(entry.pages), dict(entry.bundle))
            elif entry.key == keys[code]:
                self.entries[code] = LocaleEntry(keys[code], entry.assessment, dict(entry.pages), dict(entry.bundle))
        todo = [code for code in self.order if code in self.selected and code not in self.entries]
        self.assess(
            [(code, e.assessment if (e := self.previous.get(code)) else None, frozenset()) for code in todo], keys
        )

    def redraft(self, missing: dict[str, set[str]], keys: dict[str, str]) -> None:
        """Render the drafts of ``missing`` pages: assessed again, the rest of their locale kept as it is."""
        self.assess([(code, self.entries[code].assessment, frozenset(pages)) for code, pages in missing.items()], keys)

    def assess(self, jobs: list[AssessJob], keys: dict[str, str]) -> None:
        """Assess in the workers, each locale keeping what its last assessment says of its unchanged pages."""
        if not jobs:
            return
        self.progress.note(f"assessing {len(jobs)} locale(s)")
        for assessment in self.runner().run(assess_task, jobs):
            code = assessment.locale
            if code in self.entries:  # assessed again for its drafts: the verdict stays as pinned
                assessment = replace(assessment, verdict=self.entries[code].assessment.verdict)
            previous = self.entries.get(code) or self.previous.get(code)
            pages = dict(previous.pages) if previous else {}
            self.entries[code] = LocaleEntry(keys[code], assessment, pages, dict(previous.bundle) if previous else {})
            self.drafted[code] = self.drafted.get(code, frozenset()) | assessment.drafted
            self.tallies.update(assessment.tallies)
            verdict = assessment.verdict
            self.progress.note(f"{code}: {len(verdict.published_pages)} of {len(verdict.pages)} page(s) publishable")

    def pin(self) -> None:
        """The selected locales' stale pages, pinned where an earlier revision passed (the others stay as they were).

        A locale left alone (``-l``) keeps its pins; what they render from is looked up, in case a page
        of theirs must be rendered again (its file in dist/ was changed).
        """
        chosen = {code: e.assessment.verdict for code, e in self.entries.items() if code in self.selected}
        store = pin_store(self.config)
        pinning = resolve_pins(self.run_ctx, chosen, store, self.runner)
        for code, verdict in pinning.verdicts.items():
            entry = self.entries[code]
            entry.assessment = replace(entry.assessment, verdict=verdict)
        self.pinned = dict(pinning.pages)
        for code, entry in self.entries.items():
            if code not in self.selected:
                found = {
                    p.page: store.find(p.pin.revision, code, p.page)
                    for p in entry.assessment.verdict.pinned_pages
                    if p.pin
                }
                self.pinned[code] = {page: material for page, material in found.items() if material is not None}

    # step 2: what to render

    def plan(self, keys: dict[str, str], switchers: dict[str, tuple[str, ...]]) -> tuple[list[RenderJob], Reused]:
        """Render jobs for the pages whose key changed; the pages that can be reused, per locale and edition."""
        wanted: dict[tuple[int, str], list[PageTask]] = {}
        reused: Reused = {}
        totals = self.totals()
        for number, edition in enumerate(self.editions):
            extra = edition_key(edition, self.handouts)
            for code in self.order:
                entry = self.entries.get(code)
                for page in entry.assessment.verdict.published_pages if entry else ():
                    assert entry is not None
                    where = slot(edition, page)
                    previous = entry.pages.get(where)
                    selected = code in self.selected
                    key = digest(self.page_key(code, page, switchers[page]), extra) if selected else ""
                    if previous is not None and (not selected or previous.key == key):
                        reused.setdefault(code, []).append((edition, page))
                    else:
                        wanted.setdefault((number, code), []).append((page, switchers[page], totals[page]))
                        entry.pages[where] = PageEntry(key, "")
        missing: dict[str, set[str]] = {}
        for (_, code), pages in wanted.items():
            if undrafted := self.undrafted(code, pages):
                missing.setdefault(code, set()).update(undrafted)
        self.redraft(missing, keys)
        jobs = [
            self.job(code, self.editions[number], chunk)
            for (number, code), pages in wanted.items()
            for chunk in self.chunks(pages)
        ]
        return jobs, reused

    def page_key(self, code: str, page: str, switcher: tuple[str, ...]) -> str:
        """A page's key (:class:`~carepages.builder.keys.PageKeys`): its files, what the verdict says of it, its links.

        A pinned page's names its revision, not how old the pin is: a new commit alone re-renders
        nothing. Each edition adds its clinic's profile (:func:`~carepages.builder.editions.edition_key`).
        """
        verdict = self.entries[code].assessment.verdict
        withheld = [p.page for p in verdict.withheld_pages]
        return self.page_keys.page(code, verdict.page(page), withheld, switcher)

    def undrafted(self, code: str, pages: list[PageTask]) -> set[str]:
        """The ``pages`` whose current drafts rendering needs, not made yet (pinned pages bring their own)."""
        drafted, pinned = self.drafted.get(code, frozenset()), self.pinned.get(code, {})
        return {name for name, _, _ in pages if name not in pinned and name not in drafted}

    def totals(self) -> dict[str, int]:
        return {m.domain: len({s.msgid for s in m.segments}) for m in self.run_ctx.sources.pages}

    def chunks(self, pages: list[PageTask]) -> Iterable[list[PageTask]]:
        """Pages in tasks of a size that keeps every worker busy to the end."""
        total_pages = len(self.run_ctx.sources.pages) * max(len(self.selected), 1) * len(self.editions)
        return chunked(pages, total_pages, self.jobs)

    def job(self, code: str, edition: Edition, pages: list[PageTask]) -> RenderJob:
        assessment: Assessment = self.entries[code].assessment
        for name, _, _ in pages:
            if assessment.verdict.page(name).pin is not None and name not in self.pinned.get(code, {}):
                raise CarepagesError(
                    f"{code}: the pinned page {name} must be rendered again, but what it is rendered from is gone",
                    path=self.config.relative(self.dist),
                    hint="run carepages build without -l",
                )
        pinned = {name: self.pinned[code][name] for name, _, _ in pages if name in self.pinned.get(code, {})}
        verdict, ui_mo = assessment.verdict, assessment.ui_mo
        return RenderJob(code, verdict, ui_mo, tuple(pages), Path(), edition, self.handouts, pinned)

    # step 3: write and swap

    def publish(self, jobs: list[RenderJob], reused: Reused) -> BuildSummary:
        if not jobs and self.site.unchanged(held := snapshot(self.dist)):
            self.progress.note("nothing changed")
            write_cache(self.config, self.entries, self.previous)
            self.check_built(held)
            return self.summary(changed=False)
        staging = dist_folder.make_folder(self.dist, "staging")
        try:
            stale = self.reuse(staging, reused)
            if stale:  # a previous file changed since the build that made it: render those pages again
                jobs = [*jobs, *self.stale_jobs(stale)]
            self.render(jobs, staging)
            documents = self.site.documents()
            for rel, data in documents.items():
                dist_folder.write_output(staging / rel, data)
            self.bundle(staging)
            for rel, data in self.site.manifests(documents).items():
                dist_folder.write_output(staging / rel, data)
            dist_folder.swap_in(staging, self.dist)
        except OSError as exc:  # a full disk, a folder that cannot be written: one error, no staging left
            shutil.rmtree(staging, ignore_errors=True)
            raise write_error(exc, self.config.relative) from exc
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        write_cache(self.config, self.entries, self.previous)
        self.readings.read_made(documents)  # for the check: the pages read back, of the files in dist/ alone
        self.readings.prune({sha for _, sha in self.site.files().values()})
        self.check_built(None)
        return self.summary(changed=True)

    def check_built(self, held: Snapshot | None) -> None:
        """Run check's checks of dist/ on what this build published, and keep their findings for check.

        Only after a build of every locale and edition (what ``check`` checks by default):
        ``build --strict`` then fails on a page the renderer broke, and ``check`` right
        after finds the findings kept (:mod:`carepages.checks.outputs`). ``held``: dist/'s
        snapshot when the build has just taken it.
        """
        config = self.config
        if self.selected != {config.source_language, *config.locales} or self.editions != config.editions():
            return
        self.progress.note("checking the built pages")
        outputs = []
        for code in config.locales:
            assessment = self.entries[code].assessment
            pinned = self.pinned_expected(code)
            outputs.append(LocaleOutput(code, self.entries[code].key, assessment.verdict, assessment.expected, pinned))
        self.built = built_findings(self.run_ctx, self.base, outputs, held=held)

    def pinned_expected(self, code: str) -> dict[str, ExpectedDisclaimers]:
        """What each pinned page of ``code`` must show (its revision's translations), as check's pinning has it."""
        return {page: pinned.page.expected for page, pinned in self.pinned.get(code, {}).items()}

    def reuse(self, staging: Path, reused: Reused) -> Reused:
        """Link the reusable pages from the previous dist/; return the ones whose files changed."""
        stale: Reused = {}
        for code, pages in reused.items():
            for edition, page in pages:
                files = self.entries[code].pages[slot(edition, page)].files
                if not files or not all(
                    dist_folder.reuse(self.dist / rel, staging / rel, info) for rel, info in files.items()
                ):
                    stale.setdefault(code, []).append((edition, page))
        return stale

    def stale_jobs(self, stale: Reused) -> list[RenderJob]:
        switchers = language_switchers(self.order, self.entries)
        totals = self.totals()
        keys = {code: self.entries[code].key for code in stale}
        missing = {code: self.undrafted(code, [(page, switchers[page], totals[page]) for _, page in pages])
                   for code, pages in stale.items()}  # fmt: skip
        self.redraft({code: pages for code, pages in missing.items() if pages}, keys)
        jobs = []
        for code, pages in stale.items():
            for edition in self.editions:
                wanted = [(page, switchers[page], totals[page]) for made_for, page in pages if made_for == edition]
                jobs += [self.job(code, edition, chunk) for chunk in self.chunks(wanted)]
        return jobs

    def render(self, jobs: list[RenderJob], staging: Path) -> None:
        if not jobs:
            return
        self.progress.note(f"rendering {sum(len(job.pages) for job in jobs)} page(s)")
        placed = [replace(job, staging=staging) for job in jobs]
        for done in self.runner().run(render_task, placed):
            self.record(done)

    def record(self, done: Rendered) -> None:
        entry = self.entries[done.locale]
        for where, (title, files) in done.pages.items():
            entry.pages[where] = PageEntry(entry.pages[where].key, title, files)
            self.rendered[done.locale] += 1
        entry.bundle = {}  # its pages changed: the bundle is made again

    def bundle(self, staging: Path) -> None:
        """Each published locale's zips: the previous ones when none of its pages changed, else made anew."""
        futures: list[Future[tuple[str, tuple[str, FileInfo]]]] = []
        wanted = {e.prefix + bundle_name(code) for e in self.editions for code, _ in self.site.published()}
        for code, entry in self.site.published():
            pages = entry.assessment.verdict.published_pages
            entry.pages = {slot(e, page): entry.pages[slot(e, page)] for e in self.editions for page in pages}
            mine = {rel for rel in wanted if rel.endswith(f"/{code}.zip")}
            if mine == set(entry.bundle) and all(
                dist_folder.reuse(self.dist / r, staging / r, i) for r, i in entry.bundle.items()
            ):
                continue
            entry.bundle = {}
            for edition in self.editions:
                job = BundleJob(code, staging, edition.prefix, bundle_members(code, pages, self.handouts))
                futures.append(self.runner().start(bundle_task, job))
        for future in as_completed(futures):
            code, (rel, info) = future.result()
            self.entries[code].bundle[rel] = info

    def summary(self, changed: bool) -> BuildSummary:
        verdicts = {code: entry.assessment.verdict for code, entry in self.entries.items()}
        outcomes = locale_outcomes(self.order, verdicts, self.rendered, len(self.editions), self.selected)
        return BuildSummary(
            self.config.relative(self.dist),
            outcomes,
            self.strict,
            changed,
            self.errors(),
            tuple(edition.id for edition in self.editions if edition.id),
            self.no_handouts,
            error_count(self.built, verdicts),
        )

    def errors(self) -> int:
        """Error findings behind this build's verdicts (the project's, the selected locales'), as check counts them."""
        findings = [*self.run_ctx.project_findings]
        entries = {code: self.entries[code] for code in self.selected if code in self.entries}
        for entry in entries.values():
            findings += entry.assessment.error_findings()  # only errors count: the warnings stay stashed
        return error_count(findings, {code: entry.assessment.verdict for code, entry in entries.items()})
