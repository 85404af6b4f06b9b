"""Work kept from an earlier run: redone exactly when one of its inputs changed, and giving what redoing gives.

A page's key (:class:`carepages.builder.keys.PageKeys`) must hold everything its files
and its verdict depend on. Each test of the first group edits one input of the
build fixture (tests/data/build/project: pages guide and overview; de, ar, zh_CN)
and asserts which pages the next build renders again: those that depend on it, and
no others. The second group runs the same edits in two copies of a project, one
with its cache and one without, and asserts the same bytes, findings and verdicts;
``update`` and ``stats`` likewise. Speed is measured by ``scripts/benchmark.py``,
never here.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from carepages import parallel
from carepages.builder import keys as build_keys
from carepages.builder import run_build
from carepages.builder.cache import read_cache
from carepages.builder.keys import PageKeys, verdict_part
from carepages.catalog_paths import locale_files, po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import Config, load_config
from carepages.extract import run_extract
from carepages.gate import collect
from carepages.stats import collect_stats
from carepages.update import read_templates, run_update, template_paths
from carepages.verdict import PageVerdict, Pin

FIXTURE = Path(__file__).parent / "data" / "build" / "project"
EVERY_LOCALE = ("en", "de", "ar", "zh_CN")
PAGES = ("guide", "overview")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "clinic"
    shutil.copytree(FIXTURE, target)
    return target


def page_keys(root: Path) -> dict[tuple[str, str], str]:
    """Every published page's key, from the build's cache."""
    cache = read_cache(load_config(root))
    return {(code, page): entry.key for code, locale in cache.items() for page, entry in locale.pages.items()}


def rebuilt_after(root: Path, edit: Callable[[Path], object]) -> set[tuple[str, str]]:
    """Build, make ``edit``, build again: the (locale, page) pairs the second build rendered."""
    run_build(load_config(root), jobs=1)
    before = page_keys(root)
    edit(root)
    summary = run_build(load_config(root), jobs=1)
    after = page_keys(root)
    changed = {pair for pair, key in after.items() if before.get(pair) != key}
    assert summary.pages_rendered == len(changed)
    return changed


def append(path: Path, text: str) -> None:
    """An edit that changes a file's bytes but not what it means (a comment, a blank line)."""
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edit_message(config: Config, locale: str, domain: str, index: int, change: str) -> None:
    """Append ``change`` to the translation of the ``index``-th translated message (through Babel)."""
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    message = [m for m in catalog if m.id and isinstance(m.string, str) and m.string][index]
    message.string = message.string + change
    path.write_bytes(render_catalog(catalog, config.locations))


def every(locales: tuple[str, ...] = EVERY_LOCALE, pages: tuple[str, ...] = PAGES) -> set[tuple[str, str]]:
    return {(code, page) for code in locales for page in pages}


def locale_file(root: Path, locale: str, name: str) -> Path:
    """One of the locale's own files (sign-off ledger, glossary, waivers, review file) by its file name."""
    return next(path for path in locale_files(load_config(root), locale) if path.name == name)


# -- each input of a page's key: an edit to it renders the pages that depend on it, and no others ----


def test_a_source_page_edit_renders_that_page_in_every_locale_and_nothing_else(root: Path) -> None:
    assert rebuilt_after(root, lambda r: append(r / "source" / "guide.md", "\n")) == every(pages=("guide",))


def test_a_shared_disclaimers_edit_renders_every_page(root: Path) -> None:
    assert rebuilt_after(root, lambda r: append(r / "source" / "_disclaimers.md", "\n")) == every()


def test_a_page_catalog_edit_renders_that_page_in_that_locale(root: Path) -> None:
    changed = rebuilt_after(root, lambda r: edit_message(load_config(r), "de", "guide", 0, " (neu)"))
    assert changed == {("de", "guide")}


@pytest.mark.parametrize("domain", ["ui", "disclaimers"])
def test_a_catalog_every_page_shows_renders_every_page_of_that_locale(root: Path, domain: str) -> None:
    changed = rebuilt_after(root, lambda r: append(po_path(load_config(r), "de", domain), "\n"))
    assert changed == every(("de",))


@pytest.mark.parametrize("name", ["signoff.tsv", "glossary.toml", "waivers.toml", "review.toml"])
def test_a_locale_file_edit_renders_that_locale_only(root: Path, name: str) -> None:
    def edit(r: Path) -> None:
        path = locale_file(r, "de", name)
        if path.exists():
            append(path, "\n# a note\n")
        else:  # a file the locale did not have: its appearance counts
            path.write_text("# a note\n", encoding="utf-8")

    assert rebuilt_after(root, edit) == every(("de",))


def test_a_setting_renders_every_page_and_an_unrelated_pyproject_edit_renders_none(root: Path) -> None:
    settings = root / "pyproject.toml"
    assert rebuilt_after(root, lambda r: append(r / "pyproject.toml", "\n# a comment\n")) == set()
    changed = rebuilt_after(root, lambda r: append(r / "pyproject.toml", "max_stale_days = 30\n"))
    assert changed == every()
    assert "max_stale_days = 30" in settings.read_text(encoding="utf-8")


def test_another_tool_version_renders_every_page(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changed = rebuilt_after(root, lambda r: monkeypatch.setattr(build_keys, "code_digest", lambda: "another code"))
    assert changed == every()


def test_an_unrelated_file_renders_nothing(root: Path) -> None:
    assert rebuilt_after(root, lambda r: (r / "NOTES.txt").write_text("notes\n", encoding="utf-8")) == set()


def test_a_pinned_page_key_names_its_revision_but_not_its_age(root: Path) -> None:
    keys = PageKeys(load_config(root))
    pin = Pin("a" * 40, "2026-11-20T10:00:00+00:00", "2026-11-25T10:00:00+00:00", 3)
    pinned = PageVerdict("guide", True, stale=True, pin=pin)
    key = keys.page("de", pinned, (), ("en", "de"))
    older = dataclasses.replace(pinned, pin=dataclasses.replace(pin, age_days=30))
    assert keys.page("de", older, (), ("en", "de")) == key  # a later commit alone re-renders nothing
    other = dataclasses.replace(pinned, pin=dataclasses.replace(pin, revision="b" * 40))
    assert keys.page("de", other, (), ("en", "de")) != key
    assert keys.page("de", PageVerdict("guide", True), (), ("en", "de")) != key
    assert json.loads(verdict_part(pinned))["pinned"]["revision"] == "a" * 40


def test_a_withheld_page_changes_the_keys_of_the_pages_linking_to_it(root: Path) -> None:
    keys = PageKeys(load_config(root))
    verdict = PageVerdict("guide", True)
    assert keys.page("de", verdict, ("overview",), ("en", "de")) != keys.page("de", verdict, (), ("en", "de"))
    assert keys.page("de", verdict, (), ("en",)) != keys.page("de", verdict, (), ("en", "de"))


# -- kept work gives what fresh work gives ---------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def two_copies(tmp_path: Path) -> tuple[Path, Path]:
    """Two identical projects: ``kept`` runs with its cache, ``fresh`` without one each time."""
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    shutil.copytree(FIXTURE, kept)
    shutil.copytree(FIXTURE, fresh)
    return kept, fresh


def fresh_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "caches" / name))


def edit_source(root: Path) -> None:
    page = root / "source" / "guide.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n\n", "\n\nA new paragraph for the test.\n\n", 2), encoding="utf-8")


def refresh(root: Path) -> None:
    run_extract(load_config(root))
    run_update(load_config(root))


STEPS: list[Callable[[Path], object]] = [
    lambda root: None,
    lambda root: edit_message(load_config(root), "de", "guide", 0, " (bearbeitet)"),
    lambda root: edit_message(load_config(root), "ar", "disclaimers", 0, " 7"),  # a number: withholds ar's pages
    edit_source,  # the templates are now out of date with the source: a project finding (kept by key)
    lambda root: (edit_source(root), refresh(root)),
    lambda root: append(locale_file(root, "de", "signoff.tsv"), "# a note\n"),
    lambda root: append(root / "pyproject.toml", "publish_threshold = 100\n"),
]


def test_a_build_and_check_that_reuse_their_work_make_what_fresh_ones_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, fresh = two_copies(tmp_path)
    for number, step in enumerate(STEPS):
        results = []
        for root in (kept, fresh):
            step(root)
            fresh_cache(monkeypatch, tmp_path, "kept" if root == kept else f"fresh-{number}")
            if root == fresh:
                shutil.rmtree(root / "dist", ignore_errors=True)
            config = load_config(root)
            run_build(config, jobs=1)
            report = collect(config, jobs=1)
            results.append((snapshot(root / "dist"), [f.format() for f in report.findings], report.verdicts))
        assert results[0] == results[1], f"step {number}"


def test_a_no_op_build_and_a_check_after_a_build_parse_no_template(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project checks' findings are kept by the key of the sources, templates, settings and code."""
    from carepages.checks import context

    config = load_config(root)
    run_build(config, jobs=1)
    parsed: list[bool] = []
    original = context.load_templates
    monkeypatch.setattr(context, "load_templates", lambda config: parsed.append(True) or original(config))
    assert not run_build(config, jobs=1).changed
    report = collect(config, jobs=1)
    assert parsed == [] and not report.failed
    (root / "locale" / "templates" / "guide.pot").write_text("", encoding="utf-8")  # a template broken after the build
    assert "template" in {f.code for f in collect(load_config(root), jobs=1).findings}
    assert parsed == [True]


def test_a_no_op_build_serialises_no_entry_and_an_edit_is_kept(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is written only when an entry changed, and then says what changed."""
    from carepages.builder import cache

    run_build(load_config(root), jobs=1)
    written: list[str] = []
    original = cache.LocaleEntry.as_dict
    monkeypatch.setattr(cache.LocaleEntry, "as_dict", lambda self: written.append(self.key) or original(self))
    run_build(load_config(root), jobs=1)
    assert written == []
    edit_message(load_config(root), "de", "guide", 0, " (bearbeitet)")
    run_build(load_config(root), jobs=1)
    assert written  # the cache was written again
    assert read_cache(load_config(root))["de"].key == build_keys.locale_key(
        load_config(root), build_keys.source_key(load_config(root)), "de"
    )


def test_a_check_after_a_build_still_sees_a_tampered_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "clinic"
    shutil.copytree(FIXTURE, root)
    config = load_config(root)
    run_build(config, jobs=1)
    clean = collect(config, jobs=1)
    html = root / "dist" / "de" / "guide.html"
    html.write_text(html.read_text(encoding="utf-8").replace("data-disclaimer", "data-x"), encoding="utf-8")
    kept = collect(config, jobs=1)
    fresh_cache(monkeypatch, tmp_path, "none")
    assert [f.format() for f in kept.findings] == [f.format() for f in collect(config, jobs=1).findings]
    assert kept.failed and not clean.failed
    assert {f.format() for f in kept.findings} - {f.format() for f in clean.findings}


def test_update_that_skips_unchanged_catalogs_writes_what_a_full_update_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, fresh = two_copies(tmp_path)
    steps: list[Callable[[Path], object]] = [
        lambda root: None,
        edit_source,
        lambda root: edit_message(load_config(root), "de", "guide", 0, " (bearbeitet)"),
        lambda root: po_path(load_config(root), "ar", "guide").unlink(),
    ]
    for number, step in enumerate(steps):
        summaries = []
        for root in (kept, fresh):
            step(root)
            fresh_cache(monkeypatch, tmp_path, "kept" if root == kept else f"fresh-{number}")
            config = load_config(root)
            run_extract(config)
            summaries.append(run_update(config))
        assert snapshot(kept / "locale") == snapshot(fresh / "locale"), f"step {number}"
        assert summaries[0] == summaries[1]
    assert summaries[0].unchanged  # the last step skipped catalogs it had left unchanged


def test_update_merges_a_hand_edited_catalog_again(root: Path) -> None:
    """A catalog edited by hand since the last update (a fuzzy flag removed, its ``#|`` left) is merged again."""
    config = load_config(root)
    run_update(config)
    path = po_path(config, "de", "guide")
    catalog = read_catalog(path, config.relative(path), "de")
    message = next(m for m in catalog if m.id and m.string)
    message.flags.add("fuzzy")
    message.previous_id = ["An earlier text"]
    path.write_bytes(render_catalog(catalog, config.locations))
    text = path.read_text(encoding="utf-8").replace("#, fuzzy\n", "", 1)  # the flag removed by hand
    path.write_text(text, encoding="utf-8")
    assert "#| msgid" in path.read_text(encoding="utf-8")
    summary = run_update(config)
    assert "#| msgid" not in path.read_text(encoding="utf-8")  # the merge drops a #| left without its flag
    assert config.relative(path) in summary.updated
    assert run_update(config).updated == []  # then left alone


def test_stats_from_kept_counts_are_the_counts(root: Path) -> None:
    config = load_config(root)
    po_path(config, "ar", "guide").unlink()  # counted from its template
    for edit in (lambda: None, lambda: edit_message(config, "de", "guide", 0, " (bearbeitet)")):
        edit()
        expected = collect_stats_long_way(config)
        assert collect_stats(config, template_paths(config), list(config.locales)) == expected  # counted, then kept
        assert collect_stats(config, template_paths(config), list(config.locales)) == expected  # from what was kept


def collect_stats_long_way(config: Config) -> list[object]:
    """The counts made by reading every file, nothing kept (a cache folder of its own, used once)."""
    from carepages.stats import LocaleStats, count_catalog, count_catalog_words

    templates = read_templates(config)
    result: list[object] = []
    for locale in config.locales:
        rows, words = [], []
        for domain, template in templates.items():
            path = po_path(config, locale, domain)
            catalog = read_catalog(path, config.relative(path), locale) if path.exists() else template
            rows.append((domain, count_catalog(catalog)))
            words.append((domain, count_catalog_words(catalog)))
        result.append(LocaleStats(locale, tuple(rows), tuple(words), {}))
    return result


@pytest.mark.parametrize(("busy", "expected"), [(None, 4), (0, 4), (1, 3), (3, 1), (12, 1)])
def test_default_workers_are_the_cores_not_already_busy(
    monkeypatch: pytest.MonkeyPatch, busy: int | None, expected: int
) -> None:
    monkeypatch.setattr(parallel, "available_cores", lambda: 4)
    monkeypatch.setattr(parallel, "_busy_elsewhere", lambda: busy)
    assert parallel.default_jobs() == expected


def test_what_is_busy_is_counted_now_not_as_a_lagging_average(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """/proc/loadavg's runnable count (this process left out), not the one-minute average that
    still remembers the step that just finished; elsewhere the average, rounded."""
    loadavg = tmp_path / "loadavg"
    loadavg.write_text("1.92 1.10 0.80 3/412 5120\n", encoding="ascii")
    assert parallel._busy_elsewhere(loadavg) == 2
    loadavg.write_text("1.92 1.10 0.80 1/412 5120\n", encoding="ascii")
    assert parallel._busy_elsewhere(loadavg) == 0
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (1.4, 1.0, 1.0))
    assert parallel._busy_elsewhere(tmp_path / "absent") == 1


def test_a_process_runnable_for_an_instant_does_not_take_a_worker(tmp_path: Path) -> None:
    """The fewest of a few readings: one busy reading (a kernel thread flushing, a short command) is not
    a busy machine; a process busy in every reading is."""

    class Flickering(type(tmp_path)):  # type: ignore[misc]
        """/proc/loadavg as it reads one reading after another."""

        counts = iter(["3/412", "2/412", "1/412", "3/412"])

        def read_text(self, encoding: str | None = None, errors: str | None = None, newline: str | None = None) -> str:
            return f"0.50 0.40 0.30 {next(self.counts)} 5120\n"

    assert parallel._busy_elsewhere(Flickering(tmp_path / "loadavg"), pause=0) == 0  # stops at the idle reading
    loadavg = tmp_path / "loadavg"
    loadavg.write_text("2.00 2.00 2.00 2/412 5120\n", encoding="ascii")
    assert parallel._busy_elsewhere(loadavg, pause=0) == 1  # busy each time: one core is taken


def test_stats_after_a_build_reads_no_catalog_and_says_what_reading_says(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hands each catalog's counts to stats' memo, and stats takes the verdicts from its cache."""
    from carepages import gate, stats

    config = load_config(root)
    run_build(config, jobs=1)
    read: list[Path] = []
    original_read, original_load = stats._read, gate.load_run
    monkeypatch.setattr(
        stats, "_read", lambda config, path, locale: read.append(path) or original_read(config, path, locale)
    )
    loaded: list[bool] = []
    monkeypatch.setattr(gate, "load_run", lambda *a, **k: loaded.append(True) or original_load(*a, **k))
    locales = list(config.locales)
    after_build = collect_stats(config, template_paths(config), locales, gate.served_pages(config, locales))
    assert read == [] and loaded == []  # no catalog read, the project not parsed
    fresh_cache(monkeypatch, tmp_path, "none")
    assert collect_stats(config, template_paths(config), locales, gate.served_pages(config, locales)) == after_build
    assert loaded  # nothing kept: the project parsed, every locale assessed (and its catalogs counted)
    counts = [(s.locale, s.pages, s.words) for s in after_build]
    assert counts == [(s.locale, s.pages, s.words) for s in collect_stats_long_way(config)]  # type: ignore[attr-defined]
