"""Built files read back, once per content: what a page shows, remembered by its sha256.

The gate does not trust the renderer: ``check`` parses every built HTML page (which
elements are disclaimers and what text they show, and the ``visible`` rules of
:mod:`carepages.integrity`) and extracts the text of every PDF handout. Each such
reading is a pure function of the file's bytes and of the tool's code (the shipped
stylesheet included), so it is kept under the sha256 of those bytes. The build reads
back each page in its worker while the bytes are still in memory, and the check looks
the reading up by the hash of the file it finds in dist/: a page changed after the
build has another hash, and is read anew. So checking right after a build parses no
page twice, and never trusts a record of what a file *should* hold.

Readings live in the user's cache folder, like every memo of the tool (never in the
project or in dist/, where a download could carry them); a missing or damaged file
only means reading the pages again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from carepages.htmltree import Node, parse
from carepages.integrity import problems_in
from carepages.memo import cache_path, code_digest, read_json, write_json
from carepages.ui import TEMPLATES_DIR

#: The stylesheet every page carries inline, as carepages ships it.
STYLESHEET = TEMPLATES_DIR / "style.css"


@cache
def shipped_stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def disclaimers_shown(document: str) -> dict[str, tuple[int, str]]:
    """Per disclaimer id in an HTML document: the line of its first element and the text of all of them."""
    return shown_in(parse(document))


def shown_in(root: Node) -> dict[str, tuple[int, str]]:
    """:func:`disclaimers_shown` of a parsed page.

    ``data-disclaimers="a b"`` (the shared section) marks several at once; an element
    inside another element of the same disclaimer is not counted twice.
    """
    found: dict[str, tuple[int, list[str]]] = {}

    def visit(node: Node, inside: frozenset[str]) -> None:
        ids = [node.attrs["data-disclaimer"]] if "data-disclaimer" in node.attrs else []
        ids += node.attrs.get("data-disclaimers", "").split()
        new = [disclaimer for disclaimer in ids if disclaimer not in inside]
        for disclaimer in new:
            found.setdefault(disclaimer, (node.line, []))[1].append(node.text())
        for child in node.children:
            if isinstance(child, Node):
                visit(child, inside | frozenset(new))

    visit(root, frozenset())
    return {disclaimer: (line, "".join(texts)) for disclaimer, (line, texts) in found.items()}


@dataclass(frozen=True)
class PageReading:
    """One HTML page read back: its disclaimers' texts, and what breaks the ``visible`` rules."""

    shown: dict[str, tuple[int, str]]
    problems: tuple[tuple[int, str], ...]

    def as_json(self) -> dict[str, Any]:
        return {"shown": {k: list(v) for k, v in self.shown.items()}, "problems": [list(p) for p in self.problems]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageReading:
        shown = {str(k): (int(line), str(text)) for k, (line, text) in data["shown"].items()}
        return cls(shown, tuple((int(line), str(message)) for line, message in data["problems"]))


def read_page(data: bytes) -> PageReading:
    """Parse a built page once for both readers: the disclaimer checks and the ``visible`` rules."""
    return read_tree(parse(data.decode("utf-8", "replace")))


def read_tree(root: Node) -> PageReading:
    """:func:`read_page` of a page already parsed (the build parses each page it writes once)."""
    return PageReading(shown_in(root), tuple(problems_in(root, shipped_stylesheet())))


def read_handout(data: bytes) -> str:
    """A handout's text in reading order; a PDF that cannot be read shows nothing (so every check fails)."""
    from carepages.pdftext import extract_text  # pdfminer: loaded only where there are handouts

    try:
        return extract_text(data)
    except Exception:  # pdfminer raises many kinds of errors for a damaged file
        return ""


def reading_of(name: str, data: bytes, tree: Node | None = None) -> tuple[str, Any] | None:
    """The memo's entry for a built file (its key and JSON-ready reading); None for a file not read back.

    ``tree``, for an HTML page, is ``data`` already parsed (``data`` is its document
    encoded as UTF-8, so parsing the bytes again would make the same tree).
    """
    if name.endswith(".html"):
        return "html:" + _sha(data), (read_page(data) if tree is None else read_tree(tree)).as_json()
    if name.endswith(".pdf"):
        return "pdf:" + _sha(data), read_handout(data)
    return None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Readings:
    """The memo of readings: in memory for a run, kept in the user's cache folder between runs.

    Without a project root it is a plain memo for one run (``carepages verify`` keeps nothing).
    """

    def __init__(self, root: Path | None = None) -> None:
        self.path = cache_path(root, "readings") if root is not None else None
        self.kept: dict[str, Any] = read_json(self.path, code_digest()) if self.path else {}
        self.added = False
        self.made: set[str] = set()  # the files this run read back or was given readings of

    def page(self, data: bytes) -> PageReading:
        key = "html:" + _sha(data)
        if key not in self.kept:
            self.kept[key], self.added = read_page(data).as_json(), True
        return PageReading.from_json(self.kept[key])

    def handout(self, data: bytes) -> str:
        key = "pdf:" + _sha(data)
        if key not in self.kept:
            self.kept[key], self.added = read_handout(data), True
        return str(self.kept[key])

    def add(self, readings: dict[str, Any]) -> None:
        """Readings made elsewhere (the build's workers, by :func:`reading_of`)."""
        fresh = {key: value for key, value in readings.items() if key not in self.kept}
        self.kept.update(fresh)
        self.made |= {key.partition(":")[2] for key in readings}
        self.added = self.added or bool(fresh)

    def read_made(self, files: dict[str, bytes]) -> None:
        """Read back files made here (the build's landing pages), by their paths and bytes."""
        self.add(dict(filter(None, (reading_of(name, data) for name, data in files.items()))))

    def save(self, shas: set[str] | None = None) -> None:
        """Keep the readings for the next run; with ``shas`` (a build's files), only those files' readings
        and this run's (so a reading of a file gone from dist/ does not stay forever)."""
        if self.path is None:
            return
        if shas is not None:
            shas = shas | self.made
            kept = {key: value for key, value in self.kept.items() if key.partition(":")[2] in shas}
            if kept.keys() != self.kept.keys():
                self.kept, self.added = kept, True
        if self.added:
            write_json(self.path, code_digest(), self.kept)
            self.added = False
