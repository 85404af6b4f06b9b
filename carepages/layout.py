"""Where a build puts its files: what the build writes and the output checks read, named once.

An edition's files live under its prefix (``dist/<clinic>/``, or dist/ itself):
``<lang>/<page>.html``, ``.txt`` and ``.pdf`` (when handouts are made), ``<lang>/index.html``,
``index.html``, ``manifest.json``, ``downloads/<lang>.zip`` and, in dist/ itself, ``REPORT.txt``.
"""

from __future__ import annotations

from collections.abc import Sequence

MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"
#: The build's report for the clinic's staff, in the neutral edition's folder (dist/ itself).
REPORT_NAME = "REPORT.txt"
DOWNLOADS = "downloads"


def bundle_name(code: str) -> str:
    """A language's bundle inside the edition's folder."""
    return f"{DOWNLOADS}/{code}.zip"


def page_suffixes(handouts: bool) -> tuple[str, ...]:
    """The files each published page has: HTML, plain text, and the PDF handout when handouts are made."""
    return ("html", "txt", "pdf") if handouts else ("html", "txt")


def bundle_members(code: str, pages: Sequence[str], handouts: bool) -> tuple[str, ...]:
    """What a language's bundle holds, inside the edition's folder: its index, then each page's files."""
    files = (f"{code}/{page}.{suffix}" for page in pages for suffix in page_suffixes(handouts))
    return (f"{code}/{INDEX_NAME}", *files)
