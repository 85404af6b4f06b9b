# ruff: noqa: RUF001 -- Arabic, Chinese and full-width text is this module's test data.
"""The building blocks of the checks: what a message renders as, numbers, punctuation, markup,
allow comments, and the promise that each catalog is parsed once and each page rendered once per locale."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from check_helpers import check, make_clinic
from helpers import render_message

from carepages import assess
from carepages.checks import context as context_module
from carepages.checks.allow import NO_REASON, allowances
from carepages.checks.model import Entry
from carepages.checks.numbers import compare, number_formats
from carepages.checks.structure import block_marks, markup_changes
from carepages.checks.wording import end_mark
from carepages.config import load_config
from carepages.gate import collect
from carepages.render.body import Body


def test_links_come_from_the_rendered_message() -> None:
    rendered = render_message(
        'See [the overview](overview.html "Title"), ![a knee](knee.png), <https://example.org/a>, '
        '`[not](a-link.html)`, [unresolved][ref], <a href="raw.html">raw</a> and www.example.org/b.'
    )
    assert rendered.links == (
        "overview.html",
        "knee.png",
        "https://example.org/a",
        "raw.html",
        "https://example.org/a",  # the autolink's text is an address too: it counts on both sides
        "www.example.org/b",
    )


def test_an_address_written_as_a_links_text_counts_as_a_link() -> None:
    """ "[www.cure.example](overview.html)" shows the reader an address the source never gave."""
    assert render_message("See [our page](overview.html).").links == ("overview.html",)
    assert render_message("Siehe [www.heilung.example](overview.html).").links == (
        "overview.html",
        "www.heilung.example",
    )


def test_reference_links_count_by_the_target_they_resolve_to() -> None:
    definitions = "[ov]: overview.html\n[ev]: https://example.org/evidence"
    source = "See [the overview][ov] and [the evidence][ev]."
    assert render_message(source, definitions=definitions).links == ("overview.html", "https://example.org/evidence")
    same = render_message(source, "Siehe [die Belege](https://example.org/evidence) und [Übersicht][ov].", definitions)
    assert sorted(same.links) == ["https://example.org/evidence", "overview.html"]
    dropped = render_message(source, "Siehe [die Übersicht][ov] und [die Belege][xx].", definitions)
    assert dropped.links == ("overview.html",)  # an unknown label is no link at all


def test_rendering_summarises_inline_elements_and_text_in_the_block() -> None:
    rendered = render_message("A *b* and **c** with `d*` &amp; <b>e</b>")
    assert (rendered.count("em"), rendered.count("strong"), rendered.count("code")) == (1, 1, 1)
    assert rendered.raw_html == ("b", "b")  # the entity is not raw HTML
    assert rendered.text == "A b and c with d* & e"
    assert rendered.prose == "A b and c with  & e"  # code spans are not prose


def test_a_translation_stays_in_its_source_block() -> None:
    """``# Überschrift`` for a paragraph shows as a paragraph starting with '#', as the build renders it."""
    heading = render_message("A paragraph about the knee.", "# Eine Überschrift")
    assert heading.text == "# Eine Überschrift"
    turkish = render_message("# Day 1: rest the knee", "1. Gün'e dinlenin")
    assert turkish.text == "1. Gün'e dinlenin" and compare("Day 1: rest the knee", turkish.text, "en", "tr") is None
    assert block_marks("# Eine Überschrift\n> Zitat") == Counter({"#": 1, ">": 1})
    assert block_marks("1. Gün, 3 - 4 Tage") == Counter()


@pytest.mark.parametrize(
    ("locale", "translation"),
    [
        ("de", "1.250 Patienten, 2,5 Jahre"),
        ("de", "2.5 Jahre, 1250 Patienten"),  # the source's own convention is also fine where it reads the same
        ("fr", "1 250 patients, 2,5 ans"),
        ("fr", "1\u202f250 patients, 2,5 ans"),
        ("ar", "١٬٢٥٠ مريضًا لمدة ٢٫٥ سنة"),
        ("ar", "1,250 مريضًا لمدة 2.5 سنة"),
        ("zh_CN", "１２５０名患者，２.５年"),
    ],
)
def test_numbers_may_use_the_locales_own_separators_and_digits(locale: str, translation: str) -> None:
    assert compare("1,250 patients for 2.5 years", translation, "en", locale) is None


@pytest.mark.parametrize(
    ("translation", "missing", "added"),
    [
        ("1.250 Patienten, 25 Jahre", ["2.5"], ["25"]),
        ("Patienten, 2,5 Jahre", ["1250"], []),
        ("1.250 Patienten, 2,5 Jahre, 2,5 Jahre", [], ["2.5"]),  # a multiset: the count matters
        ("1.250 Patienten, 3,5 Jahre", ["2.5"], ["3.5"]),
    ],
)
def test_numbers_that_differ(translation: str, missing: list[str], added: list[str]) -> None:
    assert compare("1,250 patients for 2.5 years", translation, "en", "de") == (missing, added)


@pytest.mark.parametrize(
    ("source", "translation", "locale", "difference"),
    [
        ("take 1,000 mg", "nehmen Sie 1,000 mg", "de", (["1000"], ["1"])),  # a German reads 1 mg
        ("about 12 people", "etwa 12.000 Menschen", "de", (["12"], ["12000"])),  # a German reads 12,000
        ("1 in 100,000", "1 sur 100,000", "fr", (["100000"], ["100"])),
        ("1 in 100,000", "1 de cada 100.000", "es", None),  # the locale's own convention
        ("for 2.5 years", "2.5 Jahre lang", "de", None),  # not a German number at all: read as written
        ("1,250 patients", "١٬٢٥٠ مريضًا", "ar", None),
        ("1,250 patients", "1,250 مريضًا", "ar", None),  # Latin digits and separators: Arabic readers read both
    ],
)
def test_a_number_the_locales_readers_read_as_another_is_a_difference(
    source: str, translation: str, locale: str, difference: tuple[list[str], list[str]] | None
) -> None:
    """The source's convention is allowed only where the locale's readers read the same number."""
    assert compare(source, translation, "en", locale) == difference


def test_number_formats_come_from_cldr() -> None:
    assert [(f.decimal, f.group) for f in number_formats("de")] == [(",", ".")]
    assert ("٫", "٬") in [(f.decimal, f.group) for f in number_formats("ar")]


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("Done.", "Fertig."),
        ("Done.", "完成。"),
        ("Done.", "ختم۔"),
        ("Done.", "\u202bتم.\u202c"),
        ("Why?", "为什么？"),
        ("Why?", "لماذا؟"),
        ("Stop!", "停！"),
        ("Note:", "注意："),
        ('He said "stop."', "Er sagte „Stopp.“"),
        ("Wait...", "Warten…"),
        ("Heading", "Überschrift"),
    ],
)
def test_equivalent_end_punctuation(source: str, translation: str) -> None:
    assert end_mark(source) == end_mark(translation)


def test_different_end_punctuation() -> None:
    assert end_mark("Done.") != end_mark("Fertig")
    assert end_mark("Done.") != end_mark("Fertig?")
    assert end_mark("Why?") != end_mark("Warum؛")


def test_markup_changes_name_what_broke() -> None:
    text = "See [the overview](a.html) for *more*."
    source = render_message(text)
    assert markup_changes(source, render_message(text, "Mehr *dazu in [der Übersicht](a.html).")) == [
        "emphasis (*…*): 1 in the source, 0 in the translation",
        "'*' shows as text 1 more time than in the source",
    ]
    # A link lost: its target is the links check's finding; the broken syntax left as text is markup's.
    assert markup_changes(source, render_message(text, "Siehe [die Übersicht] (a.html) für *mehr*.")) == [
        "'] (' shows as text 1 more time than in the source"
    ]
    assert markup_changes(source, render_message(text, "Siehe [Übersicht](a.html) für mehr](x.")) == [
        "emphasis (*…*): 1 in the source, 0 in the translation",
        "'](' shows as text 1 more time than in the source",
    ]


def entry_with(*comments: str) -> Entry:
    return Entry("knee", "locale/de/LC_MESSAGES/knee.po", Message("x", "y", user_comments=list(comments)))


def test_allow_comments() -> None:
    assert allowances(entry_with("allow: numbers -- local number")) == {"numbers": "local number"}
    assert allowances(entry_with("Allow: links, identical -- a brand")) == {"links": "a brand", "identical": "a brand"}
    assert allowances(entry_with("allow: punctuation")) == {"punctuation": NO_REASON}
    assert allowances(entry_with("please allow: nothing here", "a note")) == {}


def test_each_catalog_is_parsed_once_and_each_page_rendered_once_per_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_clinic(tmp_path / "clinic")
    parsed: Counter[str] = Counter()
    real_read = context_module.read_catalog_text

    def counting_read(path: Path, rel: str, locale: str | None = None, root: Path | None = None) -> tuple[Catalog, str]:
        parsed[rel] += 1
        return real_read(path, rel, locale, root)

    rendered: Counter[tuple[str, bool]] = Counter()
    real_render = assess.render_body

    def counting_render(parser, page, handler, **options) -> Body:  # type: ignore[no-untyped-def]
        rendered[(page.rel, handler is None)] += 1
        return real_render(parser, page, handler, **options)

    monkeypatch.setattr(context_module, "read_catalog_text", counting_read)
    monkeypatch.setattr(assess, "render_body", counting_render)
    collect(load_config(root), jobs=1)  # in this process, where the counters are
    assert parsed and set(parsed.values()) == {1}
    assert len([rel for rel in parsed if rel.endswith(".po")]) == 9
    assert rendered[("source/knee.md", True)] == 1  # the source, once for all locales
    assert rendered[("source/knee.md", False)] == 3  # once in each of the three locales
    first = sum(rendered.values())
    collect(load_config(root), jobs=1)
    assert sum(rendered.values()) == first  # a second check reuses the first's assessments: nothing again


def test_a_duplicate_is_found_by_the_one_reader(tmp_path: Path) -> None:
    root = make_clinic(tmp_path / "clinic")
    path = root / "locale/de/LC_MESSAGES/knee.po"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "What to ask"\nmsgstr "Was fragen"\n', encoding="utf-8")
    found = [f.problem for f in check(root, "de").findings if f.problem.code == "duplicate"]
    assert [(p.path, p.line) for p in found] == [("locale/de/LC_MESSAGES/knee.po", len(text.splitlines()) + 2)]
    shutil.rmtree(root)


def test_the_built_output_checks_run_last() -> None:
    """They judge dist/ against the verdict, so they run after everything the verdict is made from."""
    from carepages.checks.registry import ALL_CHECKS, DIST_CHECKS, OUTPUT_CHECKS

    last = [check.code for check in (*OUTPUT_CHECKS, *DIST_CHECKS)]
    assert [check.code for check in ALL_CHECKS][-len(last) :] == last


@pytest.mark.parametrize(
    ("text", "edges"),
    [
        ("x", ("", "")),
        (" x\n", (" ", "\n")),
        ("\u00a0:", ("", "")),  # French typography, not an accident
        ("x\u202f", ("", "")),
        (" \u00a0x", (" ", "")),
    ],
)
def test_whitespace_edges_ignore_no_break_spaces(text: str, edges: tuple[str, str]) -> None:
    from carepages.checks.wording import _edges

    assert _edges(text) == edges


@pytest.mark.parametrize(
    ("source", "translation", "locale", "found"),
    [
        ("about 1 in 100,000", "alrededor de 1 de cada 100.000", "es", []),
        ("about 1 in 100,000", "alrededor de \u0a67 de cada 100.000", "es", ["U+0A67 GURMUKHI DIGIT ONE"]),
        ("within 24 hours", "innerhalb von 2\u09ea Stunden", "de", ["U+09EA BENGALI DIGIT FOUR"]),
        (
            "within 24 hours",
            "innerhalb von \u0662\u0664 Stunden",
            "de",
            ["U+0662 ARABIC-INDIC DIGIT TWO", "U+0664 ARABIC-INDIC DIGIT FOUR"],
        ),
        ("within 24 hours", "\u062e\u0644\u0627\u0644 \u0662\u0664 \u0633\u0627\u0639\u0629", "ar", []),
        ("within 24 hours", "\u0662\u0664 \u06f4", "ar", []),  # Persian digits are Arabic script too
        ("call 112", "\u8bf7\u62e8\u6253\uff11\uff11\uff12", "zh_CN", []),  # full-width digits look alike
        ("call 112", "llame al \u2460\u2460\u2461", "es", []),  # read as 112 by compare (NFKC), not refused here
        ("an area of 5 m\u00b2", "une surface de 5 m\u00b2", "fr", []),  # the source has the superscript
        ("take \u00bd a tablet", "prenez 1/2 comprim\u00e9", "fr", []),
        (
            "Stage IV cancer",
            "\u30b9\u30c6\u30fc\u30b8\u2163\u306e\u304c\u3093",
            "ja",
            [],
        ),  # a Roman numeral, as in Japanese
        ("in 2024", "\u4e8c\u3007\u4e8c\u56db\u5e74", "zh_CN", []),  # Chinese numerals are words (numbers' check)
    ],
)
def test_numbers_in_characters_a_reader_reads_otherwise_are_found(
    source: str, translation: str, locale: str, found: list[str]
) -> None:
    from carepages.checks.numbers import foreign_digits

    assert foreign_digits(source, translation, locale) == found


def test_character_references_decode_as_a_page_decodes_them() -> None:
    """Python's html.unescape drops a reference to a control character; the page (HTML's rules) shows it."""
    from carepages.checks.context import decode_references

    assert decode_references("&#27;c &#x202E;12&#x202C; &amp; &eacute;") == "\x1bc \u202e12\u202c & \u00e9"
    assert decode_references("&#0; &#xD800; &#x110000;") == "\ufffd \ufffd \ufffd"  # as HTML replaces them


def test_the_sanitiser_removes_control_characters_however_written() -> None:
    from carepages.render.html import sanitize

    assert sanitize("<p>&#27;c reset \x07bell</p>") == "<p>c reset bell</p>"


def test_a_disclaimer_alike_another_is_told_from_one_that_is_not() -> None:
    from carepages.checks.legible import _alike

    assert _alike(
        "Les résultats varient d’une personne à l’autre.", "les résultats varient d'une personne a l'autre", 0.97
    )
    assert not _alike("Les résultats varient d’une personne à l’autre.", "En cas d’urgence, appelez le 15.", 0.85)
    # Two formulaic disclaimers that differ in one word are not one borrowed for the other (0.853 alike).
    assert not _alike(
        "No tome este medicamento si está embarazada.", "No tome este medicamento si está amamantando.", 0.97
    )


def test_an_address_added_to_an_interface_string_is_a_links_error(tmp_path: Path) -> None:
    """The page frame shows interface strings as text: an address written in one reaches every page."""
    from carepages.catalog_paths import po_path
    from carepages.catalogs import read_catalog, render_catalog

    root = make_clinic(tmp_path / "clinic")
    config = load_config(root)
    path = po_path(config, "de", "ui")
    catalog = read_catalog(path, config.relative(path), "de")
    catalog["Website:"].string = "Website (auch heilung.example):"
    path.write_bytes(render_catalog(catalog, config.locations))
    report = check(root, "de")
    found = [f for f in report.findings if f.code == "links" and f.problem.path == config.relative(path)]
    assert [f.severity.value for f in found] == ["error"]
    assert "added heilung.example" in found[0].problem.message


@pytest.mark.parametrize(
    ("source", "translation", "locale", "difference"),
    [
        ("call 911", "llame al 911 o al \u2460\u2460\u2461", "es", ([], ["1", "1", "2"])),  # circled digits counted
        ("Give 75 mg/m2.", "Geben Sie 75 mg/m\u00b2.", "de", None),
        ("ICD-10 code J45.909 (asthma).", "C\u00f3digo CIE-10 J45.909 (asma).", "es", None),  # a code, not a number
        ("Call 800.222.1222.", "Llame al 800.222.1222.", "es", None),
        ("Router at 192.168.100.1", "Router unter 192.168.100.1", "de", None),
        ("take 0.125 mg", "nehmen Sie 0.125 mg", "de", (["0.125"], ["125"])),  # 125 mg to a German reader
        ("costs about $5,000", "kostet etwa 5,000USD", "de", (["5000"], ["5"])),  # a unit after it: not a code
        ("in 2017", "im Jahr 201\u2077", "de", (["2017"], ["201", "7"])),  # a raised 7 is not the year's last digit
        ("Ask before you agree [1]:", "[^Kosten:50.000\u20ac] Fragen Sie vorher [1]:", "de", ([], ["50000"])),  # shown
        ("See the note.[^1]", "Siehe die Anmerkung.[^1]", "de", None),  # the source's own label
    ],
)
def test_numbers_are_read_as_a_reader_reads_them(
    source: str, translation: str, locale: str, difference: tuple[list[str], list[str]] | None
) -> None:
    from carepages.checks.numbers import compare_shown

    assert compare_shown(source, translation, "en", locale) == difference


@pytest.mark.parametrize(
    ("text", "addresses"),
    [
        (
            "Ring p\u00e5 tlf.nr. 70 11 31 31, cpr.nr. og dr.med. Hansen; sig.ra Rossi; "
            "(dd.mm.\u00e5\u00e5\u00e5\u00e5); gg.mm.aa",
            [],
        ),
        ("z.B. d.h. u.a. bzw. Co.KG e.V. p.ex. p.ej. t.ex. Node.js ASP.NET v2.10 cand.med.", []),
        (
            "\uc790\uc138\ud55c \ub0b4\uc6a9\uc740 heilung.de\uc5d0\uc11c help@nhs.uk\ub85c",
            ["heilung.de", "help@nhs.uk"],
        ),
        ("\u8be6\u60c5\u8bf7\u8bbf\u95eeheilung.de\uff0c\u6216\u81f3help@nhs.uk\u3002", ["heilung.de", "help@nhs.uk"]),
        ("\u8be6\u60c5\u8bf7\u89c1 www.who.int\u3002", ["www.who.int"]),
        ("Mehr auf Knie-Heilung.de und WWW.HEILUNG.DE.", ["Knie-Heilung.de", "WWW.HEILUNG.DE"]),
        ("who.int, clinic.example and nhs.uk/conditions/knee.", ["who.int", "clinic.example"]),
        (
            "STAMMZELLENKUR.DE, stammzellen-kur.co.uk, celulastronco.com.br, stammzellen.care, kniehülfe.de",
            ["STAMMZELLENKUR.DE", "stammzellen-kur.co.uk", "celulastronco.com.br", "stammzellen.care", "kniehülfe.de"],
        ),
        ("heilung\uff0ede, heilung\u3002de", ["heilung\uff0ede", "heilung\u3002de"]),  # dots a reader takes for one
        ("Die Behandlung.Es war gut. \u6cbb\u7597\u6548\u679c\u56e0\u4eba\u800c\u5f02\u3002\u6709\u4e9b\u4eba", []),
    ],
)
def test_addresses_are_found_where_a_reader_sees_one_and_only_there(text: str, addresses: list[str]) -> None:
    from carepages.render.body import bare_urls

    assert bare_urls([text]) == addresses
