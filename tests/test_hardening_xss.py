"""Hostile translations never reach a reader as anything but text, and ``carepages check`` flags each one.

Every file in tests/data/hostile/xss/ is one well-known cross-site scripting vector,
written as a translator could write it: its first line names the checks that must
report it (``# expect: html, links``), the rest is the msgstr. Each vector translates
one paragraph of a generated page, ``attack``; on top of that, one combined payload
translates every message of the page ``guide`` (title, description, headings, list
items, table cells, quote, note, alt text and image title, the page's own disclaimer),
the shared disclaimers and the interface strings of the page frame (``ui``).

The gate withholds every page a payload is on (a real build publishes none of
them). Behind the gate, the renderer must still be inert, so one build is made
with the verdict told to publish everything, and inspected:

* statically, with an HTML tokenizer: no element, attribute or URL scheme a browser
  would run or load, the disclaimers exactly as the source marks them, no element
  class a translation made; the plain-text pages hold no control characters and
  offer no dangerous link;
* in headless Chromium (skipped when it is absent, required in CI): the payloads set
  ``document.title`` and mark ``<body>``; the dumped DOM shows neither happened. A
  control page without the build's protections proves the probe works.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hardening_helpers import (
    HOSTILE,
    PageScan,
    assert_inert_html,
    assert_inert_text,
    dangers,
    german,
    make_project,
    outside_dist,
)
from helpers import require_program

from carepages import assess
from carepages.builder import run_build
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog
from carepages.checks.report import Report
from carepages.config import load_config
from carepages.gate import collect
from carepages.translate import escape_raw_html, raw_tags
from carepages.ui import format_names
from carepages.verdict import decide_locale

#: The catalogs here hold pseudo-translations (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("pseudo_translations")

VECTORS = sorted((HOSTILE / "xss").glob("*.txt"))
#: The checks that may report a hostile translation (one of them must).
FLAGGING = frozenset({"html", "links", "markup", "structure", "control"})
PROBE = "document.title='PWNED';document.body.setAttribute('data-pwned','')"
COMBINED = (
    f'<script>{PROBE}</script><img src=x onerror="{PROBE}"> [more](javascript:{PROBE}) '
    '<p data-disclaimer="emergency" class="admonition notice">forged</p>'
)


def vector(path: Path) -> tuple[frozenset[str], str]:
    """The checks a vector file expects, and its msgstr."""
    first, _, payload = path.read_text(encoding="utf-8").partition("\n")
    assert first.startswith("# expect: "), path.name
    return frozenset(code.strip() for code in first.removeprefix("# expect: ").split(",")), payload.removesuffix("\n")


def msgid_of(name: str) -> str:
    return f"Vector {name}: a paragraph about the knee."


ATTACK_PAGE = (
    "---\ntitle: Attack surface\ndescription: Hostile translations.\n---\n\n# Attack surface\n\n"
    + "\n\n".join(msgid_of(path.stem) for path in VECTORS)
    + "\n"
)
PAYLOADS = {msgid_of(path.stem): vector(path)[1] for path in VECTORS}


def hostile(domain: str, msgid: str) -> str:
    """The attack page gets one vector per paragraph; the rest gets the combined payload."""
    if domain == "attack":
        return PAYLOADS.get(msgid, german(domain, msgid))
    if domain == "short":
        return german(domain, msgid)
    names = format_names(msgid) or frozenset()  # interface strings keep their placeholders, so they are used
    return " ".join([COMBINED, *(f"%({name})s" for name in sorted(names))])


def publish_everything(locale, pages, findings, counts, reviews):  # type: ignore[no-untyped-def]
    """The verdict with the gate switched off: what the renderer alone would make of the payloads."""
    return decide_locale(locale, pages, [], counts, reviews)


class Built:
    """The hostile project, built (past the gate) and checked once for the module."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dist = root / "dist"
        before = outside_dist(root)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(assess, "decide_locale", publish_everything)
            self.summary = run_build(load_config(root), jobs=1)
        self.untouched = outside_dist(root) == before
        self.report: Report = collect(load_config(root), ["de"])

    def line_of(self, domain: str, msgid: str) -> int:
        path = po_path(load_config(self.root), "de", domain)
        return read_catalog(path, domain, "de")[msgid].lineno or 0

    def errors_at(self, domain: str, line: int) -> set[str]:
        rel = f"locale/de/LC_MESSAGES/{domain}.po"
        return {f.problem.code for f in self.report.findings if f.problem.path == rel and f.problem.line == line} & {
            f.problem.code for f in self.report.findings if f.problem.severity == "error"
        }

    def page(self, locale: str, name: str, suffix: str = "html") -> str:
        return (self.dist / locale / f"{name}.{suffix}").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = make_project(
        tmp_path_factory.mktemp("xss") / "clinic", {"attack": ATTACK_PAGE}, hostile, safe_interface=False
    )
    return Built(root)


def test_every_vector_names_the_checks_that_flag_it() -> None:
    assert len(VECTORS) >= 40
    for path in VECTORS:
        codes, payload = vector(path)
        assert codes and codes <= FLAGGING, path.name
        assert payload.strip(), path.name


def test_the_hostile_locale_is_built_and_nothing_outside_dist_changes(built: Built) -> None:
    assert built.summary.published == ["en", "de"]
    assert built.untouched


def test_the_gate_publishes_no_page_with_a_payload(tmp_path: Path) -> None:
    root = make_project(tmp_path / "clinic", {"attack": ATTACK_PAGE}, hostile)
    summary = run_build(load_config(root), jobs=1)
    assert "de" not in summary.published  # the payloads in the shared disclaimers and ui withhold it whole
    assert not (root / "dist" / "de").exists() and not (root / "dist" / "downloads" / "de.zip").exists()
    assert all(b"PWNED" not in path.read_bytes() for path in (root / "dist").rglob("*") if path.is_file())


@pytest.mark.parametrize("name", ["attack", "guide", "short"])
def test_built_pages_hold_nothing_active(built: Built, name: str) -> None:
    source, translated = built.page("en", name), built.page("de", name)
    disclaimers = Counter(PageScan(source).values("data-disclaimer"))
    assert disclaimers, "the source page marks its disclaimers"
    notice = Counter({"admonition notice": 1, "admonition-title": 1})  # de is a draft: the frame says so
    assert dangers(source) == []
    assert_inert_html(translated, disclaimers, PageScan(source).classes() + notice)


def test_the_index_holds_nothing_active(built: Built) -> None:
    assert dangers((built.dist / "index.html").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", ["attack", "guide"])
def test_plain_text_pages_hold_nothing_active(built: Built, name: str) -> None:
    text = built.page("de", name, "txt")
    assert_inert_text(text)
    assert "PWNED" in text  # the payloads are shown as text, not dropped silently


def test_hostile_text_is_shown_as_text(built: Built) -> None:
    html = built.page("de", "attack")
    assert "Read this: &lt;script&gt;document.title='PWNED'&lt;/script&gt;" in html
    assert "Nothing here is risky." in html  # the forged disclaimer's words, as an ordinary paragraph


@pytest.mark.parametrize("path", VECTORS, ids=[path.stem for path in VECTORS])
def test_check_flags_every_vector(built: Built, path: Path) -> None:
    expected, _ = vector(path)
    line = built.line_of("attack", msgid_of(path.stem))
    found = built.errors_at("attack", line)
    assert expected <= found, f"{path.stem}: expected {sorted(expected)} at line {line}, found {sorted(found)}"


@pytest.mark.parametrize("domain", ["guide", "disclaimers", "ui"])
def test_check_flags_the_payload_in_every_kind_of_message(built: Built, domain: str) -> None:
    path = po_path(load_config(built.root), "de", domain)
    messages = [m for m in read_catalog(path, domain, "de") if m.id]
    assert messages
    for message in messages:
        assert "html" in built.errors_at(domain, message.lineno or 0), f"{domain}.po:{message.lineno}: {message.id}"


# -- in a real browser ------------------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=2000",  # let timers and load events run before the DOM is dumped
)


def dump_doms(chromium: str, pages: list[Path]) -> list[str]:
    """Each page's DOM after loading it in headless Chromium (one process per page, all at once)."""
    with tempfile.TemporaryDirectory() as profiles:
        runs = [
            subprocess.Popen(
                [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profiles}/{index}", "--dump-dom", page.as_uri()],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "HOME": profiles},
            )
            for index, page in enumerate(pages)
        ]
        doms = []
        for process in runs:
            out, _ = process.communicate(timeout=120)
            assert process.returncode == 0
            doms.append(out.decode("utf-8"))
    return doms


def ran_script(dom: str, title: str) -> bool:
    scan = PageScan(dom)
    return scan.title != title or any("data-pwned" in attrs for _, attrs, _ in scan.tags)


@pytest.mark.slow
def test_no_script_runs_in_a_real_browser(built: Built, tmp_path: Path) -> None:
    chromium = require_program("chromium")
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><title>Control</title><body><p>x</p><script>{PROBE}</script>", encoding="utf-8")
    pages = [built.dist / "de" / f"{name}.html" for name in ("attack", "guide", "short")]
    pages += [built.dist / "en" / "attack.html", built.dist / "index.html"]
    doms = dump_doms(chromium, [control, *pages])
    assert ran_script(doms[0], "Control"), "the probe must show when a script runs"
    for page, dom in zip(pages, doms[1:], strict=True):
        title = PageScan(page.read_text(encoding="utf-8")).title
        assert "<main>" in dom or page.name == "index.html", f"{page} did not load"
        assert not ran_script(dom, title), f"a script ran in {page.relative_to(built.root)}"


# -- the pieces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "msgstr", "escaped"),
    [
        ("H<sub>2</sub>O", "H<sub>2</sub>O", "H<sub>2</sub>O"),
        ("H<sub>2</sub>O", 'H<sub onclick="x()">2</sub>O', 'H&lt;sub onclick="x()">2</sub>O'),
        ("m<sup>2</sup>", "m<sup>2</sup> <sup>3</sup>", "m<sup>2</sup> &lt;sup>3&lt;/sup>"),
        ("line<br>", "<br><script>x</script>", "<br>&lt;script>x&lt;/script>"),
        ("no tags", "<sup>2</sup>", "&lt;sup>2&lt;/sup>"),
    ],
)
def test_a_translation_keeps_only_the_tags_its_source_has(msgid: str, msgstr: str, escaped: str) -> None:
    assert escape_raw_html(msgstr, raw_tags(msgid))[0] == escaped


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Last reviewed: %(date)s", {"date"}),
        ("Zu 100 %% geprüft: %(date)s", {"date"}),
        ("Zu 100 % geprüft", None),
        ("Geprüft: %s", None),
        ("%(date)", None),
        ("Kein Platzhalter.", set()),
    ],
)
def test_interface_placeholders_are_read_by_formatting(text: str, names: set[str] | None) -> None:
    assert format_names(text) == (None if names is None else frozenset(names))
