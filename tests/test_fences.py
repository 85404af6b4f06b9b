"""Fenced code blocks as CommonMark defines them: never a message, rendered as code on every page.

Each ``tests/data/fences/<case>.md`` is a page body; ``<case>.html`` beside it is its
English rendering (the page parser, then the sanitiser), a golden file (see
``tests/golden.py`` for updating it). Every case is also checked for what matters most:
no line of code in any message.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from golden import assert_golden

from carepages.fences import find_fences
from carepages.markdown_ext import PageParser
from carepages.render.html import sanitize

FENCES = Path(__file__).parent / "data" / "fences"
CASES = sorted(FENCES.glob("*.md"))
PARSER = PageParser()
_CODE = re.compile(r"<pre><code[^>]*>(.*?)</code></pre>", re.DOTALL)


def convert(text: str) -> tuple[str, list[str], list[str]]:
    """(sanitised HTML, msgids, errors) of a page body."""
    rendered, conversion = PARSER.convert(text, "page.md", 1, text.split("\n"))
    return sanitize(rendered), [s.msgid for s in conversion.segments], [e.format() for e in conversion.errors]


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_fence_renders_as_its_golden_file(case: Path) -> None:
    rendered, _, errors = convert(case.read_text(encoding="utf-8"))
    assert errors == []
    assert_golden(case.with_suffix(".html"), rendered)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_no_line_of_code_is_in_a_message(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    rendered, msgids, _ = convert(text)
    code = {line.strip() for block in _CODE.findall(rendered) for line in html.unescape(block).split("\n")}
    code.discard("")
    for msgid in msgids:
        assert "\x02" not in msgid, f"a stash placeholder in {msgid!r}"
        assert not [line for line in code if line in msgid], msgid


def fences_of(text: str) -> list[tuple[str, str, bool]]:
    return [(fence.language, fence.code, fence.closed) for fence in find_fences(text.split("\n"))]


@pytest.mark.parametrize(
    ("info", "language"),
    [
        ("rust,editable", "rust"),
        ('python title="x.py" hl_lines="1 2"', "python"),
        ("{ .python .numberLines }", "python"),
        (".sh", "sh"),
        ("c++", "c++"),
        ('"><script>', "script"),  # the class attribute gets a word, never markup
        ("", ""),
    ],
)
def test_the_first_word_of_the_info_string_is_the_language(info: str, language: str) -> None:
    assert fences_of(f"```{info}\ncode\n```") == [(language, "code\n", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```\na\n````\nb", [("", "a\n", True)]),  # a longer closer closes
        ("````\n```\n````", [("", "```\n", True)]),  # a shorter one is code
        ("```\n~~~\n```", [("", "~~~\n", True)]),  # the other character is code
        ("```\na\n``` x", [("", "a\n``` x\n", False)]),  # a closer takes no info string
        ("  ```\n  a\n b\n   c\n  ```", [("", "a\nb\n c\n", True)]),  # up to the opener's indentation is removed
        ("    ```\n    a\n    ```", []),  # four spaces: an indented code block
        ("``` a`b\nc", []),  # a backtick in a backtick fence's info string: not a fence
        ("~~~ a`b\nc\n~~~", [("ab", "c\n", True)]),  # ... but fine after tildes (the class keeps word characters)
        ("> ```\n> a\nb", [("", "a\n", False)]),  # a quote's fence ends with the quote
        ("- x\n\n  ```\n  a\nb", [("", "a\n", False)]),  # a list item's fence ends with the item
        ("```\na\n\n\n", [("", "a\n", False)]),  # trailing blank lines stay outside an unclosed fence
    ],
)
def test_commonmark_fence_rules(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert fences_of(text) == expected


def test_a_directive_inside_any_fence_is_code() -> None:
    text = "1. Step:\n   ```html\n   <!-- disclaimer: not-one -->\n   <p>x</p>\n   ```\n2. Next.\n"
    rendered, conversion = PARSER.convert(text, "page.md", 1, text.split("\n"))
    assert conversion.directives == [] and conversion.disclaimers == [] and conversion.errors == []
    assert "&lt;!-- disclaimer: not-one --&gt;" in rendered


def test_code_keeps_what_looks_like_html_on_the_english_page() -> None:
    rendered, msgids, _ = convert("```rust,editable\nfn f() -> Result<String> {}\n```\n")
    assert "Result&lt;String&gt;" in rendered
    assert msgids == []
