"""Putting translations into a page: raw HTML escaped, the lookup, and the table a build hands to workers."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from carepages.segments import ALT_TEXT, PARAGRAPH, Segment
from carepages.translate import Lookup, TranslationTable, escape_raw_html, raw_tags


@pytest.mark.parametrize(
    ("text", "escaped", "refused"),
    [
        ("<script>x</script>", "&lt;script>x&lt;/script>", ["<script>", "</script>"]),
        (
            '<p data-disclaimer="a">forged</p>',
            '&lt;p data-disclaimer="a">forged&lt;/p>',
            ['<p data-disclaimer="a">', "</p>"],
        ),
        ("<!-- disclaimer: x -->", "&lt;!-- disclaimer: x -->", ["<!-- disclaimer: x -->"]),
        ("see <https://example.org/a> or <info@example.org>", "see <https://example.org/a> or <info@example.org>", []),
        ("type `<Enter>` then <b>", "type `<Enter>` then &lt;b>", ["<b>"]),
        ("1 < 2 and **bold**", "1 &lt; 2 and **bold**", []),
    ],
)
def test_raw_html_in_translations_is_escaped_and_reported_but_markdown_stays(
    text: str, escaped: str, refused: list[str]
) -> None:
    assert escape_raw_html(text) == (escaped, refused)


def test_the_sources_own_tags_are_kept_as_often_as_it_has_them() -> None:
    allowed = raw_tags("m<sup>2</sup>")
    assert escape_raw_html("m<sup>2</sup> und <sup>3</sup>", allowed) == (
        "m<sup>2</sup> und &lt;sup>3&lt;/sup>",
        ["<sup>", "</sup>"],
    )


def test_lookup_escapes_text_but_not_attributes_and_records_fallbacks_and_refusals() -> None:
    lookup = Lookup({"Hello": "<b>Hallo</b>", "A knee": "Ein <Knie>"})
    assert lookup(Segment("Hello", PARAGRAPH, 1)) == "&lt;b>Hallo&lt;/b>"
    assert lookup.refused == {"Hello": ["<b>", "</b>"]}
    assert lookup(Segment("A knee", ALT_TEXT, 1)) == "Ein <Knie>"
    assert not lookup.fell_back
    assert lookup(Segment("Missing", PARAGRAPH, 1)) is None
    assert lookup.fell_back == {"Missing"}
    assert lookup.text("Missing too") == "Missing too"
    source = Lookup(None)
    assert source(Segment("Hello", PARAGRAPH, 1)) is None and not source.fell_back


def test_the_table_holds_only_what_the_verdict_shows() -> None:
    catalog = Catalog(locale="de")
    catalog.add("a", "A")
    catalog.add("b", "B", flags=["fuzzy"])
    catalog.add("c", "")
    catalog.add("a", "Kontext-A", context="planted")  # an entry carepages never writes
    table = TranslationTable.from_catalogs("de", {"page": catalog})
    assert table.domains == {"page": {"a": "A"}}
