"""The findings of a check run, summarised per locale, in four output formats.

* ``text`` -- GNU style ``path:line: error: [code] message``, then one summary line
  per locale and a total: for people and for editors that jump to ``path:line``;
* ``json`` -- every finding and the summary, for machines;
* ``github`` -- GitHub Actions workflow commands (``::error file=…,line=…::…``),
  which show each finding on the PO file's line in the pull request;
* ``junit`` -- JUnit XML (one test suite per locale, one test case per check), for
  CI systems that show test reports.

Every format is deterministic: findings are sorted, keys are written in a fixed
order, and nothing depends on the time or the machine.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from carepages.checks.model import DIST, TEMPLATES, Check, Finding, Scope
from carepages.errors import Severity
from carepages.verdict import LocaleVerdict

ERROR, WARNING, ALLOWED = Severity.ERROR, Severity.WARNING, Severity.ALLOWED
AnyCheck = Check[Any]


@dataclass(frozen=True)
class Report:
    """Everything a run found, and the verdict of each locale it checked.

    ``findings`` are as the checks made them; under ``strict`` a warning is shown and
    counted as an error (:meth:`Finding.strict`), which changes the exit status, never
    the verdict (what ``build`` publishes).
    """

    scopes: tuple[str, ...]  # TEMPLATES, then the locales checked, in configured order
    findings: tuple[Finding, ...]
    checks: tuple[AnyCheck, ...]
    strict: bool = False
    verdicts: tuple[LocaleVerdict, ...] = ()

    @property
    def shown(self) -> tuple[Finding, ...]:
        """The findings as reported: under ``--strict``, warnings are errors."""
        return tuple(f.strict() for f in self.findings) if self.strict else self.findings

    def counts(self, scope: str) -> Counter[str]:
        return Counter(f.problem.severity for f in self.shown if f.scope == scope)

    def passed(self, scope: str) -> bool:
        return not self.counts(scope)[ERROR]

    @property
    def failed(self) -> bool:
        return any(f.problem.severity == ERROR for f in self.shown)

    def totals(self) -> Counter[str]:
        return Counter(f.problem.severity for f in self.shown)

    def verdict(self, locale: str) -> LocaleVerdict | None:
        return next((verdict for verdict in self.verdicts if verdict.locale == locale), None)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe_counts(counts: Counter[str]) -> str:
    return f"{plural(counts[ERROR], 'error')}, {plural(counts[WARNING], 'warning')}, {counts[ALLOWED]} allowed"


def publication(verdict: LocaleVerdict | None) -> str:
    """What the verdict publishes of a locale, in words: the same answer the build acts on."""
    if verdict is None:
        return "not assessed"
    if verdict.reasons and not verdict.published:
        return "withheld: " + "; ".join(verdict.reasons)
    published, total = len(verdict.published_pages), len(verdict.pages)
    text = f"{published} of {total} page{'s' if total != 1 else ''} publishable"
    pinned = [page.page for page in verdict.pinned_pages]
    text += f" ({len(pinned)} pinned to an earlier revision: {', '.join(pinned)})" if pinned else ""
    withheld = [f"{page.page} ({'; '.join(verdict.why(page))})" for page in verdict.withheld_pages]
    return text + (": withheld " + ", ".join(withheld) if withheld else "")


def review_state(verdict: LocaleVerdict | None) -> str:
    """The locale's medical review as its sign-off ledger has it: "; review: draft", "; review: 3 of 7 pages"."""
    if verdict is None or not verdict.pages:
        return ""
    reviewed = sum(1 for page in verdict.pages if not page.review.is_draft)
    status = verdict.review_status
    return f"; review: {status}" + (
        f" ({reviewed} of {len(verdict.pages)} pages)" if status == "partly reviewed" else ""
    )


def summary_lines(report: Report) -> list[str]:
    """One line per scope and a total: what a person reads first in a CI log."""
    lines = []
    for scope in report.scopes:
        counts = report.counts(scope)
        if scope == TEMPLATES:
            state = "out of date" if counts[ERROR] else "up to date"
        elif scope == DIST:
            state = "differs from the build" if counts[ERROR] else "as built"
        else:
            state = publication(report.verdict(scope)) + review_state(report.verdict(scope))
        lines.append(f"{scope}: {state} ({describe_counts(counts)})")
    locales = [scope for scope in report.scopes if scope not in (TEMPLATES, DIST)]
    whole = sum(1 for scope in locales if (v := report.verdict(scope)) is not None and not v.withheld_pages)
    status = "failed" if report.failed else "passed"
    strict = " (strict: warnings count as errors)" if report.strict else ""
    lines.append(
        f"carepages check: {status}{strict}: {describe_counts(report.totals())}; "
        f"{whole} of {len(locales)} locale{'s' if len(locales) != 1 else ''} publishable in full"
    )
    return lines


def format_findings(report: Report) -> str:
    """The findings alone, one GNU-style line each (``check -q``): nothing when there are none."""
    return "".join(f.format() + "\n" for f in report.shown)


def format_text(report: Report) -> str:
    return "\n".join([*(f.format() for f in report.shown), *summary_lines(report)]) + "\n"


def format_json(report: Report) -> str:
    summary = {}
    for scope in report.scopes:
        counts = report.counts(scope)
        entry: dict[str, object] = {"errors": counts[ERROR], "warnings": counts[WARNING], "allowed": counts[ALLOWED]}
        verdict = report.verdict(scope)
        if verdict is not None:
            entry["published_pages"] = list(verdict.published_pages)
            entry["verdict"] = verdict.as_dict()
        summary[scope] = entry
    data = {
        "passed": not report.failed,
        "strict": report.strict,
        "summary": summary,
        "findings": [f.as_dict() for f in report.shown],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    """GitHub's escaping for a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub's escaping for a workflow command's property value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVELS = {ERROR: "error", WARNING: "warning", ALLOWED: "notice"}


def format_github(report: Report) -> str:
    lines = []
    for finding in report.shown:
        p = finding.problem
        properties = [f"file={_escape_property(p.path)}"]
        if p.line:
            properties.append(f"line={p.line}")
        properties.append(f"title={_escape_property(f'carepages [{p.code}]')}")
        message = p.message if finding.reason is None else f"allowed ({finding.reason}): {p.message}"
        lines.append(f"::{GITHUB_LEVELS[p.severity]} {','.join(properties)}::{_escape_data(message)}")
    return "\n".join([*lines, *summary_lines(report)]) + "\n"


def format_junit(report: Report) -> str:
    """One <testsuite> per scope, one <testcase> per check: a failing check fails its test case."""
    root = etree.Element("testsuites", name="carepages check")
    failures_total = tests_total = 0
    for scope in report.scopes:
        suite = etree.SubElement(root, "testsuite", name=f"carepages check: {scope}")
        failures = 0
        cases = [c for c in report.checks if c.scope in _SCOPES.get(scope, (Scope.LOCALE, Scope.OUTPUT))]
        for check in cases:
            failures += _junit_case(suite, scope, check, [f for f in report.shown if f.scope == scope])
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        failures_total += failures
        tests_total += len(cases)
    root.set("tests", str(tests_total))
    root.set("failures", str(failures_total))
    root.set("errors", "0")
    etree.indent(root)
    return etree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


#: Which checks a report scope holds: the project's, dist/'s, and (any other scope, a locale) the locale's.
_SCOPES = {TEMPLATES: (Scope.PROJECT,), DIST: (Scope.DIST,)}


def _junit_case(suite: etree.Element, scope: str, check: AnyCheck, findings: list[Finding]) -> int:
    """Add one test case; return 1 if it fails (any error of this check in this scope)."""
    case = etree.SubElement(suite, "testcase", classname=f"carepages.{scope}", name=check.code)
    mine = [f for f in findings if f.problem.code == check.code]
    errors = [f for f in mine if f.problem.severity == ERROR]
    if errors:
        failure = etree.SubElement(case, "failure", message=f"{plural(len(errors), 'error')}: {check.explanation}")
        failure.set("type", check.code)
        failure.text = "\n".join(f.format() for f in errors)
    others = [f for f in mine if f.problem.severity != ERROR]
    if others:
        etree.SubElement(case, "system-out").text = "\n".join(f.format() for f in others)
    return 1 if errors else 0


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "junit": format_junit,
}


def format_check_list(checks: Sequence[AnyCheck]) -> str:
    """The table ``carepages check --list`` prints: code, severity, explanation."""
    width = max(len(check.code) for check in checks)
    lines = []
    for check in checks:
        note = "" if check.allowable else " [cannot be allowed]"
        lines.append(f"{check.code.ljust(width)}  {check.severity!s:<7}  {check.explanation}{note}")
    lines.append("")
    lines.append("A reviewer accepts a finding for one message with a translator comment in the PO file:")
    lines.append("    # allow: CODE[, CODE...] -- reason")
    return "\n".join(lines) + "\n"
