"""Real-world Markdown, translated and built: nested pages in every shipped locale, links that work.

The fixture project (:mod:`realworld_helpers`: nested folders, ``<details>`` FAQs,
reference links, fences with options, pages without front matter, two locales in
BCP 47 folders) is translated correctly into es, fr, de, pt_BR, ar and zh_CN and
built once. Golden files hold what each construct becomes on a built page, in HTML
and plain text, left to right (de), right to left (ar) and in Chinese (zh_CN); the
stylesheet, the same on every page, is left out of the HTML goldens. Every relative
link of every built page must lead to a file: in dist/, and inside each bundle for
the links between pages of its locale.

After an intended change, run once with ``CAREPAGES_UPDATE_GOLDEN=1`` (see tests/golden.py).
"""

from __future__ import annotations

import json
import posixpath
import re
import zipfile
from pathlib import Path

import pytest
from golden import assert_golden
from linkcheck import broken_links
from realworld_helpers import LOCALES, REALWORLD, load_defects, plant, translated_project

from carepages.builder import run_build
from carepages.htmltree import Node, parse

PAGES = ("guides/tools", "hip/overview", "knee/exercises", "knee/faq", "overview")
GOLDEN_LOCALES = ("de", "ar", "zh_CN")
EXPECTED = REALWORLD / "expected" / "built"
BASE = "https://clinic.example/realworld/"  # the fixture's base_url
_STYLE = re.compile(r"<style>.*?</style>\n", re.DOTALL)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = translated_project(tmp_path_factory.mktemp("realworld") / "clinic")
    run_build(config, jobs=1)
    return config.dist_dir


@pytest.fixture(scope="module")
def flawed_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with every planted defect: some pages, and all of fr, are withheld."""
    config = translated_project(tmp_path_factory.mktemp("flawed") / "clinic")
    plant(config, load_defects())
    run_build(config, jobs=1)
    return config.dist_dir


def hrefs(document: str) -> list[str]:
    """Every link target of a built page: ``a[href]`` and ``link[href]``."""
    found = []

    def visit(node: Node) -> None:
        if node.tag in {"a", "link"} and node.attrs.get("href"):
            found.append(node.attrs["href"])
        for child in node.children:
            if isinstance(child, Node):
                visit(child)

    visit(parse(document))
    return found


def relative_targets(page: str, document: str) -> list[str]:
    """The files the relative links of ``page`` (a path below dist/) lead to, below dist/."""
    targets = []
    for href in hrefs(document):
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href):
            continue
        path = href.split("#")[0].split("?")[0]
        targets.append(posixpath.normpath(posixpath.join(posixpath.dirname(page), path)))
    return targets


@pytest.mark.slow
@pytest.mark.parametrize("locale", GOLDEN_LOCALES)
@pytest.mark.parametrize("page", PAGES)
def test_built_page_matches_its_golden_files(dist: Path, locale: str, page: str) -> None:
    document = (dist / locale / f"{page}.html").read_text(encoding="utf-8")
    assert_golden(EXPECTED / locale / f"{page}.html", _STYLE.sub("", document))
    assert_golden(EXPECTED / locale / f"{page}.txt", (dist / locale / f"{page}.txt").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_page_is_built_in_every_shipped_locale_at_its_nested_path(dist: Path) -> None:
    for locale in ("en", *LOCALES):
        for page in PAGES:
            assert (dist / locale / f"{page}.html").is_file(), (locale, page)
            assert (dist / locale / f"{page}.txt").is_file(), (locale, page)
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert "pt_BR/knee/exercises.html" in manifest["files"]
    assert all(manifest["locales"][code]["published"] for code in ("en", *LOCALES))


@pytest.mark.slow
@pytest.mark.parametrize("which", ["correct", "flawed"])
def test_every_relative_link_of_every_built_page_leads_to_a_file(dist: Path, flawed_dist: Path, which: str) -> None:
    folder = dist if which == "correct" else flawed_dist
    pages = [p.relative_to(folder).as_posix() for p in folder.rglob("*.html")]
    assert len(pages) > 10
    for page in pages:
        for target in relative_targets(page, (folder / page).read_text(encoding="utf-8")):
            assert (folder / target).is_file(), f"{page} links to {target}"


@pytest.mark.slow
def test_links_between_pages_of_a_locale_work_inside_its_bundle(dist: Path) -> None:
    for locale in ("en", *LOCALES):
        with zipfile.ZipFile(dist / "downloads" / f"{locale}.zip") as bundle:
            members = set(bundle.namelist())
            for member in sorted(m for m in members if m.endswith(".html")):
                for target in relative_targets(member, bundle.read(member).decode("utf-8")):
                    if target.startswith(f"{locale}/"):
                        assert target in members, f"{locale}.zip: {member} links to {target}"


@pytest.mark.slow
@pytest.mark.parametrize("which", ["correct", "flawed"])
def test_no_link_inside_any_bundle_is_broken(dist: Path, flawed_dist: Path, which: str) -> None:
    """Every link of every page in a bundle leads into the bundle or to the site online, withheld pages included."""
    folder = dist if which == "correct" else flawed_dist
    bundles = sorted((folder / "downloads").glob("*.zip"))
    # Correct: all seven languages. Flawed: all of fr, pt_BR and ar withheld (tests/data/realworld/defects.yaml).
    assert len(bundles) == (7 if which == "correct" else 4)
    assert [link for bundle in bundles for link in broken_links(bundle, folder, BASE)] == []


@pytest.mark.slow
def test_language_switcher_leads_to_each_languages_page_at_its_address(dist: Path) -> None:
    document = (dist / "de" / "knee" / "faq.html").read_text(encoding="utf-8")
    assert f'<link rel="alternate" hreflang="pt-BR" href="{BASE}pt_BR/knee/faq.html">' in document
    top = (dist / "de" / "overview.html").read_text(encoding="utf-8")
    assert f'<link rel="alternate" hreflang="zh-CN" href="{BASE}zh_CN/overview.html">' in top
    assert '<a href="../index.html">' in document and '<a href="index.html">' in top  # "All pages"


@pytest.mark.slow
def test_shared_disclaimer_links_are_rebased_for_nested_pages(dist: Path) -> None:
    nested = (dist / "de" / "knee" / "faq.html").read_text(encoding="utf-8")
    top = (dist / "de" / "overview.html").read_text(encoding="utf-8")
    assert '<a href="../overview.html" rel="noopener noreferrer">Warnzeichen</a>' in nested
    assert '<a href="overview.html" rel="noopener noreferrer">Warnzeichen</a>' in top


@pytest.mark.slow
def test_a_link_to_a_page_withheld_in_the_locale_leads_to_the_source_language(flawed_dist: Path) -> None:
    assert not (flawed_dist / "de" / "overview.html").exists()  # withheld: a link error planted there
    exercises = (flawed_dist / "de" / "knee" / "exercises.html").read_text(encoding="utf-8")
    # The page's own link and the shared disclaimer's: online, as the bundle holds one language.
    assert exercises.count(f'href="{BASE}en/overview.html"') == 2
    assert 'href="../overview.html"' not in exercises and "../../en/" not in exercises
    assert not (flawed_dist / "fr").exists()  # an interface string with a wrong placeholder withholds fr


@pytest.mark.slow
def test_title_from_a_heading_is_plain_text_and_shows_once(dist: Path) -> None:
    document = (dist / "de" / "hip" / "overview.html").read_text(encoding="utf-8")
    assert "<title>Hüftschmerzen und Injektionen</title>" in document
    assert document.count("<h1") == 1
    index = (dist / "index.html").read_text(encoding="utf-8")
    assert ">Hüftschmerzen und Injektionen</a>" in index
    assert "*" not in re.sub(r"<style>.*?</style>", "", index, flags=re.DOTALL)


@pytest.mark.slow
def test_index_lists_pages_by_their_order_field(dist: Path) -> None:
    index = (dist / "index.html").read_text(encoding="utf-8")
    english = re.findall(r'href="en/([a-z/]+)\.html"', index)
    assert english == ["knee/exercises", "guides/tools", "hip/overview", "knee/faq", "overview"]
