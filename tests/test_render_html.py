"""The pieces of HTML rendering: sanitising, raw-HTML escaping, languages, headings, interface strings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from carepages.catalogs import po_path, pot_path, read_catalog
from carepages.config import load_config
from carepages.extract import run_extract
from carepages.render.html import language, sanitize, split_heading, ui_messages, ui_template
from carepages.segments import ALT_TEXT, PARAGRAPH, Segment
from carepages.translate import PageLookup, UiTranslations, escape_raw_html, ui_mo_bytes, usable
from carepages.update import run_update

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<p>ok <script>alert(1)</script></p>", "<p>ok </p>"),
        ('<p onclick="x()" style="color:red">t</p>', "<p>t</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="knee.html">k</a>', '<a href="knee.html" rel="noopener noreferrer">k</a>'),
        ('<p><img src="data:image/png;base64,AA" alt="a diagram"></p>', "<p>a diagram</p>"),
        ('<p><img src="knee.png" alt="k"></p>', '<p><img src="knee.png" alt="k"></p>'),
        ('<iframe src="https://x"></iframe><object data="y"></object><p>z</p>', "<p>z</p>"),
        (
            '<p data-disclaimer="x" class="admonition-title">t</p>',
            '<p data-disclaimer="x" class="admonition-title">t</p>',
        ),
        ("<style>p{}</style><p>s</p>", "<p>s</p>"),
        ('<td style="text-align: left;">c</td>', "c"),
    ],
)
def test_sanitize_keeps_only_the_allow_list(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>x</script>", "&lt;script>x&lt;/script>"),
        ('<p data-disclaimer="a">forged</p>', '&lt;p data-disclaimer="a">forged&lt;/p>'),
        ("<!-- disclaimer: x -->", "&lt;!-- disclaimer: x -->"),
        ("see <https://example.org/a> or <info@example.org>", "see <https://example.org/a> or <info@example.org>"),
        ("type `<Enter>` then <b>", "type `<Enter>` then &lt;b>"),
        ("1 < 2 and **bold**", "1 &lt; 2 and **bold**"),
    ],
)
def test_raw_html_in_translations_is_escaped_but_markdown_stays(text: str, escaped: str) -> None:
    assert escape_raw_html(text) == escaped


def test_lookup_escapes_text_but_not_attributes_and_records_fallbacks() -> None:
    lookup = PageLookup({"Hello": "<b>Hallo</b>", "A knee": "Ein <Knie>"})
    assert lookup(Segment("Hello", PARAGRAPH, 1)) == "&lt;b>Hallo&lt;/b>"
    assert lookup(Segment("A knee", ALT_TEXT, 1)) == "Ein <Knie>"
    assert not lookup.fell_back
    assert lookup(Segment("Missing", PARAGRAPH, 1)) is None
    assert lookup.fell_back
    assert lookup.text("Missing too") == "Missing too"
    source = PageLookup(None)
    assert source(Segment("Hello", PARAGRAPH, 1)) is None and not source.fell_back


def test_fuzzy_and_empty_messages_are_not_usable() -> None:
    catalog = Catalog(locale="de")
    catalog.add("a", "A")
    catalog.add("b", "B", flags=["fuzzy"])
    catalog.add("c", "")
    assert [usable(catalog.get(msgid)) for msgid in ("a", "b", "c", "d")] == ["A", None, None, None]


def test_ui_translations_track_fallbacks_and_skip_fuzzy() -> None:
    catalog = Catalog(locale="de")
    catalog.add("Languages", "Sprachen")
    catalog.add("References", "Verweise?", flags=["fuzzy"])
    translations = UiTranslations(ui_mo_bytes("de", catalog))
    assert translations.ugettext("Languages") == "Sprachen"
    assert not translations.fell_back
    assert translations.ugettext("References") == "References"
    assert translations.fell_back


@pytest.mark.parametrize(
    ("code", "tag", "name", "direction"),
    [
        ("en", "en", "English", "ltr"),
        ("pt_BR", "pt-BR", "português (Brasil)", "ltr"),
        ("ar", "ar", "العربية", "rtl"),
        ("zh_CN", "zh-CN", "中文 (简体, 中国)", "ltr"),
        ("he", "he", "עברית", "rtl"),
    ],
)
def test_language_tag_name_and_direction_come_from_babel(code: str, tag: str, name: str, direction: str) -> None:
    lang = language(code)
    assert (lang.code, lang.tag, lang.name, lang.direction) == (code, tag, name, direction)


def test_split_heading_keeps_the_body_h1_or_makes_one_from_the_title() -> None:
    heading, rest = split_heading("<h1>Knie</h1>\n<p>Text</p>", "Titel")
    assert (heading, rest) == ("<h1>Knie</h1>", "<p>Text</p>")
    heading, rest = split_heading("<p>Text</p>", "A & B")
    assert (heading, rest) == ("<h1>A &amp; B</h1>", "<p>Text</p>")


def test_ui_messages_come_from_the_templates_with_translator_comments() -> None:
    found = {msgid: (filename, comments) for msgid, filename, _, comments in ui_messages()}
    assert "This translation has not yet been reviewed by a medical translator." in found
    assert found["Languages"][0] == "templates/page.html"
    assert any(
        "source language" in comment
        for comment in found["Parts of this page are not yet translated and are shown in %(language)s."][1]
    )


def test_extract_writes_ui_pot_and_update_creates_ui_po(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    config = load_config(root)
    summary = run_extract(config)
    assert "locale/templates/ui.pot" in summary.created
    first = pot_path(config, "ui").read_bytes()
    assert run_extract(config).unchanged.count("locale/templates/ui.pot") == 1
    assert pot_path(config, "ui").read_bytes() == first
    assert b"POT-Creation-Date: 1970-01-01 00:00+0000" in first
    template = read_catalog(pot_path(config, "ui"), "ui.pot")
    assert {m.id for m in template if m.id} == {m.id for m in ui_template(config) if m.id}
    assert "python-format" in template["Last reviewed: %(date)s"].flags
    run_update(config)
    catalog = read_catalog(po_path(config, "de", "ui"), "ui.po", "de")
    assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}
