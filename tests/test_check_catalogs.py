"""Every catalog check, with a catalog that fails it and one that passes it.

Each case in tests/data/check/catalogs/ is a pair ``NAME.bad.po`` / ``NAME.good.po``
whose first comment lines say which check it is about, which catalog of the
clinic project it replaces, and (for a bad one) on which line of the PO file the
finding must be reported::

    # check: numbers
    # locale: de
    # domain: knee
    # line: 40

A bad catalog must get a finding of that check, with that check's severity, in
that file (on that line); a good one must get no finding of that check and no
error at all in that file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from check_helpers import DATA, check, codes, make_clinic
from hypothesis import given, settings
from hypothesis import strategies as st

from carepages.catalog_paths import find_templates
from carepages.catalogs import msgids, read_catalog
from carepages.checks import context
from carepages.checks.context import Template, catalog_head, load_templates
from carepages.checks.registry import BY_CODE
from carepages.config import load_config
from carepages.extract import run_extract
from carepages.stats import tally

CASES = sorted((DATA / "catalogs").glob("*.po"))


def case_meta(case: Path) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a case file."""
    meta = {}
    for line in case.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("latin-1").splitlines():
        if not line.startswith("# ") or ":" not in line:
            break
        key, _, value = line[2:].partition(":")
        meta[key.strip()] = value.strip()
    return meta


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clinic project, extracted and updated once for the module."""
    return make_clinic(tmp_path_factory.mktemp("check") / "clinic")


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root)
    return root


def test_the_clinic_passes_every_catalog_check(clinic: Path) -> None:
    report = check(clinic)
    assert [f.problem.code for f in report.findings if f.problem.path.startswith("locale")] == []


def test_every_case_names_a_registered_check() -> None:
    assert CASES, "no cases found"
    for case in CASES:
        assert case_meta(case)["check"] in BY_CODE, case.name


def test_every_check_has_a_case_or_a_dedicated_test() -> None:
    covered = {case_meta(case)["check"] for case in CASES}
    dedicated = {"template", "threshold", "built", "built-disclaimer"}  # need more than one catalog
    dedicated |= {"placeholders"}  # about ui.po, made at test time: tests/test_hardening_catalogs.py
    dedicated |= {"review"}  # about review.toml, not a catalog: tests/test_build_review.py
    dedicated |= {"front-matter"}  # about a source page, not a catalog: tests/test_nested_pages.py
    # A glossary file, two pages, the sign-off ledger: tests/test_language_integrity.py, tests/test_signoff.py
    dedicated |= {"glossary", "consistency", "unsigned"}
    dedicated |= {"waivers", "signoff"}  # about waivers.toml and ui.po: tests/test_attacks.py
    dedicated |= {"manifest", "visible"}  # about dist/ as a whole: tests/test_attacks.py
    dedicated |= {"pinned", "carried"}  # about git history: tests/test_pinning.py, tests/test_carryover.py
    dedicated |= {"clinic-fields"}  # needs a source with {{clinic.…}} fields: tests/test_clinics.py
    dedicated |= {"disclaimer-sentences"}  # needs the shipped multi-sentence disclaimers: test_disclaimer_sentences.py
    assert set(BY_CODE) - covered == dedicated


def test_every_bad_case_has_a_good_counterpart() -> None:
    names = {case.name for case in CASES}
    for name in names:
        twin = name.replace(".bad.", ".good.") if ".bad." in name else name.replace(".good.", ".bad.")
        assert twin in names, f"{name} has no counterpart"


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_catalog_case(clinic: Path, case: Path) -> None:
    meta = case_meta(case)
    rel = f"locale/{meta['locale']}/LC_MESSAGES/{meta['domain']}.po"
    (clinic / rel).write_bytes(case.read_bytes())
    report = check(clinic, meta["locale"])
    mine = [f for f in report.findings if f.problem.code == meta["check"]]
    shown = "\n".join(f.format() for f in report.findings)
    if case.stem.endswith(".bad"):
        severity = meta.get("severity") or BY_CODE[meta["check"]].severity
        line = int(meta["line"]) if "line" in meta else None
        assert any(
            f.problem.path == rel and f.problem.severity == severity and line in (None, f.problem.line) for f in mine
        ), shown
    else:
        assert mine == [], shown
        assert "error" not in {f.problem.severity for f in report.findings if f.problem.path == rel}, shown


def test_a_stale_template_names_carepages_extract(clinic: Path) -> None:
    page = clinic / "source" / "knee.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA new paragraph about recovery.\n", encoding="utf-8")
    report = check(clinic, "de")
    found = [f for f in report.findings if f.problem.code == "template"]
    assert [f.problem.path for f in found] == ["locale/templates/knee.pot"]
    assert "1 new message" in found[0].problem.message
    assert "carepages extract" in found[0].problem.message
    assert found[0].scope == "templates"
    run_extract(load_config(clinic))
    report = check(clinic, "de")
    assert "template" not in codes(report)
    outdated = [f for f in report.findings if f.problem.code == "outdated"]
    assert [f.problem.path for f in outdated] == ["locale/de/LC_MESSAGES/knee.po"]
    assert "carepages update -l de" in outdated[0].problem.message


def test_a_missing_or_broken_template_is_reported_once(clinic: Path) -> None:
    (clinic / "locale/templates/disclaimers.pot").unlink()
    (clinic / "locale/templates/knee.pot").write_text('msgid "unterminated\n', encoding="utf-8")
    (clinic / "locale/templates/gone.pot").write_text("", encoding="utf-8")
    found = {f.problem.path: f.problem for f in check(clinic, "de").findings if f.problem.code == "template"}
    assert set(found) == {
        "locale/templates/disclaimers.pot",
        "locale/templates/knee.pot",
        "locale/templates/gone.pot",
    }
    assert found["locale/templates/knee.pot"].line == 1
    assert "missing" in found["locale/templates/disclaimers.pot"].message


def test_a_run_keeps_of_each_template_what_its_catalog_says(clinic: Path) -> None:
    """The run holds each template as its keys, msgids and counts, not its Babel catalog: they must agree."""
    extra = clinic / "locale/templates/extra.pot"
    extra.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "button"\nmsgid "Open"\nmsgstr ""\n\n'
        'msgid "One knee"\nmsgid_plural "Two knees"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        'msgid "Ask your doctor before you stop a medicine."\nmsgstr ""\n',
        encoding="utf-8",
    )
    config = load_config(clinic)
    templates, failures = load_templates(config)
    assert failures == []
    assert set(templates) == set(find_templates(config))
    for domain, path in find_templates(config).items():
        catalog = read_catalog(path, config.relative(path))
        kept = templates[domain]
        assert not isinstance(kept, Catalog)
        assert kept.keys == msgids(catalog)
        assert kept.ids == tuple(m.id for m in catalog if isinstance(m.id, str) and m.id)
        assert kept.messages == sum(1 for m in catalog if m.id)
        assert list(kept.tally) == tally(catalog)
    assert templates["extra"].keys == {
        ("Open", "button"),
        ("One knee", "Two knees"),
        "Ask your doctor before you stop a medicine.",
    }
    assert templates["extra"].ids == ("Open", "Ask your doctor before you stop a medicine.")
    assert templates["extra"].tally == (0, 0, 3, 13, 13, 0)  # 1 + (2 + 2) + 8 words
    assert load_templates(config) == (templates, [])  # the next run's, from the memo: the same


def test_the_next_run_takes_the_templates_from_the_memo_and_never_keeps_a_broken_one(
    clinic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = clinic / "locale/templates/broken.pot"
    broken.write_text('msgid ""\nmsgstr ""\n\nmsgid "Open\nmsgstr ""\n', encoding="utf-8")
    config = load_config(clinic)
    templates, failures = load_templates(config)
    assert [f.path for f in failures] == ["locale/templates/broken.pot"]
    parsed: list[str] = []
    original = context.parse_catalog_text
    monkeypatch.setattr(
        context, "parse_catalog_text", lambda text, rel, *a: parsed.append(rel) or original(text, rel, *a)
    )
    again, failures_again = load_templates(config)
    assert (again, failures_again) == (templates, failures)
    assert parsed == ["locale/templates/broken.pot"]  # its error is found anew, the others were kept
    knee = clinic / "locale/templates/knee.pot"
    knee.write_text(knee.read_text(encoding="utf-8") + '\nmsgid "A new sentence."\nmsgstr ""\n', encoding="utf-8")
    assert "A new sentence." in load_templates(config)[0]["knee"].ids  # a changed file: parsed anew
    memo = context.TemplateMemo(config)
    memo.kept = {key: {**value, "tally": "damaged"} for key, value in memo.kept.items()}
    assert memo.template(knee.read_text(encoding="utf-8"), "knee.pot", ".pot") == load_templates(config)[0]["knee"]


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(
    ids=st.lists(_TEXT, max_size=6),
    context_keys=st.lists(st.tuples(_TEXT | st.tuples(_TEXT, _TEXT), _TEXT), max_size=4),
    plurals=st.lists(st.tuples(_TEXT, _TEXT), max_size=3),
    counts=st.tuples(*[st.integers(0, 10**6)] * 6),
)
@settings(max_examples=200, deadline=None)
def test_a_template_comes_back_from_the_memo_as_it_was_kept(
    ids: list[str], context_keys: list[tuple[object, str]], plurals: list[tuple[str, str]], counts: tuple[int, ...]
) -> None:
    """Keys of every kind (a msgid, a plural pair, either with a context) survive JSON, and the msgids
    that only a context made a key stay out of the keys."""
    with_context = [key[0] for key in context_keys if isinstance(key[0], str)]
    kept = Template(frozenset([*ids, *context_keys, *plurals]), tuple(ids + with_context), len(ids), counts)
    assert context.Template.from_json(json.loads(json.dumps(kept.as_json()))) == kept


def test_the_interface_template_is_compared_with_the_page_templates(clinic: Path) -> None:
    path = clinic / "locale/templates/ui.pot"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nmsgid "A string no template has"\nmsgstr ""\n', encoding="utf-8")
    found = [f.problem for f in check(clinic, "de").findings if f.problem.code == "template"]
    assert [(p.path, p.message) for p in found] == [
        (
            "locale/templates/ui.pot",
            "out of date with the page templates (1 message no longer used): "
            "run carepages extract, then carepages update",
        )
    ]


def test_a_locale_without_catalogs(clinic: Path) -> None:
    shutil.rmtree(clinic / "locale" / "ar")
    report = check(clinic, "ar")
    outdated = [f.problem for f in report.findings if f.problem.code == "outdated"]
    assert [(p.path, p.message) for p in outdated] == [
        ("locale/ar/LC_MESSAGES", "the locale has no catalogs yet: run carepages update -l ar")
    ]
    assert not [f for f in report.findings if f.problem.code == "disclaimer"]  # said once, by outdated
    [verdict] = report.verdicts
    assert verdict.reasons == ("not translated yet",)


def test_a_page_below_the_threshold_is_a_withholding_warning_counted_like_stats(clinic: Path) -> None:
    from carepages.catalogs import read_catalog, render_catalog
    from carepages.stats import collect_stats
    from carepages.update import template_paths

    path = clinic / "locale/de/LC_MESSAGES/knee.po"
    catalog = read_catalog(path, "knee.po", "de")
    for message in catalog:
        if message.id and "disclaimer" not in " ".join(message.auto_comments):
            message.string = ""
    path.write_bytes(render_catalog(catalog))
    config = load_config(clinic)
    percent = dict(collect_stats(config, template_paths(config), ["de"])[0].pages)["knee"].percent
    assert percent < config.publish_threshold
    report = check(clinic, "de")
    threshold = [f for f in report.findings if f.problem.code == "threshold"]
    assert len(threshold) == 1
    assert threshold[0].problem.severity == "warning" and threshold[0].withholds
    assert f"{percent:.1f} %" in threshold[0].problem.message
    assert "untranslated" in codes(report, "locale/de/LC_MESSAGES/knee.po")
    [verdict] = report.verdicts
    assert verdict.published_pages == ()
    assert not [f for f in report.findings if f.severity == "error" and f.code != "manifest"]  # (no dist/ built)


def test_a_broken_catalog_gives_one_error_not_a_cascade(clinic: Path) -> None:
    (clinic / "locale/de/LC_MESSAGES/knee.po").write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    report = check(clinic, "de")
    assert [f.problem.code for f in report.findings if f.problem.path == "locale/de/LC_MESSAGES/knee.po"] == ["parse"]


def test_open_messages_say_what_they_are_and_what_to_do(clinic: Path) -> None:
    from carepages.catalogs import read_catalog, render_catalog

    path = clinic / "locale/de/LC_MESSAGES/knee.po"
    catalog = read_catalog(path, "knee.po", "de")
    first, second = [m for m in catalog if m.id and "disclaimer" not in " ".join(m.auto_comments)][:2]
    first.string = ""
    second.flags.add("fuzzy")
    path.write_bytes(render_catalog(catalog))
    messages = {f.problem.code: f.problem.message for f in check(clinic, "de").findings}
    assert messages["untranslated"].startswith("untranslated: '") and messages["untranslated"].endswith(
        ": translate it in Poedit, then run carepages build"
    )
    assert messages["fuzzy"].startswith("fuzzy: '") and messages["fuzzy"].count("fuzzy") == 2  # label and advice


def test_a_catalog_is_held_with_its_header_entry_alone() -> None:
    """The header checks look up lines in the header entry; the rest of the file is not held."""
    header = '# A comment\nmsgid ""\nmsgstr ""\n"Language: de\\n"\n\n#: knee.md:3\n'
    body = 'msgctxt "x"\nmsgid "One"\nmsgid_plural "Two"\nmsgstr[0] ""\n\nmsgid ""\n"Language: fr\\n"\nmsgstr ""\n'
    assert catalog_head(header + body) == header
    plural = 'msgid "A"\nmsgid_plural "B"\nmsgstr[0] ""\n'
    assert catalog_head(plural) == plural
    assert catalog_head("# nothing but a comment\n") == "# nothing but a comment\n"


def test_a_header_field_is_looked_for_in_the_header_not_in_a_message(clinic: Path) -> None:
    """A header without a charset: the finding points at the header, not at a message that starts like the field."""
    path = clinic / "locale/de/LC_MESSAGES/knee.po"
    text = path.read_text(encoding="utf-8")
    assert '"Content-Type: text/plain; charset=utf-8\\n"\n' in text
    text = text.replace('"Content-Type: text/plain; charset=utf-8\\n"\n', "", 1)
    path.write_text(text + '\nmsgid ""\n"Content-Type: text/plain; charset=UTF-8\\n"\nmsgstr ""\n', encoding="utf-8")
    found = [f.problem for f in check(clinic, "de").findings if f.problem.path == "locale/de/LC_MESSAGES/knee.po"]
    header = text.split("\n").index('msgid ""') + 1
    assert [(p.code, p.line) for p in found if p.code == "encoding"] == [("encoding", header)], found
