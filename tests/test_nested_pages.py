"""Nested pages and BCP 47 folders through the build's keys, the check's reading, and the page frame."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run
from realworld_helpers import translated_project

from carepages.assess import load_run
from carepages.builder.keys import locale_key, source_key
from carepages.checks.context import LocaleContext
from carepages.config import Config
from carepages.markdown_ext import PageParser
from carepages.render.body import render_body
from carepages.render.html import alternates, split_heading
from carepages.translate import Lookup


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return translated_project(tmp_path / "clinic")


def test_keys_see_nested_templates_and_catalogs_in_bcp47_folders(config: Config) -> None:
    base = source_key(config)
    before = locale_key(config, base, "pt_BR")
    catalog = config.root / "locale/pt-BR/LC_MESSAGES/knee/exercises.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert locale_key(config, base, "pt_BR") != before
    template = config.root / "locale/templates/knee/exercises.pot"
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert source_key(config) != base


def test_the_check_reads_nested_templates_and_catalogs_by_domain(config: Config) -> None:
    run_ctx = load_run(config)
    assert {"knee/exercises", "knee/faq", "hip/overview", "guides/tools"} <= set(run_ctx.templates)
    ctx = LocaleContext(run_ctx, "zh_CN")
    assert ctx.failures == []
    assert ctx.catalogs["knee/faq"].rel == "locale/zh-CN/LC_MESSAGES/knee/faq.po"
    assert set(ctx.catalogs) == set(run_ctx.templates)


def test_front_matter_warnings_are_findings_with_file_and_line(
    config: Config, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(config.root)
    assert run(capsys, "build", "-q").status == 0
    result = run(capsys, "check")
    assert result.status == 0  # a warning withholds nothing
    assert result.out.splitlines()[0] == (
        "source/knee/faq.md:4: warning: [front-matter] unknown front-matter field 'author' is not translated "
        "(declare it in tool.carepages.front_matter (translated or ignored) to silence this)"
    )
    assert run(capsys, "check", "--strict").status == 1


def test_the_language_switcher_leads_to_each_languages_page_at_its_address() -> None:
    """Absolute, so a page works online and inside a bundle (one language); without a base URL there is none."""
    hrefs = [alternate.href for alternate in alternates("knee/exercises", "de", ["en", "de"], "https://c.example/")]
    assert hrefs == ["https://c.example/en/knee/exercises.html", "https://c.example/de/knee/exercises.html"]
    assert [a.href for a in alternates("knee/exercises", "de", ["en", "de"])] == ["exercises.html"]


def test_a_title_in_the_body_is_not_shown_twice() -> None:
    body = "<p>Intro.</p>\n<h1>Hip pain and <em>injections</em></h1>"
    assert split_heading(body, "Hip pain and injections", title_in_body=True) == ("", body)
    heading, rest = split_heading(body, "Hip pain", title_in_body=False)
    assert heading == "<h1>Hip pain</h1>" and rest == body
    heading, rest = split_heading("<h1>Own</h1>\n<p>Text.</p>", "Title", title_in_body=True)
    assert (heading, rest) == ("<h1>Own</h1>", "<p>Text.</p>")


def test_a_title_from_a_heading_is_its_visible_text(config: Config) -> None:
    run_ctx = load_run(config)
    page = run_ctx.source_domains["hip/overview"].page
    assert page.meta.title == "Hip pain and *injections*" and page.meta.title_from_heading
    parser = PageParser()
    assert render_body(parser, page, None).title == "Hip pain and injections"
    german = Lookup({"Hip pain and *injections*": "Hüftschmerzen und *Injektionen* &amp; mehr"})
    assert render_body(parser, page, german).title == "Hüftschmerzen und Injektionen & mehr"
