"""A disclaimer's translation older than its English text: a fuzzy flag cleared without a new translation.

Each test works on a real git repository (fixed names and dates, tests/pinning_helpers.py).
The English of a disclaimer changes and ``update`` marks its translation fuzzy; a
careless translator then clears the flag (and Poedit's ``#|`` lines) without changing
the translation. Nothing in the file says so any more: the ``carried`` check finds it
in the history, the verdict withholds the page or serves it from the revision before
the change (never from the careless one), and only a reviewer's waiver accepts it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from helpers import require_program
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pinning_helpers import (
    PARAGRAPH,
    RISK,
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
    refresh,
    set_translation,
)

from carepages.assess import carried_now
from carepages.carryover import carried_digest, find_carried, same_text
from carepages.catalog_paths import po_path, pot_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import Config, load_config
from carepages.diff import run_diff
from carepages.fsutil import write_if_changed
from carepages.history import BlobReader, History
from carepages.waivers import text_sha256

pytestmark = pytest.mark.usefixtures("pseudo_translations")

NEW_RISK = "Injections can cause an infection or bleeding."


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The clinic, translated and committed on 2026-11-20, in a git repository of its own."""
    root = committed_clinic(tmp_path / "clinic")
    monkeypatch.chdir(root)
    return root


def clear_fuzzy(root: Path, domain: str, msgid: str, string: str | None = None) -> None:
    """What a careless translator does: the fuzzy flag and the previous msgid go, the translation stays
    (or becomes ``string``)."""
    config = load_config(root)
    path = po_path(config, "de", domain)
    catalog = read_catalog(path, config.relative(path), "de")
    message = catalog[msgid]
    assert message.fuzzy, "update marked it fuzzy"
    message.flags.discard("fuzzy")
    message.previous_id = []
    if string is not None:
        message.string = string
    write_if_changed(path, render_catalog(catalog, config.locations))


def english_edit(root: Path, day: str | None = "2026-11-25") -> str:
    """The knee page's own disclaimer gains two words; extracted and updated; committed on ``day`` (None: not)."""
    edit_source(root, "knee.md", RISK, NEW_RISK)
    refresh(root)
    return commit(root, "Knee: a new risk", day) if day else ""


def carried_lines(root: Path) -> list[str]:
    return [line for line in check_findings(root) if "[carried]" in line]


def test_a_cleared_flag_is_found_in_the_history_and_the_page_served_from_before_the_change(clinic: Path) -> None:
    first = git(clinic, "rev-parse", "HEAD")
    change = english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    careless = commit(clinic, "de: checked", "2026-11-26")

    summary = build(clinic)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None
    pin = verdict.page("knee").pin
    assert pin is not None and pin.revision == first  # not the careless commit, which says the same as the file now
    assert verdict.page("hip").pin is None
    assert german(RISK) in dist_page(clinic, "de", "knee")  # the translation as it was, with its English of then
    [line] = carried_lines(clinic)
    assert line.startswith("locale/de/LC_MESSAGES/knee.po:") and ": warning: [carried] disclaimer 'knee-risk'" in line
    assert f"(in commit {change[:12]} of 2026-11-25)" in line
    assert "(carepages diff -l de knee shows it)" in line and "locale/de/waivers.toml" in line
    assert check_passes(clinic)  # served pinned: a warning, as for a fuzzy disclaimer
    assert careless  # the careless commit is history now; the working tree is clean
    assert git(clinic, "status", "--porcelain") == ""


def test_without_pinning_the_page_is_withheld_and_the_check_fails(clinic: Path) -> None:
    pyproject = clinic / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + 'stale = "withhold"\n', encoding="utf-8")
    commit(clinic, "Withhold stale pages", "2026-11-21")
    english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    summary = build(clinic)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and verdict.published_pages == ("hip",)
    assert not (clinic / "dist" / "de" / "knee.html").exists()
    [line] = carried_lines(clinic)
    assert ": error: [carried]" in line and not check_passes(clinic)


def test_an_uncommitted_english_change_is_found_against_head(clinic: Path) -> None:
    english_edit(clinic, day=None)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    [line] = carried_lines(clinic)
    assert "(in changes not committed yet)" in line


def test_diff_shows_the_english_change_since_the_text_it_was_translated_from(clinic: Path) -> None:
    english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    lines = run_diff(load_config(clinic), "de", "knee", jobs=1)
    at = next(i for i, line in enumerate(lines) if "disclaimer carried over" in line)
    assert lines[at].startswith("locale/de/LC_MESSAGES/knee.po:") and lines[at].endswith(" of knee")
    assert lines[at + 1] == "  English:     Injections can cause an [-infection.-] {+infection or bleeding.+}"
    assert lines[at + 2] == f"  translation: {german(RISK)}"
    assert lines[at + 3].startswith("  served:      knee pinned to revision")
    assert lines[-1] == "diff: 0 fuzzy messages and 1 disclaimer carried over in de (knee)"


def test_a_new_translation_is_not_carried(clinic: Path) -> None:
    english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK, german(NEW_RISK))
    assert carried_lines(clinic) == []
    build(clinic)
    assert german(NEW_RISK) in dist_page(clinic, "de", "knee")


@pytest.mark.parametrize("touch", ["  ", " \u200b", "\u00a0", " \n "])
def test_spacing_or_an_invisible_character_is_no_new_translation(clinic: Path, touch: str) -> None:
    english_edit(clinic)
    old = german(RISK)
    clear_fuzzy(clinic, "knee", NEW_RISK, old.replace(" ", touch, 1))
    assert len(carried_lines(clinic)) == 1
    assert same_text(old.replace(" ", touch, 1)) == same_text(old)


def test_an_english_text_changed_back_takes_its_own_earlier_translation_back(clinic: Path) -> None:
    english_edit(clinic)
    set_translation(clinic, "knee", NEW_RISK, german(NEW_RISK))
    commit(clinic, "de: the new risk", "2026-11-26")
    edit_source(clinic, "knee.md", NEW_RISK, RISK)
    refresh(clinic)
    clear_fuzzy(clinic, "knee", RISK, german(RISK))  # the translation this English had before
    assert carried_lines(clinic) == []


def test_an_ordinary_message_is_not_judged(clinic: Path) -> None:
    edit_source(clinic, "knee.md", PARAGRAPH, PARAGRAPH.replace("water", "a glass of water"))
    refresh(clinic)
    commit(clinic, "Knee: water", "2026-11-25")
    clear_fuzzy(clinic, "knee", PARAGRAPH.replace("water", "a glass of water"))
    assert carried_lines(clinic) == []  # not a disclaimer: an ordinary stale translation is the reader's nuisance


def test_only_a_reviewer_can_accept_it(clinic: Path) -> None:
    english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    config = load_config(clinic)
    path = po_path(config, "de", "knee")
    catalog = read_catalog(path, config.relative(path), "de")
    catalog[NEW_RISK].user_comments = ["allow: carried -- the added words change nothing"]
    write_if_changed(path, render_catalog(catalog, config.locations))
    lines = check_findings(clinic)
    assert any("error: [allow]" in line and "carried" in line for line in lines)
    assert any("[carried]" in line and "allowed" not in line for line in lines)

    catalog[NEW_RISK].user_comments = []
    write_if_changed(path, render_catalog(catalog, config.locations))
    waivers = clinic / "locale" / "de" / "waivers.toml"
    waivers.write_text(
        waivers.read_text(encoding="utf-8")
        + f'\n[[waiver]]\ncheck = "carried"\nmsgid_sha256 = "{text_sha256(NEW_RISK)[:16]}"\n'
        f'translation_sha256 = "{text_sha256(german(RISK))[:16]}"\n'
        'reason = "the English only names a second risk the translation already covers"\nreviewer = "Dr. A. Name"\n',
        encoding="utf-8",
    )
    [line] = carried_lines(clinic)
    assert ": allowed: [carried]" in line and "waived by Dr. A. Name" in line
    summary = build(clinic)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "de")
    assert verdict is not None and verdict.page("knee").pin is None and verdict.published_pages == ("hip", "knee")


def test_without_git_history_nothing_can_be_found(clinic: Path, tmp_path: Path) -> None:
    english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    copy = tmp_path / "copy"
    shutil.copytree(clinic, copy, ignore=shutil.ignore_patterns(".git"))
    assert carried_now(load_config(copy)) == {}
    assert len(carried_now(load_config(clinic))["de"]) == 1


def test_a_commit_of_the_same_files_is_a_new_key_and_a_new_finding(clinic: Path) -> None:
    english_edit(clinic, day=None)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    before = carried_now(load_config(clinic))["de"]
    assert "(in changes not committed yet)" in carried_lines(clinic)[0]
    change = commit(clinic, "Knee: a new risk, checked", "2026-11-25")
    after = carried_now(load_config(clinic))["de"]
    assert carried_digest(before) != carried_digest(after)  # so the kept assessment is not reused
    assert f"(in commit {change[:12]} of 2026-11-25)" in carried_lines(clinic)[0]


def test_a_second_run_reads_nothing_from_git_but_the_log(clinic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    commit(clinic, "de: checked", "2026-11-26")
    config = load_config(clinic)
    read: list[str] = []
    original = BlobReader.read

    def counting(self: BlobReader, commit: str, path: str) -> bytes | None:
        read.append(path)
        return original(self, commit, path)

    monkeypatch.setattr(BlobReader, "read", counting)
    first = carried_now(config)
    assert read and len(first["de"]) == 1
    read.clear()
    assert carried_now(config) == first and read == []


ENGLISH = ("Call your doctor.", "Call your doctor today.", "Call a doctor at once.")
GERMAN = ("Rufen Sie Ihren Arzt an.", "Rufen Sie heute Ihren Arzt an.", "Rufen Sie sofort einen Arzt an.")
STEP = st.tuples(st.integers(0, 2), st.integers(0, 2), st.booleans(), st.booleans())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_the_rule_against_a_model_of_the_history(tmp_path_factory: pytest.TempPathFactory, steps: list) -> None:
    """Random histories of one disclaimer (its English, its translation, fuzzy or not, committed or not):
    carried exactly when the catalog held the translation now shown just before the current English
    came in (the newest commit whose English differs; HEAD for a change not committed yet)."""
    require_program("git")
    root = tmp_path_factory.mktemp("model")
    (root / "source").mkdir()
    (root / "source" / "_disclaimers.md").write_text("x\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[tool.carepages]\nlocales = ["de"]\n', encoding="utf-8")
    init_repo(root)
    config = load_config(root)
    committed: list[tuple[int, int, bool]] = []
    state = (0, 0, False)
    for day, (english, german_, fuzzy, commit_it) in enumerate(steps, start=1):
        state = (english, german_, fuzzy)
        _write_disclaimer(config, ENGLISH[english], GERMAN[german_], fuzzy)
        if (commit_it or not committed) and (not committed or committed[-1] != state):  # git has no empty commits
            commit(root, f"step {day}", f"2026-11-{day:02d}")
            committed.append(state)
    english, german_, fuzzy = state
    before = next((s for s in reversed(committed) if s[0] != english), None)
    expected = not fuzzy and before is not None and before[1] == german_
    found = find_carried(config, {"disclaimers": frozenset({ENGLISH[english]})}, ["de"], History.open(root), keep=False)
    assert bool(found.get("de")) == expected, (steps, committed, state)


def _write_disclaimer(config: Config, english: str, translation: str, fuzzy: bool) -> None:
    """The template and the German catalog of one disclaimer, written through Babel (never PO syntax by hand)."""
    template = Catalog(locale=None, project="clinic", creation_date=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    template.add(english, auto_comments=["disclaimer: call"])
    pot = pot_path(config, "disclaimers")
    pot.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(pot, render_catalog(template))
    catalog = Catalog(locale="de", project="clinic", creation_date=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    catalog.add(english, translation, auto_comments=["disclaimer: call"], flags={"fuzzy"} if fuzzy else ())
    path = po_path(config, "de", "disclaimers")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path, render_catalog(catalog))


@pytest.mark.parametrize("kind", ["link out", "fifo"])
def test_a_catalog_that_is_no_plain_file_of_the_project_is_not_read(clinic: Path, tmp_path: Path, kind: str) -> None:
    """The history walk reads catalogs as every reader does: a link out of the project or a FIFO (which would
    block a plain read for ever) is refused unread, and the check says why."""
    english_edit(clinic)
    clear_fuzzy(clinic, "knee", NEW_RISK)
    catalog = clinic / "locale" / "de" / "LC_MESSAGES" / "knee.po"
    data = catalog.read_bytes()
    catalog.unlink()
    if kind == "fifo":
        os.mkfifo(catalog)
    else:
        (tmp_path / "outside.po").write_bytes(data)
        catalog.symlink_to(tmp_path / "outside.po")
    found: list[object] = []
    worker = threading.Thread(target=lambda: found.append(carried_now(load_config(clinic))), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert found == [{}], "the walk must not read it"
    expected = "is not a regular file" if kind == "fifo" else "link to a file outside"
    assert any(expected in line for line in check_findings(clinic))
