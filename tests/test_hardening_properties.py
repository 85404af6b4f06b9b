"""Properties of the whole pipeline on generated Markdown pages (Hypothesis).

* Extract, translate every message by itself (msgstr = msgid), build: the German page
  shows exactly what the English one shows (the ``<main>`` element, whitespace runs
  folded, without the frame's notice box that says the translation is a draft), and
  no part of it falls back to the source. This is what "a translation goes through the
  same parser as the source" promises, for raw inline HTML (``H<sub>2</sub>O``),
  escapes and entities too.
* The plain-text renderer never writes a line wider than the limit, except a line
  holding one unbreakable token, for any generated page at any width.

(Extraction and update idempotence and "update never drops a translation" are in
tests/test_properties.py.)
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hardening_helpers import PROJECT, identity, translate_catalogs
from helpers import sign_interface
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepages.builder import run_build
from carepages.config import load_config
from carepages.errors import CarepagesError
from carepages.extract import extract_sources, run_extract
from carepages.gate import collect
from carepages.htmltree import parse
from carepages.markdown_ext import PageParser
from carepages.render.html import sanitize
from carepages.render.page import main_of
from carepages.render.text import html_to_text, tree_to_text
from carepages.render.wrap import display_width
from carepages.ui import ui_disclaimers
from carepages.update import run_update
from carepages.waivers import text_sha256, waivers_path

#: The catalogs here hold pseudo-translations (see the fixture in conftest.py).
pytestmark = pytest.mark.usefixtures("pseudo_translations")

WORDS = st.sampled_from(
    ["knee", "joint", "pain", "cells", "Arzt", "douleur", "عيادة", "关节疼痛", "3.5", "10 %", "e\u0301", "“quoted”"]
)
INLINE = st.sampled_from(
    [
        "**strong words**",
        "*soft words*",
        "`x < y`",
        "[the overview](short.html)",
        '[the register](https://example.org/trials "Clinical trials")',
        "<https://example.org/a>",
        "H<sub>2</sub>O",
        "10 m<sup>2</sup>",
        "1 < 2",
        "A & B",
        "&amp; more",
        r"\*not emphasis\*",
        "a-very-long-unbreakable-token-that-is-wider-than-any-line-of-text-could-be",
    ]
)
TEXT = st.lists(st.one_of(WORDS, WORDS, INLINE), min_size=1, max_size=8).map(" ".join)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["p", "p", "h", "ul", "ol", "nested", "quote", "table", "note", "image", "break"]))
    text, more = draw(TEXT), draw(TEXT)
    if kind == "h":
        return "#" * draw(st.integers(2, 4)) + " " + text
    if kind in {"ul", "ol"}:
        items = draw(st.lists(TEXT, min_size=1, max_size=3))
        return "\n".join(("- " if kind == "ul" else f"{i}. ") + item for i, item in enumerate(items, 1))
    if kind == "nested":
        return f"- {text}\n    - {more}\n\n    > {text}"
    if kind == "quote":
        return f"> {text}\n>\n> {more}"
    if kind == "table":
        return f"| Area | Words |\n|---|---|\n| {text} | {more} |"
    if kind == "note":
        return f'!!! note "{draw(WORDS)} words"\n    {text}'
    if kind == "image":
        return f'![{draw(WORDS)} diagram](knee.png "{draw(WORDS)} title")'
    if kind == "break":
        return f"{text}  \n{more}"
    return f"{text}\n{more}" if draw(st.booleans()) else f"{text} {more}"


PAGES = st.lists(blocks(), min_size=1, max_size=6).map(
    lambda bs: "---\ntitle: Generated page\n---\n\n# Generated page\n\n" + "\n\n".join(bs) + "\n"
)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_MAIN = re.compile(r"<main>(.*)</main>", re.DOTALL)
_NOTICE = re.compile(r'<div class="admonition notice">.*?</div>\s*', re.DOTALL)


def shown(html: str) -> str:
    """The page's ``<main>`` without the frame's notice box, whitespace runs folded."""
    match = _MAIN.search(html)
    assert match, "no <main> in the page"
    return " ".join(_NOTICE.sub("", match.group(1)).split())


def build_identity(root: Path, page: str) -> None:
    """A project with only the generated page, translated into German message by message as itself."""
    shutil.copytree(PROJECT, root)
    for other in ("guide", "short"):
        (root / "source" / f"{other}.md").unlink()
    (root / "source" / "sample.md").write_text(page, encoding="utf-8")
    config = load_config(root)
    run_extract(config)
    run_update(config)
    translate_catalogs(root, "de", identity, safe_interface=False)
    sign_interface(root, ["de"])
    waive_identical_disclaimers(root, "de")
    run_build(config, jobs=1)


def waive_identical_disclaimers(root: Path, locale: str) -> None:
    """A reviewer's waiver for each disclaimer left as its source: here that is the point of the test."""
    config = load_config(root)
    records = []
    domains = [(m.domain, {s.msgid for s in m.segments if s.disclaimer}) for m in extract_sources(config).all()]
    for domain, msgids in [*domains, ("ui", set(ui_disclaimers()))]:
        for msgid in sorted(msgids):
            records.append(
                f'[[waiver]]\ncheck = "disclaimer-text"\nmsgid_sha256 = "{text_sha256(msgid)}"\n'
                f'translation_sha256 = "{text_sha256(msgid)}"\npage = "{domain}"\n'
                'reason = "an identity translation, on purpose"\nreviewer = "Test Reviewer"\n'
            )
    path = waivers_path(config, locale)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "\n".join(records), encoding="utf-8")


@pytest.mark.slow
@SETTINGS
@given(page=PAGES)
def test_an_identity_translation_shows_the_source_page(page: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "p"
        build_identity(root, page)
        source = (root / "dist" / "en" / "sample.html").read_text(encoding="utf-8")
        translated = (root / "dist" / "de" / "sample.html").read_text(encoding="utf-8")
        assert "Parts of this page are not yet translated" not in translated
        assert shown(translated) == shown(source)


PARSER = PageParser()
_MARKERS = re.compile(r"^(?:\s*(?:-|>|\d+\.|<\d+>)(?=\s|$))*\s*")


@settings(max_examples=60, deadline=None)
@given(page=PAGES, width=st.integers(min_value=20, max_value=100))
def test_plain_text_lines_fit_the_width_except_unbreakable_tokens(page: str, width: int) -> None:
    body = page.split("---\n", 2)[2]
    html, _ = PARSER.convert(body, "sample.md", 4, [])
    for line in html_to_text(sanitize(html), width).split("\n"):
        if display_width(line) > width:
            assert " " not in _MARKERS.sub("", line), f"a breakable line wider than {width}: {line!r}"


@settings(max_examples=60, deadline=None)
@given(page=PAGES, width=st.integers(min_value=20, max_value=100))
def test_plain_text_from_the_built_page_is_the_text_of_its_content(page: str, width: int) -> None:
    """The build makes the plain text from the ``<main>`` of the page it wrote (one parse for the text and
    the check's reading): it must be the text of the sanitised content alone, whatever the page holds."""
    body = page.split("---\n", 2)[2]
    html, _ = PARSER.convert(body, "sample.md", 4, [])
    fragment = sanitize(html)
    document = (
        "<!DOCTYPE html>\n<html><head><title>t</title><style>main{}</style></head>\n<body>\n"
        f'<nav><ul><li><a href="x.html">x</a></li></ul></nav>\n<main>\n{fragment}\n</main>\n</body>\n</html>\n'
    )
    assert tree_to_text(main_of(parse(document)), width) == html_to_text(fragment, width)


# -- anything a translator or an author may type --------------------------------------------------------

#: Pieces of Markdown, HTML, format strings and placeholders, and plain or odd characters.
MARKUP_PIECES = ["<", ">", "[", "]", "(", ")", "*", "_", "`", "!", "&", "#", ";", "%", "\\", "|", "{", "}", ":"]
ODD_PIECES = ["javascript:", "<!--", "-->", "&lt;", "&#0;", "\x02", "\x03", "\ue000", "%(date)s", "<br>", "<sup>"]
TEXT_PIECES = ["word", " ", "\n", "    ", "- ", "1. ", "> ", "!!! note", "```", "é", "关", "\u200b", "\u202e", '"', "'"]
PIECES = st.sampled_from([*MARKUP_PIECES, *ODD_PIECES, *TEXT_PIECES])
BLOCK_PIECES = st.sampled_from(["\n\n", "<!-- notranslate -->\n", "<!-- disclaimer: odd -->\n", "[a]: https://x\n"])
ODD_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40), st.lists(PIECES, max_size=30).map("".join)
)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraph=ODD_TEXT, alt=ODD_TEXT, title=ODD_TEXT, interface=ODD_TEXT)
def test_no_translation_breaks_the_build_or_the_check(paragraph: str, alt: str, title: str, interface: str) -> None:
    """Whatever the msgstrs, build and check finish without an error of their own (a bad translation is a
    finding that withholds its page, never a crash), and dist/ holds exactly what the check's verdict publishes."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "p"
        shutil.copytree(PROJECT, root)
        config = load_config(root)
        run_extract(config)
        run_update(config)
        translate_catalogs(root, "de", identity)
        texts = {
            ("guide", "Ask for the answers in writing."): paragraph,
            ("guide", "A diagram of the knee"): alt,
            ("guide", "Knee injections"): title,
            ("ui", "Important information"): interface,
        }
        translate_catalogs(root, "de", lambda domain, msgid: texts.get((domain, msgid), msgid))
        run_build(config, jobs=1)
        report = collect(config, ["de"], jobs=1)
        built = {path.stem for path in (root / "dist" / "de").glob("*.html") if path.name != "index.html"}
        assert built == set(report.verdicts[0].published_pages)
        assert not [f for f in report.findings if f.problem.code in {"built", "built-disclaimer"}]


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.lists(
        st.one_of(PIECES, st.sampled_from(["\n\n", "<!-- notranslate -->\n", "[a]: https://x\n"])), max_size=50
    )
)
def test_no_page_source_breaks_a_stage(body: list[str]) -> None:
    """Whatever the Markdown, every stage finishes or stops with a CarepagesError naming the page.

    Only a comment (a directive or its look-alike) or a control character may stop a stage:
    a page without them must go through every stage.
    """
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "p"
        shutil.copytree(PROJECT, root)
        (root / "source" / "odd.md").write_text("---\ntitle: Odd\n---\n\n" + "".join(body), encoding="utf-8")
        config = load_config(root)
        try:
            run_extract(config)
            run_update(config)
            run_build(config, jobs=1)
            collect(config, ["de"])
        except CarepagesError as exc:
            assert all(line.startswith("source/odd.md:") for line in exc.format(root).splitlines()), exc.format(root)
            assert any(piece in "".join(body) for piece in ("<!--", "\x02", "\x03")), exc.format(root)
