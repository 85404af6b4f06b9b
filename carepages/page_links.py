"""Links between pages: written as the source folder has them, working in every built folder.

Pages mirror their source folders (``source/knee/exercises.md`` is built as
``dist/<lang>/knee/exercises.html``), so a relative link between two pages keeps
working in every locale's folder and in its bundle by construction. Two cases need
the tool's help:

* **``.md`` targets.** Authors link to the page they see in their editor or on a
  forge, ``[exercises](knee/exercises.md)``; the reader gets ``.html`` files. The
  :class:`PageLinkExtension` tree processor (``carepages_page_links``, priority 10,
  after ``inline``) rewrites a relative target ending in ``.md`` to ``.html``
  (fragment and query kept), as mdBook does. The source and every translation go
  through it, so the link check compares the same targets.
* **Text shown on another page.** The shared disclaimers are written at the top of
  ``source/`` but shown on every page, nested ones included; and a page withheld
  in a locale is not in that locale's folder. :func:`relink` rebases the relative
  links of HTML written in one page for the page it is shown in, and sends a link
  to a page withheld in this locale to the source language's page (the reader gets
  the original text rather than a missing file).
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Collection
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

#: A URL with a scheme (``https:``, ``mailto:``) or a protocol-relative one: not a link between pages.
_ABSOLUTE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//|/)")
#: nh3 writes every attribute double-quoted, with '"' escaped, so this finds each link target it kept.
_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')


def split_target(href: str) -> tuple[str, str] | None:
    """A relative link's (path, ``?query#fragment``), or None for an absolute URL or a bare fragment."""
    if not href or href.startswith(("#", "?")) or _ABSOLUTE.match(href):
        return None
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    return href[:cut], href[cut:]


def html_target(href: str) -> str:
    """``knee/exercises.md#warm-up`` -> ``knee/exercises.html#warm-up``; any other target unchanged."""
    parts = split_target(href)
    if parts is None or not parts[0].endswith(".md"):
        return href
    return parts[0][: -len(".md")] + ".html" + parts[1]


class _MdTargets(Treeprocessor):
    """Rewrite links to ``.md`` pages as links to the built ``.html`` pages."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("a"):
            href = element.get("href")
            if href:
                element.set("href", html_target(href))


class PageLinkExtension(Extension):
    """Links written to ``.md`` source files lead to the built pages (see the module docstring)."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        md.treeprocessors.register(_MdTargets(md), "carepages_page_links", 10)


def makeExtension(**kwargs: Any) -> PageLinkExtension:  # noqa: N802 (Python-Markdown's entry point)
    """Let Python-Markdown load this module by name (``extensions=["carepages.page_links"]``)."""
    return PageLinkExtension(**kwargs)


def relink(
    body: str,
    written_in: str,
    shown_in: str,
    withheld: Collection[str] = (),
    source_language: str = "",
) -> str:
    """Sanitised HTML written in page ``written_in``, with its links between pages fixed for ``shown_in``.

    Page names are ``/``-separated (``knee/exercises``); the shared disclaimers are
    written at the top (any name without a folder). A target that is one of the
    ``withheld`` pages leads to that page in ``source_language`` instead.
    """
    if "href=" not in body:
        return body

    def fix(match: re.Match[str]) -> str:
        target = _relinked(html.unescape(match.group(2)), written_in, shown_in, withheld, source_language)
        return match.group(0) if target is None else match.group(1) + html.escape(target) + match.group(3)

    return _HREF.sub(fix, body)


def _relinked(href: str, written_in: str, shown_in: str, withheld: Collection[str], source: str) -> str | None:
    """The new target of one link, or None when it stays as written."""
    parts = split_target(href)
    if parts is None or not parts[0]:
        return None
    path, rest = parts
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(written_in), path))
    here = posixpath.dirname(shown_in) or "."
    if resolved.endswith(".html") and resolved[: -len(".html")] in withheld and source:
        up = "../" * (shown_in.count("/") + 1)
        return f"{up}{source}/{resolved}{rest}"
    if posixpath.dirname(written_in) == posixpath.dirname(shown_in):
        return None
    return posixpath.relpath(resolved, here) + rest
