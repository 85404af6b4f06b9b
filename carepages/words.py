"""Words as translators count them, in spaced scripts and in Chinese and Japanese.

Translators quote by the word, and the ``language`` check judges only texts of four
or more words, so both need one count that is right in every script: Latin, Arabic
or Cyrillic text splits at spaces and punctuation, while Chinese and Japanese are
written without spaces and counted by the character (the way translation tools and
agencies quote them). A message's Markdown is not text: link targets, bare URLs,
HTML tags and ``%(name)s`` placeholders are left out before counting.

Sentences are counted too, for the ``disclaimer-sentences`` check: where Unicode's
sentence boundaries (UAX #29) fall, read from the Sentence_Break property of every
script (``.`` ``?`` ``。`` ``؟`` ``।`` ...), so Chinese and Hindi count as English does.
"""

from __future__ import annotations

import re

import regex

#: Han ideographs, kana and the CJK compatibility ranges: one word per character.
_CJK = (
    "\u3005\u3006\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
#: A word of a spaced script: letters, digits and combining marks, joined by an apostrophe or a hyphen.
_LETTER = rf"(?:(?![{_CJK}])[^\W_]|[\u0300-\u036f\u064b-\u065f\u0670])"
_WORD = re.compile(rf"{_LETTER}+(?:['\u2019-]{_LETTER}+)*")
_TOKEN = re.compile(f"{_WORD.pattern}|{_CJK_CHAR.pattern}")
_MARKUP = re.compile(
    r"\]\([^)]*\)"  # a link's target: [text](url) keeps its text
    r"|<[a-z][a-z0-9+.-]*:[^>\s]*>"  # an autolink
    r"|https?://\S+|www\.\S+"  # a bare address
    r"|</?[A-Za-z][^>]*>"  # an HTML tag
    r"|%\([A-Za-z_]+\)[sd]|%%",  # an interface string's placeholder
)


def visible_text(markdown: str) -> str:
    """A message's words without what a reader does not read as words (addresses, tags, placeholders)."""
    return _MARKUP.sub(lambda match: "]" if match.group(0).startswith("]") else " ", markdown)


def tokens(text: str) -> list[str]:
    """The words of ``text`` in reading order: each CJK character is a word of its own."""
    return _TOKEN.findall(text)


def count_words(text: str, letters_only: bool = False) -> int:
    """How many words ``text`` (Markdown allowed) has; ``letters_only`` leaves out numbers."""
    words = tokens(visible_text(text))
    if letters_only:
        words = [word for word in words if _has_letter(word)]
    return len(words)


def has_words(text: str, least: int) -> bool:
    """Whether ``text`` (Markdown allowed) has at least ``least`` words with a letter (numbers not counted).

    The same as ``count_words(text, letters_only=True) >= least``, but it stops at the
    ``least``-th word: the ``language`` check asks this of every translation, and most
    have their four words within the first few.
    """
    if least <= 0:
        return True
    found = 0
    for match in _TOKEN.finditer(visible_text(text)):
        if _has_letter(match.group(0)):
            found += 1
            if found >= least:
                return True
    return False


def _has_letter(word: str) -> bool:
    """Whether ``word`` has a letter (Unicode category L*, which is what ``str.isalpha`` tests)."""
    return word.isalpha() or any(map(str.isalpha, word))


def is_cjk(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words (Chinese, Japanese)."""
    return bool(_CJK_CHAR.match(char))


#: A run of sentence terminators, the closing quotes and brackets after it, and the spaces after them.
_SENTENCE_END = regex.compile(
    r"(?P<marks>[\p{Sentence_Break=STerm}\p{Sentence_Break=ATerm}]+)\p{Sentence_Break=Close}*(?P<space>\s*)"
)
_STERM = regex.compile(r"\p{Sentence_Break=STerm}")
_NEXT_LETTER = regex.compile(r"\p{L}")
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\p{N}]")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, split at Unicode's sentence boundaries (UAX #29, rules SB6 to SB11).

    A ``?``, ``!``, ``。``, ``؟`` or ``।`` ends a sentence wherever it stands. A full stop
    ends one when a space, the end or a letter of a script without case (Chinese,
    Arabic) follows it, and the next letter is not a lower-case one, so "1.5",
    "example.org" and "e.g. the knee" stay whole; as in UAX #29, an abbreviation
    before a capital ("Dr. Smith") does end one. Only pieces with a letter or a digit
    are sentences (a lone closing quote is not). Written here because uniseg, the
    pure-Python UAX #29 library, took 9 ms per disclaimer (minutes at 1000 pages),
    and ICU has no official wheels.
    """
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if not _STERM.search(match.group("marks")):
            if not match.group("space") and end < len(text) and not _caseless_letter(text[end]):
                continue  # "1.5", "example.org": no space after the full stop (but "doctor.请" ends one)
            letter = _NEXT_LETTER.search(text, end)
            if letter is not None and letter.group(0).islower():
                continue  # "e.g. the": the sentence goes on
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return [piece for piece in pieces if _LETTER_OR_DIGIT.search(piece)]


def _caseless_letter(char: str) -> bool:
    """A letter of a script without case (UAX #29's OLetter): Han, kana, Arabic, Devanagari ..."""
    return char.isalpha() and not char.isupper() and not char.islower()
