"""``carepages check`` on real-world Markdown: exactly the planted defects, and precision as a figure.

The fixture project (:mod:`realworld_helpers`) is translated correctly into every
shipped locale, built and checked; then the defects of ``defects.yaml`` are planted
and it is built and checked again (:mod:`precision`). The check must report every
planted defect, with the checks the defect names and no other, and nothing on the
correct translations: no false finding, no missed defect. The table of figures per
check code is printed after the test run (and by ``.venv/bin/python tests/precision.py``).
"""

from __future__ import annotations

import pytest
from precision import TABLES, Precision, format_table, measure
from realworld_helpers import load_defects

from carepages.checks.registry import BY_CODE


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Precision:
    result = measure(tmp_path_factory.mktemp("precision"))
    TABLES.append(format_table(result))
    return result


@pytest.mark.slow
def test_no_false_finding_on_correct_translations(measured: Precision) -> None:
    assert [line for line in measured.false_findings if line.startswith("correct")] == []
    assert sum(row.false_on_correct for row in measured.rows.values()) == 0


@pytest.mark.slow
def test_check_reports_exactly_the_planted_defects(measured: Precision) -> None:
    assert measured.false_findings == []
    assert measured.missed == []
    total = measured.total
    expected = sum(len(defect.expect) for defect in load_defects())
    assert total.true == total.planted == expected + 2  # the source defect is in both runs


@pytest.mark.slow
def test_every_translation_check_has_a_planted_defect(measured: Precision) -> None:
    planted = {code for code, row in measured.rows.items() if row.planted}
    # Checks of files and of the build itself have their own fixtures (tests/data/check, test_check_built).
    elsewhere = {"template", "parse", "encoding", "language-header", "outdated", "duplicate", "plural-forms", "review"}
    elsewhere |= {"threshold", "built", "built-disclaimer"}
    # A glossary file, one text on two pages, the sign-off ledger: tests/test_language_integrity.py, test_signoff.py
    elsewhere |= {"glossary", "consistency", "unsigned"}
    elsewhere |= {"signoff", "waivers", "manifest", "visible"}  # ui.po, waivers.toml, dist/: tests/test_attacks.py
    elsewhere |= {"pinned", "carried"}  # needs git history: tests/test_pinning.py, tests/test_carryover.py
    elsewhere |= {"clinic-fields"}  # needs a source with {{clinic.…}} fields: tests/test_clinics.py
    assert set(BY_CODE) - planted == elsewhere


def test_every_defect_names_registered_checks() -> None:
    for defect in load_defects():
        assert defect.expect, defect.name
        assert set(defect.expect) <= set(BY_CODE), defect.name
        assert defect.translation is not None or defect.fuzzy or defect.comment, defect.name


def test_defect_names_are_unique() -> None:
    names = [defect.name for defect in load_defects()]
    assert len(names) == len(set(names))


def test_the_table_has_a_row_per_check() -> None:
    table = format_table(Precision())
    assert len(table) == len(BY_CODE) + 2  # header and totals
    assert table[-1].split() == ["all", "checks", "0", "0", "0", "0", "0"]
