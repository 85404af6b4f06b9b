"""Directives (the author's comments that mark a disclaimer, a block not to translate, a note): where they may stand.

A directive that marks nothing is the failure here: the block after it is published as
an ordinary paragraph, unprotected, and no check knows it was meant to be a disclaimer.
"""

from __future__ import annotations

import pytest

from carepages.markdown_ext import PageParser

PARSER = PageParser()


def convert(text: str) -> tuple[str, list[tuple[str, str | None]], list[str]]:
    html, conversion = PARSER.convert(text, "page.md", 1, text.split("\n"))
    segments = [(segment.msgid, segment.disclaimer) for segment in conversion.segments]
    return html, segments, [error.format() for error in conversion.errors]


@pytest.mark.parametrize("quote", [">", "> >", ">>"])
def test_a_directive_inside_a_block_quote_marks_the_quoted_block_after_it(quote: str) -> None:
    text = f"Intro.\n\n{quote} <!-- disclaimer: fever -->\n{quote} Stop if you have a fever.\n{quote}\n{quote} More.\n"
    html, segments, errors = convert(text)
    assert errors == []
    assert segments == [("Intro.", None), ("Stop if you have a fever.", "fever"), ("More.", None)]
    assert '<p data-disclaimer="fever">Stop if you have a fever.</p>' in html
    assert "<!--" not in html


def test_a_directive_inside_a_list_item_marks_the_block_after_it() -> None:
    text = "- One.\n- Two:\n\n  <!-- disclaimer: dose -->\n  Never take more than stated.\n"
    _html, segments, errors = convert(text)
    assert errors == []
    assert ("Never take more than stated.", "dose") in segments


@pytest.mark.parametrize(
    "line",
    ["Text <!-- disclaimer: inline --> here.", "- <!-- disclaimer: item --> Item.", "See below. <!-- notranslate -->"],
)
def test_a_directive_after_other_text_on_its_line_is_an_error_not_a_silent_comment(line: str) -> None:
    _html, segments, errors = convert(f"Intro.\n\n{line}\n")
    assert errors == [
        "page.md:3: error: a directive comment after other text on its line is not read "
        "(put it on a line of its own, before the block it is about)"
    ]
    assert all(disclaimer is None for _, disclaimer in segments)


def test_a_directive_quoted_as_code_is_an_example_not_an_error() -> None:
    _html, segments, errors = convert("Write `<!-- disclaimer: id -->` before the block.\n")
    assert errors == [] and segments == [("Write `<!-- disclaimer: id -->` before the block.", None)]


def test_a_multi_line_directive_in_a_quote_may_write_its_markers_either_way() -> None:
    _html, segments, errors = convert("> > <!-- disclaimer:\n>> fever -->\n> > Stop if you have a fever.\n")
    assert errors == [] and segments == [("Stop if you have a fever.", "fever")]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "Intro.\n\n<!--\n  disclaimer: fever\n-->\nStop if you have a fever.\n",
            "page.md:3: error: a 'disclaimer' directive on the line after '<!--' is not read "
            "(start the comment with its name: <!-- disclaimer: ... -->)",
        ),
        (
            "> <!--\n> notranslate\n> -->\n> Acme Clinic\n",
            "page.md:1: error: a 'notranslate' directive on the line after '<!--' is not read "
            "(start the comment with its name: <!-- notranslate -->)",
        ),
    ],
)
def test_a_directive_written_on_the_line_after_its_comment_opens_is_an_error(text: str, error: str) -> None:
    """Read as a plain comment, it would leave its block unmarked without a word."""
    _html, segments, errors = convert(text)
    assert errors == [error]
    assert all(disclaimer is None for _, disclaimer in segments)


def test_a_plain_comment_opened_alone_stays_allowed() -> None:
    assert convert("Intro.\n\n<!--\nA note about the disclaimer below.\n-->\nText.\n")[2] == []
