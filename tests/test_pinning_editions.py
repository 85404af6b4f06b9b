"""Pinned pages in clinic editions: the clinic's values, the handout from the pinned HTML, links inside bundles.

A stale page is rendered from an earlier revision (tests/test_pinning.py); here the
project has a clinic profile and a page with a ``{{clinic.phone}}`` field, so the
pinned page must show that clinic's value, its PDF handout must be printed from the
pinned HTML (notice and the revision's disclaimer included), the revision's
translations are judged by the same clinic-fields check as the current ones, and a
pinned page's link to the current English page never leaves a downloaded bundle.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import require_program
from linkcheck import broken_links
from pinning_helpers import (
    PYPROJECT,
    RISK,
    build,
    check_passes,
    commit,
    edit_source,
    german,
    git,
    init_repo,
    make_clinic,
    refresh,
    set_translation,
    translate_all,
)
from test_render_pdf import require_weasyprint

from carepages.pdftext import extract_text, find_in_order

pytestmark = pytest.mark.usefixtures("pseudo_translations")

NEW_RISK = "Injections can cause an infection or bleeding."
NOTICE = "Diese Seite wurde aus der Fassung auf Englisch vom {day} übersetzt."
CALL = "With questions, call {{clinic.phone}}."
PHONE = "+1 202 555 0199"
HARBOUR = f"""\
# EXAMPLE ONLY: a fictional clinic for the tests.
name = "Harbour Clinic"
phone = "{PHONE}"
regulator = "the FDA"
base_url = "https://harbour.example.org/pages/"
"""


def clinic_project(root: Path, handouts: bool = False) -> Path:
    """The pinning clinic with a clinic profile and a phone field on the knee page, translated, not committed."""
    make_clinic(root)
    (root / "pyproject.toml").write_text(PYPROJECT.replace("false", "true" if handouts else "false"), "utf-8")
    (root / "clinics").mkdir()
    (root / "clinics" / "harbour.toml").write_text(HARBOUR, encoding="utf-8")
    edit_source(root, "knee.md", "A second paragraph", f"{CALL}\n\nA second paragraph")
    refresh(root)
    translate_all(root)
    return root


def knee(root: Path, suffix: str = "html") -> Path:
    return root / "dist" / "harbour" / "de" / f"knee.{suffix}"


def edit_knee_risk(root: Path) -> None:
    """The English edit that leaves the German knee page behind (its disclaimer becomes fuzzy), committed."""
    edit_source(root, "knee.md", RISK, NEW_RISK)
    refresh(root)
    commit(root, "Knee: a new risk", "2026-11-25")


@pytest.mark.slow
def test_a_pinned_page_shows_the_clinics_values_and_its_handout_is_printed_from_the_pinned_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_program("git")
    require_weasyprint()
    root = clinic_project(tmp_path / "clinic", handouts=True)
    init_repo(root)
    first = commit(root, "Translate everything", "2026-11-20")
    monkeypatch.chdir(root)
    edit_knee_risk(root)
    summary = build(root)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and [p.pin.revision for p in verdict.pinned_pages if p.pin] == [first]
    html = knee(root).read_text(encoding="utf-8")
    notice = NOTICE.format(day="20. November 2026")
    assert notice in html and german(CALL).replace("{{clinic.phone}}", PHONE) in html and "{{" not in html
    assert german(RISK) in html and german(NEW_RISK) not in html
    pdf = extract_text(knee(root, "pdf").read_bytes())
    for wanted in (notice, german(RISK), PHONE):  # the pinned HTML, printed: notice, revision's disclaimer, clinic
        assert find_in_order(pdf, [wanted]), wanted
    assert check_passes(root)  # built-disclaimer reads the handout against the revision's translations


def test_a_revision_that_drops_a_clinic_field_is_not_served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk back judges each revision with the clinic-fields check too: a broken field is never served."""
    require_program("git")
    root = clinic_project(tmp_path / "clinic")
    init_repo(root)
    good = commit(root, "Translate everything", "2026-11-18")
    set_translation(root, "knee", CALL, "DE With questions, call us.")  # the field dropped: an error
    commit(root, "Knee: a shorter sentence", "2026-11-20")
    monkeypatch.chdir(root)
    set_translation(root, "knee", CALL, german(CALL))  # fixed, together with an English edit
    edit_knee_risk(root)
    summary = build(root)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and [p.pin.revision for p in verdict.pinned_pages if p.pin] == [good]
    html = knee(root).read_text(encoding="utf-8")
    assert NOTICE.format(day="18. November 2026") in html and PHONE in html


def test_without_a_base_url_a_pinned_page_links_nothing_outside_its_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_program("git")
    root = make_clinic(tmp_path / "clinic")
    (root / "pyproject.toml").write_text('[tool.carepages]\nlocales = ["de"]\nhandouts = false\n', "utf-8")
    init_repo(root)
    commit(root, "Translate everything", "2026-11-20")
    monkeypatch.chdir(root)
    edit_knee_risk(root)
    build(root)
    html = (root / "dist" / "de" / "knee.html").read_text(encoding="utf-8")
    assert NOTICE.format(day="20. November 2026") in html and "Die aktuelle Seite auf Englisch lesen" not in html
    assert git(root, "status", "--porcelain") == ""  # nothing of the project was touched
    assert broken_links(root / "dist" / "downloads" / "de.zip", root / "dist", "") == []
