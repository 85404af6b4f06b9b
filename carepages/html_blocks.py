"""Markdown inside the HTML blocks authors wrap it in: ``<details>``, ``<summary>``, ``<div>``, ``<aside>``.

Python-Markdown passes an HTML block through untouched: the Markdown of a FAQ's
``<details>`` answer was never extracted, never translated, and showed as raw
``**stars**`` on every page. Its ``md_in_html`` extension parses the content of
blocks marked ``markdown="1"``; this module is that extension with the mark taken
as given on the tags in :data:`MARKDOWN_TAGS`, so authors write plain HTML. An
explicit ``markdown="0"`` still keeps a block raw, and every other HTML block
(a table, a script) stays raw as before. ``<summary>`` is a span-level tag: its
text is one message, of kind ``summary``.

Registered processors (replacing Python-Markdown's raw HTML handling, as
``md_in_html`` does): ``html_block`` preprocessor (20), ``markdown_block`` block
processor (105), ``raw_html`` postprocessor (30). The sanitiser
(:func:`carepages.render.html.sanitize`) still decides what reaches a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import markdown
from markdown.extensions.md_in_html import HTMLExtractorExtra, MarkdownInHtmlExtension
from markdown.preprocessors import Preprocessor

#: HTML blocks whose content is Markdown unless the author writes ``markdown="0"``.
MARKDOWN_TAGS = frozenset({"details", "summary", "div", "aside"})


class _Extractor(HTMLExtractorExtra):
    """``md_in_html``'s HTML parser, with ``markdown="1"`` the default on :data:`MARKDOWN_TAGS`."""

    def get_state(self, tag: str, attrs: Mapping[str, str]) -> Any:
        if tag in MARKDOWN_TAGS and "markdown" not in attrs:
            attrs = {**attrs, "markdown": "1"}
        return super().get_state(tag, attrs)


class _HtmlBlockPreprocessor(Preprocessor):
    """Stash HTML blocks, keeping those with Markdown inside as elements to parse (see ``md_in_html``)."""

    def run(self, lines: list[str]) -> list[str]:
        parser = _Extractor(self.md)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class HtmlBlockExtension(MarkdownInHtmlExtension):
    """``md_in_html`` with Markdown on by default in :data:`MARKDOWN_TAGS`."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        super().extendMarkdown(md)
        md.preprocessors.register(_HtmlBlockPreprocessor(md), "html_block", 20)


def makeExtension(**kwargs: Any) -> HtmlBlockExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Let Python-Markdown load this module by name (``extensions=["carepages.html_blocks"]``)."""
    return HtmlBlockExtension(**kwargs)
