"""What the strict catalog reader refuses before polib parses a file: its string literals, its pairs.

Babel's and polib's parsers accept some files that msgfmt rejects, or fail on them
later without a line: an unclosed or badly escaped string, a msgstr without its msgid
(or the reverse), a Plural-Forms header whose nplurals is not a number. These checks
name the file and line first; parsing itself stays with polib (:mod:`carepages.catalogs`).
"""

from __future__ import annotations

import re

from carepages.errors import CatalogError

FIX_SYNTAX = (
    "fix the PO syntax (every msgstr needs its msgid right before it), or restore the file from version control"
)


_KEYWORD_LINE = re.compile(r"^(?:#~\s*|#\|\s*|#~\|\s*)?(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(.*)$")
_CONTINUATION = re.compile(r"^(?:#~\s*|#\|\s*|#~\|\s*)?(\".*)$")
#: The escape sequences a C compiler (and so msgfmt) accepts in a PO string.
_ESCAPE = r'\\(?:[ntrabfv"\\?\']|[0-7]{1,3}|x[0-9A-Fa-f]+)'
_STRING_LITERAL = re.compile(rf'^"(?:[^"\\]|{_ESCAPE})*"$')

# A file made only of lines as PO writers lay them out: comments, and keyword or continuation
# lines whose string literal is well formed. Possessive (*+, ++), so it never backtracks.
_LITERAL = rf'"(?:[^"\\\n]++|{_ESCAPE})*+"'
_KEYWORD = r"(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "
_LAID_OUT_LINE = rf"(?:#[^~|\n][^\n]*+|#|(?:#~ |#\| |#~\| )?(?:{_KEYWORD})?{_LITERAL}|)"
_WELL_FORMED = re.compile(rf"(?:{_LAID_OUT_LINE}\n)*+{_LAID_OUT_LINE}")


def check_string_literals(text: str, rel: str) -> None:
    """Reject malformed quoted strings and escapes, which Babel and polib both accept silently.

    Given ``msgstr "Knie`` (no closing quote) polib keeps going, and ``"\\q"`` becomes a
    literal backslash; msgfmt rejects both. This validates the quoting of string lines
    only; parsing stays with polib. One regular expression accepts the usual layout of
    a whole file at once; a file it does not accept is checked line by line.
    """
    if not _WELL_FORMED.fullmatch(text):
        _check_each_line(text, rel)


def _check_each_line(text: str, rel: str) -> None:
    """:func:`check_string_literals` one line at a time, naming the first malformed one."""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        match = _KEYWORD_LINE.match(stripped) or _CONTINUATION.match(stripped)
        if match and not _STRING_LITERAL.match(match.group(1).strip()):
            raise CatalogError(
                f"cannot parse: malformed quoted string {cut(stripped)}",
                path=rel,
                line=number,
                hint='every string must be in double quotes, with inner quotes written as \\" '
                'and only the escapes \\n, \\t, \\\\ and \\"',
            )


def cut(text: str, width: int = 80) -> str:
    """A value quoted for a message, cut short: a hostile file may hold a line of megabytes."""
    return repr(text if len(text) <= width else text[: width - 1] + "…")


_MSGID_LINE = re.compile(r"^(?:#~ ?)?msgid ", re.MULTILINE)
_MSGSTR_LINE = re.compile(r"^(?:#~ ?)?msgstr(?: |\[0\] )", re.MULTILINE)
#: How the lines these two patterns match begin (no line begins with two of them).
_MSGID_STARTS = ("msgid ", "#~ msgid ", "#~msgid ")
_MSGSTR_STARTS = ("msgstr ", "msgstr[0] ", "#~ msgstr ", "#~ msgstr[0] ", "#~msgstr ", "#~msgstr[0] ")


def _count_lines(text: str, starts: tuple[str, ...]) -> int:
    """How many lines of ``text`` begin with one of ``starts``.

    What ``len(pattern.findall(text))`` counts for :data:`_MSGID_LINE` and
    :data:`_MSGSTR_LINE`, by ``str.count``, several times quicker than the patterns;
    the beginnings of obsolete entries and plural forms are counted only in a text
    that has any.
    """
    obsolete = "#~" in text
    plural = "msgstr[" in text
    return sum(
        text.count("\n" + start) + text.startswith(start)
        for start in starts
        if (obsolete or not start.startswith("#~")) and (plural or "[" not in start)
    )


def check_pairs(text: str, rel: str) -> None:
    """Every msgid has its msgstr and every msgstr its msgid (polib accepts a last msgid without one)."""
    if _count_lines(text, _MSGID_STARTS) == _count_lines(text, _MSGSTR_STARTS):
        return
    waiting: int | None = None  # the line of a msgid whose msgstr has not come yet
    for number, line in enumerate(text.split("\n"), start=1):
        if _MSGSTR_LINE.match(line):
            if waiting is None:
                raise CatalogError(
                    "cannot parse: a msgstr has no msgid before it", path=rel, line=number, hint=FIX_SYNTAX
                )
            waiting = None
        elif _MSGID_LINE.match(line):
            if waiting is not None:
                break
            waiting = number
    raise CatalogError("cannot parse: a msgid has no msgstr after it", path=rel, line=waiting, hint=FIX_SYNTAX)


_NPLURALS = re.compile(r'"Plural-Forms:[^"\n]*?nplurals\s*=\s*([^;\s"\\]*)', re.IGNORECASE)


def check_nplurals(text: str, rel: str) -> None:
    """Name the header line of a non-numeric ``nplurals``: the parsers only fail later, vaguely."""
    match = _NPLURALS.search(text, max(text.find('"Plural-Forms:'), 0))
    if match and not match.group(1).isdigit():
        raise CatalogError(
            f"the Plural-Forms header's nplurals must be a number, not {cut(match.group(1))}",
            path=rel,
            line=text.count("\n", 0, match.start()) + 1,
            hint="write the rule Babel has for the language, e.g. 'Plural-Forms: nplurals=2; plural=(n != 1);'",
        )
