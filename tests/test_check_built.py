# ruff: noqa: RUF001 -- Arabic, Chinese and full-width text is this module's test data.
"""The built-output checks: every disclaimer on every built page, in its HTML and its plain text.

Most tests use dist/ folders written by the tests themselves to the build's
contract (tests/check_helpers.py: write_dist), so they do not depend on the
build; the last test builds a project with the real ``carepages build``.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
from check_helpers import check, codes, make_clinic, visible_text, write_dist
from helpers import fill_every_catalog, run

from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.checks.built import contains_in_order
from carepages.config import load_config
from carepages.readback import disclaimers_shown


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_clinic(tmp_path_factory.mktemp("built") / "clinic")
    write_dist(root)
    return root


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root)
    return root


def built_problems(root: Path, *locales: str) -> list[tuple[str, str, str]]:
    report = check(root, *locales)
    return [
        (f.problem.code, f.problem.path, f.problem.message)
        for f in report.findings
        if f.problem.code in {"built", "built-disclaimer"}
    ]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_complete_build_passes(clinic: Path) -> None:
    report = check(clinic)
    assert [f.format() for f in report.findings] == []
    assert not report.failed


def test_nothing_built_is_one_error_per_published_page(clinic: Path) -> None:
    shutil.rmtree(clinic / "dist")
    found = built_problems(clinic)
    assert [(code, path) for code, path, _ in found] == [
        ("built", f"dist/{locale}/knee.{suffix}") for locale in ("ar", "de", "zh_CN") for suffix in ("html", "txt")
    ]
    assert all(message == "the built page is missing: run carepages build" for *_, message in found)


def test_a_page_the_verdict_withholds_must_not_be_in_dist(clinic: Path) -> None:
    """A page left from an earlier build (or copied in by hand) would be online although withheld."""
    catalog_path = clinic / "locale/de/LC_MESSAGES/disclaimers.po"
    edit(catalog_path, 'msgstr "Rufen Sie im Notfall Ihre örtliche Notrufnummer an."', 'msgstr ""')
    found = built_problems(clinic, "de")
    assert [(code, path) for code, path, _ in found] == [("built", "dist/de/knee.html"), ("built", "dist/de/knee.txt")]
    assert "the verdict withholds it (a medical disclaimer is missing, untranslated or out of date; " in found[0][2]
    shutil.rmtree(clinic / "dist" / "de")
    assert built_problems(clinic, "de") == []


def test_a_page_below_the_threshold_is_withheld_and_must_be_absent(clinic: Path) -> None:
    config = load_config(clinic)
    path = po_path(config, "ar", "knee")
    catalog = read_catalog(path, "knee.po", "ar")
    for message in catalog:
        if message.id and "disclaimer" not in " ".join(message.auto_comments):
            message.string = ""
    path.write_bytes(render_catalog(catalog))
    [(code, path_rel, text), _] = built_problems(clinic, "ar")
    assert (code, path_rel) == ("built", "dist/ar/knee.html")
    assert "% translated (at least 80 % is needed)" in text


def test_a_missing_page_file(clinic: Path) -> None:
    (clinic / "dist/ar/knee.txt").unlink()
    assert built_problems(clinic) == [("built", "dist/ar/knee.txt", "the built page is missing: run carepages build")]


def test_a_disclaimer_element_dropped_from_the_html(clinic: Path) -> None:
    edit(clinic / "dist/de/knee.html", 'data-disclaimer="emergency"', 'class="emergency"')
    [(code, path, message)] = built_problems(clinic)
    assert (code, path) == ("built-disclaimer", "dist/de/knee.html")
    assert "'emergency' is missing: no data-disclaimer element" in message


def test_a_disclaimer_element_showing_the_source_text(clinic: Path) -> None:
    edit(
        clinic / "dist/zh_CN/knee.html",
        "本页为一般性信息，并非医疗建议。",
        "This page is general information, not medical advice.",
    )
    found = check(clinic).findings
    [problem] = [f.problem for f in found if f.problem.code == "built-disclaimer"]
    assert problem.path == "dist/zh_CN/knee.html"
    assert problem.line > 1  # the line of the element in the HTML file
    assert "'not-advice' does not show its zh_CN translation" in problem.message


def test_a_disclaimer_dropped_from_the_plain_text(clinic: Path) -> None:
    edit(clinic / "dist/ar/knee.txt", "في حالات الطوارئ، اتصل برقم الطوارئ المحلي.", "")
    assert built_problems(clinic) == [
        (
            "built-disclaimer",
            "dist/ar/knee.txt",
            "disclaimer 'emergency' is missing from the plain-text page: "
            "check the page template and the renderer, then run carepages build",
        )
    ]


def test_a_changed_word_in_the_plain_text_is_found(clinic: Path) -> None:
    edit(clinic / "dist/de/knee.txt", "keine Veränderung", "eine Veränderung")
    assert [code for code, *_ in built_problems(clinic)] == ["built-disclaimer"]


def test_plain_text_layout_is_free(clinic: Path) -> None:
    """Narrow wrapping, markup signs and link numbers between the words do not matter."""
    path = clinic / "dist/de/knee.txt"
    text = path.read_text(encoding="utf-8")
    text = text.replace("keine Veränderung", "*keine Veränderung* [1]")
    path.write_text(textwrap.fill(text, 20) + "\n\n[1] https://example.org/\n", encoding="utf-8")
    assert built_problems(clinic) == []


def test_disclaimers_shown_reads_nested_and_void_elements() -> None:
    found = disclaimers_shown(
        '<section data-disclaimers="a b"><p data-disclaimer="a">One<br>two &amp; <em>three</em></p>'
        '<img src="x.png" alt="not text"><div data-disclaimer="b"><ul><li>Four</li></ul></div></section>'
        '<p data-disclaimer="c">after</p>'
    )
    assert found["a"][1] == "Onetwo & threeFour"  # the section marks both a and b
    assert found["b"][1] == "Onetwo & threeFour"
    assert found["c"][1] == "after"


def test_contains_in_order() -> None:
    assert contains_in_order("see the\n overview [1].", ["see the ", "overview", "."])
    assert not contains_in_order("overview, see the", ["see the", "overview"])
    assert contains_in_order("\u200fمرحبا  بكم", ["مرحبا بكم"])


@pytest.mark.usefixtures("pseudo_translations")  # helpers.fill_every_catalog writes "[de] " + the English text
def test_the_real_build_passes_the_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Integration: extract, update, translate, build with carepages build, then check the output."""
    assert run(capsys, "extract").status == 0
    assert run(capsys, "update").status == 0
    fill_every_catalog(project)
    built = run(capsys, "build", "--strict")
    assert built.status == 0, built.out + built.err
    result = run(capsys, "check")
    assert result.status == 0, result.out + result.err
    assert "carepages check: passed" in result.out

    html = project / "dist/ar/sample.html"
    text = html.read_text(encoding="utf-8")
    html.write_text(re.sub(r'data-disclaimer="local-warning"', "", text), encoding="utf-8")
    plain = project / "dist/de/sample.txt"
    words = visible_text("[de] This page-local warning must stay on the page.")
    plain.write_text(plain.read_text(encoding="utf-8").replace(words.split()[-1], "gone."), encoding="utf-8")
    result = run(capsys, "check")
    assert result.status == 1
    assert "dist/ar/sample.html: error: [built-disclaimer] disclaimer 'local-warning' is missing" in result.out
    assert "dist/de/sample.txt: error: [built-disclaimer] disclaimer 'local-warning' is missing" in result.out
    assert codes(check(project), "dist/de/sample.html") == set()
