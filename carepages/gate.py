"""``carepages check``: the CI gate. It reports the verdict the build acts on, and proves dist/ follows it.

The run, in order: parse the sources and templates once and run the project checks;
for each locale take its assessment (:func:`carepages.assess.assess_locale`: the
catalogs read once, every page rendered as the build renders it, the checks, the
verdict), from the cache when the locale's inputs are those of the last build or
check, else made now, in worker processes when there are several locales; pin its
stale pages as the build does (:mod:`carepages.pinning`); then run the verdict's
and the output checks on dist/ against each verdict. Findings are sorted and
printed in the chosen format, with each locale's verdict.

Exit status: 0 without errors, 1 with any error, 2 for a usage or configuration
problem (an unconfigured locale, a broken source page). ``build --strict`` fails
exactly when this command, without ``--strict``, fails.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TextIO

from carepages import langident
from carepages.assess import Assessment, assess_locale, carried_now, load_run
from carepages.builder.cache import LocaleEntry, fetch, fetch_findings, pin_store, read_cache, stash_rows, write_cache
from carepages.builder.keys import locale_key, source_key
from carepages.builder.worker import AssessJob
from carepages.carryover import CarriedMap
from carepages.checks.context import RunContext
from carepages.checks.model import DIST, TEMPLATES, Finding
from carepages.checks.outputs import LocaleOutput, built_findings
from carepages.checks.registry import ALL_CHECKS, DIST_CHECKS, OUTPUT_CHECKS
from carepages.checks.report import FORMATS, Report, format_check_list, format_findings
from carepages.config import Config
from carepages.errors import EXIT_FAILED, EXIT_OK, CarepagesError
from carepages.markdown_ext import PageParser
from carepages.memo import FileHashes
from carepages.parallel import STATE, LazyRunner, default_jobs, guarded
from carepages.pinning import Pinning, resolve_pins
from carepages.stats import keep_counts
from carepages.verdict import LocaleVerdict, settle


def run_check(
    config: Config,
    locales: list[str] | None = None,
    *,
    strict: bool = False,
    output: str = "text",
    list_checks: bool = False,
    skip: Iterable[str] = (),
    stream: TextIO | None = None,
    jobs: int | None = None,
    quiet: bool = False,
) -> int:
    """Check the project (or only ``locales``), print the findings, and return the exit status.

    ``skip`` names checks of the built output not to run (the pre-commit hook skips
    them: a translator's machine may have no dist/); it is said on stderr, never silent.
    ``quiet`` prints the findings alone, without the summary (text format only).
    """
    out = stream or sys.stdout
    if list_checks:
        out.write(format_check_list(ALL_CHECKS))
        return EXIT_OK
    if output not in FORMATS:
        raise CarepagesError(f"unknown output format {output!r}", hint="use one of " + ", ".join(FORMATS))
    skipped = validate_skip(skip)
    langident.prepare()  # a first run's model copy, made before the sources are held (see there)
    report = collect(config, locales, strict=strict, skip=skipped, jobs=jobs)
    out.write(format_findings(report) if quiet and output == "text" else FORMATS[output](report))
    if skipped:
        print(f"carepages check: skipped checks: {', '.join(sorted(skipped))}", file=sys.stderr)
    return EXIT_FAILED if report.failed else EXIT_OK


def validate_skip(skip: Iterable[str]) -> frozenset[str]:
    """Only checks of the built output may be skipped: the others decide what is published."""
    skipped = frozenset(skip)
    known = {check.code for check in ALL_CHECKS}
    skippable = {check.code for check in OUTPUT_CHECKS} | {check.code for check in DIST_CHECKS}
    for code in sorted(skipped):
        if code not in known:
            raise CarepagesError(f"--skip: unknown check {code!r}", hint="see 'carepages check --list'")
        if code not in skippable:
            raise CarepagesError(
                f"--skip: {code!r} cannot be skipped: it decides what the build publishes",
                hint="only the checks of built output can be skipped: " + ", ".join(sorted(skippable)),
            )
    return skipped


def collect(
    config: Config,
    locales: list[str] | None = None,
    *,
    strict: bool = False,
    skip: frozenset[str] = frozenset(),
    jobs: int | None = None,
) -> Report:
    """Run every check (but the skipped output checks) and return the report (no printing)."""
    selected = config.select_locales(locales)
    keys = Keys(config)
    run = load_run(config, project_key=keys.base)
    assessed = assess_pinned(run, selected, jobs or default_jobs(), keys.use(run))
    findings: list[Finding] = list(run.project_findings)
    for locale in selected:
        findings += assessed.assessments[locale].held_findings()
    findings += built_findings(run, keys.base, assessed.outputs(selected, keys.locale), skip=skip)
    verdicts = tuple(assessed.pinning.verdicts[locale] for locale in selected)
    settled = settle(findings, assessed.pinning.verdicts)
    settled.sort(key=lambda finding: finding.sort_key)
    return Report((TEMPLATES, *selected, DIST), tuple(settled), ALL_CHECKS, strict, verdicts)


@dataclass(frozen=True)
class Assessed:
    """Each locale's assessment, and the verdicts once stale pages are pinned (what build publishes)."""

    assessments: dict[str, Assessment]
    pinning: Pinning

    def outputs(self, locales: list[str], key: Callable[[str], str]) -> list[LocaleOutput]:
        """What the output checks judge ``locales``' built pages by (``key``: each locale's key)."""
        verdicts, assessments = self.pinning.verdicts, self.assessments
        return [
            LocaleOutput(code, key(code), verdicts[code], assessments[code].expected, self.pinning.expected(code))
            for code in locales
        ]


class Keys:
    """The keys of one run (:mod:`carepages.builder.keys`): the project's, and each locale's when asked for."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.hashes: FileHashes = {}
        self.base = source_key(config, self.hashes)
        self.carried: CarriedMap | None = None  # the run's (:func:`use`), else found when first needed

    def use(self, run: RunContext) -> Keys:
        """Take the run's carried translations (found once per run) instead of finding them again, and give
        it the files hashed for the keys (its workers' keys of each page hash them again otherwise)."""
        self.carried = run.carried
        run.hashes.update(self.hashes)
        self.hashes = run.hashes
        return self

    def locale(self, locale: str) -> str:
        if self.carried is None:
            self.carried = carried_now(self.config)
        return locale_key(self.config, self.base, locale, self.hashes, self.carried)


def assess_pinned(run: RunContext, selected: list[str], jobs: int, keys: Keys | None = None) -> Assessed:
    """The assessments (see :func:`assess`) and the pinned verdicts: what check, stats and diff report."""
    with LazyRunner(jobs, init_worker, (run,)) as runner:
        assessments = assess(run, selected, runner, keys or Keys(run.config).use(run))
        verdicts = {locale: assessments[locale].verdict for locale in selected}
        pinning = resolve_pins(run, verdicts, pin_store(run.config), runner)
    return Assessed(assessments, pinning)


def served_pages(config: Config, locales: list[str]) -> dict[str, dict[str, dict[str, object]]]:
    """How each page of each locale reaches readers (``carepages stats``): the verdict check and build act on.

    When the last build or check assessed every locale as it is now and no page is stale (so
    nothing is pinned), the verdicts are read from its cache, without parsing the project.
    """
    keys = Keys(config)
    verdicts = _kept_verdicts(config, locales, keys)
    if verdicts is None:
        run = load_run(config, project_key=keys.base, carried=keys.carried)
        verdicts = assess_pinned(run, locales, default_jobs(), keys.use(run)).pinning.verdicts
    return {locale: verdict.served() for locale, verdict in verdicts.items()}


def _kept_verdicts(config: Config, locales: list[str], keys: Keys) -> dict[str, LocaleVerdict] | None:
    """The cached verdicts, when they are what :func:`assess_pinned` would give (see :func:`served_pages`)."""
    cached = read_cache(config)
    kept = {}
    for locale in locales:
        entry = cached.get(locale)
        if entry is None or entry.key != keys.locale(locale):
            return None
        kept[locale] = entry.assessment.verdict.unpinned_verdict()
    if config.stale == "pin" and any(verdict.stale_pages for verdict in kept.values()):
        return None  # pinning searches the history: the project is parsed
    return kept


def assess(run: RunContext, selected: list[str], runner: LazyRunner, run_keys: Keys) -> dict[str, Assessment]:
    """Each locale's assessment: the last build's (or check's) when its inputs are unchanged, else made now."""
    config = run.config
    keys = {locale: run_keys.locale(locale) for locale in selected}
    cached = read_cache(config)
    found: dict[str, Assessment] = {}
    for locale in (code for code in selected if code in cached and cached[code].key == keys[code]):
        # Its findings, stashed beside the cache, read back; a locale whose findings are gone is assessed again.
        if (kept := fetch_findings(config, cached[locale].assessment)) is not None:
            found[locale] = kept
    todo = [locale for locale in selected if locale not in found]
    if todo:
        jobs = [(locale, cached[locale].assessment if locale in cached else None, frozenset[str]()) for locale in todo]
        for assessment in runner(len(todo)).run(assess_task, jobs):
            found[assessment.locale] = assessment
        for locale in todo:
            previous = cached.get(locale)
            pages, bundle = (previous.pages, previous.bundle) if previous else ({}, {})
            cached[locale] = LocaleEntry(keys[locale], found[locale], pages, bundle)
        write_cache(config, cached)
    tallies = {key: tally for locale in todo for key, tally in found[locale].tallies.items()}
    keep_counts(config, tallies, lambda: run.templates)  # what stats would read: counted here
    return found


def init_worker(run: RunContext) -> None:
    STATE.clear()
    STATE.update(run=run, parser=PageParser(keep_blocks=True))


@guarded
def assess_task(job: AssessJob) -> Assessment:
    locale, last, _ = job  # the last assessment: its unchanged pages' part stands (carepages.incremental)
    run: RunContext = STATE["run"]
    # The rows alone are stashed: the report wants the findings (the cache stashes them when it is written).
    return stash_rows(run.config, assess_locale(run, locale, STATE["parser"], last=fetch(run.config, last)))
