"""The ``language`` check: a translation of four or more words that is not in the locale's language.

Every other check compares a translation's form with its source (links, numbers,
markup); none would notice a msgstr left in English, or a paragraph pasted from the
Portuguese catalog into the Spanish one. This one identifies the language of what
the reader sees (the rendered text, without code, addresses or placeholders) among
the project's own languages (:mod:`carepages.langident`) and reports a text that
reads as another of them. Short texts (fewer than four words, numbers not counted)
are not judged: a heading such as "PRP" or "Sources" says too little. A disclaimer
of eight words or more is judged among every language the model knows as well: an
emergency warning in Italian in the Spanish catalog, or in Persian in the Arabic
one, reads as Spanish or Arabic when the project's languages are the only choices.
It is found in another language only where the model is at least 0.9 sure of it,
and a reviewer may waive that finding (the model may confuse two close languages).

A disclaimer in the wrong language is an error that no allowance accepts: a patient
who cannot read the warning is not warned. A disclaimer of several sentences is also
judged sentence by sentence (each of four or more words): a French warning whose
last sentence is left in English reads as French as a whole, and is half translated.
That error a reviewer may waive (``waivers.toml``), as a sentence may rightly quote a
title; a translator's ``# allow:`` on a disclaimer never counts.
For any other message it is a warning that a reviewer may accept (a quotation kept
in the original, a title of a study).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from carepages.checks.catalog import excerpt
from carepages.checks.context import LocaleContext
from carepages.checks.model import Entry, Issue
from carepages.errors import Severity
from carepages.langident import identifiers, known_languages, language_name, language_of
from carepages.words import has_words, sentences, visible_text

#: Fewer words than this say too little about their language to be judged.
MIN_WORDS = 4
#: A disclaimer of at least this many words is also judged among every language the model knows
#: (:func:`carepages.langident.identifiers`): shorter texts say too little to tell Spanish from Galician.
WIDE_MIN_WORDS = 8
#: ... and found in another language only when the model is this sure of it: Croatian, Bosnian and
#: Serbian, or Indonesian and Malay, share so much that it rarely is of either (Croatian text: 0.50).
WIDE_CERTAINTY = 0.9


def check_language(ctx: LocaleContext) -> Iterator[Issue]:
    target = language_of(ctx.locale)
    texts = [(entry, text) for entry in ctx.translated_entries() if (text := _reader_text(ctx, entry))]
    if not texts:
        return
    candidates = candidate_languages(ctx.config.source_language, ctx.locale, ctx.config.locales)
    if target not in candidates or len(candidates) < 2:
        return  # a language the model does not know cannot be judged
    judge, wide = identifiers(candidates)
    found = judge.identify_all([text for _entry, text in texts])
    # A disclaimer that reads as the locale's language among the project's: among every language too.
    long_disclaimers = [
        index
        for index, ((entry, text), language) in enumerate(zip(texts, found, strict=True))
        if language == target and ctx.is_disclaimer(entry) and has_words(text, WIDE_MIN_WORDS)
    ]
    wide_findings: set[int] = set()
    distinct = list(dict.fromkeys(texts[i][1] for i in long_disclaimers))  # a page's disclaimer repeats on others
    judged_wide = dict(zip(distinct, wide.identify_all(distinct), strict=True))
    for index in long_disclaimers:
        if judged_wide[texts[index][1]] != target:  # asked again, for the model's certainty (close languages)
            language, probability = wide.judge(texts[index][1])
            if language != target and probability >= WIDE_CERTAINTY:
                found[index] = language
                wide_findings.add(index)
    # A disclaimer that reads as the locale's language as a whole: each of its sentences too.
    parts = [
        _sentences(text) if language == target and ctx.is_disclaimer(entry) else []
        for (entry, text), language in zip(texts, found, strict=True)
    ]
    judged = iter(judge.identify_all([part for each in parts for part in each]))
    for index, ((entry, _text), language, each) in enumerate(zip(texts, found, parts, strict=True)):
        if language != target:
            yield _issue(ctx, entry, language, target, wide=index in wide_findings)
            continue
        stray = [
            (part, judgment)
            for part, judgment in zip(each, islice(judged, len(each)), strict=True)
            if judgment != target
        ]
        if stray:
            yield _issue(ctx, entry, stray[0][1], target, stray[0][0])


def _sentences(text: str) -> list[str]:
    """The sentences of a disclaimer long enough to judge on their own, when it has more than one."""
    parts = sentences(text)
    return [part.strip() for part in parts if has_words(part, MIN_WORDS)] if len(parts) > 1 else []


def candidate_languages(source: str, locale: str, locales: tuple[str, ...]) -> tuple[str, ...]:
    """The languages a translation is judged among: the source's, the target's, the project's others."""
    wanted = {language_of(code) for code in (source, locale, *locales)}
    return tuple(sorted(wanted & known_languages()))


def _reader_text(ctx: LocaleContext, entry: Entry) -> str:
    """What a reader reads of the translation, when it is long enough to judge (else empty)."""
    rendered = ctx.rendered(entry)
    text = rendered[1].prose if rendered else " ".join(visible_text(string) for string in entry.strings)
    return text if has_words(text, MIN_WORDS) else ""


def _issue(ctx: LocaleContext, entry: Entry, found: str, target: str, sentence: str = "", wide: bool = False) -> Issue:
    disclaimer = ctx.is_disclaimer(entry)
    what = "a disclaimer" if disclaimer else "the translation"
    way_out = ", or add '# allow: language -- reason' if it must stay as it is (a quotation)"
    if sentence:  # the disclaimer as a whole is in the language: one sentence may rightly quote a title
        what = f"a sentence of a disclaimer ({excerpt(sentence)})"
        way_out = " (a reviewer may waive it in waivers.toml if it must stay as it is, a quoted title)"
    if wide:  # judged among every language: a reviewer may overrule the model on a close pair
        way_out = (
            " (a language the project does not have; a reviewer who reads it as "
            f"{language_name(target)} may waive this in waivers.toml)"
        )
    return Issue(
        entry.path,
        entry.line,
        f"{what} reads as {language_name(found)}, not {language_name(target)}: translate it into "
        f"{language_name(target)}" + ("" if disclaimer and not sentence else way_out),
        entry,
        severity=Severity.ERROR if disclaimer else None,
        allowable=not disclaimer or bool(sentence) or wide,
    )
