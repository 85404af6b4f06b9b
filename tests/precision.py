"""Precision of ``carepages check`` as a measured figure, on the real-world fixture project.

Two runs over the project of :mod:`realworld_helpers`, each built and then checked
exactly as CI does (``carepages build`` then ``carepages check``, built pages included):

* **correct**: every page translated correctly into the six shipped locales. Any
  finding here is a false one, except the one defect planted in the sources (an
  undeclared front-matter field);
* **defects**: the same, with every defect of ``defects.yaml`` planted, one message
  each. A finding on a defect's message by one of its expected checks is true; any
  other finding is false; an expected check that says nothing has missed it.

Per check code: how many defects were planted for it, how many findings were true,
how many false (on correct translations, and beside the planted defects), how many
defects it missed. Run ``.venv/bin/python tests/precision.py`` to print the table;
``tests/test_realworld_check.py`` asserts it and prints it after the test run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from realworld_helpers import Defect, load_defects, locate, plant, translated_project

from carepages.builder import run_build
from carepages.checks.model import Finding
from carepages.checks.registry import ALL_CHECKS
from carepages.config import Config
from carepages.gate import collect

#: The defect planted in the sources themselves: (path, line, check code).
SOURCE_DEFECTS = frozenset({("source/knee/faq.md", 4, "front-matter")})
#: Where a planted defect stands, and what must report it: (path, line) -> check codes.
Expected = dict[tuple[str, int], set[str]]
#: Tables measured during a test run, printed after it (tests/conftest.py).
TABLES: list[list[str]] = []


@dataclass
class Row:
    """One check's figures."""

    planted: int = 0
    true: int = 0
    false_on_correct: int = 0
    false_beside_defects: int = 0
    missed: int = 0


@dataclass
class Precision:
    """The figures of both runs, per check code, and the false findings themselves (to show them)."""

    rows: dict[str, Row] = field(default_factory=dict)
    false_findings: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def row(self, code: str) -> Row:
        return self.rows.setdefault(code, Row())

    @property
    def total(self) -> Row:
        total = Row()
        for row in self.rows.values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def checked(config: Config) -> list[Finding]:
    """Build, then check every locale, built pages included: the findings CI would print."""
    run_build(config, jobs=1)
    return list(collect(config, jobs=1).findings)


def expected_findings(config: Config, defects: list[Defect]) -> Expected:
    """Where each planted defect stands, with the codes that must report it (the source defect too)."""
    expected: Expected = {}
    for path, line, code in SOURCE_DEFECTS:
        expected.setdefault((path, line), set()).add(code)
    for defect in defects:
        expected.setdefault(locate(config, defect), set()).update(defect.expect)
    return expected


def tally(result: Precision, findings: list[Finding], expected: Expected, correct: bool) -> None:
    """Count each finding as true or false, and each expected code that no finding gave as missed."""
    given: Counter[tuple[str, int, str]] = Counter()
    for finding in findings:
        where, code = (finding.problem.path, finding.problem.line), finding.code
        if code in expected.get(where, set()):
            given[(*where, code)] += 1
            if not correct or (*where, code) in SOURCE_DEFECTS:
                result.row(code).true += 1
            continue
        row = result.row(code)
        if correct:
            row.false_on_correct += 1
        else:
            row.false_beside_defects += 1
        result.false_findings.append(f"{'correct' if correct else 'defects'}: {finding.format()}")
    for (path, line), codes in sorted(expected.items()):
        for code in sorted(codes):
            if correct and (path, line, code) not in SOURCE_DEFECTS:
                continue
            result.row(code).planted += 1
            if not given[(path, line, code)]:
                result.row(code).missed += 1
                result.missed.append(f"{'correct' if correct else 'defects'}: {path}:{line}: {code}")


def measure(folder: Path) -> Precision:
    """Both runs in ``folder`` (two projects side by side); the figures per check code."""
    result = Precision()
    defects = load_defects()
    clean = translated_project(folder / "correct")
    tally(result, checked(clean), expected_findings(clean, []), correct=True)
    flawed = translated_project(folder / "defects")
    plant(flawed, defects)
    tally(result, checked(flawed), expected_findings(flawed, defects), correct=False)
    return result


#: The first column's width: the longest check code and a space.
NAME_WIDTH = max(len(str(check.code)) for check in ALL_CHECKS) + 1


def format_table(result: Precision) -> list[str]:
    """The figures as a table, one row per check code (registry order), then the totals."""
    header = (
        f"{'check':<{NAME_WIDTH}}{'planted':>8}{'true':>6}{'false (correct)':>17}{'false (beside)':>16}{'missed':>8}"
    )
    lines = [header]
    codes = [str(check.code) for check in ALL_CHECKS]
    for code in [*codes, *sorted(set(result.rows) - set(codes))]:
        row = result.rows.get(code, Row())
        lines.append(_line(code, row))
    lines.append(_line("all checks", result.total))
    return lines + result.false_findings + result.missed


def _line(name: str, row: Row) -> str:
    return (
        f"{name:<{NAME_WIDTH}}{row.planted:>8}{row.true:>6}{row.false_on_correct:>17}"
        f"{row.false_beside_defects:>16}{row.missed:>8}"
    )


def main() -> int:
    """Measure in a temporary folder (with its own cache) and print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CAREPAGES_CACHE_DIR"] = str(Path(tmp) / "cache")
        print("\n".join(format_table(measure(Path(tmp)))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
