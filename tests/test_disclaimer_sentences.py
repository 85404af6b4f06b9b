# ruff: noqa: RUF001 -- the punctuation of other scripts is what these tests count.
"""A disclaimer's translation keeps every sentence of its source (``disclaimer-sentences``).

The hole this closes: a translator kept "consultez en urgence" of the French warning
signs disclaimer and dropped "do not wait for the clinic to call you back". The
translation had letters enough for ``disclaimer-text``, so the build published the
page and the check passed. Sentences are counted where Unicode puts their
boundaries (:func:`carepages.words.sentences`), in every script the project ships.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepages.checks.legible import cut_off
from carepages.checks.registry import DIST_CHECKS, OUTPUT_CHECKS
from carepages.checks.wording import end_mark
from carepages.config import load_config
from carepages.gate import collect
from carepages.waivers import text_sha256
from carepages.words import sentences

REPOSITORY = Path(__file__).parent.parent
#: The checks of dist/: these projects are not built (the verdict is what says what the build publishes).
NOT_BUILT = frozenset(check.code for check in (*OUTPUT_CHECKS, *DIST_CHECKS))
LOCALES = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["carepages"]["locales"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Get urgent care. Do not wait for the clinic.", 2),
        ("Get urgent care! Do not wait? Call now.", 3),
        ("Get urgent care", 1),
        ("", 0),
        (" . ", 0),
        ("Version 1.5 of the leaflet, at example.org/en, is current.", 1),
        ("Ask about costs, e.g. the price of each injection. Then decide.", 2),
        ('He said "stop." Then he left.', 2),
        ("Stop... Wait!? Now.", 3),
        ("如果您注意到警示信号，请寻求紧急医疗救治。不要等待诊所给您回电话。", 2),
        ("如果您注意到警示信号，请寻求紧急医疗救治。", 1),
        ("هل تشعر بألم؟ اتصل بالطوارئ فورًا.", 2),
        ("यह चिकित्सा सलाह नहीं है। डॉक्टर से बात करें।", 2),
        ("Si vous remarquez ces signes, consultez en urgence. N’attendez pas que la clinique vous rappelle.", 2),
        # As in UAX #29, an abbreviation before a capital ends a sentence: a translation counts more, never fewer.
        ("Wenden Sie sich z. B. an Ihre Ärztin. Warten Sie nicht.", 3),
        ("Ask Dr. Smith.", 2),
    ],
)
def test_sentences_are_counted_at_unicode_s_boundaries_in_every_script(text: str, count: int) -> None:
    assert len(sentences(text)) == count


WORDS = {
    "latin": st.sampled_from(["care", "knee", "Clinic", "dose", "1.5", "e.g. dose", "example.org", "«non»", "3,5"]),
    "arabic": st.sampled_from(["رعاية", "الركبة", "العيادة", "١٫٥", "جرعة"]),
    "han": st.sampled_from(["治疗", "膝关节", "诊所", "医生", "1.5"]),
}
ENDS = {"latin": [".", "!", "?", ".»", '."'], "arabic": [".", "؟", "!"], "han": ["。", "！", "？", "。」"]}


@st.composite
def paragraphs(draw: st.DrawFn) -> tuple[str, int]:
    """A paragraph of 1 to 6 generated sentences in one script, with their number."""
    script = draw(st.sampled_from(sorted(WORDS)))
    count = draw(st.integers(1, 6))
    parts = []
    for _ in range(count):
        words = draw(st.lists(WORDS[script], min_size=1, max_size=6))
        first = "Take" if script == "latin" else draw(WORDS[script])  # a sentence starts with a capital
        parts.append(("" if script == "han" else " ").join([first, *words]) + draw(st.sampled_from(ENDS[script])))
    return ("" if script == "han" else " ").join(parts), count


@settings(max_examples=300, deadline=None)
@given(paragraphs())
def test_a_paragraph_of_n_sentences_counts_n_and_one_less_when_one_is_cut(paragraph: tuple[str, int]) -> None:
    text, count = paragraph
    pieces = sentences(text)
    assert len(pieces) == count
    assert "".join(pieces) == text
    for cut in range(count):
        assert len(sentences("".join(pieces[:cut] + pieces[cut + 1 :]))) == count - 1


def disclaimer_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [
        entry
        for entry in po
        if entry.msgstr and any(line.startswith("disclaimer:") for line in entry.comment.splitlines())
    ]


def shipped_catalogs() -> list[Path]:
    return sorted(path for locale in LOCALES for path in (REPOSITORY / "locale" / locale).rglob("*.po"))


def test_every_shipped_disclaimer_translation_keeps_its_sentences() -> None:
    """The check must not fire on the shipped translations (checked by hand, in all six languages)."""
    judged = 0
    for path in shipped_catalogs():
        for entry in disclaimer_entries(polib.pofile(str(path))):
            judged += 1
            assert len(sentences(entry.msgstr)) >= len(sentences(entry.msgid)), f"{path}:{entry.linenum}"
    assert judged >= 6 * 14


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped sources and catalogs (no clinics, no handouts: the catalogs are this test's matter)."""
    root = tmp_path_factory.mktemp("sentences") / "shipped"
    root.mkdir()
    for folder in ("source", "locale"):
        shutil.copytree(REPOSITORY / folder, root / folder)
    table = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["carepages"]
    kept = "".join(f"{key} = {json.dumps(table[key])}\n" for key in ("locales", "index_title", "index_intro"))
    (root / "pyproject.toml").write_text(f"[tool.carepages]\n{kept}handouts = false\n", encoding="utf-8")
    return root


def cut_sentence(path: Path, msgid: str, which: int) -> tuple[int, str]:
    """Drop sentence ``which`` of the translation of ``msgid`` in ``path``; its line and the new translation."""
    po = polib.pofile(str(path), wrapwidth=76)
    entry = po.find(msgid)
    assert entry is not None
    pieces = sentences(entry.msgstr)
    entry.msgstr = "".join(pieces[:which] + pieces[which + 1 :]).rstrip()
    po.save(str(path))
    saved = polib.pofile(str(path)).find(msgid)
    assert saved is not None
    lines = path.read_text(encoding="utf-8").splitlines()
    msgid_line = next(n for n in range(saved.linenum, len(lines) + 1) if lines[n - 1].startswith("msgid "))
    return msgid_line, entry.msgstr


@pytest.mark.parametrize(
    ("source", "translation", "cut"),
    [
        (  # the half disclaimer that passed: the second sentence stops after its second word
            "If you have a medical emergency, call your local emergency number right away. Do not wait for a reply.",
            "إذا كانت لديك حالة طبية طارئة، فاتصل برقم الطوارئ المحلي فورًا. لا تنت",
            True,
        ),
        ("Get urgent care. Do not wait for the clinic.", "请寻求紧急医疗救治。不要等待诊", True),
        ("Get urgent care. Do not wait for the clinic.", "Consultez en urgence. N’attendez pas", True),
        ("Get urgent care. Do not wait for the clinic.", "Consultez en urgence. N’attendez pas la clinique.", False),
        (
            "Get urgent care. Do not wait for the clinic.",
            "Consultez en urgence. « N’attendez pas la clinique. »",
            False,
        ),
        ("Get urgent care. Do not wait.", "รีบไปพบแพทย์ทันที อย่ารอคลินิกโทรกลับ", False),  # Thai ends no sentence with a mark
        ("Get urgent care. Do not wait", "Consultez en urgence. N’attendez pas", False),  # the source ends so too
        ("Get urgent care now.", "Consultez en", False),  # one sentence: no earlier mark to go by (disclaimer-text's)
    ],
)
def test_a_last_sentence_cut_off_in_the_middle_is_told_from_a_whole_one(
    source: str, translation: str, cut: bool
) -> None:
    assert cut_off(source, translation) is cut


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cutting_the_last_sentence_of_any_shipped_disclaimer_short_withholds_the_page(
    shipped: Path, data: st.DataObject
) -> None:
    """A translation that stops in the middle of its last sentence keeps its number of sentences at Unicode's
    boundaries (the fragment counts as one): the check counts it one short, as it counts a sentence dropped."""
    locale, name, msgid, _ = data.draw(st.sampled_from(multi_sentence_disclaimers()))
    pieces = sentences(shipped_msgstr(shipped, locale, name, msgid))
    last = pieces[-1].rstrip()
    keep = data.draw(st.integers(1, max(1, len(last) // 2)))
    translation = "".join(pieces[:-1]) + last[:keep].rstrip(".!?。！？؟…:： ")
    if end_mark(translation) is not None or len(sentences(translation)) < len(pieces):
        return  # the cut left a mark at the end, or lost the sentence whole: the other tests' cases
    assert_sentences_error_withholds(shipped, locale, name, msgid, translation)


#: The injection warning-signs disclaimer, on five of the shipped pages.
WARNING_SIGNS = (
    "If you notice any of these warning signs after an injection, get urgent medical care. "
    "Do not wait for the clinic to call you back."
)


def waive(root: Path, code: str, msgid: str, translation: str) -> None:
    """A reviewer's waiver of ``code`` for this exact French translation on the knee page."""
    waivers = root / "locale" / "fr" / "waivers.toml"
    waivers.write_text(
        waivers.read_text(encoding="utf-8") + f'\n[[waiver]]\ncheck = "{code}"\nmsgid_sha256 = "{text_sha256(msgid)}"\n'
        f'translation_sha256 = "{text_sha256(translation)}"\npage = "knee"\n'
        'reason = "reviewed: the test accepts it on purpose"\nreviewer = "Test Reviewer"\n',
        encoding="utf-8",
    )


def judged(root: Path, locale: str) -> tuple[list[tuple[str, int, str]], list[str]]:
    """The check's errors (file, line, code) in ``locale`` and the pages its verdict withholds there."""
    report = collect(load_config(root), [locale], jobs=1, skip=NOT_BUILT)
    errors = [
        (finding.problem.path, finding.problem.line, finding.problem.code)
        for finding in report.findings
        if finding.severity.value == "error" and finding.reason is None
    ]
    (verdict,) = report.verdicts
    return errors, [page.page for page in verdict.withheld_pages]


def multi_sentence_disclaimers() -> list[tuple[str, str, str, int]]:
    """(locale, catalog, msgid, sentences) of each shipped disclaimer translation of two or more sentences.

    Only those with as many sentences as their source: a translation that splits one
    sentence in two (German does, once) can lose one and still count as many.
    """
    found = []
    for path in shipped_catalogs():
        locale = path.relative_to(REPOSITORY / "locale").parts[0]
        for entry in disclaimer_entries(polib.pofile(str(path))):
            count = len(sentences(entry.msgstr))
            if count >= 2 and count == len(sentences(entry.msgid)) and path.stem != "ui":
                found.append((locale, path.name, entry.msgid, len(sentences(entry.msgstr))))
    return found


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_cutting_any_sentence_of_any_shipped_disclaimer_withholds_the_page(shipped: Path, data: st.DataObject) -> None:
    locale, name, msgid, count = data.draw(st.sampled_from(multi_sentence_disclaimers()))
    which = data.draw(st.integers(0, count - 1))
    path = shipped / "locale" / locale / "LC_MESSAGES" / name
    original = path.read_bytes()
    try:
        line, _ = cut_sentence(path, msgid, which)
        rel = f"locale/{locale}/LC_MESSAGES/{name}"
        errors, withheld = judged(shipped, locale)
        assert (rel, line, "disclaimer-sentences") in errors
        if name != "disclaimers.po":
            assert withheld == [Path(name).stem]
        else:  # a shared disclaimer withholds every page
            assert len(withheld) == len(list((shipped / "source").glob("[!_]*.md")))
    finally:
        path.write_bytes(original)


def french_knee(shipped: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the shipped project, and its French catalog of the knee page (which carries the warning signs)."""
    root = tmp_path / "shipped"
    shutil.copytree(shipped, root)
    return root, root / "locale" / "fr" / "LC_MESSAGES" / "knee.po"


def test_the_french_cut_is_caught_a_translator_cannot_allow_it_a_reviewer_may_waive_it(
    shipped: Path, tmp_path: Path
) -> None:
    root, path = french_knee(shipped, tmp_path)
    msgid = WARNING_SIGNS
    line, translation = cut_sentence(path, msgid, 1)
    assert translation.endswith("consultez en urgence.")
    rel = "locale/fr/LC_MESSAGES/knee.po"
    # The other pages' copies of this disclaimer still read in full: it is the odd one out too.
    assert judged(root, "fr") == ([(rel, line, "consistency"), (rel, line, "disclaimer-sentences")], ["knee"])

    # The translator's own allowance is itself an error, and accepts nothing.
    text = path.read_text(encoding="utf-8")
    allowed = text.replace(
        "#. disclaimer: injection-warning-signs\n#: source/knee.md",
        "# allow: disclaimer-sentences -- shorter is clearer\n#. disclaimer: injection-warning-signs\n"
        "#: source/knee.md",
    )
    assert allowed != text
    path.write_text(allowed, encoding="utf-8")
    errors, withheld = judged(root, "fr")
    assert {code for _, _, code in errors} == {"disclaimer-sentences", "consistency", "allow"}
    assert withheld == ["knee"]

    # A reviewer who reads the translation and finds it complete may waive it, for this translation only.
    path.write_text(text, encoding="utf-8")
    for code in ("disclaimer-sentences", "consistency"):
        waive(root, code, msgid, translation)
    assert judged(root, "fr") == ([], [])


def test_a_sentence_split_in_two_and_another_dropped_is_caught_as_the_odd_disclaimer_out(
    shipped: Path, tmp_path: Path
) -> None:
    """The count stays two, so ``disclaimer-sentences`` cannot see it; the four other pages' copies can."""
    root, path = french_knee(shipped, tmp_path)
    msgid = WARNING_SIGNS
    po = polib.pofile(str(path), wrapwidth=76)
    entry = po.find(msgid)
    assert entry is not None
    entry.msgstr = "Si vous remarquez l’un de ces signes d’alerte après une injection. Consultez en urgence."
    po.save(str(path))
    assert len(sentences(entry.msgstr)) == len(sentences(msgid))
    errors, withheld = judged(root, "fr")
    assert [(rel, code) for rel, _, code in errors] == [("locale/fr/LC_MESSAGES/knee.po", "consistency")]
    assert withheld == ["knee"]
    report = collect(load_config(root), ["fr"], jobs=1, skip=NOT_BUILT)
    (finding,) = [f for f in report.findings if f.problem.code == "consistency"]
    assert "…ne injection. Consultez en urgence." in finding.problem.message  # where the two differ

    waive(root, "consistency", msgid, entry.msgstr)
    assert judged(root, "fr") == ([], [])


@pytest.mark.parametrize(
    ("source", "translation", "short"),
    [
        (
            "Results vary. No clinic can promise a result.",
            "Los resultados varían. Los resultados varían.",
            True,
        ),
        (  # case, spacing and punctuation aside, the same sentence
            "Results vary. No clinic can promise a result.",
            "Los resultados varían. los  resultados varían!",
            True,
        ),
        (
            "Results vary. No clinic can promise a result.",
            "Los resultados varían. Ninguna clínica puede prometer un resultado.",
            False,
        ),
        (  # the source repeats a sentence: so may the translation
            "Call now. Call now.",
            "Llame ahora. Llame ahora.",
            False,
        ),
    ],
)
def test_a_sentence_said_twice_counts_once(source: str, translation: str, short: bool) -> None:
    """Repeating the first sentence reaches the source's count of sentences without translating the second."""
    from carepages.checks.legible import _distinct_sentences

    assert (_distinct_sentences(translation) < _distinct_sentences(source)) is short


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_replacing_a_sentence_of_any_shipped_disclaimer_by_another_of_its_sentences_withholds_the_page(
    shipped: Path, data: st.DataObject
) -> None:
    """The padding a careless translator uses to keep the count: one sentence in the place of another."""
    locale, name, msgid, count = data.draw(st.sampled_from(multi_sentence_disclaimers()))
    pieces = sentences(shipped_msgstr(shipped, locale, name, msgid))
    lost = data.draw(st.integers(0, count - 1))
    copied = data.draw(st.sampled_from([i for i in range(count) if i != lost]))
    pieces[lost] = pieces[copied].rstrip() + (" " if lost < count - 1 else "")
    assert_sentences_error_withholds(shipped, locale, name, msgid, "".join(pieces).rstrip())


def shipped_msgstr(root: Path, locale: str, name: str, msgid: str) -> str:
    entry = polib.pofile(str(root / "locale" / locale / "LC_MESSAGES" / name)).find(msgid)
    assert entry is not None
    return entry.msgstr


def assert_sentences_error_withholds(root: Path, locale: str, name: str, msgid: str, translation: str) -> None:
    """With ``translation`` in place, the catalog has a disclaimer-sentences error and a page is withheld."""
    path = root / "locale" / locale / "LC_MESSAGES" / name
    original = path.read_bytes()
    try:
        po = polib.pofile(str(path), wrapwidth=76)
        entry = po.find(msgid)
        assert entry is not None
        entry.msgstr = translation
        po.save(str(path))
        errors, withheld = judged(root, locale)
        rel = f"locale/{locale}/LC_MESSAGES/{name}"
        assert any(where == rel and code == "disclaimer-sentences" for where, _, code in errors), translation
        assert withheld
    finally:
        path.write_bytes(original)
