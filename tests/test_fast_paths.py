# ruff: noqa: RUF001 -- the punctuation of other scripts is what these tests feed the renderers.
"""The shortcuts taken for speed give exactly what the long way gives.

Each shortcut skips work whose result is known in advance; these tests compare it
with the long way on real catalogs and pages and on generated text, so a change to
either side (or to Python-Markdown) that breaks the equivalence fails here, not in
a published page. Speed itself is measured by ``scripts/benchmark.py``, never here.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import markdown
import pytest
from helpers import render_message
from hypothesis import given, settings
from hypothesis import strategies as st
from wcwidth import wcwidth

from carepages import block_cache, catalogs, limits, po_syntax, segments, words
from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config
from carepages.gate import collect
from carepages.markdown_ext import MARKDOWN_EXTENSIONS, PageParser
from carepages.render import body as render_body
from carepages.render import wrap
from carepages.render.body import plain_rendering
from carepages.segments import is_plain, is_translatable, squeeze, to_markdown

DATA = Path(__file__).parent / "data"

# Letters of several scripts, digits, the punctuation of running text, spaces of several kinds,
# direction marks, and every character that means something to Markdown.
ALPHABET = "aZéß中文ع٣ 0 9 .,;:!?'\"()/%-–…«»¿¡+^$@\u00a0\u202f\u200e\u200f\t\n*_`[]<>&|#~={}\\"
TOKENS = ["word", "Wort", "中文", "عيادة", "3.5", "*", "**", "_", "`", "[", "]", "(x.html)", "<b>", "&amp;", "#", "1."]
TOKENS += ["-", "!", "|", "~", "=", "\\", "https://example.org/a", "www.example.com", ".", ",", "\n", "  ", "\u00a0"]
# Words with markup around them: single marks, and the pairs that make emphasis, code, links and HTML.
WORDS = st.sampled_from(["word", "Wort", "中文", "عيادة", "x", "3.5", "https://example.org/a"])
MARKS = st.sampled_from(["", "", "*", "**", "_", "`", "[", "]", "](x.html)", "<b>", "</b>", "&amp;", "\\", "|", "  \n"])
PAIRS = st.sampled_from(
    [("*", "*"), ("**", "**"), ("_", "_"), ("`", "`"), ("[", "](x.html)"), ("![", "](x.png)"), ("<b>", "</b>")]
) | st.sampled_from([("\\*", ""), ("&amp;", ""), ("&#169;", ""), ("\\", ""), ("", "  \n")])
MARKED_WORD = st.tuples(MARKS, WORDS, MARKS).map("".join) | st.tuples(PAIRS, WORDS).map(
    lambda pair_word: pair_word[0][0] + pair_word[1] + pair_word[0][1]
)
TEXTS = (
    st.lists(MARKED_WORD, min_size=1, max_size=6).map(lambda words: "Start " + " ".join(words))
    | st.text(alphabet=ALPHABET, max_size=40)
    | st.lists(st.sampled_from(TOKENS), max_size=10).map(" ".join)
    | st.lists(st.sampled_from(TOKENS), max_size=10).map("".join)
    | st.sampled_from(
        [
            "See https://example.org/a.b, then www.example.com.",
            "1. Not a list",
            "Call 112!",
            "Dose: 3.5 ml (twice) - not more",
            "A  double  space",
            "Ends with two spaces  ",
            "Line\nbreak",
            "!!! note",
            "Word --- word",
            "Ärzte sagen: „nein“.",
            "مرحبا؟",
            "疼痛。",
            "Start _word_ here",
            "Start *word* here",
            "Start **word**",
            "Start \\*word",
            "Start \\. and \\(x\\)",
            "Start `code`",
            "Start [a link](x.html)",
            "Start ![an image](x.png)",
            "Start <b>bold</b>",
            "Start &amp; more",
            "Start  \nbreak",
            "| a | b |",
        ]
    )
)


def catalog_texts() -> list[str]:
    """Every msgid and msgstr of the test data's catalogs and templates."""
    found: set[str] = set()
    for path in sorted(DATA.rglob("*.po*")):
        try:
            catalog = read_catalog(path, path.name)
        except Exception:  # the bad-input catalogs are meant not to parse
            continue
        for message in catalog:
            for value in (message.id, message.string):
                found.update(v for v in ((value,) if isinstance(value, str) else value or ()) if v)
    return sorted(found)


# -- plain text is not given to Python-Markdown's inline parser ------------------------------


def test_plain_text_is_what_python_markdown_makes_of_every_catalog_text() -> None:
    plain = [source for source in map(to_markdown, catalog_texts()) if is_plain(source)]
    assert len(plain) > 50  # the comparison covers real messages
    for source in plain:
        assert markdown.markdown(source, extensions=list(MARKDOWN_EXTENSIONS)) == f"<p>{source}</p>", source


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_plain_text_is_what_python_markdown_makes_of_generated_text(raw: str) -> None:
    source = to_markdown(raw)
    if is_plain(source):
        assert markdown.markdown(source, extensions=list(MARKDOWN_EXTENSIONS)) == f"<p>{source}</p>"
        assert render_message("Placeholder words.", raw) == plain_rendering(source)


@pytest.mark.parametrize("source", ["**bold** text", "a [link](x.html)", "x < y", "AT&T", "# Title", "1. one", ""])
def test_text_with_markup_is_not_plain(source: str) -> None:
    assert not is_plain(source)


# -- the build: plain text skips the inline parser; the block parse is reused -------------------


def page_bodies() -> list[str]:
    """The test data's source pages without their directive comments (which only carepages reads)."""
    bodies = []
    for path in sorted(DATA.rglob("source/*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        if lines and lines[0] == "---":
            lines = lines[lines.index("---", 1) + 1 :]
        bodies.append("\n".join(line for line in lines if not line.lstrip().startswith("<!--")))
    return bodies


def test_page_parser_renders_a_page_as_python_markdown_does_each_time() -> None:
    parser = PageParser(keep_blocks=True)
    plain = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    bodies = page_bodies()
    assert bodies
    for _ in range(2):  # the second time from the block cache
        for body in bodies:
            plain.reset()
            assert parser.convert(body, "page.md", 1, [])[0] == plain.convert(body)


def test_the_block_cache_parses_each_page_once_when_pages_come_round_in_the_same_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The build converts a worker's pages in the same order in every locale. A cache that made room
    by dropping the least recently used parse dropped each page just before its turn (at 1000 pages,
    with room for 512), so every conversion parsed again; a kept parse stays, and past the budget the
    other pages are parsed each time, their output unchanged."""
    bodies = sorted(set(page_bodies()))  # distinct: two pages with the same body share one parse
    assert len(bodies) > 2
    for budget, kept in ((10**9, len(bodies)), (sum(len(body) for body in bodies[:2]), 2)):
        monkeypatch.setattr(block_cache, "BUDGET", budget)
        parser, parsed = _counting_parser()
        plain = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
        for _ in range(3):  # three locales
            for body in bodies:
                plain.reset()
                assert parser.convert(body, "page.md", 1, [])[0] == plain.convert(body)
        assert parser.blocks is not None and len(parser.blocks.kept) == kept
        assert len(parsed) == kept + 3 * (len(bodies) - kept)


def _counting_parser() -> tuple[PageParser, list[int]]:
    """A parser keeping block parses, and the list its block parser adds to each time it runs."""
    parser = PageParser(keep_blocks=True)
    assert parser.blocks is not None
    parsed: list[int] = []
    parse = parser.blocks.parse

    def counting(lines: list[str]) -> object:
        parsed.append(len(lines))
        return parse(lines)

    parser.blocks.parse = counting  # type: ignore[assignment]
    return parser, parsed


def test_reference_links_resolve_every_time_a_page_is_converted() -> None:
    parser = PageParser(keep_blocks=True)
    body = "See [the register][reg].\n\n[reg]: https://example.org/register\n"
    other = "Nothing here but [a stray][reg] reference.\n"
    for _ in range(2):
        assert 'href="https://example.org/register"' in parser.convert(body, "a.md", 1, [])[0]
        assert "href" not in parser.convert(other, "b.md", 1, [])[0]


def test_translations_and_fallbacks_of_one_page_do_not_leak_between_conversions() -> None:
    parser = PageParser(keep_blocks=True)
    body = "# Title\n\nA paragraph.\n\n- an **item**\n"
    german = {"Title": "Titel", "A paragraph.": "Ein Absatz.", "an **item**": "ein **Punkt**"}
    for _ in range(2):
        html, _ = parser.convert(body, "p.md", 1, [], lambda segment: german.get(segment.msgid))
        assert html == "<h1>Titel</h1>\n<p>Ein Absatz.</p>\n<ul>\n<li>ein <strong>Punkt</strong></li>\n</ul>"
        assert parser.convert(body, "p.md", 1, [])[0].startswith("<h1>Title</h1>\n<p>A paragraph.</p>")


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_a_block_is_translatable_exactly_when_words_remain_without_markup(raw: str) -> None:
    stripped = segments._NOT_WORDS.sub(" ", raw)
    assert is_translatable(raw) == any(char.isalpha() for char in stripped)


# -- the limits: a short translation is within them whatever its source -----------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a[<`", max_size=20), st.text(alphabet="ab[<`", max_size=segments.SURELY_WITHIN_LIMITS))
def test_a_translation_short_enough_is_within_the_limits_whatever_its_source(msgid: str, msgstr: str) -> None:
    assert limits.translation_problem(msgid, msgstr) is None
    assert segments.translation_problem(msgid, msgstr) is None


def test_the_shortcut_of_the_limits_is_as_long_as_it_can_be() -> None:
    longest = segments.SURELY_WITHIN_LIMITS
    assert limits.translation_problem("", "[" * longest) is None
    assert segments.translation_problem("", "[" * (longest + 1)) == limits.translation_problem("", "[" * (longest + 1))
    assert segments.translation_problem("", "[" * (longest + 1)) is not None


# -- a block of text alone is summarised without walking it ------------------------------------------

SUMMARY_PARSER = PageParser()


def assert_summaries_are_the_walks(body: str) -> int:
    """Every block of ``body`` summarised both ways; how many took the short way."""
    _html, conversion = SUMMARY_PARSER.convert(body, "p.md", 1, [])
    stash = [item for item in SUMMARY_PARSER.md.htmlStash.rawHtmlBlocks if isinstance(item, str)]
    short = 0
    for placement in conversion.placements:
        if placement.attribute is None:
            element = placement.element
            summary = render_body.summarise(element, stash)
            assert summary == render_body._walked(element, stash), body
            assert all(type(chunk) is str for chunk in (summary.text, summary.prose, *summary.chunks))
            short += len(element) == 0 and "\x02" not in (element.text or "")
    return short


def test_every_catalog_text_is_summarised_as_the_walk_summarises_it() -> None:
    short = 0
    for text in catalog_texts():
        source = to_markdown(text)
        short += assert_summaries_are_the_walks(f"{source}\n\n# {source}\n\n- {source}\n\n| a |\n|---|\n| {source} |\n")
    assert short > 200  # the short way is taken, and compared


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_generated_text_is_summarised_as_the_walk_summarises_it(raw: str) -> None:
    assert_summaries_are_the_walks(f"Start {raw}\n\n    code {raw}\n\n> {raw}\n")


# -- catalogs: the whole-file check of quoted strings ---------------------------------------


WELL_FORMED_LINES = ['msgid "a"', 'msgstr "b"', 'msgstr[0] "c"', 'msgid_plural "d"', 'msgctxt "e"', '"co\\"nt"']
COMMENT_LINES = ['#~ msgid "old"', '#| msgid "prev"', '#~| msgid "x"', "#. note", "#: src.md:3", "#, fuzzy", "#", ""]
ODD_LINES = ['msgid "open', 'msgstr "a"b"', 'msgid "x" ', ' msgid "x"', 'msgstr "\\"', "msgid x", '"', '#~ "z']
ODDER_LINES = ['msgid\t"t"', 'msgstr"u"', '#~msgid "v"', '"\\\\"', 'msgstrange "w"', "\r", "#|"]
PO_LINES = st.lists(st.sampled_from([*WELL_FORMED_LINES, *COMMENT_LINES, *ODD_LINES, *ODDER_LINES]), max_size=12).map(
    "\n".join
)


@settings(max_examples=500, deadline=None)
@given(PO_LINES)
def test_a_file_accepted_whole_has_no_malformed_line(text: str) -> None:
    if po_syntax._WELL_FORMED.fullmatch(text):
        po_syntax._check_each_line(text, "x.po")  # must not raise


PAIR_LINES = ['msgstr[0] "a"', '#~ msgstr[0] "b"', '#~msgstr "c"', '#~ msgid "d"', 'msgstr[1] "e"', "x msgid "]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*WELL_FORMED_LINES, *ODD_LINES, *ODDER_LINES, *PAIR_LINES]), max_size=12).map("\n".join)
)
def test_counting_msgid_and_msgstr_lines_is_what_the_patterns_find(text: str) -> None:
    assert po_syntax._count_lines(text, po_syntax._MSGID_STARTS) == len(po_syntax._MSGID_LINE.findall(text))
    assert po_syntax._count_lines(text, po_syntax._MSGSTR_STARTS) == len(po_syntax._MSGSTR_LINE.findall(text))


def test_every_well_formed_catalog_of_the_test_data_is_accepted_whole() -> None:
    accepted = 0
    for path in sorted(DATA.rglob("*.po*")):
        content = path.read_bytes().removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
        try:
            source = content.decode("utf-8")
            po_syntax._check_each_line(source, path.name)
        except (UnicodeDecodeError, catalogs.CatalogError):
            continue
        accepted += bool(po_syntax._WELL_FORMED.fullmatch(source))
    assert accepted > 10


# -- squeezing text for comparison: one translation table instead of a regular expression ---------


def test_squeeze_removes_exactly_what_the_pattern_matches_in_all_of_unicode() -> None:
    every = "".join(map(chr, range(0x110000)))
    assert squeeze(every) == segments._SQUEEZE.sub("", every)
    assert squeeze("a \u00a0b\u200bc\n") == "abc"


# -- plain text: words are split between characters only where a wide character is ----------


def reference_break_points(word: str) -> list[int]:
    """The definition: every pair of visible characters, asked one by one."""
    points, base, joined = [], word[:1], False
    for index in range(1, len(word)):
        char = word[index]
        if wcwidth(char) <= 0:
            joined = joined or char == "\u200d"
            continue
        if not joined and wrap._can_break(base, char):
            points.append(index)
        base, joined = char, False
    return points


WORD_CHARS = "abcé中文字。、（）「」한국\u0301\u200d\u064e\U0001f1e9\U0001f1ea-.,"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=WORD_CHARS, min_size=1, max_size=12))
def test_break_points_are_those_of_the_character_by_character_definition(word: str) -> None:
    assert list(wrap._break_points(word)) == reference_break_points(word)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=WORD_CHARS + "  \n", max_size=60), st.integers(min_value=1, max_value=20))
def test_remembered_wrapping_is_the_wrapping_and_each_caller_gets_its_own_list(raw: str, width: int) -> None:
    wrapped = list(wrap._wrapped.__wrapped__(raw, width, "> ", "  "))
    first = wrap.wrap_lines(raw, width, "> ", "  ")
    first.append("changed by the caller")
    assert wrap.wrap_lines(raw, width, "> ", "  ") == wrapped


NARROW_CHARS = "abcdéßøñ-.,;:!?'\"()/ \u00a0\u202f\u2011\u0430\u03b1\u05d0\u0627\x07"


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=NARROW_CHARS + WORD_CHARS + "\t\n\r", max_size=80)
    | st.lists(st.text(alphabet="abcé-", min_size=1, max_size=14), max_size=20).map(" ".join),
    st.integers(min_value=1, max_value=30),
    st.sampled_from(["", "- ", "    ", "12. "]),
    st.sampled_from(["", "  ", "    "]),
)
def test_wrapping_narrow_text_a_line_at_a_time_is_wrapping_it_piece_by_piece(
    raw: str, width: int, first: str, rest: str
) -> None:
    assert wrap.wrap(raw, width, first, rest) == wrap._wrap_pieces(raw, width, first, rest)
    if wrap._narrow(raw):
        assert all(wrap.wcswidth(word) == len(word) for word in wrap.HTML_SPACE.split(raw))


def test_a_character_is_narrow_only_when_wcwidth_measures_it_one_column_in_any_company() -> None:
    narrow = [chr(code) for code in range(0x10000) if wrap._narrow(chr(code)) and chr(code) not in " \t\n\r\f\v"]
    assert len(narrow) > 20_000
    assert all(wrap.wcswidth(char * 2) == 2 and wrap.wcswidth("a" + char + "a") == 3 for char in narrow)
    assert not wrap._narrow("中") and not wrap._narrow("e\u0301") and not wrap._narrow("\U0001f1e9\U0001f1ea")


def test_a_control_character_counts_as_no_column() -> None:
    assert wrap.wrap("a\x07b cd", 3) == ["a\x07b", "cd"]
    assert unicodedata.category("\x07") == "Cc"


# -- the language check: enough words, counted only as far as needed --------------------------------


@settings(max_examples=400, deadline=None)
@given(TEXTS | st.text(alphabet=ALPHABET + "\u0301\u0663〇Ⅻ²'’", max_size=60), st.integers(0, 6))
def test_enough_words_is_counting_the_words(raw: str, least: int) -> None:
    assert words.has_words(raw, least) == (words.count_words(raw, letters_only=True) >= least)


def test_a_letter_is_a_character_of_a_letter_category_in_all_of_unicode() -> None:
    every = map(chr, range(0x110000))
    assert [c for c in every if words._has_letter(c) != unicodedata.category(c).startswith("L")] == []
    assert words.count_words("3 x 4 ml, 〇 and Ⅻ", letters_only=True) == 3  # numbers of every kind left out


# -- the check: locales in worker processes give the same report as one process ----------------------------


def test_checking_in_worker_processes_reports_exactly_what_one_process_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from check_helpers import make_clinic

    root = make_clinic(tmp_path / "clinic")
    config = load_config(root)
    run_build(config, jobs=1)
    for locale in ("de", "ar"):  # findings in two locales: a changed link, a lost full stop, a number
        path = po_path(config, locale, "knee")
        catalog = read_catalog(path, config.relative(path), locale)
        for message in list(catalog)[1:4]:
            if isinstance(message.string, str) and message.string:
                message.string = message.string.rstrip(".。") + " 42 [x](https://example.org/other)"
        path.write_bytes(render_catalog(catalog, config.locations))
    shutil.rmtree(root / "dist" / "zh_CN")  # and a locale whose pages are gone
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "serial"))
    serial = collect(config, jobs=1)
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "parallel"))  # nothing to reuse: assessed anew
    parallel = collect(config, jobs=2)
    assert {finding.scope for finding in serial.findings} >= {"de", "ar", "zh_CN"}
    assert parallel == serial
