"""One verdict: what ``build`` publishes is exactly what ``check`` calls publishable, decided once.

A generated project has one page per way a translator can get a translation wrong;
each bad translation carries a marker word, and no marker may reach any file of
dist/ (the bundles included) while the untouched pages of the locale are published.
A property test then draws random catalogs and compares, for each one, the pages
the build put in dist/ with the pages the check's verdict publishes, and the exit
statuses of ``build --strict`` and ``check``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import give_interface_safety_strings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import DISCLAIMERS_DOMAIN, read_catalog, render_catalog
from carepages.checks.model import TEMPLATES, Finding
from carepages.config import load_config
from carepages.errors import Problem, Severity
from carepages.extract import run_extract
from carepages.gate import collect
from carepages.reviewstate import REVIEWED, PageReview
from carepages.stats import Counts
from carepages.update import run_update
from carepages.verdict import LocaleVerdict, Pin, decide_locale, pin_locale, settle

#: The catalogs here hold pseudo-translations (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("pseudo_translations")

PARAGRAPH = "Take 3 tablets with **water** and read [the overview](untouched.html)."
PAGE = "---\ntitle: Page {name}\n---\n\n# Page {name}\n\n" + PARAGRAPH + "\n\nA second paragraph about the knee.\n"
DISCLAIMER = "This page is general information, not medical advice."

#: How a translation of PARAGRAPH goes wrong (message-level tampering), each with its marker.
WATER = "Nehmen Sie 3 Tabletten mit **Wasser**"
OVERVIEW = "[die Übersicht](untouched.html)"
MESSAGE_TAMPERS: dict[str, Callable[[str], str]] = {
    "number": lambda marker: f"Nehmen Sie 4 Tabletten mit **Wasser** und lesen Sie {OVERVIEW} {marker}.",
    "link": lambda marker: f"{WATER} und lesen Sie die Übersicht {marker}.",
    "emphasis": lambda marker: f"Nehmen Sie 3 Tabletten mit **Wasser und lesen Sie {OVERVIEW} {marker}.",
    "script": lambda marker: f"{WATER} <script>{marker}</script> {OVERVIEW}.",
    "heading": lambda marker: f"# {marker} {WATER}, {OVERVIEW}.",
    "control": lambda marker: f"\x1b[2J{marker} {WATER}, {OVERVIEW}.",
    "redirect": lambda marker: f"{WATER}, [die Übersicht](https://evil.example/{marker}).",
}
#: How a catalog file goes wrong (it carries a marked translation, which must not be published either).
FILE_TAMPERS = ("duplicate", "no-language", "stray-msgstr", "context", "bad-escape")
KINDS = (*MESSAGE_TAMPERS, *FILE_TAMPERS, "untranslated")


def good(msgid: str) -> str:
    """A faithful mechanical translation: every number, link and emphasis kept."""
    return f"DE {msgid}" if not msgid.startswith("#") else msgid


def make_project(root: Path, pages: list[str], locales: tuple[str, ...] = ("de",)) -> Path:
    """A project with one page per name (plus ``untouched``), extracted, updated and translated well."""
    (root / "source").mkdir(parents=True)
    quoted = ", ".join(f'"{locale}"' for locale in locales)
    (root / "pyproject.toml").write_text(
        f"[tool.carepages]\nlocales = [{quoted}]\nhandouts = false\n", encoding="utf-8"
    )
    (root / "source" / "_disclaimers.md").write_text(f"<!-- disclaimer: advice -->\n{DISCLAIMER}\n", encoding="utf-8")
    for name in ["untouched", *pages]:
        (root / "source" / f"{name}.md").write_text(PAGE.format(name=name), encoding="utf-8")
    config = load_config(root)
    run_extract(config)
    run_update(config)
    for path in sorted(config.locale_dir.glob("*/LC_MESSAGES/*.po")):
        catalog = read_catalog(path, config.relative(path), path.parent.parent.name)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = good(message.id)
        path.write_bytes(render_catalog(catalog, config.locations))
    give_interface_safety_strings(root)
    return root


def tamper(root: Path, locale: str, page: str, kind: str, marker: str) -> None:
    """Break one page's catalog the way ``kind`` says, with ``marker`` in the bad translation."""
    config = load_config(root)
    path = po_path(config, locale, page)
    catalog = read_catalog(path, config.relative(path), locale)
    if kind in MESSAGE_TAMPERS:
        catalog[PARAGRAPH].string = MESSAGE_TAMPERS[kind](marker)
    elif kind == "untranslated":
        for message in catalog:
            if message.id:
                message.string = ""
    path.write_bytes(render_catalog(catalog, config.locations))
    text = path.read_text(encoding="utf-8")
    if kind == "duplicate":
        text += f'\nmsgid "{PARAGRAPH.replace(chr(34), chr(92) + chr(34))}"\nmsgstr "{marker}"\n'
    elif kind == "no-language":
        text = re.sub(r'"Language: [^"]*\\n"\n', "", text).replace("DE A second", f"{marker} A second")
    elif kind == "stray-msgstr":
        text += f'\nmsgstr "{marker}"\n'
    elif kind == "context":
        text += f'\nmsgctxt "planted"\nmsgid "A second paragraph about the knee."\nmsgstr "{marker}"\n'
    elif kind == "bad-escape":
        text = text.replace("DE A second", f"{marker} \\\\q A second").replace("\\\\q", "\\q")
    path.write_text(text, encoding="utf-8")


def dist_bytes(root: Path) -> bytes:
    """Every byte a clinic downloads: each file of dist/, and each member of each bundle."""
    out = []
    for path in sorted((root / "dist").rglob("*")):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as bundle:
                out += [bundle.read(name) for name in bundle.namelist()]
        elif path.is_file():
            out.append(path.read_bytes())
    return b"\n".join(out)


def published_in_dist(root: Path) -> set[tuple[str, str]]:
    return {
        (path.parent.name, path.stem)
        for path in (root / "dist").glob("*/*.html")
        if path.parent.name != "en" and path.stem != "index"
    }


def published_by_verdict(root: Path) -> set[tuple[str, str]]:
    report = collect(load_config(root), jobs=1)
    return {(verdict.locale, page) for verdict in report.verdicts for page in verdict.published_pages}


# -- the tampering test ------------------------------------------------------------------------------


def test_no_tampered_translation_reaches_dist_and_the_rest_is_published(tmp_path: Path) -> None:
    root = make_project(tmp_path / "clinic", [f"p-{kind}" for kind in KINDS])
    for kind in KINDS:
        tamper(root, "de", f"p-{kind}", kind, f"MARKER{kind.upper().replace('-', '')}")
    summary = run_build(load_config(root), jobs=1)
    assert summary.withheld["de"] == sorted(summary.withheld["de"], key=lambda line: line.split(":")[0])
    assert {line.split(":")[0] for line in summary.withheld["de"]} == {f"p-{kind}" for kind in KINDS}
    everything = dist_bytes(root)
    assert b"MARKER" not in everything
    assert (root / "dist" / "de" / "untouched.html").is_file()
    with zipfile.ZipFile(root / "dist" / "downloads" / "de.zip") as bundle:
        assert bundle.namelist() == ["de/index.html", "de/untouched.html", "de/untouched.txt"]
    assert published_in_dist(root) == published_by_verdict(root) == {("de", "untouched")}
    assert run_build(load_config(root), jobs=1, strict=True).failed
    assert collect(load_config(root), jobs=1).failed


def test_a_misspelt_directive_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    root = make_project(tmp_path / "clinic", [])
    page = root / "source" / "untouched.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- disclaimr: side-effects -->\nTake care.\n")
    with pytest.raises(Exception, match="unknown directive 'disclaimr'") as caught:
        run_extract(load_config(root))
    assert "did you mean 'disclaimer'?" in str(caught.value.format())  # type: ignore[attr-defined]
    page.write_text(PAGE.format(name="untouched") + "\n<!-- a note for the next author, not a directive -->\n")
    run_extract(load_config(root))  # prose comments stay allowed


# -- the agreement, over random catalogs -----------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("verdict") / "clinic", ["a", "b", "c"], ("de", "fr"))


CHOICES = st.sampled_from(["good", "good", "good", *KINDS])


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(CHOICES, min_size=8, max_size=8), st.sampled_from(["good", "fuzzy", "empty"]))
def test_build_publishes_exactly_what_the_check_calls_publishable(
    pristine: Path, tmp_path_factory: pytest.TempPathFactory, choices: list[str], disclaimer: str
) -> None:
    root = tmp_path_factory.mktemp("case") / "clinic"
    shutil.copytree(pristine, root)
    pages = [(locale, page) for locale in ("de", "fr") for page in ("untouched", "a", "b", "c")]
    for (locale, page), kind in zip(pages, choices, strict=True):
        if kind != "good":
            tamper(root, locale, page, kind, "MARKER")
    config = load_config(root)
    if disclaimer != "good":
        path = po_path(config, "fr", DISCLAIMERS_DOMAIN)
        catalog = read_catalog(path, config.relative(path), "fr")
        catalog[DISCLAIMER].string = "" if disclaimer == "empty" else catalog[DISCLAIMER].string
        if disclaimer == "fuzzy":
            catalog[DISCLAIMER].flags.add("fuzzy")
        path.write_bytes(render_catalog(catalog, config.locations))
    summary = run_build(config, jobs=1, strict=True)
    report = collect(config, jobs=1)
    assert published_in_dist(root) == {(v.locale, page) for v in report.verdicts for page in v.published_pages}
    assert summary.failed == report.failed
    assert not [f for f in report.findings if f.problem.code in {"built", "built-disclaimer"}]
    assert b"MARKER" not in dist_bytes(root)


# -- the rules, one by one --------------------------------------------------------------------------


def finding(domain: str | None, severity: Severity = Severity.ERROR, withholds: bool | None = None) -> Finding:
    problem = Problem("locale/de/LC_MESSAGES/x.po", 1, severity, "links", "changed")
    blocks = severity == Severity.ERROR if withholds is None else withholds
    return Finding("de", problem, None, domain, blocks, "a translation error must be fixed first")


COUNTS = {"knee": Counts(9, 0, 1), "hip": Counts(10), "disclaimers": Counts(4), "ui": Counts(12)}


def test_an_error_in_a_page_withholds_that_page_only() -> None:
    verdict = decide_locale("de", ["knee", "hip"], [finding("knee")], COUNTS, {})
    assert verdict.published_pages == ("hip",)
    assert verdict.page("knee").reasons == ("a translation error must be fixed first",)
    assert verdict.published and verdict.counts == Counts(35, 0, 1)


@pytest.mark.parametrize("domain", ["disclaimers", "ui", None])
def test_an_error_every_page_shows_withholds_the_locale(domain: str | None) -> None:
    verdict = decide_locale("de", ["knee", "hip"], [finding(domain)], COUNTS, {})
    assert not verdict.published and verdict.published_pages == ()
    assert verdict.reasons == ("a translation error must be fixed first",)
    assert verdict.withheld_pages == verdict.pages


def test_warnings_and_allowed_findings_withhold_nothing_unless_their_check_says_so() -> None:
    findings = [
        finding("knee", Severity.WARNING),
        finding("knee", Severity.ALLOWED),
        finding("hip", Severity.WARNING, True),
    ]
    verdict = decide_locale("de", ["knee", "hip"], findings, COUNTS, {})
    assert verdict.published_pages == ("knee",)


def test_project_findings_apply_to_every_locale_and_other_locales_findings_to_none() -> None:
    template = Finding(TEMPLATES, finding("hip").problem, None, "hip", True, "the template is out of date")
    elsewhere = Finding("fr", finding("knee").problem, None, "knee", True, "x")
    verdict = decide_locale("de", ["knee", "hip"], [template, elsewhere], COUNTS, {})
    assert verdict.published_pages == ("knee",)
    assert verdict.page("hip").reasons == ("the template is out of date",)


def test_a_verdict_survives_the_manifest_and_the_cache() -> None:
    reviewed = PageReview(REVIEWED, 3, 0, 0, ("Dr. A", "Dr. B"), dt.date(2026, 11, 20))
    verdict = decide_locale("de", ["knee", "hip"], [finding("knee")], COUNTS, {"hip": reviewed})
    assert verdict.page("hip").review == reviewed and verdict.page("knee").review.is_draft
    assert type(verdict).from_dict("de", verdict.as_dict()) == verdict


# -- stale pages and pins (the search itself: tests/test_pinning.py) --------------------------------


def stale(domain: str | None) -> Finding:
    """A withholding finding that only means the translation is behind (a fuzzy disclaimer)."""
    problem = Problem("locale/de/LC_MESSAGES/disclaimers.po", 3, Severity.ERROR, "disclaimer", "fuzzy")
    return Finding("de", problem, None, domain, True, "a medical disclaimer is not ready", stale=True)


PIN = Pin("a" * 40, "2026-11-20T10:00:00+00:00", "2026-11-25T10:00:00+00:00", 3)


def test_a_page_is_stale_only_when_everything_that_withholds_it_is_stale() -> None:
    verdict = decide_locale("de", ["knee", "hip"], [stale("disclaimers"), finding("knee")], COUNTS, {})
    assert [page.stale for page in verdict.pages] == [False, True]  # knee also has a translation error
    assert verdict.published_pages == () and verdict.reasons


def test_a_pin_serves_a_stale_page_within_the_policy() -> None:
    verdict = decide_locale("de", ["knee", "hip"], [stale("disclaimers")], COUNTS, {})
    pinned = pin_locale(verdict, {"knee": PIN, "hip": "no earlier version"}, max_stale_days=90)
    assert pinned.published_pages == ("knee",) and pinned.page("hip").unpinned == "no earlier version"
    assert pinned.why(pinned.page("hip"))[-1] == "no earlier version"
    too_old = pin_locale(verdict, {"knee": PIN}, max_stale_days=2)
    assert too_old.published_pages == () and "more than max_stale_days = 2" in too_old.page("knee").unpinned
    assert LocaleVerdict.from_dict("de", pinned.as_dict()) == pinned  # the cache and manifest keep pins
    assert pin_locale(pinned, {}, 90).published_pages == ()  # pins are decided again on each run


def test_a_stale_error_is_reported_as_a_warning_only_when_all_its_pages_are_pinned() -> None:
    verdict = decide_locale("de", ["knee", "hip"], [stale("disclaimers")], COUNTS, {})
    both = pin_locale(verdict, {"knee": PIN, "hip": PIN}, 90)
    [settled] = settle([stale("disclaimers")], {"de": both})
    assert settled.severity == Severity.WARNING and "revision aaaaaaaaaaaa: pinned" in settled.problem.message
    one = pin_locale(verdict, {"knee": PIN, "hip": "none"}, 90)
    assert settle([stale("disclaimers")], {"de": one})[0].severity == Severity.ERROR
    assert settle([finding("knee")], {"de": both})[0].severity == Severity.ERROR  # never a translation error
