# ruff: noqa: RUF001 -- full-width punctuation and Arabic letters are this module's test data.
"""The plain-text renderer: golden pages, wrapping properties, and each construct's layout.

Golden files: tests/data/text/<name>.html renders to <name>.txt, with the keyword
arguments in <name>.json when it exists. After a deliberate change of layout, rewrite
them with ``python -c "from tests.test_render_text import rewrite_goldens; rewrite_goldens()"``
and read the diff line by line before committing it.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepages.htmltree import Node, parse
from carepages.render.text import html_to_text
from carepages.render.wrap import display_width, wrap

TEXT = Path(__file__).parent / "data" / "text"
FIXTURES = sorted(TEXT.glob("*.html"))

# Reproducible and writing no example database into the working tree.
PROPERTIES = settings(derandomize=True, database=None, deadline=None, max_examples=300)

# What a renderer puts before text: indentation, bullets, numbers, quote marks, reference numbers.
MARKUP_PREFIX = re.compile(r"^(?:\s*(?:-|>|\d+\.|<\d+>)(?=\s|$))*\s*")


def _options(fixture: Path) -> dict[str, Any]:
    """The keyword arguments of a golden page (width, labels), from its .json file if any."""
    options = fixture.with_suffix(".json")
    return json.loads(options.read_text(encoding="utf-8")) if options.exists() else {}


def _render(fixture: Path) -> str:
    return html_to_text(fixture.read_text(encoding="utf-8"), **_options(fixture))


def rewrite_goldens() -> None:
    """Regenerate every golden .txt from its .html (review the diff afterwards)."""
    for fixture in FIXTURES:
        fixture.with_suffix(".txt").write_text(_render(fixture), encoding="utf-8", newline="\n")


def _ascii_split(text: str) -> list[str]:
    """Split at ASCII whitespace only: a no-break or ideographic space is part of a word."""
    return [part for part in re.split(r"[ \t\n\r\f\v]+", text) if part]


# --------------------------------------------------------------------------- golden pages


def test_there_are_golden_pages_for_ltr_rtl_and_cjk() -> None:
    assert {fixture.stem for fixture in FIXTURES} >= {"en", "ar", "zh"}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem)
def test_page_matches_golden(fixture: Path) -> None:
    expected = fixture.with_suffix(".txt").read_text(encoding="utf-8")
    assert _render(fixture) == expected


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem)
def test_page_layout_rules(fixture: Path) -> None:
    """The issue's rules, checked on every golden page independently of the golden text."""
    text = _render(fixture)
    width = _options(fixture).get("width", 72)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text
    for line in text.split("\n"):
        assert line == line.rstrip(), f"trailing space in {line!r}"
        if display_width(line) > width:
            assert " " not in MARKUP_PREFIX.sub("", line), f"breakable line wider than {width}: {line!r}"


def _text_content(node: Node | str) -> str:
    return node if isinstance(node, str) else "".join(_text_content(child) for child in node.children)


def _disclaimer_texts(node: Node) -> list[str]:
    """The text of every element marked as a disclaimer in a parsed fragment."""
    if "data-disclaimer" in node.attrs:
        return [_text_content(node)]
    return [text for child in node.children if isinstance(child, Node) for text in _disclaimer_texts(child)]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem)
def test_every_disclaimer_is_inside_a_rule_delimited_block(fixture: Path) -> None:
    text = _render(fixture)
    width = _options(fixture).get("width", 72)
    blocks = text.split("=" * width + "\n")
    framed = "".join(_ascii_split("".join(blocks[1::2])))  # what stands between an opening and a closing rule
    disclaimers = _disclaimer_texts(parse(fixture.read_text(encoding="utf-8")))
    assert len(blocks) % 2 == 1 and len(blocks) >= 3 and disclaimers
    for disclaimer in disclaimers:
        assert "".join(_ascii_split(disclaimer)) in framed


# --------------------------------------------------------------------------- wrap(): properties

IDEOGRAPH = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ARABIC_LETTER = st.sampled_from([chr(c) for c in [*range(0x0621, 0x063B), *range(0x0641, 0x064B)]])
ARABIC_MARK = st.sampled_from([chr(c) for c in range(0x064B, 0x0653)])

ascii_words = st.text("abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789", min_size=1, max_size=14)
arabic_words = st.builds(
    lambda first, rest: first + "".join(rest),
    ARABIC_LETTER,
    st.lists(st.one_of(ARABIC_LETTER, ARABIC_MARK), max_size=10),
)
url_words = st.builds(
    lambda path: "https://example.org/" + path,
    st.text("abcdefghijklmnopqrstuvwxyz0123456789/-._?=&", min_size=10, max_size=90),
)
cjk_runs = st.text(IDEOGRAPH, min_size=1, max_size=30)
words = st.one_of(
    st.tuples(st.just("word"), ascii_words),
    st.tuples(st.just("word"), arabic_words),
    st.tuples(st.just("word"), url_words),
    st.tuples(st.just("cjk"), cjk_runs),
)
INDENTS = [("", ""), ("- ", "  "), ("> ", "> "), ("10. ", "    "), ("[12] ", "     ")]


@st.composite
def texts(draw: st.DrawFn) -> tuple[str, set[str]]:
    """Mixed-script text and its unbreakable atoms: whole non-CJK words, single ideographs.

    Neighbours are separated by ASCII whitespace, or glued together where one is CJK
    (Chinese has no spaces, even next to a Latin word or a URL).
    """
    drawn = draw(st.lists(words, min_size=1, max_size=25))
    parts = [drawn[0][1]]
    for (kind_before, _), (kind, word) in itertools.pairwise(drawn):
        glue = "cjk" in (kind_before, kind) and draw(st.booleans())
        parts += ["" if glue else draw(st.sampled_from([" ", "  ", "\n", " \t"])), word]
    atoms = {word for kind, word in drawn if kind == "word"} | {
        char for kind, run in drawn if kind == "cjk" for char in run
    }
    return "".join(parts), atoms


def _contents(lines: list[str], first: str, rest: str) -> list[str]:
    """The lines without their indents, checking that each has the right one."""
    contents = []
    for index, line in enumerate(lines):
        indent = first if index == 0 else rest
        assert line.startswith(indent)
        contents.append(line[len(indent) :])
    return contents


@PROPERTIES
@given(texts(), st.integers(min_value=1, max_value=60), st.sampled_from(INDENTS))
def test_wrap_fits_width_except_single_unbreakable_tokens(
    sample: tuple[str, set[str]], width: int, indents: tuple[str, str]
) -> None:
    text, atoms = sample
    lines = wrap(text, width, *indents)
    for line, content in zip(lines, _contents(lines, *indents), strict=True):
        assert content and content == content.strip(" ")
        if display_width(line) > width:
            assert content in atoms, f"{line!r} is {display_width(line)} columns wide, more than {width}"


@PROPERTIES
@given(texts(), st.integers(min_value=1, max_value=60), st.sampled_from(INDENTS))
def test_wrap_keeps_every_character_in_order(
    sample: tuple[str, set[str]], width: int, indents: tuple[str, str]
) -> None:
    text, _ = sample
    lines = wrap(text, width, *indents)
    assert "".join(_ascii_split("".join(_contents(lines, *indents)))) == "".join(_ascii_split(text))


@pytest.mark.slow
@PROPERTIES
@given(texts(), texts(), texts(), st.integers(min_value=8, max_value=60))
def test_page_lines_fit_width_in_nested_blocks(
    outer: tuple[str, set[str]], inner: tuple[str, set[str]], quoted: tuple[str, set[str]], width: int
) -> None:
    fragment = (
        f"<ul><li>{html.escape(outer[0])}<ol start='9'><li>{html.escape(inner[0])}</li></ol></li></ul>"
        f"<blockquote><p>{html.escape(quoted[0])}</p></blockquote>"
    )
    atoms = outer[1] | inner[1] | quoted[1]
    for line in html_to_text(fragment, width=width).split("\n"):
        if display_width(line) > width:
            assert MARKUP_PREFIX.sub("", line) in atoms, f"{line!r} is wider than {width}"


# --------------------------------------------------------------------------- wrap(): examples


def test_wrap_counts_display_width_of_text_and_indents() -> None:
    assert wrap("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    assert wrap("aaa bbb ccc", 7, "- ", "  ") == ["- aaa", "  bbb", "  ccc"]
    assert wrap("一二三四五六", 6) == ["一二三", "四五六"]  # each ideograph is two columns wide


def test_wrap_never_starts_a_line_with_closing_punctuation() -> None:
    assert wrap("一二三。四五", 6) == ["一二", "三。四", "五"]
    assert wrap("一二（三）", 4) == ["一二", "（三）"]


def test_wrap_breaks_between_cjk_and_latin_but_not_inside_a_url() -> None:
    url = "https://example.org/a/very/long/path"
    assert wrap(f"请访问{url}了解更多", 10) == ["请访问", url, "了解更多"]


def test_wrap_keeps_combining_marks_and_no_break_spaces() -> None:
    assert wrap("دُرِسَ دُرِسَ", 3) == ["دُرِسَ", "دُرِسَ"]
    assert wrap("10\u00a0mg a", 5) == ["10\u00a0mg", "a"]


def test_wrap_of_text_without_words_is_empty() -> None:
    assert wrap(" \n\t ", 10, "- ") == []


# --------------------------------------------------------------------------- html_to_text(): units


def test_links_are_numbered_in_order_of_first_use() -> None:
    fragment = (
        '<p>See <a href="https://a.example/">one</a>, <a href="https://b.example/" title="Bee">two</a> '
        'and <a href="https://a.example/">one again</a>.</p>'
    )
    assert html_to_text(fragment) == (
        "See one <1>, two <2> and one again <1>.\n"
        "\n"
        "References\n"
        "----------\n"
        "<1> https://a.example/\n"
        "<2> https://b.example/ (Bee)\n"
    )


def test_link_numbers_do_not_look_like_the_pages_citations() -> None:
    """A page cites its Sources as [1]; a link's number is written <1>, so the two never collide."""
    text = html_to_text('<p>Guidelines advise exercise [1]; see <a href="https://a.example/">the overview</a>.</p>')
    assert "exercise [1]; see the overview <1>." in text
    assert text.endswith("<1> https://a.example/\n")


def test_links_that_show_their_target_or_stay_in_the_page_get_no_number() -> None:
    fragment = (
        '<p><a href="https://a.example/x">https://a.example/x</a> <a href="mailto:c@a.example">c@a.example</a> '
        '<a href="#risks">the risks</a></p>'
    )
    assert html_to_text(fragment) == "https://a.example/x c@a.example the risks\n"
    assert html_to_text('<p><a href="tel:+12025550147">+1 202 555 0147</a></p>') == "+1 202 555 0147\n"


def test_references_label_is_translatable_and_underlined_to_its_width() -> None:
    text = html_to_text('<p><a href="https://a.example/">参见</a></p>', labels={"references": "参考链接"})
    assert text == "参见<1>\n\n参考链接\n--------\n<1> https://a.example/\n"


def test_base_url_makes_relative_links_absolute() -> None:
    text = html_to_text('<p><a href="hip.html">hip</a></p>', base_url="https://clinic.example/es/")
    assert text.endswith("<1> https://clinic.example/es/hip.html\n")


def test_nested_lists_hang_under_their_parent_text() -> None:
    fragment = (
        "<ul><li>First item that is long enough to wrap<ul><li>nested item that wraps too</li></ul></li>"
        "<li>second</li></ul>"
    )
    assert html_to_text(fragment, width=24) == (
        "- First item that is\n  long enough to wrap\n  - nested item that\n    wraps too\n- second\n"
    )


def test_ordered_list_respects_start_and_aligns_wide_numbers() -> None:
    fragment = '<ol start="9"><li>nine</li><li>ten and more words</li></ol>'
    assert html_to_text(fragment, width=12) == "9.  nine\n10. ten and\n    more\n    words\n"
    assert html_to_text('<ol start="x"><li>a</li></ol>') == "1. a\n"


def test_loose_lists_separate_items_with_one_blank_line() -> None:
    assert html_to_text("<ul><li><p>a</p></li><li><p>b</p><p>c</p></li></ul>") == "- a\n\n- b\n\n  c\n"


def test_disclaimer_is_framed_by_rules_under_a_translated_label() -> None:
    fragment = '<p>Intro.</p><p data-disclaimer="x">Not medical advice; see a doctor.</p>'
    assert html_to_text(fragment, width=20, labels={"important": "Wichtig"}) == (
        "Intro.\n\n" + "=" * 20 + "\nWichtig\nNot medical advice;\nsee a doctor.\n" + "=" * 20 + "\n"
    )


def test_disclaimers_section_uses_its_heading_and_frames_once() -> None:
    fragment = (
        "<section data-disclaimers><h2>Important information</h2>"
        '<p data-disclaimer="a">First.</p><p data-disclaimer="b">Second.</p></section>'
    )
    rule = "=" * 30
    assert html_to_text(fragment, width=30) == (
        f"{rule}\nImportant information\n---------------------\n\nFirst.\n\nSecond.\n{rule}\n"
    )


def test_disclaimer_inside_a_list_item_or_inline_is_still_framed() -> None:
    text = html_to_text('<ul><li data-disclaimer="a">Risky.</li></ul><p>x <span data-disclaimer="b">Y.</span></p>', 10)
    assert text == "- ========\n  Important\n  Risky.\n  ========\n\nx\n\n==========\nImportant\nY.\n==========\n"


def test_width_parameter_applies_everywhere() -> None:
    fragment = "<h1>A heading with several words</h1><p>" + "word " * 30 + '</p><p data-disclaimer="d">Careful.</p>'
    for width in (20, 40, 72):
        lines = html_to_text(fragment, width=width).splitlines()
        assert max(display_width(line) for line in lines) == width
    with pytest.raises(ValueError, match="width"):
        html_to_text("<p>x</p>", width=0)


def test_headings_are_underlined_to_their_display_width() -> None:
    assert html_to_text("<h1>膝关节</h1><h2>ما الذي دُرِسَ</h2><h3>Risks</h3>") == (
        "膝关节\n======\n\nما الذي دُرِسَ\n-----------\n\nRisks\n~~~~~\n"
    )


def test_right_to_left_text_keeps_logical_order_after_its_marker() -> None:
    assert html_to_text("<ol><li>اكتب الأعراض</li></ol>") == "1. اكتب الأعراض\n"


def test_blockquote_admonition_and_hard_breaks() -> None:
    fragment = (
        "<blockquote><p>one<br>two</p><p>three</p></blockquote>"
        '<div class="admonition note"><p class="admonition-title">Note</p><p>Body text.</p></div>'
    )
    assert html_to_text(fragment) == "> one\n> two\n>\n> three\n\nNote\n    Body text.\n"


def test_table_rows_become_header_value_records() -> None:
    fragment = (
        "<table><thead><tr><th>治疗</th><th>费用</th></tr></thead>"
        "<tbody><tr><td>运动</td><td>低</td></tr><tr><td>注射</td><td></td></tr></tbody></table>"
    )
    assert html_to_text(fragment, labels={"colon": "："}) == "治疗：运动\n费用：低\n\n治疗：注射\n费用：\n"
    assert html_to_text(fragment.replace("治疗", "A")) == "A: 运动\n费用: 低\n\nA: 注射\n费用:\n"


def test_code_blocks_are_verbatim_and_not_wrapped() -> None:
    code = "x  =  1\n\n  indented line that is much longer than the width\n"
    assert html_to_text(f"<pre><code>{html.escape(code)}</code></pre>", width=10) == (
        "    x  =  1\n\n      indented line that is much longer than the width\n"
    )


def test_inline_markup_images_and_wrappers() -> None:
    fragment = (
        "<main><header><p><strong>Bold</strong> <em>em</em> <code>code</code> "
        '<img alt="A knee" src="k.png"></p></header><footer><p>End</p></footer></main>'
    )
    assert html_to_text(fragment) == "*Bold* _em_ code A knee\n\nEnd\n"


def test_markup_noise_is_tolerated() -> None:
    assert html_to_text("<p>a</b> <i>b</p><p>c &amp; d&nbsp;e<span><script>x()</script></span></p><!-- c -->") == (
        "a _b_\n\nc & d\u00a0e\n"
    )
    assert html_to_text("") == "\n"


def test_output_is_deterministic() -> None:
    fixture = TEXT / "en.html"
    assert _render(fixture) == _render(fixture)
