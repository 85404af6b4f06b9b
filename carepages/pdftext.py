"""The text of a PDF handout in reading order, so the check can find each disclaimer in it.

A PDF holds glyphs at positions, not text. For left-to-right scripts and Chinese
any extractor reads them back in order. Arabic is drawn in visual order (the
first letter of a line at its right end), and the usual extractors get it wrong
in ways that depend on how the line was split into runs: pdfminer.six's layout
returns every line reversed and splits a line where a bold run meets a regular
one, pypdf reverses each run but keeps the runs from left to right, PDFium
reverses ligatures letter by letter.

So this module takes only the glyphs from pdfminer.six (one ``LTChar`` per glyph,
with its position and the text its ``ToUnicode`` entry gives, a lam-alef
ligature included) and lays them out itself: glyphs on the same baseline form a
line, a gap wider than :data:`COLUMN_GAP` font sizes splits it into segments
(table cells), and a segment with right-to-left letters is put back into logical
order glyph by glyph with the reordering rules of the Unicode Bidirectional
Algorithm (UAX #9: W4, W5, N1, N2 and L2) for a right-to-left paragraph without
explicit embeddings, which is what the build writes. Reversing glyphs, not
characters, keeps a ligature's letters in their order; a combining mark (a
short vowel) stays with the letter it is drawn on. A line without right-to-left
letters reads from left to right: a PDF does not say a line's paragraph direction.
Lines that share columns (a table, a list and its markers) are read column by
column, so a cell's wrapped lines stay together.

:func:`comparable` is how the check compares such text with a disclaimer: the
PDF's text layer cannot be trusted with the Arabic short vowels (see its
docstring), so they are compared without them.

Only pdfminer.six is imported here (not WeasyPrint), so the check can read the
handouts on a machine that cannot make them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTComponent
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from carepages.segments import squeeze

#: A horizontal gap wider than this many font sizes separates two cells, not two words
#: (the page's stylesheet pads table cells by 0.6 rem on each side).
COLUMN_GAP = 1.0
#: A row further below the previous one than this many font sizes starts a new block.
ROW_GAP = 2.5
#: Glyphs whose baselines differ by less than this many font sizes are on one line.
BASELINE_TOLERANCE = 0.3
#: What a visible glyph without text in the PDF's text layer reads as.
LOST = "\ufffd"
#: Bidirectional classes of right-to-left letters, and of numbers.
_RTL = frozenset({"R", "AL"})
_NUMBER = frozenset({"EN", "AN"})
_MARKS = ("Mn", "Me")
_LAM_ALEF = "(?:لا|\ufffd)"


@dataclass(frozen=True)
class Glyph:
    """One glyph: its text (possibly several characters, or none), where it is, and in what size."""

    text: str
    left: float
    right: float
    baseline: float
    size: float
    order: int  # position in the content stream

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    @property
    def is_mark(self) -> bool:
        """A combining mark (a short vowel, shadda) drawn on a letter."""
        return bool(self.text) and all(unicodedata.category(char) in _MARKS for char in self.text)


def extract_text(pdf: bytes) -> str:
    """The text of every page, one line of the PDF per line, each in logical (reading) order."""
    return "\n".join(line for page in _pages(pdf) for line in _page_lines(page))


def comparable(text: str) -> str:
    """Text as the check compares it with a PDF: no whitespace, no combining marks, NFC.

    Combining marks go because a PDF cannot be trusted with them: WeasyPrint
    (Kozea/WeasyPrint#2841) maps each glyph to the text of the first cluster it
    was drawn in, so a mark drawn inside a lam-alef ligature (``بدلًا``) may carry
    the ligature's letters, or the letters may be lost (see the tests). Arabic
    short vowels are optional in writing; the letters are compared exactly.
    """
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(char for char in decomposed if unicodedata.category(char) not in _MARKS)
    return squeeze(unicodedata.normalize("NFC", kept))


def find_in_order(text: str, chunks: list[str]) -> bool:
    """Whether every chunk occurs in ``text`` after the previous one, both compared as :func:`comparable`.

    A lam-alef of a chunk also matches :data:`LOST`: the one glyph whose text
    WeasyPrint may lose, and :func:`repair_text_layer` cannot always restore.
    """
    haystack = comparable(text)
    position = 0
    for chunk in chunks:
        wanted = comparable(chunk)
        if not wanted:
            continue
        pattern = "".join(_LAM_ALEF if wanted.startswith("لا", i) else re.escape(c) for i, c in _letters_of(wanted))
        found = re.compile(pattern).search(haystack, position)
        if found is None:
            return False
        position = found.end()
    return True


def _letters_of(text: str) -> Iterator[tuple[int, str]]:
    """The positions and characters of ``text``, the alef of a lam-alef left out (its pattern covers it)."""
    index = 0
    while index < len(text):
        yield index, text[index]
        index += 2 if text.startswith("لا", index) else 1


def _pages(pdf: bytes) -> Iterator[list[Glyph]]:
    """Every page's glyphs in content-stream order (pdfminer's own layout analysis is not used)."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(io.BytesIO(pdf)):
        interpreter.process_page(page)
        chars = _chars(device.get_result())
        yield [Glyph(c.get_text(), c.x0, c.x1, c.matrix[5], c.size, n) for n, c in enumerate(chars)]


def _chars(component: LTComponent) -> Iterator[LTChar]:
    if isinstance(component, LTChar):
        yield component
    elif isinstance(component, Iterable):  # a page, or a figure (form XObject) inside it
        for child in component:
            yield from _chars(child)


def _page_lines(glyphs: list[Glyph]) -> Iterator[str]:
    """The page's text lines in reading order: a table's cells column by column, each cell's lines together."""
    rows = [_segments(line) for line in _lines(_letters(repair_text_layer(glyphs)))]
    for block in _blocks(rows):
        rtl = any(_bidi_class(glyph.text) in _RTL for row in block for segment in row for glyph in segment)
        if len(block) == 1:
            texts = ["".join(logical_order(segment)) for segment in block[0]]
            yield " ".join(reversed(texts) if rtl else texts)
            continue
        columns = _columns(block)
        for column in reversed(columns) if rtl else columns:  # a right-to-left table reads from the right
            for row in block:
                for segment in row:
                    if _overlap(segment, column):
                        yield "".join(logical_order(segment))


def _blocks(rows: list[list[list[Glyph]]]) -> Iterator[list[list[list[Glyph]]]]:
    """Consecutive rows that share two or more columns (a table, a list and its markers) form one block.

    A row joins the block above when each of its segments lies within one column of
    it and it is no further below than :data:`ROW_GAP` font sizes: a cell's second
    line does, a paragraph across the whole width and the page's footer do not.
    """
    block: list[list[list[Glyph]]] = []
    for row in rows:
        columns = _columns(block) if block else []
        fits = len(columns) > 1 and all(sum(_overlap(segment, column) for column in columns) == 1 for segment in row)
        fits = fits and _baseline(block[-1]) - _baseline(row) <= ROW_GAP * row[0][0].size
        if block and not fits:
            yield block
            block = []
        block.append(row)
    if block:
        yield block


def _baseline(row: list[list[Glyph]]) -> float:
    return row[0][0].baseline


def _columns(block: list[list[list[Glyph]]]) -> list[tuple[float, float]]:
    """The horizontal extents of a block's columns, from left to right (overlapping segments merge)."""
    spans = sorted((segment[0].left, segment[-1].right) for row in block for segment in row)
    columns: list[tuple[float, float]] = []
    for left, right in spans:
        if columns and left < columns[-1][1]:
            columns[-1] = (columns[-1][0], max(columns[-1][1], right))
        else:
            columns.append((left, right))
    return columns


def _overlap(segment: list[Glyph], column: tuple[float, float]) -> bool:
    return segment[0].left < column[1] and column[0] < segment[-1].right


def repair_text_layer(glyphs: list[Glyph]) -> list[Glyph]:
    """Undo, where the PDF itself shows how, what WeasyPrint's ``ToUnicode`` does to marked ligatures.

    WeasyPrint maps each glyph to the text of the first cluster it was drawn in
    (Kozea/WeasyPrint#2841, open). When that cluster is a lam-alef ligature with a
    short vowel inside (``بدلًا``), the vowel's glyph gets the whole text and the
    ligature's glyph none, everywhere in the document. A mark has no width, so a
    zero-width glyph whose text holds letters gives them to the empty glyph next to
    it (their cluster) or, elsewhere, drops them; a visible glyph that is still
    without text reads as U+FFFD, which :func:`find_in_order` accepts for a lam-alef.
    """
    repaired = list(glyphs)
    for index, glyph in enumerate(glyphs):
        letters = "".join(char for char in glyph.text if unicodedata.category(char) not in _MARKS)
        if glyph.right > glyph.left or not letters or letters == glyph.text:
            continue
        repaired[index] = replace(glyph, text="".join(c for c in glyph.text if unicodedata.category(c) in _MARKS))
        for other in (index + 1, index - 1):
            if 0 <= other < len(glyphs) and not glyphs[other].text and glyphs[other].right > glyphs[other].left:
                repaired[other] = replace(glyphs[other], text=letters)
                break
    return [replace(g, text=LOST) if not g.text and g.right > g.left else g for g in repaired]


def _letters(glyphs: list[Glyph]) -> list[Glyph]:
    """The page's glyphs with every combining mark joined to the text of the letter it is drawn on.

    HarfBuzz puts a mark after its letter; in right-to-left text, which a PDF holds
    in visual order, that is just before it. So a mark belongs to the next glyph in
    the content stream when that is a right-to-left letter, else to the previous one.
    Positions cannot tell: a mark may sit anywhere over its letter, or the one beside it.
    """
    letters = [glyph for glyph in glyphs if not glyph.is_mark]
    marks: dict[int, list[str]] = {}
    previous, waiting = None, []  # the last letter, and the marks seen since it
    for glyph in [*glyphs, None]:
        if glyph is not None and glyph.is_mark:
            waiting.append(glyph.text)
            continue
        if waiting and glyph is not None and _bidi_class(glyph.text) in _RTL:
            marks.setdefault(glyph.order, [])[:0] = reversed(waiting)
        elif waiting and previous is not None:
            marks.setdefault(previous.order, []).extend(waiting)
        previous, waiting = glyph, []
    return [replace(g, text=g.text + "".join(marks.get(g.order, []))) for g in letters]


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped by baseline, from the top of the page down, each line from left to right."""
    lines: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (-g.baseline, g.centre)):
        if lines and abs(lines[-1][0].baseline - glyph.baseline) <= BASELINE_TOLERANCE * glyph.size:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return [sorted(line, key=lambda glyph: glyph.centre) for line in lines]


def _segments(line: list[Glyph]) -> list[list[Glyph]]:
    """A line (from left to right) cut where a gap is wider than :data:`COLUMN_GAP` font sizes."""
    segments: list[list[Glyph]] = []
    for glyph in line:
        if segments and glyph.left - segments[-1][-1].right <= COLUMN_GAP * glyph.size:
            segments[-1].append(glyph)
        else:
            segments.append([glyph])
    return segments


def logical_order(glyphs: list[Glyph]) -> list[str]:
    """The texts of one segment's glyphs (from left to right) in reading order.

    Without right-to-left letters the glyphs read from left to right. With them, the
    segment belongs to a right-to-left paragraph and is reordered by UAX #9's rule L2.
    """
    texts = [glyph.text for glyph in glyphs]
    if not any(_bidi_class(text) in _RTL for text in texts):
        return texts
    order = _reorder(list(range(len(texts))), _levels([_bidi_class(text) for text in texts]))
    return [texts[index] for index in order]


def _bidi_class(text: str) -> str:
    """The bidirectional class of a glyph: that of its first character that has a direction."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind not in ("NSM", "BN"):
            return kind
    return "ON"


def _levels(kinds: list[str]) -> list[int]:
    """Embedding levels in a right-to-left paragraph (level 1): letters 1, Latin and numbers 2.

    W4: a single separator between two numbers is part of them ("1.5", "3,000");
    W5: a terminator next to a European number is too ("50%"). N1: a neutral between
    two left-to-right letters takes their direction; every other neutral takes the
    paragraph's (N2). Numbers count as right-to-left for N1, as the algorithm says.
    """
    resolved = list(kinds)
    for index in range(1, len(kinds) - 1):  # W4
        if kinds[index] in ("ES", "CS") and kinds[index - 1] in _NUMBER and kinds[index - 1] == kinds[index + 1]:
            resolved[index] = kinds[index - 1]
    for index, kind in enumerate(kinds):  # W5
        if kind == "ET" and _terminator_touches_number(resolved, index):
            resolved[index] = "EN"
    strong = ["L" if kind == "L" else "R" if kind in _RTL | _NUMBER else None for kind in resolved]
    levels = []
    for index, kind in enumerate(resolved):
        if kind == "L" or kind in _NUMBER:
            levels.append(2)
        elif strong[index] == "R":
            levels.append(1)
        else:  # N1, N2
            before = next((s for s in reversed(strong[:index]) if s), None)
            after = next((s for s in strong[index + 1 :] if s), None)
            levels.append(2 if before == after == "L" else 1)
    return levels


def _terminator_touches_number(kinds: list[str], index: int) -> bool:
    """Whether the run of terminators around ``index`` touches a European number on either side."""
    left = right = index
    while left > 0 and kinds[left - 1] == "ET":
        left -= 1
    while right < len(kinds) - 1 and kinds[right + 1] == "ET":
        right += 1
    return (left > 0 and kinds[left - 1] == "EN") or (right < len(kinds) - 1 and kinds[right + 1] == "EN")


def _reorder(items: list[int], levels: list[int]) -> list[int]:
    """UAX #9 rule L2: reverse every run at level 2 or higher, then every run at level 1 or higher.

    The same reversals turn logical order into visual order and visual order back
    into logical, so they read a PDF's line as well as they lay one out.
    """
    for level in (2, 1):
        index = 0
        while index < len(items):
            if levels[index] < level:
                index += 1
                continue
            end = index
            while end < len(items) and levels[end] >= level:
                end += 1
            items[index:end] = items[index:end][::-1]
            levels[index:end] = levels[index:end][::-1]
            index = end
    return items
