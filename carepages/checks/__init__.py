"""``carepages check``: the CI gate on catalogs and built pages.

The run, in order: parse the sources once (``extract_sources``) and read the
templates; run the project checks (templates against sources); then for each
locale parse its catalogs once and run every locale check in registration order
(see :mod:`carepages.checks.registry`; the families live in ``catalog``,
``disclaimers``, ``links``, ``numbers``, ``structure``, ``wording``, ``allow`` and,
last, ``built``). Each finding gets its severity from its check, ``allowed`` when
the message's ``# allow:`` comment accepts it, and ``error`` for a warning under
``--strict``. All findings are sorted, then printed in the chosen format.

Locales are independent, so a project whose catalogs are large enough checks
them in worker processes, one per core, like the build (a small one stays in
this process: starting workers would cost more than it saves). Each worker
renders with its own Markdown instance, and forgets a locale's translations
once the locale is done, so memory holds one locale at a time. The findings
are the same, in the same order, either way.

Exit status: 0 without errors, 1 with any error, 2 for a usage or configuration
problem (an unconfigured locale, a broken source page: raised as
:class:`~carepages.errors.CarepagesError` for the CLI to report).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TextIO

from babel.messages.catalog import Catalog

# The family modules register their checks on import: this order is the order checks run in
# (and are listed in); the built-output checks must come last.
# isort: off
from carepages.checks import catalog, disclaimers, links, numbers, structure, wording, safety, allow, built  # noqa: F401

# isort: on
from carepages.build import available_cores
from carepages.checks.allow import allowances
from carepages.checks.context import LocaleContext, RunContext, load_run
from carepages.checks.registry import ALLOWED, ERROR, LOCALE, PROJECT, WARNING, Check, Issue, checks
from carepages.checks.render import Renderer
from carepages.checks.report import FORMATS, TEMPLATES, Finding, Report, format_check_list
from carepages.config import Config
from carepages.errors import CarepagesError, Problem
from carepages.extract import Sources

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
#: Catalog bytes (of the locales checked) below which locales are checked in this process.
PARALLEL_MIN_BYTES = 1_000_000

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "Finding", "Report", "collect", "run_check"]


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
) -> int:
    """Check the project (or only ``locales``), print the findings, and return the exit status.

    ``skip`` names checks not to run (the pre-commit hook skips the built pages,
    which a translator's machine may not have); it is said on stderr, never silent.
    ``jobs`` caps the worker processes, as for :func:`collect`.
    """
    out = stream or sys.stdout
    if list_checks:
        out.write(format_check_list(checks()))
        return EXIT_OK
    if output not in FORMATS:
        raise CarepagesError(f"unknown output format {output!r}", hint="use one of " + ", ".join(FORMATS))
    skipped = _validate_skip(skip)
    report = collect(config, locales, strict=strict, skip=skipped, jobs=jobs)
    out.write(FORMATS[output](report))
    if skipped:
        print(f"carepages check: skipped checks: {', '.join(sorted(skipped))}", file=sys.stderr)
    return EXIT_FAILED if report.failed else EXIT_OK


def _validate_skip(skip: Iterable[str]) -> frozenset[str]:
    known = {check.code for check in checks()}
    skipped = frozenset(skip)
    unknown = sorted(skipped - known)
    if unknown:
        raise CarepagesError(f"--skip: unknown check {unknown[0]!r}", hint="see 'carepages check --list'")
    return skipped


def collect(
    config: Config,
    locales: list[str] | None = None,
    *,
    strict: bool = False,
    skip: frozenset[str] = frozenset(),
    jobs: int | None = None,
) -> Report:
    """Run every check except those in ``skip`` and return the sorted findings (no printing).

    ``jobs`` caps the worker processes (default: the available cores; 1: this process only).
    """
    selected = config.select_locales(locales)
    run = load_run(config)
    findings = list(_project_findings(run, strict, skip))
    for found in _each_locale(run, selected, strict, skip, jobs):
        findings.extend(found)
    findings.sort(key=lambda finding: finding.sort_key)
    return Report((TEMPLATES, *selected), tuple(findings), tuple(checks()), strict)


def _project_findings(run: RunContext, strict: bool, skip: frozenset[str]) -> Iterable[Finding]:
    for check in checks(PROJECT):
        if check.code in skip:
            continue
        for issue in check.func(run):
            yield _finding(TEMPLATES, check, issue, strict)


def _each_locale(
    run: RunContext, selected: list[str], strict: bool, skip: frozenset[str], jobs: int | None
) -> Iterator[list[Finding]]:
    """Each selected locale's findings, from worker processes when that pays off."""
    workers = min(jobs or available_cores(), len(selected))
    if workers <= 1 or _catalog_bytes(run.config, selected) < PARALLEL_MIN_BYTES:
        for locale in selected:
            yield check_locale(run, locale, strict, skip)
        return
    shared = (run.config, run.sources, run.templates, run.template_failures)
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=shared) as pool:
        yield from pool.map(_locale_task, selected, [strict] * len(selected), [skip] * len(selected))


def _catalog_bytes(config: Config, selected: list[str]) -> int:
    """The size of the catalogs to check: what the work grows with (a file that cannot be read counts 0)."""
    total = 0
    for folder in (config.locale_dir / locale / "LC_MESSAGES" for locale in selected):
        for path in folder.glob("*.po") if folder.is_dir() else ():
            with contextlib.suppress(OSError):  # the parse check reports it
                total += path.stat().st_size
    return total


def check_locale(run: RunContext, locale: str, strict: bool, skip: frozenset[str]) -> list[Finding]:
    """One locale's findings; then its translations' renderings are dropped (the msgids' are kept)."""
    try:
        return _locale_findings(LocaleContext(run, locale), strict, skip)
    finally:
        run.renderer.forget(run.source_msgids)


_RUN: RunContext | None = None


def _init_worker(config: Config, sources: Sources, templates: dict[str, Catalog], failures: list[Issue]) -> None:
    """A worker's own run context: what the main process read, and a renderer of its own."""
    global _RUN
    _RUN = RunContext(config, sources, Renderer(), templates, failures)


def _locale_task(locale: str, strict: bool, skip: frozenset[str]) -> list[Finding]:
    assert _RUN is not None
    return check_locale(_RUN, locale, strict, skip)


def _locale_findings(ctx: LocaleContext, strict: bool, skip: frozenset[str]) -> list[Finding]:
    """Run every locale check on one locale, keeping count so later checks can see earlier results."""
    found = []
    for check in checks(LOCALE):
        if check.code in skip:
            continue
        for issue in check.func(ctx):
            finding = _finding(ctx.locale, check, issue, strict)
            ctx.found[finding.problem.severity] += 1
            ctx.found_codes.add(check.code)
            found.append(finding)
    return found


def _finding(scope: str, check: Check, issue: Issue, strict: bool) -> Finding:
    """Apply the check's severity, a reviewer's ``# allow:`` comment, and ``--strict``."""
    severity = check.severity
    reason = None
    if check.allowable and issue.entry is not None:
        reason = allowances(issue.entry).get(check.code)
    if reason is not None:
        severity = ALLOWED
    elif strict and severity == WARNING:
        severity = ERROR
    return Finding(scope, Problem(issue.path, issue.line, severity, check.code, issue.message), reason)
