# ruff: noqa: RUF001 -- Arabic-Indic digits are this module's test data.
"""Numbers and structure judged on what the page shows: labels, markers and numbering that are not quantities.

The issue's corpus had hundreds of false ``numbers`` findings from reference labels
(``[1]``) and headings that start with a number, and ``structure`` errors on such
headings. Each case here is a small page rendered the build's way (the source, and
the translation put into the source's blocks), then compared as the checks compare.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carepages.checks.numbers import compare_shown
from carepages.checks.structure import block_marks
from carepages.markdown_ext import PageParser
from carepages.pages import FrontMatter, Page
from carepages.render.body import Rendered, render_body
from carepages.translate import Lookup

PARSER = PageParser()


def rendered_pairs(body: str, translations: list[str]) -> list[tuple[Rendered, Rendered]]:
    """Each message of ``body`` (document order) as the source and as its translation render it."""
    page = Page("p", Path("p.md"), "p.md", FrontMatter(title="P"), body, 1)
    _, conversion = PARSER.convert(body, "p.md", 1, [])
    msgids = list(dict.fromkeys(segment.msgid for segment in conversion.segments))
    assert len(msgids) == len(translations), msgids
    source = render_body(PARSER, page, Lookup({})).messages
    translated = render_body(PARSER, page, Lookup(dict(zip(msgids, translations, strict=True)))).messages
    return [(source[msgid], translated[msgid]) for msgid in msgids]


def number_findings(body: str, translations: list[str], locale: str = "de") -> list[tuple[list[str], list[str]]]:
    """The ``numbers`` differences of every message of the page (empty: no finding)."""
    pairs = rendered_pairs(body, translations)
    return [diff for source, text in pairs if (diff := compare_shown(source.text, text.text, "en", locale))]


REFERENCES = "\n\n[1]: https://example.org/register\n[2]: https://example.org/costs\n"


@pytest.mark.parametrize(
    "translation",
    [
        "Siehe das [Register][1] und die [Kosten][2] für 2 Studien.",
        "Siehe die [Kosten][2] und das [Register][1] für 2 Studien.",  # reordered labels
        "Siehe das [Register](https://example.org/register) und die [Kosten][2] für 2 Studien.",  # written inline
    ],
)
def test_reference_labels_are_no_numbers(translation: str) -> None:
    body = "See the [register][1] and the [costs][2] for 2 trials." + REFERENCES
    assert number_findings(body, [translation]) == []


def test_a_changed_quantity_beside_reference_labels_is_still_found() -> None:
    body = "See the [register][1] for 2 trials." + REFERENCES
    assert number_findings(body, ["Siehe das [Register][1] für 3 Studien."]) == [(["2"], ["3"])]


@pytest.mark.parametrize(
    "translation",
    [
        "Die meisten werden seit 2 Jahren erforscht[^1].",
        "Die meisten werden seit 2 Jahren erforscht.",  # the label left out: a footnote label is no number
        "Die meisten werden seit 2 Jahren erforscht[^note].",
    ],
)
def test_footnote_labels_are_no_numbers(translation: str) -> None:
    assert number_findings("Most have been studied for 2 years[^1].", [translation]) == []


def test_list_markers_are_no_numbers() -> None:
    body = "1. Sit on a chair.\n2. Stand up 3 times.\n\n   1. Slowly.\n"
    assert number_findings(body, ["Setzen Sie sich.", "Stehen Sie 3-mal auf.", "Langsam."]) == []


def test_heading_numbering_is_text_both_sides_show() -> None:
    body = "## 1. Warm up\n\n## 2. Strengthen\n"
    assert number_findings(body, ["1. Aufwärmen", "2. Kräftigen"]) == []
    assert number_findings(body, ["١. الإحماء", "٢. التقوية"], "ar") == []
    assert number_findings(body, ["1. Aufwärmen", "3. Kräftigen"]) == [(["2"], ["3"])]


def test_a_number_led_heading_is_a_heading_not_a_list() -> None:
    pairs = rendered_pairs("# Day 1: rest the knee\n", ["1. Gün'e dinlenin"])
    source, translation = pairs[0]
    assert translation.text == "1. Gün'e dinlenin"
    assert compare_shown(source.text, translation.text, "en", "tr") is None
    assert block_marks("1. Gün'e dinlenin") == block_marks("Day 1: rest the knee")  # no structure finding
