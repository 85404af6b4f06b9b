"""Which of a few languages a text is in: langid.py's model (py3langid), restricted to the candidates.

The ``language`` check asks one question: is this translation in the locale's
language, or in another language the project knows (its source language, left in by
mistake, or one of its other locales, pasted from the wrong catalog)? A classifier
over all of langid.py's 97 languages mistakes short Spanish for Galician or Occitan
and short Chinese for Cantonese; restricted to the project's own languages it made
no such mistake on the shipped translations (see the README's "Checking"), and still
tells Spanish from Portuguese. The model loads once per process (under a second),
and only when some text needs judging.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from typing import Any

from babel import Locale


def language_of(locale: str) -> str:
    """The ISO 639 language of a locale code (``pt_BR`` -> ``pt``, ``zh_CN`` -> ``zh``)."""
    return Locale.parse(locale).language


@functools.cache
def _base_model() -> Any:
    """langid.py's model with probabilities normalised over the candidates (loaded once, slow)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@functools.cache
def known_languages() -> frozenset[str]:
    """Every language the model can tell apart."""
    return frozenset(_base_model().nb_classes)


@dataclass(frozen=True)
class Identifier:
    """A classifier restricted to ``candidates`` (ISO 639 codes the model knows)."""

    candidates: tuple[str, ...]
    model: Any

    def identify(self, text: str) -> str:
        """The candidate language ``text`` is most likely written in."""
        language, _confidence = self.model.classify(text)
        return str(language)


@functools.cache
def identifier(candidates: tuple[str, ...]) -> Identifier:
    """An :class:`Identifier` for these candidates; models share the loaded arrays but one.

    The table of each feature's weight in every language (100,053 features x 142
    columns, 27 MB) is cut to the candidates' columns (1.4 MB for seven), and the
    whole table is let go: a project judges among one set of languages, so every
    process that judges languages (each build worker) holds 27 MB less. Another set of
    candidates (in one process: only the tests) loads the model again (under a second).
    """
    known_languages()  # kept: it is asked for before every judgment
    model = copy.copy(_base_model())
    model.set_languages(list(candidates))
    model._full_model = (model.nb_ptc, model.nb_pc, model.nb_classes)  # the others' columns are not kept
    _base_model.cache_clear()
    return Identifier(candidates, model)


def language_name(code: str, locale: str = "en") -> str:
    """A language's name in English for messages (``pt`` -> ``Portuguese``)."""
    try:
        return Locale.parse(locale).languages.get(code) or code
    except ValueError:
        return code
