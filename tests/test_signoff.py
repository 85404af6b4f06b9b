"""Medical sign-off per message: the ledger, ``carepages review``, and what pages, index and manifest say.

Every test works on a copy of the golden build fixture (tests/data/build/project),
whose German translation a reviewer signed (locale/de/signoff.tsv) and whose Arabic
and Chinese ones are drafts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import Result, require_program, run

from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config
from carepages.errors import CarepagesError
from carepages.reviewstate import REVIEWED
from carepages.signing import apply_signing, plan_signing
from carepages.signoff import SignOff, load_ledger, parse_ledger, render_ledger, text_hash

FIXTURE = Path(__file__).parent / "data" / "build" / "project"
REPO = Path(__file__).parent.parent
DRAFT_AR = "لم يراجع مترجم طبي هذه الترجمة بعد."
DRAFT_DE = "Über diese Übersetzung"
QUESTION = "What will it cost in total?"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "clinic"
    shutil.copytree(FIXTURE, target)
    return target


def review(capsys: pytest.CaptureFixture[str], root: Path, *argv: str) -> Result:
    return run(capsys, "--project", str(root), "review", *argv)


def build(root: Path) -> None:
    run_build(load_config(root), jobs=1)


def page(root: Path, locale: str, name: str = "guide", suffix: str = "html") -> str:
    return (root / "dist" / locale / f"{name}.{suffix}").read_text(encoding="utf-8")


def edit(root: Path, locale: str, domain: str, msgid: str, string: str) -> None:
    """Change one translation through Babel, as a translator's tool would."""
    config = load_config(root)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    catalog[msgid].string = string
    path.write_bytes(render_catalog(catalog, config.locations))


def sign_all(
    capsys: pytest.CaptureFixture[str],
    root: Path,
    locale: str,
    reviewer: str = "Dr. Samir Haddad",
    day: str = "2026-11-25",
) -> Result:
    result = review(capsys, root, "sign", "-l", locale, "--reviewer", reviewer, "--date", day, "--yes")
    assert result.status == 0, result.out + result.err
    return result


# -- the cycle the issue asks for -------------------------------------------------------------


@pytest.mark.slow
def test_sign_then_change_a_msgstr_and_the_draft_notice_returns(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    build(root)
    assert DRAFT_AR in page(root, "ar") and DRAFT_AR in page(root, "ar", "overview")
    sign_all(capsys, root, "ar")
    build(root)
    for name in ("guide", "overview"):
        assert DRAFT_AR not in page(root, "ar", name)
        assert "راجع الترجمة Dr. Samir Haddad بتاريخ 25 نوفمبر 2026." in page(root, "ar", name)
        assert DRAFT_AR not in page(root, "ar", name, "txt")

    edit(root, "ar", "guide", QUESTION, "ما هي التكلفة الإجمالية؟")
    build(root)
    assert DRAFT_AR in page(root, "ar") and DRAFT_AR in page(root, "ar", suffix="txt")
    assert "راجع الترجمة" not in page(root, "ar")
    assert DRAFT_AR not in page(root, "ar", "overview")  # the other page's sign-offs still hold
    status = review(capsys, root, "status", "-l", "ar", "guide")
    assert status.status == 0
    row = next(line for line in status.out.splitlines() if line.startswith("guide"))
    assert row.split() == ["guide", "16", "0", "1", "0", "0"]  # signed, unsigned, changed, open, stale
    assert "signed by Dr. Samir Haddad on 2026-11-25" in status.out
    assert "now:        ما هي التكلفة الإجمالية؟" in status.out

    signed = sign_all(capsys, root, "ar", "Dr. Lina Saleh", "2026-11-27")
    assert "review: 1 to sign, 52 already signed, 0 not signable" in signed.out
    build(root)
    assert DRAFT_AR not in page(root, "ar")
    assert "راجع الترجمة Dr. Lina Saleh بتاريخ 27 نوفمبر 2026." in page(root, "ar")


def test_the_signed_text_of_a_changed_message_comes_from_git(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    require_program("git")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    sign_all(capsys, root, "ar")
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "signed"], cwd=root, check=True)
    edit(root, "ar", "guide", QUESTION, "ما هي التكلفة الإجمالية؟")
    status = review(capsys, root, "status", "-l", "ar")
    assert "  signed:     كم ستكون التكلفة الإجمالية؟" in status.out
    assert "  now:        ما هي التكلفة الإجمالية؟" in status.out


def test_a_changed_source_text_invalidates_the_sign_off_too(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    sign_all(capsys, root, "ar")
    source = root / "source" / "guide.md"
    source.write_text(source.read_text(encoding="utf-8").replace(QUESTION, "What will it cost, all in all?"))
    assert run(capsys, "--project", str(root), "extract").status == 0
    assert run(capsys, "--project", str(root), "update").status == 0
    status = review(capsys, root, "status", "-l", "ar", "guide")
    assert "  source was: What will it cost in total?" in status.out
    assert "  source now: What will it cost, all in all?" in status.out


def test_a_signed_page_shows_no_notice_and_names_its_reviewers(root: Path) -> None:
    build(root)
    german = page(root, "de")
    assert DRAFT_DE not in german
    assert "Übersetzung geprüft von Dr. Anna Beispiel am 22. November 2026." in german
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["locales"]["de"]["review"] == {"status": "reviewed", "pages_reviewed": 2}
    assert manifest["locales"]["de"]["pages"]["guide"]["review"] == {
        "status": "reviewed",
        "signed": 50,  # the page's messages and the interface strings of its frame
        "unsigned": 0,
        "changed": 0,
        "reviewers": ["Dr. Anna Beispiel"],
        "last_signed": "2026-11-22",
    }
    assert manifest["locales"]["ar"]["pages"]["guide"]["review"]["status"] == "draft"
    index = (root / "dist" / "index.html").read_text(encoding="utf-8")
    start = index.index('id="lang-de"')
    assert 'class="notice"' not in index[start : index.index("</section>", start)]  # every page signed off
    assert 'class="notice"' in index[index.index('id="lang-ar"') :]  # a draft says so, in Arabic


def test_pages_can_give_the_date_without_the_reviewers_names(root: Path) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "show_reviewers = false\n", encoding="utf-8")
    build(root)
    assert "Übersetzung geprüft am 22. November 2026." in page(root, "de")
    assert "Beispiel" not in page(root, "de") + (root / "dist" / "index.html").read_text(encoding="utf-8")


def test_two_reviewers_on_the_last_day_are_listed_as_the_locale_lists_names(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    sign_all(capsys, root, "ar")
    edit(root, "ar", "guide", QUESTION, "ما هي التكلفة الإجمالية؟")
    review(capsys, root, "sign", "-l", "ar", "--reviewer", "Dr. Lina Saleh", "--date", "2026-11-25", "--yes")
    build(root)
    assert "راجع الترجمة Dr. Lina Saleh وDr. Samir Haddad بتاريخ 25 نوفمبر 2026." in page(root, "ar")


# -- signing: only what was shown, only what the gate accepts ----------------------------------


def test_sign_shows_each_message_and_signs_nothing_without_a_yes(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    result = review(capsys, root, "sign", "-l", "ar", "--page", "guide", "--reviewer", "Dr. X")
    assert result.status == 2
    assert "locale/ar/LC_MESSAGES/guide.po:" in result.out and f"  source:      {QUESTION}" in result.out
    assert "review: 17 to sign, 0 already signed, 0 not signable" in result.out
    assert "nothing signed" in result.err
    assert not (root / "locale" / "ar" / "signoff.tsv").exists()


def test_sign_one_message_by_page_and_line(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    config = load_config(root)
    catalog = read_catalog(po_path(config, "ar", "guide"), "x", "ar")
    line = catalog[QUESTION].lineno
    result = review(capsys, root, "sign", "-l", "ar", "--message", f"guide:{line}", "--reviewer", "Dr. X", "--yes")
    assert result.status == 0 and "review: signed 1 translation(s)" in result.out
    (record,) = load_ledger(config, "ar").records
    assert (record.page, record.msgid_hash, record.msgstr_hash) == (
        "guide",
        text_hash(QUESTION),
        text_hash("كم ستكون التكلفة الإجمالية؟"),
    )
    bad = review(capsys, root, "sign", "-l", "ar", "--message", "guide:2", "--reviewer", "Dr. X", "--yes")
    assert bad.status == 2 and "no message at 'guide:2'" in bad.err


def test_a_message_with_a_finding_untranslated_or_fuzzy_is_not_signed(root: Path) -> None:
    config = load_config(root)
    edit(root, "ar", "guide", QUESTION, "كم ستكون التكلفة الإجمالية 99؟")  # a number the source does not have
    path = po_path(config, "ar", "guide")
    catalog = read_catalog(path, "x", "ar")
    catalog["What to ask"].flags.add("fuzzy")
    path.write_bytes(render_catalog(catalog, config.locations))
    plan = plan_signing(config, "ar", "Dr. X", page="guide")
    signed = {state.entry.msgid for state, _ in plan.signing}
    assert QUESTION not in signed and "What to ask" not in signed
    assert [(state.entry.msgid, reason.split("]")[0]) for state, reason in plan.blocked] == [(QUESTION, "[numbers")]


def test_what_is_signed_is_what_was_planned_even_if_the_catalog_changes_meanwhile(root: Path) -> None:
    config = load_config(root)
    plan = plan_signing(config, "ar", "Dr. X", page="guide", day=dt.date(2026, 11, 25))
    edit(root, "ar", "guide", QUESTION, "ما هي التكلفة الإجمالية؟")  # after it was shown, before it is signed
    apply_signing(config, plan)
    build(root)
    assert DRAFT_AR in page(root, "ar")  # the edited text was never shown, so it is not approved


def test_signing_needs_a_reviewer_name(root: Path) -> None:
    with pytest.raises(CarepagesError, match="the reviewer's name is empty"):
        plan_signing(load_config(root), "ar", "  ")


# -- export -----------------------------------------------------------------------------------


def test_export_lists_every_sign_off_with_its_state(capsys: pytest.CaptureFixture[str], root: Path) -> None:
    sign_all(capsys, root, "ar")
    edit(root, "ar", "guide", QUESTION, "ما هي التكلفة الإجمالية؟")
    config = load_config(root)
    expected = len(load_ledger(config, "ar").records) + len(load_ledger(config, "de").records)
    rows = list(csv.DictReader(io.StringIO(review(capsys, root, "export").out)))
    assert len(rows) == expected
    assert {row["locale"] for row in rows} == {"de", "ar"}
    changed = [row for row in rows if row["state"] == "changed"]
    assert [(row["locale"], row["page"], row["msgid"]) for row in changed] == [("ar", "guide", "")]
    valid = next(
        row for row in rows if row["state"] == "valid" and row["msgid"] == "What to ask" and row["locale"] == "ar"
    )
    assert valid["reviewer"] == "Dr. Samir Haddad" and valid["date"] == "2026-11-25"
    data = json.loads(review(capsys, root, "export", "-l", "ar", "--format", "json").out)
    assert len(data["signoffs"]) == len(load_ledger(config, "ar").records)
    assert all(entry["locale"] == "ar" for entry in data["signoffs"])


# -- require_review, migration, the ledger's format -------------------------------------------


@pytest.mark.slow
def test_require_review_withholds_unsigned_text_instead_of_showing_a_notice(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "require_review = true\n", encoding="utf-8")
    check = run(capsys, "--project", str(root), "check", "-l", "ar", "--skip", "built", "--skip", "built-disclaimer")
    assert check.status == 1
    assert "error: [unsigned] the translation is not signed off by a medical reviewer" in check.out
    build(root)
    assert (root / "dist" / "de" / "guide.html").is_file()
    assert not (root / "dist" / "ar").exists()
    sign_all(capsys, root, "ar")
    build(root)
    assert (root / "dist" / "ar" / "guide.html").is_file() and DRAFT_AR not in page(root, "ar")


@pytest.mark.slow
def test_require_review_of_disclaimers_withholds_a_disclaimer_changed_since_its_sign_off(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    """No check can tell a disclaimer whose meaning a translator turned from a faithful one; its sign-off can:
    the changed words are not the words signed. Ordinary messages may stay unsigned (the draft notice)."""
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'require_review = "disclaimers"\n', encoding="utf-8")
    skip = ("--skip", "built", "--skip", "built-disclaimer", "--skip", "manifest", "--skip", "visible")
    check = run(capsys, "--project", str(root), "check", "-l", "ar", *skip)
    unsigned = [line for line in check.out.splitlines() if "[unsigned]" in line]
    assert {line.split(":")[0] for line in unsigned} == {
        "locale/ar/LC_MESSAGES/disclaimers.po",
        "locale/ar/LC_MESSAGES/ui.po",
        "locale/ar/LC_MESSAGES/guide.po",
    }
    assert len([line for line in unsigned if "guide.po" in line]) == 1  # its disclaimer, none of its other messages
    assert 'require_review = "disclaimers"' in unsigned[0]
    sign_all(capsys, root, "ar")
    assert "[unsigned]" not in run(capsys, "--project", str(root), "check", "-l", "ar", *skip).out
    config = load_config(root)
    guide = read_catalog(po_path(config, "ar", "guide"), "guide.po", "ar")
    promise = next(m for m in guide if m.id and "disclaimer: no-guarantee" in m.auto_comments)
    edit(root, "ar", "guide", promise.id, str(promise.string).rstrip(".") + " إلا في عيادتنا.")  # "but in our clinic"
    edit(root, "ar", "guide", QUESTION, "كم ستكلف في المجموع؟ (بلا توقيع)")
    check = run(capsys, "--project", str(root), "check", "-l", "ar", *skip)
    unsigned = [line for line in check.out.splitlines() if "[unsigned]" in line]
    assert len(unsigned) == 1 and "changed since its sign-off" in unsigned[0] and "guide.po" in unsigned[0]
    assert check.status == 1


@pytest.mark.parametrize("value", ['"some"', "1"])
def test_require_review_takes_true_false_or_disclaimers(root: Path, value: str) -> None:
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + f"require_review = {value}\n", encoding="utf-8")
    with pytest.raises(CarepagesError, match='must be true, false or "disclaimers"'):
        load_config(root)


@pytest.mark.slow
def test_a_review_toml_saying_reviewed_is_migrated_into_sign_offs(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    toml = root / "locale" / "ar" / "review.toml"
    toml.write_text('status = "reviewed"\nreviewer = "Dr. Old Record"\nreviewed_on = 2026-10-01\n', encoding="utf-8")
    check = run(capsys, "--project", str(root), "check", "-l", "ar", "--skip", "built", "--skip", "built-disclaimer")
    assert 'locale/ar/review.toml:1: warning: [review] says "reviewed", but pages follow the sign-off ledger' in (
        check.out
    )
    result = review(capsys, root, "migrate", "-l", "ar", "--yes")
    assert (
        result.status == 0 and "review: signed 53 translation(s)" in result.out
    )  # with the clinic frame's interface strings
    assert not toml.exists()
    records = load_ledger(load_config(root), "ar").records
    assert {(r.reviewer, r.date, r.note) for r in records} == {
        ("Dr. Old Record", dt.date(2026, 10, 1), "migrated from review.toml")
    }
    build(root)
    assert DRAFT_AR not in page(root, "ar")


def test_a_broken_ledger_withholds_its_locale_naming_file_and_line(
    capsys: pytest.CaptureFixture[str], root: Path
) -> None:
    ledger = root / "locale" / "de" / "signoff.tsv"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text + "guide\tnot-a-hash\n", encoding="utf-8")
    line = text.count("\n") + 1
    check = run(capsys, "--project", str(root), "check", "-l", "de", "--skip", "built", "--skip", "built-disclaimer")
    assert check.status == 1
    assert f"locale/de/signoff.tsv:{line}: error: [review] 2 tab-separated fields, not 6" in check.out
    assert "de: withheld: the medical review record is broken" in check.out
    assert review(capsys, root, "status", "-l", "de").status == 2


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("guide\tabc\tdef\tDr. X\t2026-11-20\t", "the hashes must be 16 lowercase hex digits"),
        ("Guide!\t" + "a" * 16 + "\t" + "b" * 16 + "\tDr. X\t2026-11-20\t", "is not a page name"),
        ("guide\t" + "a" * 16 + "\t" + "b" * 16 + "\t\t2026-11-20\t", "must be a name"),
        ("guide\t" + "a" * 16 + "\t" + "b" * 16 + "\tDr. X\t20 Nov\t", "is not a date"),
    ],
)
def test_a_bad_ledger_line_is_named(line: str, problem: str) -> None:
    with pytest.raises(CarepagesError) as caught:
        parse_ledger("# header\n" + line + "\n", "locale/de/signoff.tsv")
    assert problem in caught.value.message and caught.value.line == 2


def test_the_ledger_is_sorted_one_record_per_line_and_reads_back() -> None:
    records = [
        SignOff("knee", "b" * 16, "c" * 16, "Dr. B", dt.date(2026, 11, 21), "dose checked"),
        SignOff("hip", "a" * 16, "c" * 16, "Dr. A", dt.date(2026, 11, 20)),
    ]
    text = render_ledger(records)
    assert text.splitlines()[-2:] == [
        "hip\t" + "a" * 16 + "\t" + "c" * 16 + "\tDr. A\t2026-11-20\t",
        "knee\t" + "b" * 16 + "\t" + "c" * 16 + "\tDr. B\t2026-11-21\tdose checked",
    ]
    assert parse_ledger(text, "x").records == tuple(sorted(records))
    with pytest.raises(CarepagesError, match="a second sign-off"):
        parse_ledger(text + records[0].row() + "\n", "x")


def test_the_shipped_locales_are_honest_drafts() -> None:
    """No reviewer has signed the shipped translations: their ledgers hold no record."""
    config = load_config(REPO)
    for locale in config.locales:
        assert load_ledger(config, locale).records == (), locale
        assert not (config.locale_dir / locale / "review.toml").exists()
    assert REVIEWED == "reviewed"
