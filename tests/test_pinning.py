"""Pinned pages: a stale translation stays online, rendered whole from the last revision that passed.

Every test works on a real git repository in tmp_path (fixed names and dates): translate,
commit, edit the English, commit; the build must then serve the page from the first
commit, with its notice, and the check must say so; translating the change makes the
page current again. A marked safety change, a translation error and a copy without
git history withhold instead.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import require_program, run
from pinning_helpers import (
    BASE_URL,
    PARAGRAPH,
    RISK,
    SHARED,
    build,
    check_findings,
    check_passes,
    commit,
    committed_clinic,
    dist_page,
    edit_source,
    german,
    git,
    init_repo,
    make_clinic,
    refresh,
    set_translation,
    translate_all,
)

from carepages.config import load_config
from carepages.diff import word_diff
from carepages.extract import extract_sources
from carepages.pinning import NO_HISTORY

#: The catalogs here hold pseudo-translations ("DE " + the English text): see the fixture in conftest.py.
pytestmark = pytest.mark.usefixtures("pseudo_translations")

NEW_RISK = "Injections can cause an infection or bleeding."
NOTICE = "Diese Seite wurde aus der Fassung auf Englisch vom 20. November 2026 übersetzt."


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The clinic, translated and committed on 2026-11-20, in a git repository of its own."""
    root = committed_clinic(tmp_path / "clinic")
    monkeypatch.chdir(root)
    return root


def edit_knee_disclaimer(root: Path, front: str = "") -> str:
    """The English edit of the knee page's own disclaimer, extracted, updated and committed on 2026-11-25."""
    edit_source(root, "knee.md", RISK, NEW_RISK)
    if front:
        edit_source(root, "knee.md", "last_reviewed:", f"{front}\nlast_reviewed:")
    refresh(root)
    return commit(root, "Knee: a new risk", "2026-11-25")


def later_commit(root: Path) -> str:
    """A commit that changes nothing of the pages (HEAD moves on: the age is counted to it)."""
    (root / "NOTES.txt").write_text("notes\n", encoding="utf-8")
    return commit(root, "Notes", "2026-11-28")


def test_an_english_edit_serves_the_page_pinned_until_the_change_is_translated(clinic: Path) -> None:
    first = git(clinic, "rev-parse", "HEAD")
    edit_knee_disclaimer(clinic)
    later_commit(clinic)
    summary = build(clinic)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and verdict.published_pages == ("hip", "knee")
    pin = verdict.page("knee").pin
    assert pin is not None and pin.revision == first and pin.day.isoformat() == "2026-11-20" and pin.age_days == 3
    html, text = dist_page(clinic, "de", "knee"), dist_page(clinic, "de", "knee", "txt")
    assert (
        NOTICE in html
        and f'<a href="{BASE_URL}en/knee.html" hreflang="en">Die aktuelle Seite auf Englisch lesen</a>' in html
    )
    assert german(RISK) in html and NEW_RISK not in html  # the page, disclaimers and all, from the first commit
    assert (
        "Diese Seite wurde aus der Fassung auf Englisch vom 20. November" in text and f"{BASE_URL}en/knee.html" in text
    )
    assert NOTICE not in dist_page(clinic, "de", "hip")
    manifest = json.loads((clinic / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["locales"]["de"]["pages"]["knee"]["pinned"]["revision"] == first
    report = (clinic / "dist" / "REPORT.txt").read_text(encoding="utf-8")  # for the staff; the page tells patients
    assert (
        "pinned: Knee pain: translated from the English version of 2026-11-20; the English page has changed" in report
    )
    assert "2026-11-20" not in (clinic / "dist" / "index.html").read_text(encoding="utf-8")
    assert f"de: pinned: knee from revision {first[:12]} of 2026-11-20 (the English page changed 3 day(s) ago)" in (
        summary.report_lines()
    )
    assert not summary.errors and not build(clinic, strict=True).failed
    pinned = [line for line in check_findings(clinic) if "[pinned]" in line]
    assert pinned == [
        f"locale/de/LC_MESSAGES/knee.po: warning: [pinned] knee is served in de from revision {first[:12]} of "
        "2026-11-20 (pinned): the English page has changed since, 3 day(s) ago: translate the changes "
        "(carepages diff -l de knee), then run carepages build"
    ]
    assert check_passes(clinic)  # the fuzzy disclaimer is a warning while the page is served pinned

    translate_all(clinic)
    commit(clinic, "Translate the new risk", "2026-11-29")
    summary = build(clinic)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and verdict.pinned_pages == () and verdict.published_pages == ("hip", "knee")
    assert german(NEW_RISK) in dist_page(clinic, "de", "knee") and NOTICE not in dist_page(clinic, "de", "knee")
    assert not [line for line in check_findings(clinic) if "[pinned]" in line] and check_passes(clinic)


def test_a_shared_disclaimer_edit_pins_every_page_and_each_is_checked_with_its_revision(clinic: Path) -> None:
    first = git(clinic, "rev-parse", "HEAD")
    edit_source(clinic, "_disclaimers.md", SHARED, SHARED.replace("general", "general, plain"))
    refresh(clinic)
    commit(clinic, "Shared: a word more", "2026-11-25")
    summary = build(clinic)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and verdict.reasons  # the locale's current translation is withheld whole ...
    assert [page.pin.revision for page in verdict.pinned_pages if page.pin] == [first, first]  # ... yet online
    for name in ("knee", "hip"):
        assert german(SHARED) in dist_page(clinic, "de", name)
    findings = check_findings(clinic)
    assert sum("[pinned]" in line for line in findings) == 2
    assert not any(": error: " in line for line in findings)  # built-disclaimer judged the first commit's text


def test_a_marked_safety_change_withholds_instead_of_pinning(clinic: Path) -> None:
    edit_knee_disclaimer(clinic, front="pin_after: 2026-11-25")
    summary = build(clinic)
    reason = "the English page changed in a way that must not be served from an older translation (pin_after: "
    assert any(line.startswith("de: withheld: knee: ") and reason in line for line in summary.report_lines())
    assert not (clinic / "dist" / "de" / "knee.html").exists() and (clinic / "dist" / "de" / "hip.html").exists()
    assert not check_passes(clinic)  # the fuzzy disclaimer withholds: an error, as without pinning


def test_pin_after_lets_a_later_translation_serve(clinic: Path) -> None:
    """Only revisions committed before or on the marked day are refused: a later translation is served."""
    edit_knee_disclaimer(clinic, front="pin_after: 2026-11-25")
    translate_all(clinic)
    second = commit(clinic, "Translate the new risk", "2026-11-26")
    edit_source(clinic, "knee.md", PARAGRAPH, "Take 3 tablets with a glass of water.")
    edit_source(clinic, "knee.md", NEW_RISK, NEW_RISK + " Stop if it hurts.")
    refresh(clinic)
    commit(clinic, "Knee: more", "2026-11-27")
    verdict = next(o.verdict for o in build(clinic).outcomes if o.locale == "de")
    assert verdict is not None and (pin := verdict.page("knee").pin) is not None and pin.revision == second


def test_a_page_never_translated_far_enough_is_not_served_from_any_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_program("git")
    root = make_clinic(tmp_path / "clinic")
    monkeypatch.chdir(root)
    for msgid in (PARAGRAPH, "A second paragraph about the knee."):
        set_translation(root, "knee", msgid, "")
    init_repo(root)
    commit(root, "Knee: half translated", "2026-11-20")
    edit_knee_disclaimer(root)
    verdict = next(o.verdict for o in build(root).outcomes if o.locale == "de")
    assert verdict is not None and verdict.page("knee").stale and verdict.page("knee").pin is None
    assert verdict.page("knee").unpinned == "no earlier version of its translation passed every check"
    for msgid in ("Knee pain", NEW_RISK):
        set_translation(root, "knee", msgid, "")
    verdict = next(o.verdict for o in build(root).outcomes if o.locale == "de")
    assert verdict is not None and not verdict.page("knee").stale  # nothing translated: nothing to serve


def test_a_translation_error_is_never_pinned(clinic: Path) -> None:
    set_translation(clinic, "knee", PARAGRAPH, "DE Nehmen Sie 4 Tabletten mit Wasser.")
    commit(clinic, "A wrong number", "2026-11-25")
    summary = build(clinic)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and verdict.published_pages == ("hip",) and not verdict.page("knee").stale
    assert not (clinic / "dist" / "de" / "knee.html").exists()


def test_without_git_history_the_stale_page_is_withheld_with_the_reason(clinic: Path, tmp_path: Path) -> None:
    edit_knee_disclaimer(clinic)
    tarball = tmp_path / "unpacked"
    shutil.copytree(clinic, tarball, ignore=shutil.ignore_patterns(".git"))
    summary = build(tarball)
    withheld = [line for line in summary.report_lines() if line.startswith("de: withheld: knee: ")]
    assert len(withheld) == 1 and withheld[0].endswith(f"; {NO_HISTORY}")
    assert NO_HISTORY in (tarball / "dist" / "REPORT.txt").read_text(encoding="utf-8")
    manifest = json.loads((tarball / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["locales"]["de"]["pages"]["knee"]["unpinned"] == NO_HISTORY
    assert not (tarball / "dist" / "de" / "knee.html").exists()


def test_a_shallow_clone_says_to_fetch_the_history(clinic: Path, tmp_path: Path) -> None:
    """CI checks out one commit by default: the stale page is withheld, and the reason says what to fetch."""
    edit_knee_disclaimer(clinic)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", clinic.as_uri(), str(shallow))
    verdict = next(o.verdict for o in build(shallow).outcomes if o.locale == "de")
    assert verdict is not None and verdict.published_pages == ("hip",)
    assert "fetch-depth: 0" in verdict.page("knee").unpinned


def test_the_policy_can_withhold_and_limit_the_age(clinic: Path) -> None:
    edit_knee_disclaimer(clinic)
    later_commit(clinic)
    pyproject = clinic / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + "max_stale_days = 2\n", encoding="utf-8")
    verdict = next(o.verdict for o in build(clinic).outcomes if o.locale == "de")
    assert verdict is not None and verdict.pinned_pages == ()
    assert "3 days behind the English page (more than max_stale_days = 2)" in verdict.page("knee").unpinned
    pyproject.write_text('[tool.carepages]\nlocales = ["de"]\nstale = "withhold"\n', encoding="utf-8")
    verdict = next(o.verdict for o in build(clinic).outcomes if o.locale == "de")
    assert verdict is not None and verdict.published_pages == ("hip",) and verdict.page("knee").unpinned == ""


def test_pinning_reads_git_objects_only_and_judges_each_revision_once(
    clinic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carepages.pinning.search as search

    edit_knee_disclaimer(clinic)
    (clinic / "NOTES.txt").write_text("not committed\n", encoding="utf-8")
    status, head = git(clinic, "status", "--porcelain"), git(clinic, "rev-parse", "HEAD")
    judged: list[object] = []
    task = search.judge_task
    monkeypatch.setattr(search, "judge_task", lambda request: judged.append(request) or task(request))
    first = build(clinic)
    assert len(judged) == 1  # one commit, one locale: one assessment for every page waiting on it
    shutil.rmtree(clinic / "dist")
    second = build(clinic)
    assert len(judged) == 1  # the evaluation was kept: a later build judges nothing again
    assert git(clinic, "status", "--porcelain") == status and git(clinic, "rev-parse", "HEAD") == head
    assert [o.verdict for o in first.outcomes] == [o.verdict for o in second.outcomes]


def test_a_locale_left_alone_renders_its_pinned_page_again_from_the_kept_revision(clinic: Path) -> None:
    """``-l`` leaves other locales as they were; a pinned page of theirs edited in dist/ is rendered again, pinned."""
    edit_knee_disclaimer(clinic)
    build(clinic)
    page = clinic / "dist" / "de" / "knee.html"
    original = page.read_bytes()
    page.write_text("edited by hand", encoding="utf-8")
    summary = build(clinic, locales=["en"])
    assert page.read_bytes() == original
    assert next(o.verdict for o in summary.outcomes if o.locale == "de").page("knee").pin is not None  # type: ignore[union-attr]


@pytest.mark.slow
def test_pinned_builds_are_byte_identical_whatever_the_workers_or_the_cache(
    clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_knee_disclaimer(clinic)
    edit_source(clinic, "_disclaimers.md", SHARED, SHARED.replace("general", "general, plain"))
    refresh(clinic)
    commit(clinic, "Shared: a word more", "2026-11-26")
    build(clinic)
    one = {
        p.relative_to(clinic).as_posix(): p.read_bytes() for p in sorted((clinic / "dist").rglob("*")) if p.is_file()
    }
    shutil.rmtree(clinic / "dist")
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "fresh-cache"))
    build(clinic, jobs=2)
    two = {
        p.relative_to(clinic).as_posix(): p.read_bytes() for p in sorted((clinic / "dist").rglob("*")) if p.is_file()
    }
    assert one == two and "dist/de/knee.html" in one


@pytest.mark.slow
def test_the_shipped_project_keeps_every_page_online_after_an_english_disclaimer_edit(tmp_path: Path) -> None:
    """Two words added to one shared disclaimer: every locale still publishes every page, each pinned, once warned."""
    require_program("git")
    shipped = Path(__file__).parent.parent
    root = tmp_path / "shipped"
    for name in ("source", "locale"):
        shutil.copytree(shipped / name, root / name)
    shutil.copy(shipped / "pyproject.toml", root / "pyproject.toml")
    (root / ".gitignore").write_text("dist/\n.dist-build.lock\n", encoding="utf-8")
    init_repo(root)
    first = commit(root, "The shipped project", "2026-11-20")
    edit_source(root, "_disclaimers.md", "Results vary from person", "Results vary a lot from person")
    refresh(root)
    commit(root, "Results vary a lot", "2026-11-24")
    summary = build(root, jobs=2)
    config = load_config(root)
    pages = {messages.domain for messages in extract_sources(config).pages}
    for outcome in summary.outcomes[1:]:
        assert outcome.verdict is not None and set(outcome.verdict.published_pages) == pages, outcome.locale
        assert {page.pin.revision for page in outcome.verdict.pinned_pages if page.pin} == {first}
    findings = check_findings(root)
    pinned = sorted(line.split(": warning: [pinned] ")[0] for line in findings if "[pinned]" in line)
    assert pinned == sorted(f"locale/{locale}/LC_MESSAGES/{page}.po" for locale in config.locales for page in pages)
    assert all(f" from revision {first[:12]} of 2026-11-20 " in line for line in findings if "[pinned]" in line)
    assert check_passes(root)


def test_diff_shows_the_english_change_the_translation_and_the_pinned_revision(
    clinic: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = git(clinic, "rev-parse", "HEAD")
    edit_knee_disclaimer(clinic)
    result = run(capsys, "diff", "-l", "de", "knee")
    assert result.status == 0
    assert result.out.splitlines() == [
        "locale/de/LC_MESSAGES/knee.po:34: fuzzy message of knee",
        "  English:     Injections can cause an [-infection.-] {+infection or bleeding.+}",
        f"  translation: {german(RISK)}",
        f"  served:      knee pinned to revision {first[:12]} of 2026-11-20 (the English page changed 0 day(s) ago)",
        "diff: 1 fuzzy message in de (knee)",
    ]
    assert run(capsys, "diff", "-l", "de", "hip").out == "diff: 0 fuzzy messages in de (hip)\n"
    refused = run(capsys, "diff", "-l", "de", "elbow")
    assert refused.status == 2 and "no page 'elbow' (name one of: hip, knee)" in refused.err


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        (
            "No clinic can promise a result.",
            "No clinic can promise a good result.",
            "No clinic can promise a {+good+} result.",
        ),
        ("Call 911 now.", "Call your local number now.", "Call [-911-] {+your local number+} now."),
        ("Rest the knee.", "Rest.", "[-Rest the knee.-] {+Rest.+}"),
        ("Same words.", "Same  words.", "Same words."),
    ],
)
def test_word_diff_marks_removed_and_added_words(old: str, new: str, shown: str) -> None:
    assert word_diff(old, new) == shown


def test_stats_say_how_each_page_is_served(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = git(clinic, "rev-parse", "HEAD")
    edit_knee_disclaimer(clinic)
    table = run(capsys, "stats").out.splitlines()
    assert table[0].split()[-1] == "served"
    assert next(line for line in table if " knee " in line).endswith(f"pinned {first[:12]} (2026-11-20)")
    assert next(line for line in table if " hip " in line).endswith("current")
    data = json.loads(run(capsys, "stats", "--format", "json").out)
    assert data["locales"]["de"]["pages"]["knee"]["served"]["revision"] == first
    assert data["locales"]["de"]["pages"]["hip"]["served"] == {"state": "current"}
