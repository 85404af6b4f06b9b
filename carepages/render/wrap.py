"""Wrapping plain text by display width: what a monospace terminal, a printer or an e-mail shows.

Widths are *display* widths (wcwidth): a CJK ideograph takes two columns, an Arabic
vowel mark none. Lines break at spaces and, in text with CJK characters, between
characters, except before closing punctuation or after opening punctuation. A piece
that cannot fit even on a line of its own (a long URL) stays whole: a broken URL no
longer works.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from wcwidth import wcswidth, wcwidth

#: Whitespace as HTML defines it: a no-break space (U+00A0) or ideographic space is not in it.
HTML_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_NO_BREAK_BEFORE = frozenset({"Pe", "Pf", "Po"})  # closing brackets and quotes, commas, full stops
_NO_BREAK_AFTER = frozenset({"Ps", "Pi"})  # opening brackets and quotes
_ZWJ = "\u200d"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace terminal; control characters count as zero."""
    width = wcswidth(text)
    if width >= 0:
        return int(width)
    return sum(max(int(wcwidth(char)), 0) for char in text)


def _regional(char: str) -> bool:
    """A regional indicator: two of them make one flag, which must not be split."""
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _can_break(before: str, after: str) -> bool:
    """Whether a line may break between two visible characters with no space between them.

    Text in CJK scripts has no spaces, so a break is allowed next to a wide character,
    except before closing punctuation or after opening punctuation (a line should not
    start with an ideographic full stop or end with an opening bracket).
    """
    return _breakable(_traits(before), _traits(after))


def _breakable(before: tuple[int, bool, bool, bool], after: tuple[int, bool, bool, bool]) -> bool:
    """:func:`_can_break` of two characters' :func:`_traits`."""
    width, _, no_after, regional = before
    return max(width, after[0]) >= 2 and not (regional and after[3]) and not after[1] and not no_after


def _break_points(word: str) -> Iterator[int]:
    """Where a word without spaces may break: never inside a character's combining or joined sequence.

    A zero-width character (an Arabic vowel mark, an accent, a joiner) belongs to the
    visible character before it, so breaks are decided between visible characters.

    Only a wide character allows a break (see :func:`_can_break`), so a word with none,
    as is every word of a script written with spaces, is not walked character by
    character: that walk was most of the cost of rendering a page as text. Where it is
    walked (CJK text), each character's part in :func:`_can_break` is looked up once
    (:func:`_traits`), not asked of wcwidth and unicodedata for every pair.
    """
    if word.isascii():
        return
    traits = [_traits(char) for char in word]
    if max(traits)[0] < 2:
        return
    base, joined = traits[0], False
    for index in range(1, len(word)):
        if traits[index][0] <= 0:
            joined = joined or word[index] == _ZWJ
            continue
        if not joined and _breakable(base, traits[index]):
            yield index
        base, joined = traits[index], False


@functools.lru_cache(maxsize=65536)
def _traits(char: str) -> tuple[int, bool, bool, bool]:
    """What :func:`_can_break` asks of a character: its width, whether a line may not start
    with it, whether a line may not end with it, and whether it is a regional indicator."""
    category = unicodedata.category(char)
    return int(wcwidth(char)), category in _NO_BREAK_BEFORE, category in _NO_BREAK_AFTER, _regional(char)


def _has_wide(text: str) -> bool:
    """Whether ``text`` has a wide (CJK) character: only then may a word break between characters."""
    return not text.isascii() and max(map(wcwidth, set(text)), default=0) >= 2


def _pieces(text: str) -> Iterator[tuple[bool, str]]:
    """The unbreakable pieces of ``text``, each with whether a space separates it from the previous one."""
    if not _has_wide(text):  # each word is one piece: asked once per text, not once per word
        yield from ((True, word) for word in HTML_SPACE.split(text) if word)
        return
    for word in HTML_SPACE.split(text):
        start = 0
        for index in _break_points(word):
            yield start == 0, word[start:index]
            start = index
        if word:
            yield start == 0, word[start:]


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """Break ``text`` into lines of at most ``width`` display columns, indents included.

    Lines break at spaces (runs of which collapse to one) and between CJK characters.
    A piece that cannot fit even on a line of its own, such as a long URL, is put on a
    line of its own unbroken: a broken URL no longer works. Text without words gives [].
    """
    if _narrow(text):  # most text: every word is a piece, as wide as it is long
        return _wrap_narrow(text, width, initial_indent, subsequent_indent)
    return _wrap_pieces(text, width, initial_indent, subsequent_indent)


def _wrap_pieces(text: str, width: int, initial_indent: str, subsequent_indent: str) -> list[str]:
    """:func:`wrap` the long way: piece by piece, each measured (any text)."""
    lines: list[str] = []
    line, used, empty = initial_indent, display_width(initial_indent), True
    for spaced, piece in _pieces(text):
        size = wcswidth(piece)
        if size < 0:  # a control character: only then is the slower, forgiving measure needed
            size = display_width(piece)
        gap = 1 if spaced and not empty else 0
        if not empty and used + gap + size > width:
            lines.append(line)
            line, used, gap = subsequent_indent, display_width(subsequent_indent), 0
        line, used, empty = line + " " * gap + piece, used + gap + size, False
    if not empty:
        lines.append(line)
    return lines


#: ASCII control characters other than HTML's spaces: they take no column (see :func:`display_width`).
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = frozenset(" \t\n\r\f\v")
_LAST_BMP = "\uffff"


def _narrow(text: str) -> bool:
    """Whether every character of ``text`` but its spaces takes exactly one column, alone and in any company.

    Then a word is as wide as it is long and never breaks between characters, which is
    what :func:`_wrap_pieces` would find out piece by piece. Characters beyond the Basic
    Multilingual Plane (flags, emoji modifiers) are left to the long way: wcwidth
    measures some of them together differently from one by one.
    """
    if text.isascii():
        return _ASCII_CONTROL.search(text) is None
    chars = set(text).difference(_SPACES)
    if chars <= _NARROW_SEEN:
        return True
    fresh = chars - _NARROW_SEEN
    if max(fresh) > _LAST_BMP or any(wcwidth(char) != 1 for char in fresh):
        return False
    _NARROW_SEEN.update(fresh)
    return True


#: The characters :func:`_narrow` found one column wide so far (a text repeats the characters of the last).
_NARROW_SEEN: set[str] = set()


def _wrap_narrow(text: str, width: int, initial_indent: str, subsequent_indent: str) -> list[str]:
    """:func:`wrap` of :func:`_narrow` text, a line at a time: each line ends at the last space that fits.

    Lines are cut from the text with its spaces collapsed, so a line of ``n`` columns
    is found by one search instead of by adding its words one by one.
    """
    text = " ".join(HTML_SPACE.split(text.strip(" \t\n\r\f\v")))
    lines: list[str] = []
    indent, room = initial_indent, width - display_width(initial_indent)
    later = width - display_width(subsequent_indent)
    start, end = 0, len(text)
    while start < end:
        if end - start <= room:  # the rest fits
            lines.append(indent + text[start:])
            break
        cut = text.rfind(" ", start, start + room + 1) if room > 0 else -1  # (a negative end counts from the end)
        if cut < 0:  # the next word does not fit even alone: it stands on its own line, unbroken
            cut = text.find(" ", start)
            if cut < 0:
                lines.append(indent + text[start:])
                break
        lines.append(indent + text[start:cut])
        indent, room, start = subsequent_indent, later, cut + 1
    return lines


def wrap_lines(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """Wrap text that may hold hard line breaks ("\\n", from ``<br>``): each part on new lines."""
    return list(_wrapped(text, width, initial_indent, subsequent_indent))


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, width: int, initial_indent: str, subsequent_indent: str) -> tuple[str, ...]:
    """:func:`wrap_lines`, remembered: every page of a locale repeats its disclaimers and notices."""
    lines: list[str] = []
    for part in text.split("\n"):
        indent = subsequent_indent if lines else initial_indent
        lines.extend(wrap(part, width, indent, subsequent_indent))
    return tuple(lines)


# --------------------------------------------------------------------------- parsing


def hang(body: str, first: str, rest: str) -> str:
    """Prefix the first line of ``body`` with ``first`` and the others with ``rest`` (blank lines stay blank)."""
    lines = body.split("\n") if body else [""]
    prefixed = [(first if index == 0 else rest) + line for index, line in enumerate(lines)]
    return "\n".join(line.rstrip(" ") for line in prefixed)
