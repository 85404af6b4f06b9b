"""The right language, the agreed terms, the same words for the same thing; words counted in every script.

The ``language`` check is run on a copy of the shipped project (the real six
translations), with one mistake put in at a time: a Spanish msgstr left in
English, a Portuguese one pasted into the Spanish catalog, a disclaimer in the
wrong language. The shipped translations themselves must give no finding.
"""

# ruff: noqa: RUF001 -- Chinese and Japanese punctuation is what some of these texts are about.

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.checks.model import Code
from carepages.checks.registry import OUTPUT_CHECKS
from carepages.config import load_config
from carepages.errors import CarepagesError, Severity
from carepages.gate import collect
from carepages.glossary import Matcher, parse_glossary
from carepages.stats import count_catalog_words
from carepages.waivers import text_sha256
from carepages.words import count_words, sentences

REPO = Path(__file__).parent.parent
NO_OUTPUT = frozenset(check.code for check in OUTPUT_CHECKS)
INTEGRITY = {Code.LANGUAGE, Code.GLOSSARY, Code.CONSISTENCY}
PARAGRAPH = "Many clinics offer stem cell injections for knee pain."


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped project: its pages, catalogs, glossaries and ledgers."""
    root = tmp_path / "shipped"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    for folder in ("source", "locale"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def findings(root: Path, *locales: str, code: str | None = None):  # type: ignore[no-untyped-def]
    report = collect(load_config(root), list(locales), skip=NO_OUTPUT, jobs=1)
    return [f for f in report.findings if code is None or f.code == code], report


def set_msgstr(root: Path, locale: str, domain: str, start: str, text: str, comment: str = "") -> int:
    """Give the message whose msgid starts with ``start`` another translation (through Babel); its line."""
    config = load_config(root)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    message = next(m for m in catalog if isinstance(m.id, str) and m.id.startswith(start))
    message.string = text
    if comment:
        message.user_comments.append(comment)
    path.write_bytes(render_catalog(catalog, config.locations))
    return next(m for m in read_catalog(path, "x", locale) if m.id == message.id).lineno or 0


def msgstr(root: Path, locale: str, domain: str, start: str) -> str:
    config = load_config(root)
    catalog = read_catalog(po_path(config, locale, domain), "x", locale)
    return str(next(m for m in catalog if isinstance(m.id, str) and m.id.startswith(start)).string)


# -- the shipped project ----------------------------------------------------------------------


@pytest.mark.slow
def test_the_shipped_six_locales_pass_the_language_glossary_and_consistency_checks() -> None:
    """Zero false positives on every text the language check judges in the shipped translations."""
    found, report = findings(REPO)
    integrity = [f for f in found if f.code in INTEGRITY and f.severity != Severity.ALLOWED]
    assert integrity == [], "\n".join(f.format() for f in integrity)
    allowed = [f for f in found if f.code in INTEGRITY and f.severity == Severity.ALLOWED]
    assert [(f.problem.path, f.code, f.reason) for f in allowed] == [
        ("locale/de/LC_MESSAGES/knee.po", "glossary", "OARSI's English name, not the disease")
    ]
    assert len(report.verdicts) == 6


def test_the_shipped_glossaries_hold_the_key_terms_of_each_locale() -> None:
    config = load_config(REPO)
    for locale in config.locales:
        path = config.locale_dir / locale / "glossary.toml"
        glossary = parse_glossary(path.read_text(encoding="utf-8"), locale)
        sources = {term.source for term in glossary.terms}
        assert {"stem cell", "osteoarthritis", "cartilage", "clinical trial", "platelet-rich plasma"} <= sources


# -- language ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_spanish_msgstr_left_in_english_is_found(shipped: Path) -> None:
    line = set_msgstr(shipped, "es", "knee", "Many clinics offer", PARAGRAPH + " This page gives a short summary.")
    found, _ = findings(shipped, "es", code=Code.LANGUAGE)
    assert [(f.problem.path, f.problem.line, f.severity) for f in found] == [
        ("locale/es/LC_MESSAGES/knee.po", line, Severity.WARNING)
    ]
    assert "reads as English, not Spanish" in found[0].problem.message


@pytest.mark.slow
def test_a_portuguese_msgstr_pasted_into_spanish_is_found(shipped: Path) -> None:
    pasted = msgstr(shipped, "pt_BR", "knee", "Many clinics offer")
    line = set_msgstr(shipped, "es", "knee", "Many clinics offer", pasted)
    found, _ = findings(shipped, "es", code=Code.LANGUAGE)
    assert [(f.problem.line, f.severity) for f in found] == [(line, Severity.WARNING)]
    assert "reads as Portuguese, not Spanish" in found[0].problem.message


#: Long paragraphs of the knee page, one per other locale whose translation is pasted in.
PASTED = (
    "What is known about stem cell injections",
    "Many clinics offer stem cell injections",
    "Most research has looked at knee osteoar",
    "Studies have tested cells from bone marr",
    "Clinics often offer platelet-rich plasma",
)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["es", "fr", "de", "pt_BR", "ar", "zh_CN"])
def test_a_translation_from_any_other_shipped_locale_is_found(shipped: Path, target: str) -> None:
    """Each of the other five locales' translation of one paragraph pasted into the target's catalog."""
    others = [locale for locale in load_config(shipped).locales if locale != target]
    lines = {
        set_msgstr(shipped, target, "knee", start, msgstr(shipped, other, "knee", start))
        for start, other in zip(PASTED, others, strict=True)
    }
    found, _ = findings(shipped, target, code=Code.LANGUAGE)
    assert {f.problem.line for f in found} == lines


@pytest.mark.slow
def test_a_disclaimer_in_the_wrong_language_is_an_error_no_allowance_accepts(shipped: Path) -> None:
    start = "This page gives general information only."
    german = msgstr(shipped, "de", "disclaimers", start)
    set_msgstr(shipped, "es", "disclaimers", start, german, comment="allow: language -- copied on purpose")
    found, report = findings(shipped, "es", code=Code.LANGUAGE)
    assert [(f.severity, f.reason) for f in found] == [(Severity.ERROR, None)]
    assert "a disclaimer reads as German, not Spanish" in found[0].problem.message
    verdict = report.verdicts[0]
    assert "a medical disclaimer is not in the language of the page" in verdict.reasons
    assert not verdict.published  # (the translator's '# allow:' on a disclaimer is an error of its own too)


def disclaimer_texts(root: Path, locale: str) -> dict[tuple[str, str], str]:
    """Every translated disclaimer of a locale's page catalogs: (domain, msgid) -> translation."""
    config = load_config(root)
    texts = {}
    for path in sorted((config.locale_dir / locale / "LC_MESSAGES").glob("*.po")):
        for message in read_catalog(path, "x", locale):
            disclaimer = any(comment.startswith("disclaimer:") for comment in message.auto_comments)
            if disclaimer and isinstance(message.id, str) and message.string and path.stem != "ui":
                texts[(path.stem, message.id)] = str(message.string)
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("target", ["es", "fr", "de", "pt_BR", "ar", "zh_CN"])
def test_a_disclaimer_with_one_sentence_in_another_language_is_an_error(shipped: Path, target: str) -> None:
    """Half translated: one sentence of every multi-sentence disclaimer left in English or pasted from another locale.

    The whole text still reads as the target language in most of these (98 of 135 with an
    English sentence, 405 of 660 with another locale's, measured on the shipped
    catalogs), so the check judges a disclaimer sentence by sentence too.
    """
    others = [locale for locale in load_config(shipped).locales if locale != target]
    donors = {other: disclaimer_texts(shipped, other) for other in others}
    edited = []
    for number, ((domain, msgid), text) in enumerate(sorted(disclaimer_texts(shipped, target).items())):
        own = sentences(text)
        donor = msgid if number % 2 == 0 else donors[others[number % len(others)]].get((domain, msgid), msgid)
        swapped = sentences(donor)
        if len(own) < 2 or len(swapped) != len(own):
            continue
        which = number % len(own)
        pasted = swapped[which].strip() + ("" if target == "zh_CN" or which == len(own) - 1 else " ")
        set_msgstr(shipped, target, domain, msgid, "".join([*own[:which], pasted, *own[which + 1 :]]))
        edited.append((domain, msgid))
    assert len(edited) >= 8
    config = load_config(shipped)
    lines = {
        (f"locale/{target}/LC_MESSAGES/{domain}.po", message.lineno)
        for domain, msgid in edited
        for message in read_catalog(po_path(config, target, domain), "x", target)
        if message.id == msgid
    }
    found, report = findings(shipped, target, code=Code.LANGUAGE)
    assert {(f.problem.path, f.problem.line) for f in found} == lines
    assert {f.severity for f in found} == {Severity.ERROR}
    assert "a medical disclaimer is not in the language of the page" in report.verdicts[0].reasons


def waive_language(root: Path, locale: str, msgid: str, translation: str) -> None:
    """A reviewer's waiver of the language check for this exact translation."""
    path = root / "locale" / locale / "waivers.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + f'\n[[waiver]]\ncheck = "language"\nmsgid_sha256 = "{text_sha256(msgid)}"\n'
        f'translation_sha256 = "{text_sha256(translation)}"\nreason = "a quoted title"\nreviewer = "Test Reviewer"\n',
        encoding="utf-8",
    )


@pytest.mark.slow
def test_a_reviewer_may_waive_one_sentence_in_another_language_but_not_a_whole_disclaimer(shipped: Path) -> None:
    start = "This page gives general information only."
    msgid = next(key for _, key in disclaimer_texts(shipped, "es") if key.startswith(start))
    own = sentences(msgstr(shipped, "es", "disclaimers", start))
    quoted = "".join([own[0], sentences(msgid)[1], *own[2:]])
    set_msgstr(shipped, "es", "disclaimers", start, quoted)
    found, report = findings(shipped, "es", code=Code.LANGUAGE)
    assert [(f.severity, f.reason) for f in found] == [(Severity.ERROR, None)]
    assert "a reviewer may waive it" in found[0].problem.message
    assert not report.verdicts[0].published
    waive_language(shipped, "es", msgid, quoted)
    found, report = findings(shipped, "es", code=Code.LANGUAGE)
    assert [f.severity for f in found] == [Severity.ALLOWED]
    assert report.verdicts[0].published

    german = msgstr(shipped, "de", "disclaimers", start)  # the whole disclaimer in another language
    set_msgstr(shipped, "es", "disclaimers", start, german)
    waive_language(shipped, "es", msgid, german)
    found, report = findings(shipped, "es", code=Code.LANGUAGE)
    assert [(f.severity, f.reason) for f in found] == [(Severity.ERROR, None)]
    assert not report.verdicts[0].published


#: The Spanish emergency disclaimer, written in Italian (a language the project does not have).
ITALIAN = (
    "Se ha un’emergenza medica, chiami subito il numero di emergenza locale. Non aspetti la risposta di una "
    "clinica e non usi queste informazioni al posto delle cure urgenti."
)


@pytest.mark.slow
def test_a_disclaimer_in_a_language_the_project_does_not_have_is_an_error_a_reviewer_may_waive(
    shipped: Path,
) -> None:
    """Among the project's languages Italian reads as Spanish; among every language the model knows, as Italian.

    Only where the model is sure of it (close languages are told apart less surely), and a
    reviewer who reads it as the locale's language may overrule the model.
    """
    start = "If you have a medical emergency"
    msgid = next(key for _, key in disclaimer_texts(shipped, "es") if key.startswith(start))
    set_msgstr(shipped, "es", "disclaimers", start, ITALIAN)
    found, report = findings(shipped, "es", code=Code.LANGUAGE)
    assert [(f.severity, f.reason) for f in found] == [(Severity.ERROR, None)]
    assert "a disclaimer reads as Italian, not Spanish" in found[0].problem.message
    assert not report.verdicts[0].published
    waive_language(shipped, "es", msgid, ITALIAN)
    found, report = findings(shipped, "es", code=Code.LANGUAGE)
    assert [f.severity for f in found] == [Severity.ALLOWED]


@pytest.mark.slow
def test_an_allowance_accepts_an_ordinary_message_in_another_language(shipped: Path) -> None:
    set_msgstr(shipped, "es", "knee", "Many clinics offer", PARAGRAPH, comment="allow: language -- a quotation")
    found, report = findings(shipped, "es", code=Code.LANGUAGE)
    assert [(f.severity, f.reason) for f in found] == [(Severity.ALLOWED, "a quotation")]
    assert report.verdicts[0].published


@pytest.mark.slow
def test_short_texts_are_not_judged(shipped: Path) -> None:
    set_msgstr(shipped, "es", "knee", "What has been studied", "What was studied")  # three words
    assert findings(shipped, "es", code=Code.LANGUAGE)[0] == []


# -- glossary and consistency -----------------------------------------------------------------


@pytest.mark.slow
def test_a_forbidden_term_and_a_missing_agreed_term_are_reported_with_the_glossary_line(shipped: Path) -> None:
    original = msgstr(shipped, "es", "knee", "Many clinics offer")
    troncales = original.replace("células madre", "células troncales")
    line = set_msgstr(shipped, "es", "knee", "Many clinics offer", troncales)
    found, _ = findings(shipped, "es", code=Code.GLOSSARY)
    assert [(f.problem.line, f.severity) for f in found] == [(line, Severity.WARNING)]
    assert "the glossary forbids 'célula troncal': write 'célula madre' instead (locale/es/glossary.toml:" in (
        found[0].problem.message
    )
    set_msgstr(shipped, "es", "knee", "Many clinics offer", original.replace("células madre", "terapias celulares"))
    found, _ = findings(shipped, "es", code=Code.GLOSSARY)
    assert "the source says 'stem cell': the glossary's translation is 'célula madre'" in found[0].problem.message


@pytest.mark.slow
def test_a_broken_glossary_is_an_error_that_withholds_the_locale(shipped: Path) -> None:
    (shipped / "locale" / "fr" / "glossary.toml").write_text('[[term]]\nsource = "stem cell"\n', encoding="utf-8")
    found, report = findings(shipped, "fr", code=Code.GLOSSARY)
    assert [(f.problem.path, f.problem.line, f.severity) for f in found] == [
        ("locale/fr/glossary.toml", 1, Severity.ERROR)
    ]
    assert not report.verdicts[0].published


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[term]]\nsource = 1\ntarget = ['x']\n", "source and note must be text"),
        ("[[term]]\nsource = 'a'\ntarget = ['x']\ncolour = 'red'\n", "unknown key 'colour'"),
        ("[[term]]\nsource = 'a'\n", "a term needs both a source and at least one target"),
        ("[[term]]\nsource = 'a'\ntarget = ['']\n", "target must be a term or a list of terms"),
        ("[glossary]\n", "unknown table 'glossary'"),
        ("[[term]\n", "invalid TOML"),
    ],
)
def test_a_bad_glossary_names_its_line_and_problem(text: str, problem: str) -> None:
    with pytest.raises(CarepagesError) as caught:
        parse_glossary(text, "locale/es/glossary.toml")
    assert problem in caught.value.message
    assert caught.value.line == 1 and caught.value.hint


@pytest.mark.parametrize(
    ("language", "text", "term", "found"),
    [
        ("en", "Many clinics offer stem-cell injections.", "stem cell", True),
        ("en", "The stem of a cell.", "stem cell", False),
        ("es", "Las Células Madre mesenquimales", "célula madre", True),
        ("pt", "Injeções de corticoide no quadril", "injeção de corticoide", True),
        ("pt", "injeção", "injecção", False),
        ("fr", "l’arthrose du genou", "arthrose", True),
        ("de", "Die Stammzelltherapie und eine Kortisoninjektion", "Stammzelle", True),
        ("de", "eine Kortisoninjektion", "Injektion", True),
        ("ar", "والعلامات التحذيرية بعد الحقن", "العلامات التحذيرية", True),
        ("ar", "لم يُعثَر على أي خلايا جذعية", "الخلايا الجذعية", True),
        ("zh", "富血小板血浆（PRP）注射", "富血小板血浆", True),
        ("zh", "干细胞", "幹細胞", False),
    ],
)
def test_terms_match_across_inflection_compounds_and_scripts(language: str, text: str, term: str, found: bool) -> None:
    assert Matcher(language).contains(text, term) is found


@pytest.mark.slow
def test_one_source_text_translated_two_ways_names_both_places(shipped: Path) -> None:
    line = set_msgstr(shipped, "es", "hip", "Sources", "Referencias")
    found, _ = findings(shipped, "es", code=Code.CONSISTENCY)
    assert [(f.problem.path, f.problem.line, f.severity) for f in found] == [
        ("locale/es/LC_MESSAGES/hip.po", line, Severity.WARNING)
    ]
    message = found[0].problem.message
    assert "translated as 'Fuentes' on page " in message and "here as 'Referencias'" in message
    assert "locale/es/LC_MESSAGES/" in message.split("on page")[1]


# -- words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Many clinics offer stem cell injections.", 6),
        ("See [the overview](stem-cell-therapy.html) or <https://www.fda.gov/x>.", 4),
        ("Traduction relue par %(reviewer)s le %(date)s.", 4),
        ("L’arthrose du genou, 2019", 4),
        ("干细胞注射", 5),  # Chinese: one word per character
        ("幹細胞は、ひざの痛みに使われます。", 15),  # Japanese: kanji and kana alike
        ("本页有一部分内容（6%）尚未翻译", 13),
        ("ما السبب الدقيق لألمي؟", 4),
    ],
)
def test_words_are_counted_by_the_word_in_spaced_scripts_and_by_the_character_in_chinese_and_japanese(
    text: str, words: int
) -> None:
    assert count_words(text) == words


def test_stats_count_new_and_fuzzy_source_words_of_a_chinese_source() -> None:
    catalog = Catalog(locale="en")
    catalog.add("干细胞注射", "stem cell injections")
    catalog.add("膝关节", "")
    catalog.add("软骨", "cartilage", flags=["fuzzy"])
    words = count_catalog_words(catalog)
    assert (words.total, words.new, words.fuzzy) == (10, 3, 2)
