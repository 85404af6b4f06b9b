"""``carepages build``: what is published, what the pages carry, and how the dist folder changes.

Every test builds a copy of tests/data/build/project (locales de: reviewed, ar and
zh_CN: drafts; zh_CN leaves one paragraph untranslated) in tmp_path, in-process
(``jobs=1``) unless the test is about parallel builds.
"""

# Translations use their languages' own punctuation (fullwidth, typographic quotes).
# ruff: noqa: RUF001

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from filelock import FileLock

from carepages.builder import BuildSummary, dist, run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.cli import main
from carepages.config import Config, load_config
from carepages.errors import CarepagesError
from carepages.extract import extract_sources
from carepages.fsutil import write_if_changed
from carepages.pinning import NO_HISTORY
from carepages.render import page as page_module

FIXTURE = Path(__file__).parent / "data" / "build" / "project"
LOCALES = ("en", "de", "ar", "zh_CN")
PARAGRAPH = (
    "Some clinics offer **injections** into the knee. Read [the overview](overview.html) first, "
    'and see the [trial register](https://example.org/trials "Clinical trials") for studies.'
)
NOT_ADVICE = (
    "This page is general information, not medical advice. Talk to a qualified clinician about your own situation."
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the fixture project, as the current folder."""
    target = tmp_path / "clinic"
    shutil.copytree(FIXTURE, target)
    monkeypatch.chdir(target)
    return target


def config_of(root: Path) -> Config:
    return load_config(root)


def build(root: Path, **options: object) -> BuildSummary:
    options.setdefault("jobs", 1)
    return run_build(config_of(root), **options)  # type: ignore[arg-type]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit_message(
    root: Path, locale: str, domain: str, msgid: str, string: str | None = None, fuzzy: bool = False
) -> None:
    """Change one message through Babel (never by writing PO syntax by hand)."""
    config = config_of(root)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    message = catalog[msgid]
    if string is not None:
        message.string = string
    if fuzzy:
        message.flags.add("fuzzy")
    write_if_changed(path, render_catalog(catalog, config.locations))


BASE = "https://clinic.example/pages/"  # the fixture's base_url


def set_config(root: Path, line: str) -> None:
    """Add a line to the fixture's [tool.carepages] table."""
    path = root / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def page(root: Path, locale: str, name: str = "guide", suffix: str = "html") -> str:
    return (root / "dist" / locale / f"{name}.{suffix}").read_text(encoding="utf-8")


class Disclaimers(HTMLParser):
    """The text of every element with data-disclaimer, by id."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self.stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "hr", "img", "meta", "link"}:
            return
        self.stack.append((tag, dict(attrs).get("data-disclaimer")))
        if self.stack[-1][1]:
            self.found[self.stack[-1][1] or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for _, ident in self.stack:
            if ident:
                self.found[ident] += data


class Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))


def disclaimers_in(html: str) -> dict[str, str]:
    parser = Disclaimers()
    parser.feed(html)
    return {ident: " ".join(text.split()) for ident, text in parser.found.items()}


# -- what gets built ------------------------------------------------------------------------


def test_builds_every_page_in_both_formats_with_index_manifest_and_bundles(root: Path) -> None:
    summary = build(root)
    dist = root / "dist"
    assert summary.published == list(LOCALES)
    assert not summary.failed
    for locale in LOCALES:
        for name in ("guide", "overview"):
            assert (dist / locale / f"{name}.html").is_file()
            assert (dist / locale / f"{name}.txt").is_file()
        assert (dist / "downloads" / f"{locale}.zip").is_file()
    assert (dist / "index.html").is_file()
    assert not list(root.glob(".dist-staging-*")) and not list(root.glob(".dist-old-*"))


def test_manifest_lists_every_file_with_size_and_sha256(root: Path) -> None:
    build(root)
    dist = root / "dist"
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {rel for rel in snapshot(dist) if rel != "manifest.json"}
    assert set(manifest["files"]) == on_disk
    for rel, info in manifest["files"].items():
        data = (dist / rel).read_bytes()
        assert info == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["locales"]["de"]["review"]["status"] == "reviewed"
    assert manifest["locales"]["zh_CN"]["counts"]["percent"] == 98.1
    assert manifest["locales"]["en"]["published"] is True
    assert "source_revision" not in manifest
    assert manifest["clinic"] is None and manifest["base_url"] == "https://clinic.example/pages/"
    assert manifest["handouts"] is False  # the fixture turns them off (handouts = false)


def test_manifest_records_the_git_revision_of_a_checkout(root: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "fixture"], cwd=root, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
    build(root)
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_revision"] == head.stdout.strip()


def test_bundle_holds_the_locales_pages_with_fixed_timestamps(root: Path) -> None:
    build(root)
    with zipfile.ZipFile(root / "dist" / "downloads" / "ar.zip") as bundle:
        names = bundle.namelist()
        assert names == ["ar/index.html", "ar/guide.html", "ar/guide.txt", "ar/overview.html", "ar/overview.txt"]
        for info in bundle.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert bundle.read(info) == (root / "dist" / info.filename).read_bytes()


def test_source_language_is_built_from_the_source_itself(root: Path) -> None:
    build(root)
    html = page(root, "en")
    assert '<html lang="en" dir="ltr">' in html
    assert "<strong>injections</strong>" in html
    assert "About this translation" not in html
    assert "Last reviewed: November 20, 2026" in html


# -- the HTML page ----------------------------------------------------------------------------


def test_html_carries_language_direction_alternates_and_switcher(root: Path) -> None:
    build(root)
    arabic, chinese = page(root, "ar"), page(root, "zh_CN")
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="zh-CN" dir="ltr">' in chinese
    for code, tag in (("en", "en"), ("de", "de"), ("ar", "ar"), ("zh_CN", "zh-CN")):
        assert f'<link rel="alternate" hreflang="{tag}" href="{BASE}{code}/guide.html">' in arabic
    assert f'<a href="{BASE}de/guide.html" hreflang="de" lang="de" dir="ltr">Deutsch</a>' in arabic
    assert f'<a href="{BASE}ar/guide.html" hreflang="ar" lang="ar" dir="rtl">العربية</a>' in chinese
    assert 'aria-current="page">العربية</span>' in arabic
    assert "<title>حقن الركبة</title>" in arabic
    assert 'name="description" content="ما هي حقنة الركبة' in arabic


def test_html_is_self_contained_and_forbids_scripts(root: Path) -> None:
    build(root)
    for locale in LOCALES:
        html = page(root, locale)
        assert "default-src 'none'" in html and "script-src" not in html
        assert "<script" not in html and '<link rel="stylesheet"' not in html
        assert "@media print" in html
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//[^"']*\.(?:css|js)""", html)


def test_every_disclaimer_is_marked_with_its_translation_in_html_and_text(root: Path) -> None:
    build(root)
    config = config_of(root)
    sources = extract_sources(config)
    for locale in ("de", "ar", "zh_CN"):
        for messages in sources.pages:
            html = page(root, locale, messages.domain)
            text = " ".join(page(root, locale, messages.domain, "txt").split())
            found = disclaimers_in(html)
            assert set(messages.disclaimers) <= set(found)
            for ident in messages.disclaimers:
                assert found[ident], ident
                assert found[ident] in text or found[ident].replace(" ", "") in text.replace(" ", "")
    assert disclaimers_in(page(root, "de"))["emergency"] == "Rufen Sie im Notfall sofort Ihre örtliche Notrufnummer an."


def test_shared_disclaimers_stand_in_a_headed_section_and_local_ones_stay_in_place(root: Path) -> None:
    build(root)
    html = page(root, "de")
    section = html[html.index("<section") : html.index("</section>")]
    assert "data-disclaimers" in section and "<h2" in section and "Wichtige Informationen" in section
    assert 'data-disclaimer="not-advice"' in section and 'data-disclaimer="no-guarantee"' not in section
    assert html.index('data-disclaimer="no-guarantee"') < html.index("<section")


def test_interface_strings_are_translated_with_the_date_in_the_locale(root: Path) -> None:
    build(root)
    german = page(root, "de")
    assert 'aria-label="Sprachen"' in german
    assert "Zuletzt medizinisch geprüft: 20. November 2026" in german
    assert "Übersetzung geprüft von Dr. Anna Beispiel am 22. November 2026." in german
    assert "About this translation" not in german and "Languages" not in german
    assert "本译文尚未经过医学翻译人员审校。" in page(root, "zh_CN")
    assert "2026年11月20日" in page(root, "zh_CN")


def test_draft_locale_says_so_and_reviewed_one_does_not(root: Path) -> None:
    build(root)
    assert "لم يراجع مترجم طبي هذه الترجمة بعد." in page(root, "ar")
    assert "Über diese Übersetzung" not in page(root, "de")


# -- what gets published ------------------------------------------------------------------------


def test_untranslated_message_falls_back_to_the_source_with_a_notice(root: Path) -> None:
    build(root)
    chinese = page(root, "zh_CN")
    assert '<p lang="en">Ask for the answers in writing.</p>' in chinese  # marked as the source language
    assert "本页有一部分内容（6%）尚未翻译，以英语显示。" in chinese  # how much of this page, in Chinese
    assert chinese.index("本页有一部分内容") < chinese.index('<p lang="en">Ask for the answers')
    assert "本页有一部分内容" not in page(root, "zh_CN", "overview")
    assert "Ein Teil dieser Seite" not in page(root, "de")
    arabic = (root / "dist" / "ar" / "guide.html").read_text(encoding="utf-8")
    assert 'lang="en"' not in arabic.split("<main>")[1]  # fully translated: nothing marked


def test_fuzzy_message_is_never_shown(root: Path) -> None:
    edit_message(root, "de", "guide", "What to ask", "UNGEPRÜFTE VERMUTUNG", fuzzy=True)
    build(root)
    html, text = page(root, "de"), page(root, "de", suffix="txt")
    assert "UNGEPRÜFTE VERMUTUNG" not in html + text
    assert '<h2 lang="en">What to ask</h2>' in html
    assert re.search(r"Ein Teil dieser Seite \(\d+\xa0%\) ist noch nicht übersetzt und wird auf Englisch", html)
    assert "Ein Teil dieser Seite" in text


def test_missing_interface_catalog_withholds_the_locale(root: Path) -> None:
    po_path(config_of(root), "de", "ui").unlink()
    summary = build(root)
    assert "de" not in summary.published and "ar" in summary.published
    assert not (root / "dist" / "de").exists()
    assert "/de/guide.html" not in page(root, "ar")


GUIDE_MSGIDS = ("Source", "Where it is taken from", "Bone marrow", "The hip bone", "Fat tissue", "The belly")


def test_a_page_below_the_threshold_is_withheld_and_the_rest_published(root: Path) -> None:
    for msgid in GUIDE_MSGIDS:
        edit_message(root, "ar", "guide", msgid, "")
    summary = build(root)
    verdict = next(o.verdict for o in summary.outcomes if o.locale == "ar")
    assert verdict is not None and verdict.published_pages == ("overview",)
    reason = verdict.page("guide").reasons[0]
    assert reason.startswith("only ") and "% translated (at least 80 % is needed)" in reason
    assert f"ar: withheld: guide: {reason}; {NO_HISTORY}" in summary.report_lines()  # a copy without git cannot pin
    assert not (root / "dist" / "ar" / "guide.html").exists() and (root / "dist" / "ar" / "overview.html").exists()
    with zipfile.ZipFile(root / "dist" / "downloads" / "ar.zip") as bundle:
        assert bundle.namelist() == ["ar/index.html", "ar/overview.html", "ar/overview.txt"]
    assert reason in (root / "dist" / "REPORT.txt").read_text(encoding="utf-8")  # for the clinic's staff
    assert reason not in (root / "dist" / "index.html").read_text(encoding="utf-8")  # not for patients
    assert "/ar/guide.html" not in page(root, "de") and f"{BASE}ar/overview.html" in page(root, "de", "overview")
    assert not summary.failed and not build(root, strict=True).failed  # incomplete is not an error


@pytest.mark.parametrize(
    ("change", "withheld"),
    [("fuzzy", "all"), ("untranslated", "all"), ("missing", "all"), ("local", "guide")],
)
def test_a_disclaimer_not_ready_withholds_what_carries_it(root: Path, change: str, withheld: str) -> None:
    emergency = "In an emergency, call your local emergency number right away."
    if change == "fuzzy":
        edit_message(root, "de", "disclaimers", emergency, fuzzy=True)
    elif change == "untranslated":
        edit_message(root, "de", "disclaimers", emergency, "")
    elif change == "missing":
        po_path(config_of(root), "de", "disclaimers").unlink()
    else:
        edit_message(root, "de", "guide", "No clinic can guarantee a result.", fuzzy=True)
    summary = build(root)
    if withheld == "all":
        assert "de" not in summary.published
        assert not (root / "dist" / "de").exists()
    else:
        expected = f"guide: a medical disclaimer is missing, untranslated or out of date; {NO_HISTORY}"
        assert summary.withheld["de"] == [expected]
        assert not (root / "dist" / "de" / "guide.html").exists() and (root / "dist" / "de" / "overview.html").exists()
    assert summary.errors and build(root, strict=True).failed


def test_configured_locale_without_catalogs_is_withheld(root: Path) -> None:
    text = (root / "pyproject.toml").read_text(encoding="utf-8").replace('"zh_CN"]', '"zh_CN", "fr"]')
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    summary = build(root)
    assert summary.withheld == {"fr": ["all pages: not translated yet"]}
    assert "fr: withheld: all pages: not translated yet" in summary.report_lines()


def test_strict_fails_exactly_when_the_check_would(root: Path) -> None:
    assert not build(root, strict=True).failed
    assert main(["--project", str(root), "-q", "check"]) == 0
    edit_message(root, "ar", "disclaimers", NOT_ADVICE, fuzzy=True)
    summary = build(root, strict=True)
    assert summary.failed
    assert summary.report_lines()[-1] == "build: failed (--strict): carepages check would fail"
    assert main(["--project", str(root), "-q", "build", "--strict", "-j", "1"]) == 1
    assert main(["--project", str(root), "-q", "build", "-j", "1"]) == 0
    assert main(["--project", str(root), "-q", "check"]) == 1


# -- sanitising what translators write ---------------------------------------------------------------


def test_a_hostile_translation_never_reaches_dist(root: Path) -> None:
    """Raw HTML, script URLs and a forged disclaimer are errors: the page is withheld, in every form."""
    hostile = (
        "MARKER <script>alert(1)</script> <img src=x onerror=alert(2)> [a](javascript:alert(3)) "
        '![b](data:image/png;base64,AAAA) <p data-disclaimer="emergency">forged</p> '
        '<iframe src="https://evil.example/"></iframe> <object data="x"></object> <style>p{}</style> '
        "[c](JaVaScRiPt:alert(4)) <https://example.org/ok> `<b>code</b>`"
    )
    edit_message(root, "de", "guide", PARAGRAPH, hostile)
    summary = build(root)
    assert summary.withheld["de"] == ["guide: a translation error must be fixed first"]
    for path in (root / "dist").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".zip":
                with zipfile.ZipFile(path) as bundle:
                    data = b"".join(bundle.read(name) for name in bundle.namelist())
            assert b"MARKER" not in data, path


# -- behaviour of the dist folder ------------------------------------------------------------------------


def test_two_builds_of_the_same_inputs_are_byte_identical(root: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "clinic"
    shutil.copytree(FIXTURE, other)
    build(root, jobs=1)
    run_build(load_config(other), jobs=2)
    assert snapshot(root / "dist") == snapshot(other / "dist")


def test_failed_build_leaves_the_previous_dist_exactly_as_it_was(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(root)
    before = snapshot(root / "dist")
    edit_message(root, "de", "guide", "What to ask", "Fragen")
    edit_message(root, "ar", "guide", "What to ask", "أسئلة")
    real = page_module.render_page
    calls = []

    def failing(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) > 1:  # the second of the two pages to render (one per edited catalog)
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(page_module, "render_page", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build(root)
    assert snapshot(root / "dist") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".dist")) == [".dist-build.lock"]


def test_interrupted_swap_is_repaired_by_the_next_build(root: Path) -> None:
    build(root)
    before = snapshot(root / "dist")
    (root / "dist").rename(root / ".dist-old-4242")
    summary = build(root)
    assert summary.pages_rendered == 0
    assert snapshot(root / "dist") == before
    assert not (root / ".dist-old-4242").exists()


def test_rebuild_with_nothing_changed_renders_nothing_and_touches_nothing(root: Path) -> None:
    first = build(root)
    assert first.pages_rendered == 8
    times = {p: p.stat().st_mtime_ns for p in (root / "dist").rglob("*")}
    second = build(root)
    assert (second.pages_rendered, second.pages_reused, second.changed) == (0, 8, False)
    assert {p: p.stat().st_mtime_ns for p in (root / "dist").rglob("*")} == times


def test_changing_one_catalog_re_renders_only_that_page(root: Path) -> None:
    build(root)
    before = snapshot(root / "dist")
    edit_message(root, "de", "guide", "What to ask", "Fragen an die Klinik")
    summary = build(root)
    assert {o.locale: o.rendered for o in summary.outcomes} == {"en": 0, "de": 1, "ar": 0, "zh_CN": 0}
    assert summary.pages_reused == 7
    after = snapshot(root / "dist")
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    # The edit invalidates the reviewer's sign-off of that message: the index shows the page as a draft again.
    assert {rel for rel in changed if not rel.startswith(".")} == {
        "de/guide.html",
        "de/guide.txt",
        "de/index.html",
        "downloads/de.zip",
        "index.html",
        "manifest.json",
        "REPORT.txt",
    }
    assert "<h2>Fragen an die Klinik</h2>" in page(root, "de")
    assert "Über diese Übersetzung" in page(root, "de") and "Über diese Übersetzung" not in page(root, "de", "overview")


def test_a_locale_leaving_re_renders_the_others_switchers(root: Path) -> None:
    build(root)
    edit_message(root, "ar", "disclaimers", NOT_ADVICE, fuzzy=True)
    summary = build(root)
    assert {o.locale: o.rendered for o in summary.outcomes} == {"en": 2, "de": 2, "ar": 0, "zh_CN": 2}
    assert "../ar/guide.html" not in page(root, "de")


def test_locale_option_renders_only_those_and_keeps_the_others(root: Path) -> None:
    build(root)
    before = snapshot(root / "dist")
    edit_message(root, "de", "guide", "What to ask", "Fragen")
    edit_message(root, "ar", "guide", "What to ask", "أسئلة")
    summary = build(root, locales=["de"])
    assert {o.locale: o.rendered for o in summary.outcomes} == {"en": 0, "de": 1, "ar": 0, "zh_CN": 0}
    assert page(root, "ar").encode() == before["ar/guide.html"]
    assert "<h2>Fragen</h2>" in page(root, "de")
    manifest = json.loads((root / "dist" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["locales"]["ar"]["published"] and "ar/guide.html" in manifest["files"]
    assert build(root).pages_rendered == 1  # the full build then catches ar up (its one edited page)


def test_locale_option_on_a_fresh_project_lists_unbuilt_locales(root: Path) -> None:
    summary = build(root, locales=["ar"])
    assert summary.published == ["en", "ar"]
    assert summary.withheld == {}
    assert "de: not built yet: run carepages build without -l" in summary.report_lines()
    assert "../de/guide.html" not in page(root, "ar")


def test_unknown_locale_option_is_an_error(root: Path) -> None:
    with pytest.raises(CarepagesError, match="locale 'fr' is not configured"):
        build(root, locales=["fr"])


def test_second_build_waits_for_the_lock_then_fails_clearly(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dist, "LOCK_TIMEOUT", 0.2)
    with (
        FileLock(root / ".dist-build.lock"),
        pytest.raises(CarepagesError, match="another build of this project is still running") as caught,
    ):
        build(root)
    assert caught.value.path == Path(".dist-build.lock")
    assert not (root / "dist").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_broken_catalog_withholds_its_page_and_check_names_file_and_line(
    root: Path, jobs: int, capsys: pytest.CaptureFixture[str]
) -> None:
    build(root)
    path = po_path(config_of(root), "ar", "guide")
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    edit_message(root, "de", "guide", "What to ask", "Fragen")  # two locales to read: a real pool with -j 2
    summary = build(root, jobs=jobs)
    assert summary.withheld == {"ar": ["guide: the translation file cannot be used as it is"]}
    assert not (root / "dist" / "ar" / "guide.html").exists() and (root / "dist" / "ar" / "overview.html").exists()
    assert "<h2>Fragen</h2>" in page(root, "de")
    assert main(["--project", str(root), "check", "-l", "ar"]) == 1
    lines = len(path.read_text(encoding="utf-8").split("\n"))
    assert f"locale/ar/LC_MESSAGES/guide.po:{lines - 1}: error: [parse] " in capsys.readouterr().out


def test_index_names_each_language_in_itself_with_status_and_links(root: Path) -> None:
    edit_message(root, "ar", "disclaimers", NOT_ADVICE, fuzzy=True)
    build(root)
    index = (root / "dist" / "index.html").read_text(encoding="utf-8")
    for name in ("English", "Deutsch", "中文 (简体, 中国)"):
        assert name in index
    assert "العربية" not in index  # withheld whole: patients see the languages they can read
    assert '<a href="de/guide.html">Knie-Injektionen</a>' in index
    assert 'href="de/guide.txt"' in index and 'href="downloads/de.zip"' in index
    assert '<section class="landing" id="lang-de" lang="de" dir="ltr"' in index
    assert "<h1>Patient information</h1>" in index and "Informationen für Patientinnen und Patienten" in index
    assert "LC_MESSAGES" not in index and "withheld" not in index
    report = (root / "dist" / "REPORT.txt").read_text(encoding="utf-8")
    assert "العربية (ar): not published" in report and "a medical disclaimer is missing" in report
    german = (root / "dist" / "de" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de" dir="ltr">' in german and '<a href="guide.html">Knie-Injektionen</a>' in german
    assert f'href="{BASE}downloads/de.zip"' in german and f'href="{BASE}index.html"' in german


def test_text_page_has_title_notices_body_disclaimers_and_review_line(root: Path) -> None:
    build(root)
    text = page(root, "zh_CN", suffix="txt")
    lines = text.split("\n")
    assert lines[:2] == ["膝关节注射", "=========="]
    assert text.index("本页有一部分内容（6%）尚未翻译") < text.index("一些诊所")
    assert text.index("一些诊所") < text.index("重要信息") < text.index("最后医学审核日期：2026年11月20日")
    assert all(len(line.encode("utf-16-le")) // 2 <= 72 for line in lines)


def test_progress_goes_to_stderr_only_when_asked(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(root)
    assert capsys.readouterr() == ("", "")
    edit_message(root, "de", "guide", "What to ask", "Fragen")
    build(root, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "build: assessing 1 locale(s)" in captured.err and "build: rendering 1 page(s)" in captured.err
