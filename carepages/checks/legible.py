"""Text a reader can read: nothing invisible that changes it, disclaimers in the locale's own script.

* ``invisible`` -- a translation holds a character that is invisible and formats or
  hides text, which its source does not have: the bidirectional embeddings,
  overrides and isolates (U+202A-202E, U+2066-2069: a right-to-left override shows
  the text after it mirrored), and every other format character or default-ignorable
  code point (zero-width space, word joiner, byte-order mark, Unicode tag
  characters, Hangul fillers). What writing systems need is allowed: the joiners
  (ZWNJ, ZWJ) of Persian and Indic spelling, the direction marks (LRM, RLM, ALM) that
  place punctuation in right-to-left text, the soft hyphen, emoji variation selectors.
  The combining overlays (a stroke drawn through a letter) count too: a clause struck
  through reads as retracted. Each is looked for as written and as an HTML character
  reference decodes on the page (``&#x202E;``): :meth:`LocaleContext.shown_pairs`.
* ``disclaimer-text`` -- a disclaimer's translation must be text in the locale's
  script, about as much of it as its source: a disclaimer translated as ``.``, as a
  no-break space and a full stop, or as English in the Arabic catalog carries no
  letters of the script (Unicode's Script property, through the ``regex`` module;
  the locale's script from CLDR's likely subtags, through Babel), and one left
  identical to its source is not translated at all, and one that is (nearly) another
  disclaimer's translation says the other's warning, not its own. Whether the words
  mean what the source means no check can tell: that is the medical reviewer's sign-off.
* ``disclaimer-sentences`` -- a disclaimer's translation has fewer different sentences
  than its source (Unicode's sentence boundaries, :func:`carepages.words.sentences`): a
  translator who keeps "get urgent care" but drops "do not wait for the clinic to
  call you back" leaves letters enough for the check above, and a warning missing;
  saying the first sentence twice keeps the count, and is counted once.
  A translation that rightly joins two sentences is the reviewer's to accept. A last
  sentence cut off in the middle ("… فورًا. لا تنت": the text ends without the mark that
  ends its other sentences and its source) is one sentence fewer too: Unicode counts
  the fragment as a sentence.

All three are errors that only a reviewer may waive (``locale/<lang>/waivers.toml``).
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterator

import regex
from babel import Locale
from babel.core import get_global

from carepages.catalogs import DISCLAIMERS_DOMAIN
from carepages.checks.catalog import excerpt
from carepages.checks.context import LocaleContext
from carepages.checks.model import Entry, Issue
from carepages.checks.wording import IDENTICAL_MIN_LENGTH, end_mark
from carepages.words import sentences

#: Invisible characters writing systems need (see the module docstring).
NEEDED = frozenset("\u200c\u200d\u200e\u200f\u061c\u00ad") | frozenset(map(chr, range(0xFE00, 0xFE10)))
#: Format characters, default-ignorable code points, and the overlays (canonical combining class 1: the
#: strokes, slashes and tildes drawn across their letter).
_HIDDEN = regex.compile(r"[\p{Cf}\p{Default_Ignorable_Code_Point}\p{ccc=1}]")
_LETTER = regex.compile(r"\p{L}")

#: CLDR script codes that stand for several Unicode scripts.
SCRIPT_UNIONS = {
    "Hans": ("Han",),
    "Hant": ("Han",),
    "Jpan": ("Han", "Hiragana", "Katakana"),
    "Kore": ("Hangul", "Han"),
}
#: Letters of the script a translation needs per letter of its source: dense scripts write more per letter.
DENSITY = {"Han": 0.1, "Hiragana": 0.1, "Katakana": 0.1, "Hangul": 0.2}
DEFAULT_DENSITY = 0.3


def hidden_characters(source: str, translation: str) -> list[str]:
    """The characters of ``translation`` that hide or disguise text and that its source does not have, as
    U+XXXX NAME: invisible formatting characters, and the combining overlays (U+0336 COMBINING LONG STROKE
    OVERLAY after each letter strikes a clause through, which then reads as retracted)."""
    found = {char for char in _HIDDEN.findall(translation) if char not in NEEDED and char not in source}
    return [f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}" for char in sorted(found)]


def check_invisible(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        found = sorted({name for source, text in ctx.shown_pairs(entry) for name in hidden_characters(source, text)})
        if found:
            yield Issue(
                entry.path,
                entry.line,
                f"invisible formatting or overlay characters in the translation ({', '.join(found)}, written as "
                "characters or as HTML references such as &#x202E;): they can reorder, hide, strike through or "
                "disguise the text a reader sees; delete them (most editors show them only on request)",
                entry,
            )


@functools.cache
def locale_scripts(code: str) -> tuple[str, ...]:
    """The Unicode scripts a locale writes in: its CLDR script, or its likely one (``ar`` -> Arab)."""
    locale = Locale.parse(code)
    script = locale.script
    if script is None:
        likely = get_global("likely_subtags")
        full = likely.get(f"{locale.language}_{locale.territory}") or likely.get(locale.language) or ""
        parts = full.split("_")
        script = parts[1] if len(parts) > 2 else "Latn"
    return SCRIPT_UNIONS.get(script, (script,))


@functools.cache
def _script_letters(scripts: tuple[str, ...]) -> regex.Pattern[str]:
    return regex.compile("[" + "".join(rf"\p{{Script={name}}}" for name in scripts) + "]")


def script_problem(source: str, translation: str, scripts: tuple[str, ...]) -> str | None:
    """Why a disclaimer translation is not readable text of the locale's script, or None."""
    wanted = len(_LETTER.findall(source))
    if not wanted:
        return None
    have = len(_script_letters(scripts).findall(translation))
    density = min(DENSITY.get(name, DEFAULT_DENSITY) for name in scripts)
    needed = max(1, int(wanted * density))
    if have < needed:
        return (
            f"has {have} letters of the {'/'.join(scripts)} script where its source's {wanted} letters need "
            f"at least {needed}"
        )
    return None


def check_disclaimer_text(ctx: LocaleContext) -> Iterator[Issue]:
    scripts = locale_scripts(ctx.locale)
    same_language = Locale.parse(ctx.locale).language == Locale.parse(ctx.config.source_language).language
    disclaimers = [entry for entry in ctx.translated_entries() if ctx.is_disclaimer(entry)]
    for entry in disclaimers:
        for source, translation in _readable_pairs(ctx, entry):
            problem = script_problem(source, translation, scripts)
            if problem is None and not same_language and _identical(source, translation):
                problem = "is identical to its source: it is not translated"
            if problem is None:
                problem = _borrowed(ctx, entry, source, translation, disclaimers)
            if problem:
                yield Issue(
                    entry.path,
                    entry.line,
                    f"the disclaimer's translation {problem}: translate it in full, in words of the locale's "
                    "own script (punctuation, spaces and invisible characters do not count)",
                    entry,
                )
                break


#: A translation at least this alike another disclaimer's (difflib's ratio of their letters) is that translation
#: with a letter or two changed. Formulaic disclaimers that differ in one word ("… if you are pregnant" and
#: "… if you are breastfeeding") reach 0.85 to 0.92 in translation; a borrowed one about 1.0.
BORROWED = 0.97
#: Sources at least this alike say nearly the same: their translations may be as alike too.
ALIKE = 0.85


def _borrowed(ctx: LocaleContext, entry: Entry, source: str, translation: str, disclaimers: list[Entry]) -> str | None:
    """Whether the translation is (nearly) another disclaimer's, whose source is not (nearly) this one's.

    A translator who puts the "results vary" warning where the emergency one belongs
    leaves readable text of the right language and length, and no emergency warning.
    Compared with the disclaimers of the same catalog and of the shared disclaimers'
    catalog: what the page's key covers (:mod:`carepages.incremental`).
    """
    for other in disclaimers:
        if other is entry or other.msgid == entry.msgid or other.domain not in (entry.domain, DISCLAIMERS_DOMAIN):
            continue
        for other_source, other_translation in _readable_pairs(ctx, other):
            if _alike(translation, other_translation, BORROWED) and not _alike(source, other_source, ALIKE):
                where = "" if other.domain == entry.domain else f" in {other.path}"
                return (
                    f"is the translation of another disclaimer ({excerpt(other_source)}, line {other.line}{where}): "
                    "this disclaimer says something else"
                )
    return None


def _alike(one: str, other: str, least: float) -> bool:
    """The same text but for case, spacing, punctuation and letters enough to keep difflib's ratio at ``least``."""
    a, b = _letters(one), _letters(other)
    if not a or not b:
        return a == b
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= least and matcher.quick_ratio() >= least and matcher.ratio() >= least


def _letters(text: str) -> str:
    """Only the letters, marks and digits of ``text``, case folded: what two copies of a text surely share."""
    return "".join(_WORD_CHARS.findall(text)).casefold()


_WORD_CHARS = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def check_disclaimer_sentences(ctx: LocaleContext) -> Iterator[Issue]:
    for entry in ctx.translated_entries():
        if not ctx.is_disclaimer(entry):
            continue
        for source, translation in _readable_pairs(ctx, entry):
            # A sentence said twice counts once: repeating the first sentence is not translating the second.
            wanted, have = _distinct_sentences(source), _distinct_sentences(translation)
            if have >= wanted and cut_off(source, translation):
                yield Issue(
                    entry.path,
                    entry.line,
                    "the disclaimer's translation stops in the middle of its last sentence (it ends without the "
                    "mark that ends its other sentences, where its source ends with one): translate every "
                    "sentence of the source in full",
                    entry,
                )
                break
            if have < wanted:
                yield Issue(
                    entry.path,
                    entry.line,
                    f"the disclaimer's translation has {have} sentence{'s' if have != 1 else ''} where its source "
                    f"has {wanted}: a sentence may be left out; translate every sentence of the source (a reviewer "
                    "who finds two sentences rightly joined may waive this in waivers.toml)",
                    entry,
                )
                break


def _distinct_sentences(text: str) -> int:
    """How many different sentences ``text`` has (case, spacing and punctuation aside)."""
    return len({_letters(sentence) or sentence for sentence in sentences(text)})


def cut_off(source: str, translation: str) -> bool:
    """Whether the translation's last sentence is cut off: the source ends with a mark that ends a sentence,
    and the translation, which ends an earlier sentence with one, ends with none ("… فورًا. لا تنت").

    Counted as a sentence at Unicode's boundaries, such a fragment hid a lost half sentence. A
    translation whose script ends no sentence with a mark (Thai) has none before its end either.
    """
    pieces = sentences(translation)
    if len(pieces) < 2 or end_mark(source) is None or end_mark(translation) is not None:
        return False
    return any(end_mark(piece) is not None for piece in pieces[:-1])


def _identical(source: str, translation: str) -> bool:
    """Left as the source, and long enough that it cannot be a word both languages share ("Important")."""
    return source.strip() == translation.strip() and len(source.strip()) > IDENTICAL_MIN_LENGTH


def _readable_pairs(ctx: LocaleContext, entry: Entry) -> list[tuple[str, str]]:
    """(source, translation) as a reader reads them: the rendered prose (no URLs, no code), or the text."""
    rendered = ctx.rendered(entry)
    return [(rendered[0].prose, rendered[1].prose)] if rendered else entry.pairs()
