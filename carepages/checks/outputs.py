"""The checks of what was built, for a whole run, kept by everything they read.

The verdict's and output checks (:mod:`carepages.checks.built`, one locale at a time)
and the dist checks (:mod:`carepages.checks.dist`, dist/ as a whole) read dist/ and
judge it against each locale's verdict. Their findings are a pure function of:

* the tool's code and the project's sources, templates and settings (the run's source
  key, :func:`carepages.builder.keys.source_key`);
* each locale's inputs (its key): what its disclaimers must show comes from them;
* each locale's verdict once pins are decided, and what each pinned page must show;
* the checks skipped, and where dist/ is (findings name paths from the project root);
* dist/ itself, file by file, byte for byte (:func:`carepages.integrity.snapshot`).

So ``build`` runs them on the dist/ it has just published (``build --strict`` then
fails on a page the renderer broke, as ``check`` does), and both keep the findings in
the user's cache under a hash of all of that. A ``check`` whose hash is the same takes
the findings instead of reading every page again: checking right after a build costs
hashing dist/. Any change to dist/ (a page edited, added, removed) or to an input
changes the hash, and the checks run. A dist/ that holds a link or a special file is
never kept: what it shows can change while the folder does not.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carepages.checks.context import ExpectedDisclaimers, OutputContext, RunContext
from carepages.checks.dist import DistContext
from carepages.checks.model import Finding
from carepages.checks.registry import dist_findings, output_findings
from carepages.integrity import Snapshot, snapshot
from carepages.memo import KeptAnswers, cache_path, code_digest, digest, read_json, write_json
from carepages.readback import Readings
from carepages.verdict import LocaleVerdict

#: How many runs' findings are kept (a build's, and checks with other locales or skipped checks).
KEPT_RUNS = 4


@dataclass(frozen=True)
class LocaleOutput:
    """What the output checks judge one locale's built pages by."""

    locale: str
    key: str  # the locale's key (:func:`carepages.builder.keys.locale_key`)
    verdict: LocaleVerdict  # pins decided
    expected: ExpectedDisclaimers  # what the current translations' disclaimers show
    pinned: dict[str, ExpectedDisclaimers]  # per pinned page: what its revision's show


def built_findings(
    run: RunContext,
    base: str,
    locales: Sequence[LocaleOutput],
    *,
    skip: Collection[str] = frozenset(),
    held: Snapshot | None = None,
) -> list[Finding]:
    """The verdict's, output and dist checks' findings for ``locales`` (see the module docstring).

    ``held`` is dist/'s snapshot when the caller has just taken it (a build that found
    dist/ unchanged). The pages are looked up in the memo of pages read back, where the
    build that made them left their readings.
    """
    config = run.config
    if held is None and config.dist_dir.is_dir():  # no dist/ at all: nothing to read, nothing kept
        held = snapshot(config.dist_dir)
    key = _key(run, base, locales, frozenset(skip), held) if held is not None else None
    path = cache_path(config.root, "checked")
    kept = read_json(path, code_digest()) if key else {}
    if key and (found := _kept_findings(kept, key)) is not None:
        return found
    read = Readings(config.root)
    answers = KeptAnswers(config.root, "checked-files")  # each page's and bundle's, for a run that differs
    findings: list[Finding] = []
    for one in locales:
        output = OutputContext(run, one.locale, one.verdict, one.expected, one.pinned, read, held, answers)
        findings += output_findings(output, skip)
    verdicts = tuple(one.verdict for one in locales)
    findings += dist_findings(DistContext(run, verdicts, read, held, answers), skip)
    answers.save()
    if key:
        _keep(path, kept, key, findings)
    return findings


def _kept_findings(kept: dict[str, Any], key: str) -> list[Finding] | None:
    """The findings kept under ``key``; None when there are none (or the memo is damaged: checked anew)."""
    try:
        return [Finding.from_dict(finding) for finding in kept[key]["findings"]]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _keep(path: Path, kept: dict[str, Any], key: str, findings: list[Finding]) -> None:
    """Add this run's findings to the memo, which keeps the latest :data:`KEPT_RUNS` runs' (by their order)."""
    numbered = [
        (e["run"], k) for k, e in kept.items() if k != key and isinstance(e, dict) and type(e.get("run")) is int
    ]
    runs = sorted(numbered)[-(KEPT_RUNS - 1) :]
    latest = max((number for number, _ in runs), default=0)
    memo = {other: kept[other] for _, other in runs}
    memo[key] = {"run": latest + 1, "findings": [finding.as_dict() for finding in findings]}
    write_json(path, code_digest(), memo)


def _key(run: RunContext, base: str, locales: Sequence[LocaleOutput], skip: frozenset[str], held: Snapshot) -> str:
    """A hash of everything the checks read (the module docstring's list)."""
    parts: list[str] = [base, run.config.relative(run.config.dist_dir), json.dumps(sorted(skip))]
    for one in locales:
        parts += [one.locale, one.key, _json(one.verdict.as_dict()), _json(one.pinned)]
    for rel in sorted(held):
        size, sha = held[rel]
        parts += [rel, str(size), sha]
    return digest(*parts)


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
