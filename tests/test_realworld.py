"""Real-world Markdown, end to end through extraction and the English rendering, as golden files.

``tests/data/realworld/project`` is a small project written the way documentation
projects are: pages in nested folders, pages without front matter, ``<details>``
FAQs, ``<div>`` and ``<aside>`` wrappers, reference links, fences with options,
tildes, fences in list items and quotes, headings that start with a number, a
front-matter field the project declared and one it did not.

* ``expected/templates/<domain>.pot``: what ``carepages extract`` writes;
* ``expected/html/<page>.html``: each page body (and the shared disclaimers) in
  English, through the page parser and the sanitiser, as the build renders it.

After an intended change, run once with ``CAREPAGES_UPDATE_GOLDEN=1`` (it rewrites
the files and fails), review the diff, and run again (see ``tests/golden.py``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from golden import assert_golden

from carepages.catalog_paths import find_templates
from carepages.config import Config, load_config
from carepages.extract import Sources, extract_sources, run_extract
from carepages.fsutil import WriteSummary
from carepages.markdown_ext import PageParser
from carepages.pages import Page
from carepages.render.body import render_body

REALWORLD = Path(__file__).parent / "data" / "realworld"
EXPECTED = REALWORLD / "expected"
DOMAINS = ["disclaimers", "guides/tools", "hip/overview", "knee/exercises", "knee/faq", "overview", "ui"]
PAGES = ["guides/tools", "hip/overview", "knee/exercises", "knee/faq", "overview"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Sources, WriteSummary]:
    root = tmp_path_factory.mktemp("realworld") / "clinic"
    shutil.copytree(REALWORLD / "project", root)
    config = load_config(root)
    summary = run_extract(config)
    return config, extract_sources(config), summary


def test_every_page_and_no_other_has_a_template(extracted: tuple[Config, Sources, WriteSummary]) -> None:
    config, _, _ = extracted
    assert list(find_templates(config)) == DOMAINS


@pytest.mark.parametrize("domain", DOMAINS)
def test_template_matches_its_golden_file(extracted: tuple[Config, Sources, WriteSummary], domain: str) -> None:
    config, _, _ = extracted
    written = find_templates(config)[domain].read_text(encoding="utf-8")
    assert_golden(EXPECTED / "templates" / f"{domain}.pot", written)


def _english(page: Page) -> str:
    return render_body(PageParser(), page, None).html


@pytest.mark.parametrize("name", [*PAGES, "disclaimers"])
def test_english_rendering_matches_its_golden_file(extracted: tuple[Config, Sources, WriteSummary], name: str) -> None:
    _, sources, _ = extracted
    messages = next(m for m in sources.all() if m.page.name == name)
    assert_golden(EXPECTED / "html" / f"{name}.html", _english(messages.page))


def test_the_undeclared_field_is_the_one_warning(extracted: tuple[Config, Sources, WriteSummary]) -> None:
    _, sources, summary = extracted
    assert [w.format() for w in summary.warnings] == [w.format() for w in sources.warnings]
    assert [w.format() for w in sources.warnings] == [
        "source/knee/faq.md:4: warning: [front-matter] unknown front-matter field 'author' is not translated "
        "(declare it in tool.carepages.front_matter (translated or ignored) to silence this)"
    ]


def test_what_the_pages_say_about_themselves(extracted: tuple[Config, Sources, WriteSummary]) -> None:
    _, sources, _ = extracted
    pages = {m.page.name: m.page for m in sources.pages}
    assert list(pages) == PAGES
    assert (pages["hip/overview"].meta.title, pages["hip/overview"].meta.title_from_heading) == (
        "Hip pain and *injections*",
        True,
    )
    exercises = pages["knee/exercises"]
    assert (exercises.domain, exercises.output_stem, exercises.meta.order) == ("knee/exercises", "knee/exercises", 20)
    assert exercises.meta.translated == (("subtitle", "A home programme"),)
    assert exercises.meta.other == (("minutes", 10),)
    assert sources.pages[0].disclaimers == ("not-advice", "emergency", "staff-only")


def test_no_message_holds_code(extracted: tuple[Config, Sources, WriteSummary]) -> None:
    _, sources, _ = extracted
    msgids = [s.msgid for m in sources.all() for s in m.segments]
    for code in ("fn main", "not a heading", "print(", "carepages build", "date,exercise", "10 times", "\x02"):
        assert not [msgid for msgid in msgids if code in msgid], code
