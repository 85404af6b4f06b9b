"""The checks of dist/ kept by everything they read: the build runs them, the check reuses them exactly when it may.

:mod:`carepages.checks.outputs` keeps the output and dist checks' findings under a hash of
their inputs, dist/ byte for byte among them. These tests show that a check right after a
build runs none of those checks and reports what a check with nothing kept reports; that
any change to dist/ (random ones, as a careless or hostile hand would make them) gives the
findings of a fresh check, never the kept ones; that a dist/ holding a link is never
kept; that ``build --strict`` fails on a page the renderer broke, as the check does; and
that a damaged memo only means checking again.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepages import integrity
from carepages.builder import run_build
from carepages.checks import built as built_checks
from carepages.checks import outputs
from carepages.checks.report import Report
from carepages.config import load_config
from carepages.errors import Severity
from carepages.gate import collect
from carepages.integrity import check_folder, snapshot
from carepages.memo import cache_path
from carepages.readback import STYLESHEET, readings_folder
from carepages.render import text as render_text

FIXTURE = Path(__file__).parent / "data" / "build" / "project"
#: The output checks of each locale, then the dist checks: what a check that keeps nothing runs.
CHECKED = [*load_config(FIXTURE).locales, "dist"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture project built once, and the cache folder the build wrote (the tests put both back as they were)."""
    base = tmp_path_factory.mktemp("built")
    root, cache = base / "clinic", base / "cache"
    shutil.copytree(FIXTURE, root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CAREPAGES_CACHE_DIR", str(cache))
        run_build(load_config(root), jobs=1)
    return root, cache


@contextlib.contextmanager
def as_built(built: tuple[Path, Path]) -> Iterator[Path]:
    """The built project (the cache is keyed by the project's path: it is used in place), put back after:
    dist/ and the cache folder as the build left them."""
    root, cache = built
    backup = root.parent / "backup"
    shutil.copytree(root / "dist", backup / "dist", symlinks=True)
    shutil.copytree(cache, backup / "cache")
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CAREPAGES_CACHE_DIR", str(cache))
            yield root
    finally:
        for name, target in (("dist", root / "dist"), ("cache", cache)):
            shutil.rmtree(target)
            shutil.move(backup / name, target)
        shutil.rmtree(backup)
        for stray in root.glob("elsewhere-*"):
            stray.unlink()


@pytest.fixture
def project(built: tuple[Path, Path]) -> Iterator[Path]:
    with as_built(built) as root:
        yield root


@pytest.fixture
def checks_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output and dist checks run from now on (in this process), by scope."""
    calls: list[str] = []
    original_output, original_dist = outputs.output_findings, outputs.dist_findings

    def output(ctx, skip=()):  # type: ignore[no-untyped-def]
        calls.append(ctx.locale)
        return original_output(ctx, skip)

    def dist(ctx, skip=()):  # type: ignore[no-untyped-def]
        calls.append("dist")
        return original_dist(ctx, skip)

    monkeypatch.setattr(outputs, "output_findings", output)
    monkeypatch.setattr(outputs, "dist_findings", dist)
    return calls


def summary(report: Report) -> list[dict[str, object]]:
    return [finding.as_dict() for finding in report.findings]


def fresh(root: Path) -> Report:
    """What a check finds that keeps no finding and no page read back (the memos of :mod:`carepages.checks.outputs`,
    its answers per file and :mod:`carepages.readback` removed; the assessments, which these checks do not make,
    are kept)."""
    cache_path(root, "checked").unlink(missing_ok=True)
    cache_path(root, "checked-files").unlink(missing_ok=True)
    shutil.rmtree(readings_folder(root), ignore_errors=True)
    return collect(load_config(root))


def test_a_check_right_after_a_build_runs_no_check_of_dist_and_finds_what_a_fresh_check_finds(
    project: Path, checks_run: list[str]
) -> None:
    after_build = collect(load_config(project))
    assert checks_run == []  # the build ran them on this very dist/
    nothing_kept = fresh(project)
    assert checks_run == CHECKED
    assert summary(after_build) == summary(nothing_kept)
    assert after_build.verdicts == nothing_kept.verdicts


def test_a_check_with_other_skipped_checks_runs_them(project: Path, checks_run: list[str]) -> None:
    collect(load_config(project), skip=frozenset({"visible"}))
    assert checks_run == CHECKED
    collect(load_config(project), skip=frozenset({"visible"}))
    assert checks_run == CHECKED  # kept too, under its own key
    collect(load_config(project))
    assert checks_run == CHECKED  # the build's findings are still kept beside


# What a careless or hostile hand does to dist/ after the build.
def _flip(root: Path, rel: str, at: int) -> None:
    path = root / "dist" / rel
    data = bytearray(path.read_bytes() or b"\n")  # an emptied file gets a byte: still an edit
    data[at % len(data)] ^= 0x20
    path.write_bytes(bytes(data))


def _delete(root: Path, rel: str, at: int) -> None:
    (root / "dist" / rel).unlink()


def _plant(root: Path, rel: str, at: int) -> None:
    target = root / "dist" / rel
    shutil.copy(target, target.with_name(f"planted-{at}{target.suffix}"))


def _link(root: Path, rel: str, at: int) -> None:
    path = root / "dist" / rel
    elsewhere = root / f"elsewhere-{at}"
    shutil.copy(path, elsewhere)
    path.unlink()
    path.symlink_to(elsewhere)


def _empty(root: Path, rel: str, at: int) -> None:
    (root / "dist" / rel).write_bytes(b"")


def _drop_disclaimer(root: Path, rel: str, at: int) -> None:
    path = root / "dist" / rel
    text = path.read_text(encoding="utf-8", errors="replace")
    path.write_text(text.replace("data-disclaimer=", "data-note=", 1 + at % 2), encoding="utf-8")


EDITS = [_flip, _delete, _plant, _link, _empty, _drop_disclaimer]


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_after_any_edit_of_dist_the_check_finds_what_a_fresh_check_finds(
    data: st.DataObject, built: tuple[Path, Path]
) -> None:
    files = sorted(snapshot(built[0] / "dist") or {})
    edits = data.draw(
        st.lists(
            st.tuples(st.sampled_from(EDITS), st.sampled_from(files), st.integers(0, 10**6)), min_size=1, max_size=3
        )
    )
    with as_built(built) as root:
        for edit, rel, at in edits:
            if (root / "dist" / rel).is_file() and not (root / "dist" / rel).is_symlink():
                edit(root, rel, at)
        with_memo = collect(load_config(root))
        nothing_kept = fresh(root)
        changed = snapshot(root / "dist") != snapshot(built[0].parent / "backup" / "dist")
        stylesheet = STYLESHEET.read_text(encoding="utf-8")
        held = snapshot(root / "dist")  # what the check passes on, so that it hashes dist/ once
        assert check_folder(root / "dist", stylesheet, held=held) == check_folder(root / "dist", stylesheet)
    assert summary(with_memo) == summary(nothing_kept)
    if changed:  # an edit that changed nothing (a disclaimer dropped where there is none) is no finding
        assert any(f.severity == Severity.ERROR and f.code == "manifest" for f in with_memo.findings)


def _retranslate(root: Path, locale: str, domain: str, at: int) -> None:
    """A translator's edit: one translation changed (a disclaimer's or another), dist/ not built again."""
    path = root / "locale" / locale / "LC_MESSAGES" / f"{domain}.po"
    catalog = polib.pofile(str(path))
    entries = [entry for entry in catalog if entry.msgstr]
    entry = entries[at % len(entries)]
    entry.msgstr = entry.msgstr[: at % len(entry.msgstr)] + "x" + entry.msgstr[at % len(entry.msgstr) + 1 :]
    catalog.save(str(path))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(["ar", "de", "zh_CN"]), st.sampled_from(["disclaimers", "guide", "overview"]),
                  st.integers(0, 10**6)),
        min_size=1, max_size=3,
    )
)  # fmt: skip
def test_after_a_translation_changes_the_answers_kept_per_page_are_a_fresh_checks(
    edits: list[tuple[str, str, int]], built: tuple[Path, Path]
) -> None:
    """The pages' bytes are the same, what their disclaimers must show may not be: each page's kept answer is
    taken only when both are the same (a changed disclaimer then gives ``built-disclaimer`` findings)."""
    with as_built(built) as root:
        saved = {path: path.read_bytes() for path in (root / "locale").rglob("*.po")}
        try:
            for locale, domain, at in edits:
                _retranslate(root, locale, domain, at)
            with_answers = collect(load_config(root))
            nothing_kept = fresh(root)
        finally:
            for path, data in saved.items():
                path.write_bytes(data)
    assert summary(with_answers) == summary(nothing_kept)


def test_a_check_after_an_edit_reads_no_page_and_no_bundle_it_judged_before(
    project: Path, checks_run: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translation that no disclaimer shows changes the locale's key (its checks run), not its pages."""
    catalog = polib.pofile(str(project / "locale/de/LC_MESSAGES/guide.po"))
    entry = next(e for e in catalog if e.msgstr and "Arzt" not in e.msgstr and "Notfall" not in e.msgstr)
    entry.msgstr += " Ja."
    catalog.save(str(project / "locale/de/LC_MESSAGES/guide.po"))
    read: list[str] = []
    original_page, original_bundle = built_checks.BuiltPage.__init__, integrity.check_bundle
    monkeypatch.setattr(
        built_checks.BuiltPage,
        "__init__",
        lambda self, ctx, page, files: read.append(page.domain) or original_page(self, ctx, page, files),
    )
    monkeypatch.setattr(integrity, "check_bundle", lambda path, *a: read.append(path.name) or original_bundle(path, *a))
    report = collect(load_config(project))
    assert checks_run == CHECKED  # the run's findings were not kept: de's catalog changed
    assert read == []
    assert summary(report) == summary(fresh(project))
    assert read  # the fresh check read them


def test_a_dist_holding_a_link_is_never_kept(project: Path, checks_run: list[str]) -> None:
    _link(project, "de/guide.txt", 0)
    for _ in range(2):
        report = collect(load_config(project))
        assert ("manifest", "dist/de/guide.txt") in {(f.code, f.problem.path) for f in report.findings}
    assert checks_run == CHECKED * 2  # checked each time: what a link shows can change


def test_a_damaged_memo_only_means_checking_again(project: Path, checks_run: list[str]) -> None:
    path = cache_path(project, "checked")
    memo = json.loads(path.read_text(encoding="utf-8"))
    memo["data"] = {key: {"run": "x", "findings": [{"scope": "de"}]} for key in memo["data"]}
    path.write_text(json.dumps(memo), encoding="utf-8")
    report = collect(load_config(project))
    assert checks_run == CHECKED
    assert summary(report) == summary(fresh(project))


def test_the_memo_keeps_the_latest_runs_only(project: Path) -> None:
    for skipped in ({"visible"}, {"manifest"}, {"built"}, {"visible", "manifest"}, {"built-disclaimer"}):
        collect(load_config(project), skip=frozenset(skipped))
    kept = json.loads(cache_path(project, "checked").read_text(encoding="utf-8"))["data"]
    assert len(kept) == outputs.KEPT_RUNS
    assert sorted(entry["run"] for entry in kept.values())[-1] == max(entry["run"] for entry in kept.values())


def test_build_strict_fails_on_a_page_the_renderer_broke_as_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "clinic"
    shutil.copytree(FIXTURE, root)
    original = render_text.tree_to_text

    def dropping(*args, **kwargs):  # type: ignore[no-untyped-def]
        """A text renderer with a bug: it loses the last paragraph of every page (the disclaimers)."""
        made = original(*args, **kwargs)
        return made[: made.rstrip().rfind("\n\n")] + "\n"

    monkeypatch.setattr(render_text, "tree_to_text", dropping)
    monkeypatch.setattr("carepages.render.page.tree_to_text", dropping, raising=False)
    monkeypatch.setattr("carepages.builder.worker.tree_to_text", dropping, raising=False)
    result = run_build(load_config(root), jobs=1, strict=True)
    assert result.built_errors > 0
    assert result.failed
    assert any("built pages themselves" in line for line in result.report_lines())
    report = collect(load_config(root))
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    assert report.failed
    assert {f.code for f in errors} == {"built-disclaimer"}
    assert len(errors) == result.built_errors


def test_a_fifo_in_place_of_a_built_page_is_rebuilt_not_read(project: Path) -> None:
    """Reading a FIFO blocks for ever: neither the no-op test of dist/ nor the reuse of a page may read one."""
    page = project / "dist" / "de" / "guide.html"
    page.unlink()
    os.mkfifo(page)
    done: list[bool] = []
    worker = threading.Thread(target=lambda: done.append(run_build(load_config(project), jobs=1).changed), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert done == [True]  # it finished, and replaced dist/
    assert page.is_file() and not page.is_symlink()
    assert collect(load_config(project)).failed is False
