"""A locale's glossary (``locale/<lang>/glossary.toml``): the agreed translations of key terms.

Medical translators agree on one word for one thing ("célula madre", never
"célula troncal"); the ``glossary`` check holds every translation to it. The file
is TOML, one ``[[term]]`` table per term, written and reviewed by hand::

    [[term]]
    source = "stem cell"              # the source-language term
    target = ["célula madre"]         # the accepted translations: one must appear
    forbidden = ["célula troncal"]    # never to be used, whatever the source says
    note = "neutral Spanish"          # why, for the next translator

Terms match whole words, case-insensitively and tolerant of inflection: both sides
are cut to their Snowball stems ("stem cells" matches "stem cell", "células madre"
matches "célula madre"), and a term may stand at the start or end of a compound
("Stammzelltherapie" holds "Stammzelle", "Kortisoninjektion" holds "Injektion").
Chinese and Japanese terms match as character sequences.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import snowballstemmer
from babel import Locale

from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.fsutil import read_input
from carepages.limits import CATALOG_FILE
from carepages.words import is_cjk, tokens, visible_text

GLOSSARY_FILE = "glossary.toml"
TERM_KEYS = ("source", "target", "forbidden", "note")
#: A stem shorter than this matches only a whole word: "en" must not match inside "encía".
MIN_COMPOUND_STEM = 4
_TOML_LINE = re.compile(r"\(at line (\d+)")
#: Arabic conjunctions written as one letter before the next word ("wa-", "fa-"), which Snowball leaves on.
ARABIC_PROCLITICS = "\u0648\u0641"
_JOINERS = re.compile("['\u2019-]")


@dataclass(frozen=True)
class Term:
    """One glossary entry, with the line of its ``[[term]]`` table for messages."""

    line: int
    source: str
    targets: tuple[str, ...]
    forbidden: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Glossary:
    """A locale's terms, and where the file is (relative to the project, for messages)."""

    rel: str
    terms: tuple[Term, ...]


def glossary_path(config: Config, locale: str) -> Path:
    return config.locale_dir / locale / GLOSSARY_FILE


def load_glossary(config: Config, locale: str) -> Glossary | None:
    """The locale's glossary, or None when it has none; a bad file is a :class:`CarepagesError`."""
    path = glossary_path(config, locale)
    rel = config.relative(path)
    try:
        text = read_input(path, rel, config.root, CATALOG_FILE, CarepagesError).decode("utf-8-sig")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise CarepagesError(f"cannot read: {exc}", path=rel, hint="save the glossary as UTF-8 text") from exc
    return parse_glossary(text, rel)


def parse_glossary(text: str, rel: str) -> Glossary:
    """Validate a glossary's text; every problem names the file and the line of its term."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        hint = "see the glossary format in the README"
        raise CarepagesError(f"invalid TOML: {exc}", path=rel, line=line, hint=hint) from exc
    unknown = sorted(set(data) - {"term"})
    if unknown or not isinstance(data.get("term", []), list):
        raise CarepagesError(
            f"unknown table {unknown[0]!r}" if unknown else "'term' must be an array of tables ([[term]])",
            path=rel,
            line=1,
            hint="write one [[term]] table per term",
        )
    lines = [number for number, line in enumerate(text.split("\n"), 1) if line.strip() == "[[term]]"]
    terms = [_term(raw, lines[i] if i < len(lines) else 1, rel) for i, raw in enumerate(data.get("term", []))]
    return Glossary(rel, tuple(terms))


def _term(raw: Any, line: int, rel: str) -> Term:
    def bad(message: str) -> CarepagesError:
        hint = 'write source = "stem cell", target = ["célula madre"], forbidden = [...], note = "..."'
        return CarepagesError(message, path=rel, line=line, hint=hint)

    if not isinstance(raw, dict):
        raise bad("a [[term]] must be a table")
    for key in raw:
        if key not in TERM_KEYS:
            raise bad(f"unknown key {key!r} (known: {', '.join(TERM_KEYS)})")
    source, note = raw.get("source", ""), raw.get("note", "")
    targets = _strings(raw.get("target", []), "target", bad)
    forbidden = _strings(raw.get("forbidden", []), "forbidden", bad)
    if not isinstance(source, str) or not isinstance(note, str):
        raise bad("source and note must be text")
    if bool(source.strip()) != bool(targets):
        raise bad("a term needs both a source and at least one target (or neither, with forbidden terms only)")
    if not targets and not forbidden:
        raise bad("a term needs a source and targets, or forbidden terms")
    return Term(line, " ".join(source.split()), targets, forbidden, note.strip())


def _strings(value: Any, key: str, bad: Any) -> tuple[str, ...]:
    """A string or a list of non-empty strings, as a tuple."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise bad(f"{key} must be a term or a list of terms, each with words")
    return tuple(" ".join(v.split()) for v in values)


# -- matching ----------------------------------------------------------------------------------


@functools.cache
def _stemmer(language: str) -> Any:
    """The Snowball stemmer of a language (by its English name, as Snowball names them), or None."""
    name = (Locale("en").languages.get(language) or "").lower()
    return snowballstemmer.stemmer(name) if name in snowballstemmer.algorithms() else None


class Matcher:
    """Finds terms in the texts of one language, tolerant of inflection and compounds."""

    def __init__(self, language: str) -> None:
        self.stemmer = _stemmer(language)
        self.proclitics = ARABIC_PROCLITICS if language == "ar" else ""
        # Snowball in pure Python is slow and every text is looked at once per term: remember.
        self._stems: dict[str, str] = {}
        self._texts: dict[str, list[tuple[str, ...]]] = {}

    def stems(self, text: str) -> list[tuple[str, ...]]:
        """Each word's stem (and, after a one-letter proclitic such as Arabic "wa-", the stem without it)."""
        found = self._texts.get(text)
        if found is None:
            # "stem-cell" and "l'arthrose" are two words each here: the parts are what a term names.
            words = [part for word in tokens(visible_text(text.casefold())) for part in _JOINERS.split(word) if part]
            found = self._texts[text] = [tuple(self._stem(form) for form in self._forms(word)) for word in words]
        return found

    def _forms(self, word: str) -> tuple[str, ...]:
        if len(word) > 3 and word[0] in self.proclitics:
            return word, word[1:]
        return (word,)

    def _stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = _folded(str(self.stemmer.stemWord(word)) if self.stemmer else word)
        return stem

    def contains(self, text: str, term: str) -> bool:
        """Whether ``term`` appears in ``text`` (both as written; Markdown in ``text`` is fine)."""
        if any(is_cjk(char) for char in term):
            return _squeezed(term) in _squeezed(text)
        wanted, words = [stems[0] for stems in self.stems(term)], self.stems(text)
        span = len(wanted)
        return bool(wanted) and any(
            all(
                any(_word_matches(stem, form) for form in forms)
                for stem, forms in zip(wanted, words[start : start + span], strict=True)
            )
            for start in range(len(words) - span + 1)
        )


def _word_matches(stem: str, word: str) -> bool:
    """One stem of a term against one of a text: equal, the head or tail of a compound, or one last letter apart.

    Stemmers leave some inflections apart (Portuguese "injeçã"/"injeçõ", Arabic
    "خلاي"/"خلايا"): stems of four letters or more that differ only in their last
    letter are the same word.
    """
    if stem == word:
        return True
    if len(stem) >= MIN_COMPOUND_STEM and (word.startswith(stem) or word.endswith(stem)):
        return True
    shorter, longer = sorted((stem, word), key=len)
    if len(shorter) < MIN_COMPOUND_STEM or len(longer) - len(shorter) > 1:
        return False
    return longer.startswith(shorter) if len(longer) > len(shorter) else shorter[:-1] == longer[:-1]


def _squeezed(text: str) -> str:
    """The words of a text run together: how a term in an unspaced script is looked for."""
    return "".join(tokens(visible_text(_folded(text))))


def _folded(text: str) -> str:
    """Casefolded, without accents and vowel marks: "Células" and "celulas", "الفُصال" and "الفصال" alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
