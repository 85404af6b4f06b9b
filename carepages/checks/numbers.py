# ruff: noqa: RUF002 -- Arabic-Indic digits and separators are what this module reads.
"""Numbers: a translation states the same quantities as its source.

A dose, a percentage or a number of weeks that changes in translation is a
medical error, so every number of the source must be in the translation and no
other, as a multiset (order may change). A translation may write numbers the
way its readers do: with the locale's own decimal and grouping symbols and in
its own digits (Arabic-Indic ٣٫٥ for 3.5), all taken from Babel's CLDR data
(``get_decimal_symbol``, ``get_group_symbol``, the locale's numbering systems)
and ``unicodedata.digit``, never from a hand-written table.

Numbers are read from the text a reader sees of the message on its page (so a
URL's digits, a link target, a reference label such as ``[1]`` or a list marker do
not count), once with each convention the locale allows; the translation passes
if any one reading matches the source. A footnote-style label (``[^1]``, shown as
written: the dialect has no footnotes) is a label, not a quantity, and does not
count either. A heading's own numbering (``1. Warm up``) is text both sides show.

Digits are read by their value, so a digit of another script would pass with the
value it has and the look of another number (:func:`foreign_digits`): only Latin
digits and those of the locale's own script are numbers a reader reads as written.
Other characters with a numeric value are read as their compatibility form states it
(NFKC: ① as 1, ² as 2, ½ as 1⁄2, Ⅳ as IV), so "llame al ①①②" adds the number 112,
and "75 mg/m²" keeps the 2 of "75 mg/m2".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import regex
from babel import Locale
from babel.numbers import UnsupportedNumberingSystemError, format_decimal, get_decimal_symbol, get_group_symbol

from carepages.checks.context import LocaleContext
from carepages.checks.legible import locale_scripts
from carepages.checks.links import describe_difference, multiset_difference
from carepages.checks.model import Issue
from carepages.render.body import without_addresses

#: Space characters a person may type where CLDR's group symbol is a (narrow) no-break space.
_SPACES = " \u00a0\u2007\u2009\u202f"
#: A digit of any script: a text without one states no number.
_DIGIT = re.compile(r"\d")
#: A footnote-style label, ``[^1]`` or ``[^note-2]``: a name, not a number.
_FOOTNOTE_LABEL = re.compile(r"\[\^[^\]\s]+\]")


@dataclass(frozen=True)
class NumberFormat:
    """One way of writing numbers: a decimal symbol and a group symbol."""

    decimal: str
    group: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return _pattern(self.decimal, self.group)

    def values(self, text: str) -> list[str]:
        """Every number in ``text``, read with this convention, as a canonical string."""
        return [value for match in self.pattern.finditer(text) if (value := self._value(match.group(0)))]

    def _value(self, written: str) -> str | None:
        digits = []
        for char in written:
            digit = unicodedata.digit(char, None)
            if digit is not None:
                digits.append(str(digit))
            elif char == self.decimal:
                digits.append(".")
        try:
            number = Decimal("".join(digits))
        except InvalidOperation:
            return None
        return format(number.normalize(), "f")


@cache
def _pattern(decimal: str, group: str) -> re.Pattern[str]:
    """Digits (any script), groups of exactly three after a group symbol, an optional decimal part."""
    group_class = f"[{re.escape(_SPACES)}]" if group in _SPACES else re.escape(group)
    return re.compile(rf"\d+(?:{group_class}\d{{3}}(?!\d))*(?:{re.escape(decimal)}\d+)?")


def _format(locale: Locale, system: str) -> NumberFormat | None:
    try:
        return NumberFormat(
            get_decimal_symbol(locale, numbering_system=system), get_group_symbol(locale, numbering_system=system)
        )
    except UnsupportedNumberingSystemError:
        return None


@cache
def number_formats(code: str) -> tuple[NumberFormat, ...]:
    """The conventions a locale's text may use: Latin digits' symbols, then its default and native ones."""
    locale = Locale.parse(code)
    systems = dict.fromkeys(["latn", locale.default_numbering_system, *locale.other_numbering_systems.values()])
    found = (_format(locale, system) for system in systems)
    return tuple(dict.fromkeys(fmt for fmt in found if fmt is not None))


def compare(source: str, translation: str, source_language: str, locale: str) -> tuple[list[str], list[str]] | None:
    """None when the numbers match under some allowed convention, else (missing, added) under the closest.

    The source language's convention is allowed too ("2.5 Jahre" is read as meant), but
    not for a number the locale's readers read as another: "1,000 mg" in German is 1 mg
    to a German reader, "12.000" twelve thousand. Such a number is reported as the value
    meant changed to the value read (:func:`_misread`).
    """
    wanted = number_formats(source_language)[0].values(source)
    local = number_formats(locale)
    best: tuple[list[str], list[str]] | None = None
    for fmt in dict.fromkeys((*local, *number_formats(source_language)[:1])):  # a tie: the locale's reading
        missing, added = multiset_difference(wanted, fmt.values(translation))
        if not missing and not added:
            misread = [] if fmt in local else _misread(translation, fmt, local)
            if not misread:
                return None
            missing, added = sorted(meant for meant, _ in misread), sorted(read for _, read in misread)
        if best is None or len(missing) + len(added) < len(best[0]) + len(best[1]):
            best = (missing, added)
    return best


#: After a number, what makes it part of a code: another separator and digit ("800.222" of "800.222.1222").
_CODE_TAIL = re.compile(r"[.,:/]\d")


def _misread(text: str, written: NumberFormat, local: tuple[NumberFormat, ...]) -> list[tuple[str, str]]:
    """(value meant, value read) of each number of ``text``, written in the ``written`` convention, that
    reads as a whole as another number in each of the locale's conventions where it reads as one.

    A number that is part of a code is not a quantity a reader reads: one after a letter
    (ICD-10 "J45.909") or longer digits-and-dots that the number is only a piece of
    ("800.222.1222", "192.168.100.1").
    """
    misread = []
    for match in written.pattern.finditer(text):
        token = match.group(0)
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 2]
        if before.isalpha() or (before and before in ".,") or _CODE_TAIL.match(after):
            continue  # a code: "J45.909", "800.222.1222" (a unit after it, "5,000USD", is still a quantity)
        meant = written._value(token)
        readings = {value for fmt in local if fmt.pattern.fullmatch(token) and (value := fmt._value(token))}
        if meant is not None and readings and meant not in readings:
            misread.append((meant, min(readings)))
    return misread


def compare_shown(
    source: str, translation: str, source_language: str, locale: str
) -> tuple[list[str], list[str]] | None:
    """:func:`compare` on the text a reader sees, without what states no quantity: URLs, and the footnote
    labels the source has (a label only the translation has, "[^Kosten:50.000€]", is text a reader reads)."""
    labels = frozenset(_FOOTNOTE_LABEL.findall(source))
    return compare(_quantities(source, labels), _quantities(translation, labels), source_language, locale)


def _quantities(text: str, labels: frozenset[str]) -> str:
    if labels:
        text = _FOOTNOTE_LABEL.sub(lambda match: " " if match.group(0) in labels else match.group(0), text)
    return _as_digits(without_addresses(text))


@cache
def local_forms(source_language: str, code: str) -> str:
    """How the locale may write 1,234.5 (by CLDR), when that differs from the source language."""
    value = Decimal("1234.5")
    source = format_decimal(value, locale=source_language)
    locale = Locale.parse(code)
    forms = []
    for system in dict.fromkeys(["latn", locale.default_numbering_system, *locale.other_numbering_systems.values()]):
        try:
            forms.append(format_decimal(value, locale=locale, numbering_system=system))
        except UnsupportedNumberingSystemError:
            continue
    local = [form for form in dict.fromkeys(forms) if form != source]
    digits = ", in Latin or native digits" if locale.other_numbering_systems.get("native", "latn") != "latn" else ""
    return f" ({code} may write {source} as {' or '.join(local)}{digits})" if local else ""


def foreign_digits(source: str, translation: str, locale: str) -> list[str]:
    """The digits of ``translation`` its readers read as other numbers, and that its source does not have,
    as ``U+XXXX NAME``.

    Digits are Latin (and their full-width and mathematical forms, which look alike) or
    of a script the locale writes in (Arabic-Indic digits in ``ar``: Unicode's Script
    property, the locale's scripts from CLDR as :func:`carepages.checks.legible.locale_scripts`
    finds them). A digit of another script reads as another number: GURMUKHI DIGIT ONE
    (੧) looks like a 9, BENGALI DIGIT FOUR (৪) like an 8, and their values are what
    :func:`compare` reads.
    """
    if translation.isascii():
        return []  # Latin digits only (most texts of Latin-script languages)
    found = set()
    for char in set(translation):  # each character once: a text repeats few
        if char <= "\x7f" or char in source or unicodedata.category(char) != "Nd" or _readable_digit(char, locale):
            continue
        found.add(char)
    return [f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}" for char in sorted(found)]


#: Characters with a numeric value that are not digits (①, ², ½, Ⅳ): read as their NFKC form states them.
_NUMERIC_FORMS = regex.compile(r"[\p{No}\p{Nl}]")


def _as_digits(text: str) -> str:
    """``text`` with its other numeric characters in their compatibility form, each a number of its own
    ("①①②" is 1, 1, 2; "201⁷" is 201 and 7, as a reader sees a raised 7; "m²" keeps the 2 of "m2")."""
    if text.isascii():
        return text
    return _NUMERIC_FORMS.sub(lambda match: f" {unicodedata.normalize('NFKC', match.group(0))} ", text)


def _readable_digit(char: str, locale: str) -> bool:
    """A Latin digit in any of its forms, or a digit of a script the locale writes in."""
    if unicodedata.normalize("NFKC", char).isascii():
        return True
    return any(regex.match(rf"\p{{Script={name}}}", char) for name in locale_scripts(locale))


def check_numbers(ctx: LocaleContext) -> Iterator[Issue]:
    hint = "keep every number of the source" + local_forms(ctx.config.source_language, ctx.locale)
    for entry in ctx.translated_entries():
        shown = ctx.shown_pairs(entry)
        foreign = sorted({name for source, text in shown for name in foreign_digits(source, text, ctx.locale)})
        if foreign:
            yield Issue(
                entry.path,
                entry.line,
                f"numbers written in digits a reader of this language reads as other numbers ({', '.join(foreign)}): "
                "write every number as the source does" + local_forms(ctx.config.source_language, ctx.locale),
                entry,
            )
            continue
        if entry.plural:
            continue  # plural forms state different numbers by design ("one day", "%(n)s days")
        rendered = ctx.rendered(entry)
        texts = [rendered[0].text, rendered[1].text] if rendered else [entry.msgid, entry.strings[0]]
        if not any(_DIGIT.search(_as_digits(text)) for text in texts):
            continue  # no number on either side (most messages)
        difference = compare_shown(texts[0], texts[1], ctx.config.source_language, ctx.locale)
        if difference is not None:
            yield Issue(
                entry.path,
                entry.line,
                f"numbers differ from the source: {describe_difference(*difference)}: {hint}",
                entry,
            )
