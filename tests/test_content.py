"""The shipped English pages keep the promises a careful clinician would check.

Every page reads at grade 8 or below, ends with a numbered Sources section whose
every reference is cited and every citation resolves, carries the warning signs
where an injection is discussed, links the glossary of advertised product names
where such a name appears, never makes an advertiser's claim, and is written in
American English. The measured grades are printed at the end of the run
(see ``pytest_terminal_summary`` in ``conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from content_helpers import (
    BANNED_PHRASES,
    BRITISH_SPELLINGS,
    GLOSSARY_PAGE,
    GRADES,
    INJECTION_PAGES,
    MAX_GRADE,
    PRODUCT_NAMES,
    REPO,
    WARNING_DISCLAIMER,
    WARNING_SIGNS_PAGE,
    ShippedPage,
    cited_numbers,
    links,
    matches_any,
    plain_text,
    prose,
    reading_grade,
    shipped_pages,
    sources_section,
    word_count,
)

PAGES = {page.name: page for page in shipped_pages()}
NAMES = sorted(PAGES)


def test_the_shipped_site_has_its_pages() -> None:
    expected = {*INJECTION_PAGES, WARNING_SIGNS_PAGE, GLOSSARY_PAGE}
    assert expected <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_reading_grade_is_at_most_8(name: str) -> None:
    sentences = prose(PAGES[name].messages)
    grade = reading_grade(sentences)
    GRADES[name] = (grade, word_count(sentences))
    assert grade <= MAX_GRADE, f"source/{name}.md reads at grade {grade:.1f} (shorter sentences, plainer words)"


@pytest.mark.parametrize("name", NAMES)
def test_every_page_ends_with_numbered_sources_all_cited(name: str) -> None:
    text, references = sources_section(PAGES[name].body)
    assert references, f"source/{name}.md has no '## Sources' section with a numbered list"
    numbers = [int(line.split(".", 1)[0]) for line in references]
    assert numbers == list(range(1, len(numbers) + 1)), f"source/{name}.md: references are not numbered 1..n"
    cited = cited_numbers(text)
    assert cited, f"source/{name}.md cites no source"
    assert cited <= set(numbers), f"source/{name}.md cites missing references {sorted(cited - set(numbers))}"
    assert set(numbers) <= cited, f"source/{name}.md lists uncited references {sorted(set(numbers) - cited)}"


@pytest.mark.parametrize("name", NAMES)
def test_sources_are_the_last_section_and_not_translated(name: str) -> None:
    body = PAGES[name].body
    after = body.split("## Sources", 1)[1]
    assert "\n#" not in after, f"source/{name}.md: a section follows Sources"
    assert "<!-- notranslate -->" in after, f"source/{name}.md: the reference list should be marked notranslate"


@pytest.mark.parametrize("name", INJECTION_PAGES)
def test_injection_pages_carry_the_warning_signs(name: str) -> None:
    page = PAGES[name]
    assert f"{WARNING_SIGNS_PAGE}.html" in links(page.body), f"source/{name}.md does not link the warning signs page"
    assert WARNING_DISCLAIMER in page.messages.disclaimers, f"source/{name}.md lacks the urgent-care disclaimer"
    assert "## Warning signs after an injection" in page.body


def test_warning_signs_page_carries_the_urgent_care_disclaimer() -> None:
    assert WARNING_DISCLAIMER in PAGES[WARNING_SIGNS_PAGE].messages.disclaimers


@pytest.mark.parametrize("name", [n for n in NAMES if n != GLOSSARY_PAGE])
def test_pages_naming_advertised_products_link_the_glossary(name: str) -> None:
    page = PAGES[name]
    text, _ = sources_section(page.body)
    if PRODUCT_NAMES.search(plain_text("\n".join(text))):
        assert f"{GLOSSARY_PAGE}.html" in links(page.body), f"source/{name}.md names products but does not link"


def english_sources() -> list[Path]:
    return sorted((REPO / "source").glob("*.md"))


@pytest.mark.parametrize("path", english_sources(), ids=lambda p: p.name)
def test_no_marketing_claims(path: Path) -> None:
    found = matches_any(BANNED_PHRASES, path.read_text(encoding="utf-8"))
    assert not found, f"source/{path.name} contains {found}"


@pytest.mark.parametrize("name", NAMES)
def test_prose_is_american_english(name: str) -> None:
    found = matches_any(BRITISH_SPELLINGS, " ".join(prose(PAGES[name].messages)))
    assert not found, f"source/{name}.md uses British spelling {found}"


def test_disclaimers_are_american_english() -> None:
    text = (REPO / "source" / "_disclaimers.md").read_text(encoding="utf-8")
    assert not matches_any(BRITISH_SPELLINGS, text)


def write_page(root: Path, body: str) -> None:
    """A one-page project in tmp_path, to test the measurement itself."""
    (root / "source").mkdir(parents=True)
    (root / "locale").mkdir()
    (root / "pyproject.toml").write_text('[tool.carepages]\nlocales = ["de"]\n', encoding="utf-8")
    (root / "source" / "_disclaimers.md").write_text("<!-- disclaimer: d -->\nSee a doctor.\n", encoding="utf-8")
    (root / "source" / "page.md").write_text(f"---\ntitle: T\n---\n\n{body}", encoding="utf-8")


def measured(tmp_path: Path, body: str) -> tuple[list[str], ShippedPage]:
    write_page(tmp_path, body)
    (page,) = shipped_pages(tmp_path)
    return prose(page.messages), page


def test_prose_leaves_out_urls_citations_and_the_sources(tmp_path: Path) -> None:
    body = (
        "# Title\n\nSee [the agency](https://example.org/a/very/long/path) now [1, 2].\n\n"
        "- A short item\n\n## Sources\n\n<!-- notranslate -->\n"
        "1. An extraordinarily polysyllabic bibliographical reference. Publisher, 2020. <https://example.org/x>\n"
    )
    sentences, page = measured(tmp_path, body)
    assert sentences == ["Title.", "See the agency now.", "A short item."]
    assert sources_section(page.body)[1][0].startswith("1. An extraordinarily")


def test_reading_grade_tells_plain_from_hard_text() -> None:
    plain = ["The cat sat on the mat.", "It was warm.", "We went home."]
    hard = [
        "Intra-articular administration of autologous mesenchymal stromal cell preparations "
        "demonstrated heterogeneous efficacy across methodologically inconsistent investigations."
    ]
    assert reading_grade(plain) < 3 < MAX_GRADE < reading_grade(hard)


def test_cited_numbers_reads_single_and_grouped_markers_not_links() -> None:
    lines = ["One [1].", "Two [2, 3].", "A [link](x.html) and [4](y.html)."]
    assert cited_numbers(lines) == {1, 2, 3}
