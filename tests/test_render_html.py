"""The pieces of HTML rendering: sanitising, languages, headings."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from carepages.render.html import CompiledTemplates, language, make_environment, sanitize, split_heading


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<p>ok <script>alert(1)</script></p>", "<p>ok </p>"),
        ('<p onclick="x()" style="color:red">t</p>', "<p>t</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<a href="knee.html">k</a>', '<a href="knee.html" rel="noopener noreferrer">k</a>'),
        ('<p><img src="data:image/png;base64,AA" alt="a diagram"></p>', "<p>a diagram</p>"),
        ('<p><img src="knee.png" alt="k"></p>', '<p><img src="knee.png" alt="k"></p>'),
        ('<iframe src="https://x"></iframe><object data="y"></object><p>z</p>', "<p>z</p>"),
        (
            '<p data-disclaimer="x" class="admonition-title">t</p>',
            '<p data-disclaimer="x" class="admonition-title">t</p>',
        ),
        ("<style>p{}</style><p>s</p>", "<p>s</p>"),
        ('<td style="text-align: left;">c</td>', "c"),
    ],
)
def test_sanitize_keeps_only_the_allow_list(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean


@pytest.mark.parametrize(
    ("code", "tag", "name", "direction"),
    [
        ("en", "en", "English", "ltr"),
        ("pt_BR", "pt-BR", "português (Brasil)", "ltr"),
        ("ar", "ar", "العربية", "rtl"),
        ("zh_CN", "zh-CN", "中文 (简体, 中国)", "ltr"),
        ("he", "he", "עברית", "rtl"),
    ],
)
def test_language_tag_name_and_direction_come_from_babel(code: str, tag: str, name: str, direction: str) -> None:
    lang = language(code)
    assert (lang.code, lang.tag, lang.name, lang.direction) == (code, tag, name, direction)


def test_split_heading_keeps_the_body_h1_or_makes_one_from_the_title() -> None:
    heading, rest = split_heading("<h1>Knie</h1>\n<p>Text</p>", "Titel")
    assert (heading, rest) == ("<h1>Knie</h1>", "<p>Text</p>")
    heading, rest = split_heading("<p>Text</p>", "A & B")
    assert (heading, rest) == ("<h1>A &amp; B</h1>", "<p>Text</p>")


def test_templates_are_compiled_once_for_every_environment_and_again_when_edited() -> None:
    compiled = CompiledTemplates()
    sources = {"t.html": "first {{ x }}"}
    for _ in range(2):  # two environments, as two locales have: one compilation
        env = Environment(loader=DictLoader(sources), bytecode_cache=compiled)
        assert env.get_template("t.html").render(x=1) == "first 1"
    assert len(compiled.code) == 1
    sources["t.html"] = "second {{ x }}"  # Jinja2 checksums the source: the old code is not used
    env = Environment(loader=DictLoader(sources), bytecode_cache=compiled)
    assert env.get_template("t.html").render(x=2) == "second 2"


def test_the_page_environments_share_their_compiled_templates() -> None:
    first, second = make_environment(), make_environment()
    assert first.bytecode_cache is second.bytecode_cache is not None
