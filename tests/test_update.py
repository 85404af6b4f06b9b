"""Updating catalogs: nothing lost, changes fuzzy with their previous msgid, no diff noise."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polib
import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

from carepages import update
from carepages.catalogs import read_catalog, render_catalog, same_content
from carepages.fsutil import write_if_changed


def po(project: Path, locale: str = "de", domain: str = "sample") -> Path:
    return project / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"


def translate(path: Path, strings: dict[str, str]) -> None:
    """Fill translations the way a PO editor would (through the catalog model, not by hand)."""
    catalog = read_catalog(path, path.name)
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
    write_if_changed(path, render_catalog(catalog))


def edit_source(project: Path, old: str, new: str) -> None:
    page = project / "source" / "sample.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def updated(project: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(capsys, "extract").status == 0
    assert run(capsys, "update").status == 0
    return project


def test_new_catalogs_have_correct_headers(updated: Path) -> None:
    ar = polib.pofile(str(po(updated, "ar")))
    assert ar.metadata["Language"] == "ar"
    assert ar.metadata["Plural-Forms"].startswith("nplurals=6;")
    assert ar.metadata["Content-Type"] == "text/plain; charset=utf-8"
    de = polib.pofile(str(po(updated, "de")))
    assert de.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert all(entry.msgstr == "" for entry in de)


def test_second_update_is_byte_identical(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    translate(po(updated), {"Knee": "Knie"})
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (updated / "locale").rglob("*.po")}
    result = run(capsys, "update")
    assert "0 created, 0 updated, 6 unchanged" in result.out
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (updated / "locale").rglob("*.po")} == before


def test_changed_message_becomes_fuzzy_with_previous_msgid(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    translate(po(updated), {"A quoted paragraph.": "Ein zitierter Absatz."})
    edit_source(updated, "> A quoted paragraph.", "> A quoted paragraph, changed.")
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    entry = polib.pofile(str(po(updated))).find("A quoted paragraph, changed.")
    assert entry is not None
    assert entry.fuzzy
    assert entry.msgstr == "Ein zitierter Absatz."
    assert entry.previous_msgid == "A quoted paragraph."
    # Running update again keeps the previous msgid (Babel alone would drop it).
    before = po(updated).read_bytes()
    run(capsys, "update", "-l", "de")
    assert po(updated).read_bytes() == before
    assert '#| msgid "A quoted paragraph."' in before.decode()


def test_removed_message_is_kept_obsolete_and_revived(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    translate(po(updated), {"Second step.": "Zweiter Schritt."})
    edit_source(updated, "2. Second step.\n", "")
    run(capsys, "extract")
    run(capsys, "update")
    text = po(updated).read_text(encoding="utf-8")
    assert '#~ msgid "Second step."\n#~ msgstr "Zweiter Schritt."' in text
    edit_source(updated, "1. First step.\n", "1. First step.\n2. Second step.\n")
    run(capsys, "extract")
    run(capsys, "update")
    entry = polib.pofile(str(po(updated))).find("Second step.")
    assert entry is not None and not entry.obsolete and not entry.fuzzy
    assert entry.msgstr == "Zweiter Schritt."


def test_fuzzy_guesses_stay_within_their_kind(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new heading is never guessed from a similar table cell or paragraph."""
    translate(po(updated), {"Osteoarthritis": "Arthrose"})
    edit_source(updated, "Setext heading\n--------------", "Osteoarthritis!\n--------------")
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    entry = polib.pofile(str(po(updated))).find("Osteoarthritis!")
    assert entry is not None
    assert entry.msgstr == ""
    assert not entry.fuzzy


def test_fuzzy_guesses_never_cross_pages(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    translate(po(updated), {"A quoted paragraph.": "Ein zitierter Absatz."})
    other = updated / "source" / "other.md"
    other.write_text("---\ntitle: Other\n---\n\n> A quoted paragraph!\n", encoding="utf-8")
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    entry = polib.pofile(str(po(updated, "de", "other"))).find("A quoted paragraph!")
    assert entry is not None and entry.msgstr == "" and not entry.fuzzy


def test_changed_disclaimer_is_guessed_from_the_same_disclaimer(
    updated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = po(updated, "de", "disclaimers")
    translate(path, {"In an emergency, call your local emergency number.": "Im Notfall den Notruf wählen."})
    shared = updated / "source" / "_disclaimers.md"
    shared.write_text(
        shared.read_text(encoding="utf-8").replace("emergency number.", "emergency number at once."),
        encoding="utf-8",
    )
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    entry = polib.pofile(str(path)).find("In an emergency, call your local emergency number at once.")
    assert entry is not None and entry.fuzzy and entry.msgstr == "Im Notfall den Notruf wählen."
    assert "disclaimer: emergency" in entry.comment


def test_catalog_saved_by_another_tool_is_not_rewritten(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Poedit, Weblate and msgmerge wrap differently; the same content is not a change."""
    translate(po(updated), {"Knee": "Knie"})
    foreign = polib.pofile(str(po(updated)), wrapwidth=0)
    foreign.save(str(po(updated)))
    before = po(updated).read_bytes()
    assert before != render_catalog(read_catalog(po(updated), "x"))
    result = run(capsys, "update", "-l", "de")
    assert "0 updated" in result.out
    assert po(updated).read_bytes() == before


def test_translator_comments_survive_update(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalog = read_catalog(po(updated), "x")
    catalog["Knee"].user_comments = ["checked with the clinic"]
    catalog["Knee"].string = "Knie"
    write_if_changed(po(updated), render_catalog(catalog))
    edit_source(updated, "> A quoted paragraph.", "> Another paragraph.")
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    assert "# checked with the clinic\n" in po(updated).read_text(encoding="utf-8")


def test_update_of_unconfigured_locale_is_an_error(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "update", "-l", "fr")
    assert result.status == 2
    assert "locale 'fr' is not configured" in result.err


def test_update_without_templates_says_to_extract(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "update")
    assert result.status == 2
    assert "run 'carepages extract' first" in result.err


def test_long_previous_msgid_survives_repeated_updates(updated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Babel reads '#|' lines as comments (dropping repeated ones); the previous text must survive."""
    long_old = "A quoted paragraph. " + "The same words again and again, " * 8 + "end."
    edit_source(updated, "> A quoted paragraph.", "> " + long_old)
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    translate(po(updated), {long_old: "Ein langer Absatz."})
    edit_source(updated, long_old, long_old.replace("end.", "the end."))
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    first = po(updated).read_bytes()
    entry = polib.pofile(str(po(updated))).find(long_old.replace("end.", "the end."))
    assert entry is not None and entry.fuzzy and entry.previous_msgid == long_old
    assert read_catalog(po(updated), "x")[entry.msgid].previous_id == [long_old]
    run(capsys, "update", "-l", "de")
    assert po(updated).read_bytes() == first
    assert "# |" not in first.decode()


def test_previous_msgid_left_after_removing_the_fuzzy_flag_by_hand_is_dropped_and_said(
    updated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A translator unflags a fuzzy message in a text editor and leaves its ``#|`` line: update says what it drops."""
    translate(po(updated), {"A quoted paragraph.": "Ein zitierter Absatz."})
    edit_source(updated, "> A quoted paragraph.", "> A quoted paragraph, changed.")
    run(capsys, "extract")
    run(capsys, "update", "-l", "de")
    text = po(updated).read_text(encoding="utf-8")
    assert "#, fuzzy\n" in text
    po(updated).write_text(text.replace("#, fuzzy\n", "", 1), encoding="utf-8")  # the flag, as an editor removes it
    result = run(capsys, "update", "-l", "de")
    assert "updated: locale/de/LC_MESSAGES/sample.po" in result.out
    assert (
        "normalised: locale/de/LC_MESSAGES/sample.po: removed the previous English text (#|) of 1 message "
        "no longer marked fuzzy (as msgmerge does): commit the catalog as update wrote it"
    ) in result.out
    assert "#| msgid" not in po(updated).read_text(encoding="utf-8")
    assert "normalised" not in run(capsys, "update", "-l", "de").out  # said once: nothing left to drop


def test_the_shipped_catalogs_are_what_extract_and_update_make_of_the_shipped_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fresh clone's first run must not rewrite a tracked catalog (a reference to a moved line included)."""
    repo = Path(__file__).resolve().parent.parent
    project = tmp_path / "project"
    for name in ("source", "locale"):
        shutil.copytree(repo / name, project / name)
    shutil.copy2(repo / "pyproject.toml", project / "pyproject.toml")
    before = {path: path.read_bytes() for path in sorted((project / "locale").rglob("*.po*"))}
    assert run(capsys, "--project", str(project), "extract").status == 0
    assert run(capsys, "--project", str(project), "update").status == 0
    after = {path: path.read_bytes() for path in sorted((project / "locale").rglob("*.po*"))}
    changed = [str(path.relative_to(project)) for path in after if before.get(path) != after[path]]
    assert not changed, f"run 'carepages extract' and 'carepages update' and commit: {changed}"


def test_an_update_that_changes_nothing_renders_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the cache of the last update (a fresh clone, CI), an up-to-date catalog is read and found
    unchanged by its content: writing it out only to compare bytes was half of the update's time, and
    merging it (Babel cloning every message) a third of what was left (``merge_keeps``)."""
    from carepages import update

    repo = Path(__file__).resolve().parent.parent
    project = tmp_path / "project"
    for name in ("source", "locale"):
        shutil.copytree(repo / name, project / name)
    shutil.copy2(repo / "pyproject.toml", project / "pyproject.toml")
    rendered: list[int] = []
    merged: list[int] = []
    render, merge = update.render_catalog, update.merge

    def counting_render(*args: object, **kwargs: object) -> bytes:
        rendered.append(1)
        return render(*args, **kwargs)  # type: ignore[arg-type]

    def counting_merge(*args: object, **kwargs: object) -> object:
        merged.append(1)
        return merge(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(update, "render_catalog", counting_render)
    monkeypatch.setattr(update, "merge", counting_merge)
    assert run(capsys, "--project", str(project), "update").status == 0
    assert merged == []  # every catalog of every locale was read (no cache here), none merged
    assert rendered == []


def _shipped_copy(root: Path) -> Path:
    repo = Path(__file__).resolve().parent.parent
    for name in ("source", "locale"):
        shutil.copytree(repo / name, root / name)
    shutil.copy2(repo / "pyproject.toml", root / "pyproject.toml")
    return root


def test_two_processes_plan_what_one_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an English edit of every page, the catalogs two workers merge are byte for byte one process's."""
    from carepages import update
    from carepages.config import load_config
    from carepages.extract import run_extract

    monkeypatch.setattr(update, "PARALLEL_FROM", 1)
    results = []
    for jobs in (1, 2):
        project = _shipped_copy(tmp_path / f"jobs{jobs}")
        for page in sorted((project / "source").glob("*.md")):
            text = page.read_text(encoding="utf-8")
            page.write_text(text.replace("clinic", "clinic (edited)", 1), encoding="utf-8")
        config = load_config(project)
        run_extract(config)
        summary = update.run_update(config, jobs=jobs)
        files = {p.relative_to(project): p.read_bytes() for p in sorted((project / "locale").rglob("*.po"))}
        results.append((summary.describe(), files))
    assert results[0] == results[1]
    assert any(b"#, fuzzy" in data for data in results[0][1].values())


def test_every_broken_catalog_is_reported_in_order_whatever_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carepages import update
    from carepages.config import load_config
    from carepages.errors import CarepagesError

    monkeypatch.setattr(update, "PARALLEL_FROM", 1)
    project = _shipped_copy(tmp_path / "project")
    for locale in ("zh_CN", "es"):
        path = po(project, locale, "knee")
        path.write_text(path.read_text(encoding="utf-8") + '\nmsgstr "stray"\n', encoding="utf-8")
    with pytest.raises(CarepagesError) as caught:
        update.run_update(load_config(project), jobs=2)
    text = caught.value.format()
    assert text.index("locale/es/LC_MESSAGES/knee.po") < text.index("locale/zh_CN/LC_MESSAGES/knee.po")


def test_the_locale_a_merge_parses_once_is_what_babel_parses_for_its_catalogs() -> None:
    """The merge's throw-away catalogs get Babel's own Locale (parsed once); an unknown code keeps the string."""
    for code in ("de", "pt_BR", "zh_CN", "ar"):
        assert update._parsed(code) == Locale.parse(code)
        assert update._parsed(code) is update._parsed(code)
    assert update._parsed("xx_YY") is None


# --- merge_keeps: the merge's identity, known without merging -----------------------------------

_WORDS = ("pain", "knee", "risk", "cost", "call", "doctor")
_KINDS = ("paragraph", "heading", "list item")
_PERTURBATIONS = (
    "string",  # a translation changed: still the identity (the merge keeps translations)
    "fuzzy",
    "fuzzy-previous",
    "unfuzzied-previous",  # a #| left on a message no longer fuzzy: the merge drops it
    "user-comment-twice",
    "auto-comment",
    "location",
    "extra",
    "missing",
    "swap",
    "obsolete-revived",
    "obsolete-other",
    "context",
    "header-date",
    "header-comment",
    "template-flag",
)


@st.composite
def _merge_cases(draw: st.DrawFn) -> tuple[Catalog, Catalog, list[str]]:
    """A template, and a catalog made from it by merging, then changed in a few random ways."""
    from carepages.segments import DISCLAIMER_PREFIX

    count = draw(st.integers(1, 6))
    ids = draw(st.lists(st.sampled_from(_WORDS), min_size=count, max_size=count, unique=True))
    template = Catalog(locale=None, domain="page", project="carepages", fuzzy=False)
    template.creation_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for index, msgid in enumerate(ids):
        comments = [draw(st.sampled_from(_KINDS))]
        if draw(st.booleans()):
            comments.append(DISCLAIMER_PREFIX + "emergency")
        template[msgid] = Message(msgid, locations=[("source/page.md", index + 1)], auto_comments=comments)
    old = update.new_catalog(template, "de")
    for message in old:
        if message.id and draw(st.booleans()):
            message.string = message.id.upper()
    changes = draw(st.lists(st.sampled_from(_PERTURBATIONS), max_size=2))
    messages = [m for m in old if m.id]
    target = messages[draw(st.integers(0, len(messages) - 1))]
    for change in changes:
        if change == "string":
            target.string = "neu"
        elif change == "fuzzy":
            target.flags.add("fuzzy")
        elif change == "fuzzy-previous":
            target.flags.add("fuzzy")
            target.previous_id = ["older text"]
        elif change == "unfuzzied-previous":
            target.flags.discard("fuzzy")
            target.previous_id = ["older text"]
        elif change == "user-comment-twice":
            target.user_comments = ["checked", "checked"]
        elif change == "auto-comment":
            target.auto_comments = [*target.auto_comments, "heading"]
        elif change == "location":
            target.locations = [("source/other.md", 9)]
        elif change == "extra":
            old["extra words"] = Message("extra words", "zusätzlich", auto_comments=["paragraph"])
        elif change == "missing":
            del old[target.id]
        elif change == "swap" and len(messages) > 1:
            del old[messages[0].id]
            old[messages[0].id] = messages[0]
        elif change == "obsolete-revived":
            old.obsolete[target.id] = Message(target.id, "alt")
        elif change == "obsolete-other":
            old.obsolete["gone"] = Message("gone", "weg")
        elif change == "context":
            del old[target.id]
            old[target.id] = Message(
                target.id,
                target.string or "übersetzt",
                locations=target.locations,
                flags=target.flags,
                auto_comments=target.auto_comments,
                context="ctx",
            )
        elif change == "header-date":
            old.creation_date = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        elif change == "header-comment":
            old.header_comment = "# edited by hand"
        elif change == "template-flag":
            template[ids[0]].flags.add("no-wrap")
    return old, template, changes


@given(_merge_cases())
@settings(max_examples=300, deadline=None)
def test_merge_keeps_is_never_wrong(case: tuple[Catalog, Catalog, list[str]]) -> None:
    """Where ``merge_keeps`` says the merge gives the catalog back, it does: no template change is skipped."""
    old, template, changes = case
    keeps = update.merge_keeps(old, template, "de")
    merged = update.merge(old, template, "de")
    assert not keeps or same_content(merged, old), changes
    if set(changes) <= {"string", "fuzzy", "fuzzy-previous"}:
        assert keeps  # the common case (translations and flags changed, the template not) is decided without merging


def test_merge_keeps_holds_for_every_shipped_catalog() -> None:
    """Each shipped catalog is up to date: the fast answer and the merge agree that nothing changes."""
    from carepages.config import load_config

    repo = Path(__file__).resolve().parent.parent
    config = load_config(repo)
    templates = update.read_templates(config)
    checked = 0
    for locale in config.locales:
        for domain, template in templates.items():
            path = po(repo, config.locale_folder(locale), domain)
            old = read_catalog(path, path.name, locale=locale)
            assert update.merge_keeps(old, template, locale), path
            assert same_content(update.merge(old, template, locale), old), path
            checked += 1
    assert checked == 6 * 9
