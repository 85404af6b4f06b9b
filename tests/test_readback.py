"""Built pages read back once per content: the check reuses the build's readings, never a stale one.

The build reads back every page it writes (:mod:`carepages.readback`) and keeps the
reading under the page's sha256; ``check`` looks each file of dist/ up by its hash.
These tests show the check right after a build parses no page, that a page edited
after the build is read anew (and caught), that the memo gives what reading gives,
and that it keeps no reading of a file the build no longer has.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepages import readback
from carepages.builder import run_build
from carepages.checks.report import Report
from carepages.config import load_config
from carepages.errors import Severity
from carepages.gate import collect
from carepages.htmltree import Node, parse
from carepages.integrity import page_problems
from carepages.memo import cache_path

FIXTURE = Path(__file__).parent / "data" / "build" / "project"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "clinic"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def pages_read(monkeypatch: pytest.MonkeyPatch) -> list[Node]:
    """Every page read by :func:`carepages.readback.read_tree` from now on (in this process): the build's
    pages, parsed once for their plain text and their reading, and every page the check reads."""
    calls: list[Node] = []
    original = readback.read_tree

    def counting(root: Node) -> readback.PageReading:
        calls.append(root)
        return original(root)

    monkeypatch.setattr(readback, "read_tree", counting)
    return calls


def summary(report: Report) -> list[dict[str, object]]:
    return [finding.as_dict() for finding in report.findings]


def test_check_right_after_a_build_reads_no_page_and_finds_what_a_fresh_check_finds(
    root: Path, pages_read: list[Node], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_build(load_config(root), jobs=1)
    built = len(pages_read)
    assert built == len(list((root / "dist").rglob("*.html")))  # every page and index, read in the build
    after_build = collect(load_config(root))
    assert len(pages_read) == built  # the check parsed none of them again
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "another-cache"))
    fresh = collect(load_config(root))
    assert len(pages_read) > built  # without the build's readings, every page is parsed
    assert summary(after_build) == summary(fresh)
    assert after_build.verdicts == fresh.verdicts


def test_a_page_edited_after_the_build_is_read_anew_and_caught(root: Path, pages_read: list[Node]) -> None:
    run_build(load_config(root), jobs=1)
    page = root / "dist" / "de" / "guide.html"
    text = page.read_text(encoding="utf-8")
    shown = readback.disclaimers_shown(text)
    assert shown, "the fixture's page carries disclaimers"
    said = sorted(shown.values())[0][1]
    words = re.findall(r"\w{5,}", said)[0]
    page.write_text(text.replace(words, "Unbedenklich", 1), encoding="utf-8")
    before = len(pages_read)
    report = collect(load_config(root))
    assert pages_read[before:] == [
        parse(page.read_text(encoding="utf-8"))
    ]  # the edited page, and no other, is parsed again
    codes = {(f.code, f.problem.path) for f in report.findings if f.severity == Severity.ERROR}
    assert ("built-disclaimer", "dist/de/guide.html") in codes
    assert ("manifest", "dist/de/guide.html") in codes


def test_the_memo_keeps_only_the_readings_of_the_files_the_build_made(root: Path) -> None:
    config = load_config(root)
    run_build(config, jobs=1)
    source = root / "source" / "guide.md"
    source.write_text(source.read_text(encoding="utf-8").replace("\n\n", "\n\nA new sentence.\n\n", 1), "utf-8")
    old_version = readback.readings_folder(root).with_name("an-earlier-version-of-the-tool")
    old_version.mkdir()
    (old_version / "html-0.json").write_text("{}", encoding="utf-8")
    legacy = cache_path(root, "readings")  # the single file earlier versions read whole
    legacy.write_text("{}", encoding="utf-8")
    run_build(load_config(root), jobs=1)
    kept = {path.name for path in readback.readings_folder(root).iterdir()}
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    shas = {entry["sha256"] for name, entry in manifest["files"].items() if name.endswith(".html")}
    assert kept == {f"html-{sha}.json" for sha in shas}
    assert not old_version.exists()
    assert not legacy.exists()


def test_a_build_keeps_its_readings_on_disk_and_holds_none(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's workers write each reading as they read it; the process that gathers the locales
    holds none of them (at 1000 pages x 20 locales they took about 120 MiB there)."""
    built: list[readback.Readings] = []
    original = readback.Readings.__init__

    def tracking(self: readback.Readings, folder_root: Path | None = None) -> None:
        original(self, folder_root)
        built.append(self)

    monkeypatch.setattr(readback.Readings, "__init__", tracking)
    run_build(load_config(root), jobs=1)
    assert built and all(memo.folder is not None and not memo.memo for memo in built)
    pages = list((root / "dist").rglob("*.html"))
    for page in pages:
        kept = readback.readings_folder(root) / f"html-{hashlib.sha256(page.read_bytes()).hexdigest()}.json"
        reading = readback.PageReading.from_json(json.loads(kept.read_text(encoding="utf-8")))
        assert reading == readback.read_page(page.read_bytes())


def test_the_workers_readings_serve_the_check(root: Path, pages_read: list[Node]) -> None:
    """With worker processes, each writes its pages' readings itself: the build's own checks of dist/ and
    a check after it read none of them again (this process reads back only the landing pages it makes)."""
    run_build(load_config(root), jobs=2)
    assert len(pages_read) == len(list((root / "dist").rglob("index.html")))
    cache_path(root, "checked").unlink()  # so the checks of dist/ run, and look every page up
    before = len(pages_read)
    report = collect(load_config(root))
    assert pages_read[before:] == []
    assert not [finding for finding in report.findings if finding.severity == Severity.ERROR]


def test_a_build_reads_back_only_the_landing_pages_that_changed(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit of one German catalog, the landing pages whose bytes did not change (the other locales')
    are not parsed again: their readings are kept already."""
    run_build(load_config(root), jobs=1)
    landing = {page: page.read_bytes() for page in (root / "dist").rglob("index.html")}
    parsed: list[bytes] = []
    original = readback.read_page
    monkeypatch.setattr(readback, "read_page", lambda data: parsed.append(data) or original(data))
    catalog = root / "locale" / "de" / "LC_MESSAGES" / "disclaimers.po"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(re.sub(r'msgstr "(?=[^"])', 'msgstr "Bitte: ', text, count=1), encoding="utf-8")
    run_build(load_config(root), jobs=1)
    changed = sorted(page.read_bytes() for page, data in landing.items() if page.read_bytes() != data)
    assert len(changed) < len(landing)  # the other locales' landing pages are the same bytes
    assert sorted(parsed) == changed


@pytest.mark.parametrize("damage", ["deleted", "not JSON", "JSON of another shape"])
def test_a_reading_that_is_gone_or_damaged_is_read_again(root: Path, pages_read: list[Node], damage: str) -> None:
    run_build(load_config(root), jobs=1)
    page = root / "dist" / "de" / "guide.html"
    kept = readback.readings_folder(root) / f"html-{hashlib.sha256(page.read_bytes()).hexdigest()}.json"
    if damage == "deleted":
        kept.unlink()
    else:
        kept.write_text("{" if damage == "not JSON" else '{"shown": 3}', encoding="utf-8")
    cache_path(root, "checked").unlink()  # so the check reads dist/ (not the build's findings,
    cache_path(root, "checked-files").unlink()  # nor its answers per page)
    before = len(pages_read)
    after = collect(load_config(root))
    assert pages_read[before:] == [parse(page.read_text(encoding="utf-8"))]  # that page, and no other
    assert readback.PageReading.from_json(json.loads(kept.read_text(encoding="utf-8"))) == readback.read_page(
        page.read_bytes()
    )  # and its reading kept again
    shutil.rmtree(readback.readings_folder(root))
    cache_path(root, "checked").unlink()
    assert summary(after) == summary(collect(load_config(root)))


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(root: Path) -> None:
    readings = readback.Readings(root)
    assert readings.folder is not None
    readings.folder.parent.mkdir(parents=True, exist_ok=True)
    readings.folder.write_text("a file where the folder should be", encoding="utf-8")
    document = '<p data-disclaimer="a">Not medical advice.</p>'
    assert readings.page(document.encode()).shown == readback.disclaimers_shown(document)
    assert readings.page(document.encode()).shown == readback.disclaimers_shown(document)


_TAGS = st.sampled_from(["p", "div", "section", "details", "span", "style", "script", "template", "b"])
_ATTRS = st.sampled_from(
    ['data-disclaimer="a"', 'data-disclaimers="a b"', "hidden", 'class="admonition notice"', 'onclick="x()"', ""]
)


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    """Small HTML documents with disclaimers, hiding elements and attributes, unclosed tags and all."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        tag, attr = draw(_TAGS), draw(_ATTRS)
        inner = draw(documents(depth + 1)) if depth < 3 else draw(st.text(max_size=12))
        closed = draw(st.booleans())
        parts.append(f"<{tag} {attr}>{inner}" + (f"</{tag}>" if closed else "") + draw(st.text(max_size=8)))
    return "\n".join(parts)


@settings(max_examples=150, deadline=None)
@given(documents())
def test_a_reading_from_the_memo_is_what_reading_the_page_gives(document: str) -> None:
    data = document.encode("utf-8")
    expected_shown = readback.disclaimers_shown(document)
    expected_problems = tuple(page_problems(document, readback.shipped_stylesheet()))
    memo = readback.Readings()
    for _ in range(2):  # made, then looked up
        reading = memo.page(data)
        assert reading.shown == expected_shown
        assert reading.problems == expected_problems
    key, value = readback.reading_of("x.html", data) or ("", {})
    assert readback.PageReading.from_json(value) == reading
    assert key.startswith("html:")
