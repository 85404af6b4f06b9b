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
project or in dist/, where a download could carry them), one small file per reading,
so no process holds them all: the build's workers write them as they render, and the
check reads each one when it comes to its file. A missing or damaged file only means
reading that page again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from carepages.fsutil import write_if_changed
from carepages.htmltree import Node, parse
from carepages.integrity import problems_in
from carepages.memo import cache_path, code_digest
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


def readings_folder(root: Path) -> Path:
    """Where a project's readings are kept: a folder per version of the tool's code (a reading is
    a function of the bytes read and of the code that reads them)."""
    return _readings_home(root) / code_digest()[:32]


def _readings_home(root: Path) -> Path:
    return cache_path(root, "readings").with_suffix("")


class Readings:
    """The memo of readings: a file per reading in the user's cache folder, read when it is asked for.

    Never held whole: at 1000 pages x 20 locales the readings are some 43 MB of JSON,
    which the build's main process used to hold for its whole run (its peak fell from
    520 to 396 MiB without them) and rewrite whole after any change. Each reading is a file named by
    its kind and the sha256 of the bytes read (:func:`readings_folder`).

    Without a project root it is a plain memo for one run (``carepages verify`` keeps nothing).
    """

    def __init__(self, root: Path | None = None) -> None:
        self.folder = readings_folder(root) if root is not None else None
        self.memo: dict[str, Any] = {}  # the readings of a run without a folder
        self.made: set[str] = set()  # the landing pages (by sha) read back here (:meth:`read_made`)

    def page(self, data: bytes) -> PageReading:
        key = "html:" + _sha(data)
        kept = self._fetch(key)
        if kept is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
                return PageReading.from_json(kept)
        reading = read_page(data)
        self.keep(key, reading.as_json())
        return reading

    def handout(self, data: bytes) -> str:
        key = "pdf:" + _sha(data)
        kept = self._fetch(key)
        if isinstance(kept, str):
            return kept
        text = read_handout(data)
        self.keep(key, text)
        return text

    def keep(self, key: str, reading: Any) -> None:
        """Keep one reading (as :func:`reading_of` makes it); a folder that cannot be written only loses speed."""
        if self.folder is None:
            self.memo[key] = reading
            return
        with contextlib.suppress(OSError):
            write_if_changed(self._file(key), json.dumps(reading, sort_keys=True, ensure_ascii=False).encode("utf-8"))

    def _fetch(self, key: str) -> Any:
        """The reading kept under ``key``; ``None`` when there is none or its file cannot be read."""
        if self.folder is None:
            return self.memo.get(key)
        try:
            return json.loads(self._file(key).read_bytes())
        except (OSError, ValueError):
            return None

    def _file(self, key: str) -> Path:
        assert self.folder is not None
        kind, _, sha = key.partition(":")
        return self.folder / f"{kind}-{sha}.json"

    def read_made(self, files: dict[str, bytes]) -> None:
        """Read back files made here (the build's landing pages), by their paths and bytes; a page whose
        reading is kept already (same bytes: the other locales' index after one catalog changed) is not
        parsed again."""
        for name, data in files.items():
            if name.endswith(".html") and self._fetch(key := "html:" + _sha(data)) is not None:
                self.made.add(key.partition(":")[2])
                continue
            reading = reading_of(name, data)
            if reading is not None:
                self.keep(*reading)
                self.made.add(reading[0].partition(":")[2])

    def prune(self, shas: set[str]) -> None:
        """Remove the readings of files other than ``shas`` (a build's pages) and the ones this object kept
        (its landing pages), and the readings of other versions of the tool (so a reading of a file gone
        from dist/ does not stay forever).

        A run that writes readings at the same time only loses speed.
        """
        if self.folder is None:
            return
        home = self.folder.parent
        with contextlib.suppress(OSError):
            for other in home.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
            wanted = shas | self.made
            for path in self.folder.iterdir():
                if path.stem.partition("-")[2] not in wanted:
                    path.unlink(missing_ok=True)
        # The single file of readings earlier versions kept, read whole by every run.
        with contextlib.suppress(OSError):
            home.with_suffix(".json").unlink(missing_ok=True)
