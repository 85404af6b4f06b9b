"""Where a build puts its files: what the build writes and the output checks read, named once.

An edition's files live under its prefix (``dist/<clinic>/``, or dist/ itself):
``<lang>/<page>.html``, ``.txt`` and ``.pdf`` (when handouts are made), ``<lang>/index.html``,
``index.html``, ``manifest.json`` and ``downloads/<lang>.zip``.
"""

from __future__ import annotations

from collections.abc import Sequence

MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"


def page_suffixes(handouts: bool) -> tuple[str, ...]:
    """The files each published page has: HTML, plain text, and the PDF handout when handouts are made."""
    return ("html", "txt", "pdf") if handouts else ("html", "txt")


def bundle_members(code: str, pages: Sequence[str], handouts: bool) -> tuple[str, ...]:
    """What a language's bundle holds, inside the edition's folder: its index, then each page's files."""
    files = (f"{code}/{page}.{suffix}" for page in pages for suffix in page_suffixes(handouts))
    return (f"{code}/{INDEX_NAME}", *files)
