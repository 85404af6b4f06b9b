"""Markdown inside ``<details>``, ``<summary>``, ``<div>`` and ``<aside>`` is extracted, translated and rendered."""

from __future__ import annotations

from carepages.markdown_ext import PageParser
from carepages.render.html import sanitize
from carepages.segments import Segment

FAQ = """<details>
<summary>Is it **safe**?</summary>

<!-- translators: the answer to a question patients ask -->
It is *not* proven.

- One risk.
- Another risk.

</details>
"""


def convert(text: str, parser: PageParser | None = None, handler=None):  # type: ignore[no-untyped-def]
    rendered, conversion = (parser or PageParser()).convert(text, "page.md", 1, text.split("\n"), handler)
    return sanitize(rendered), conversion


def test_a_details_block_is_messages_with_its_summary_as_one() -> None:
    rendered, conversion = convert(FAQ)
    assert [(s.msgid, s.kind, s.line, s.notes) for s in conversion.segments] == [
        ("Is it **safe**?", "summary", 2, ()),
        ("It is *not* proven.", "paragraph", 5, ("the answer to a question patients ask",)),
        ("One risk.", "list item", 7, ()),
        ("Another risk.", "list item", 8, ()),
    ]
    assert "<summary>Is it <strong>safe</strong>?</summary>" in rendered
    assert "<p>It is <em>not</em> proven.</p>" in rendered
    assert "markdown" not in rendered


def test_translations_go_into_html_blocks() -> None:
    def translate(segment: Segment) -> str:
        return f"[de] {segment.msgid}"

    rendered, _ = convert(FAQ, handler=translate)
    assert "<summary>[de] Is it <strong>safe</strong>?</summary>" in rendered
    assert "<li>[de] One risk.</li>" in rendered


def test_div_and_aside_wrappers_hold_markdown() -> None:
    text = (
        '<div class="wrapper">\n<div>\n## Inside\n\nText *inside*.\n</div>\n</div>\n\n'
        "<aside>\nAn [aside](a.html).\n</aside>\n"
    )
    rendered, conversion = convert(text)
    assert [(s.msgid, s.kind) for s in conversion.segments] == [
        ("Inside", "heading"),
        ("Text *inside*.", "paragraph"),
        ("An [aside](a.html).", "paragraph"),
    ]
    assert '<div class="wrapper">\n<div>\n<h2>Inside</h2>' in rendered
    assert '<aside>\n<p>An <a href="a.html" rel="noopener noreferrer">aside</a>.</p>\n</aside>' in rendered


def test_markdown_0_and_other_html_blocks_stay_raw() -> None:
    text = '<div markdown="0">\nRaw *stays* raw.\n</div>\n\n<table><tr><td>Cell *words*</td></tr></table>\n'
    rendered, conversion = convert(text)
    assert conversion.segments == []
    assert "Raw *stays* raw." in rendered and "Cell *words*" in rendered


def test_a_disclaimer_inside_details_is_refused() -> None:
    text = "<details>\n<summary>More</summary>\n\n<!-- disclaimer: hidden -->\nA warning.\n\n</details>\n"
    _, conversion = convert(text)
    assert [error.format() for error in conversion.errors] == [
        "page.md:5: error: disclaimer 'hidden' is inside a <details> block, which a reader may never open "
        "(move it out of the <details> block)"
    ]


def test_the_block_cache_tells_pages_made_only_of_an_html_block_apart() -> None:
    parser = PageParser(keep_blocks=True)
    first, _ = convert("<details>\n<summary>First</summary>\n\nOne.\n</details>\n", parser)
    second, _ = convert("<details>\n<summary>Second</summary>\n\nTwo.\n</details>\n", parser)
    assert "First" in first and "One." in first
    assert "Second" in second and "Two." in second
