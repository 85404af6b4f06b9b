"""The same words for the same thing: the ``glossary`` and ``consistency`` checks.

* ``glossary`` -- a translation whose source names a glossary term (``stem cell``)
  but which uses none of the term's agreed translations, or which uses a forbidden
  term anywhere (:mod:`carepages.glossary`, inflection tolerated). In a disclaimer
  no allowance accepts it.
* ``consistency`` -- the same source text translated differently on two pages
  ("Sources" as "Fuentes" on one page and "Referencias" on the next): each odd one
  out is reported with the place of the usual translation. A disclaimer translated
  differently on one page is an error a reviewer may waive (``waivers.toml``): the
  odd one may have lost words in a way no other check counts (a sentence split in
  two and another dropped keeps the sentence count).

Otherwise both are warnings: a reviewer who decides an exception is right says so in
the message (``# allow: glossary -- the quotation keeps the study's own term``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

from carepages.checks.catalog import excerpt
from carepages.checks.context import LocaleContext
from carepages.checks.model import Code, Issue, Repeated
from carepages.errors import Severity
from carepages.glossary import Matcher, Term
from carepages.langident import language_of


def check_glossary(ctx: LocaleContext) -> Iterator[Issue]:
    # A glossary that cannot be read is an error: the terms it holds cannot be checked.
    yield from (replace(issue, severity=Severity.ERROR) for code, issue in ctx.failures if code == Code.GLOSSARY)
    if ctx.glossary is None or not ctx.glossary.terms:
        return
    source, target = Matcher(language_of(ctx.config.source_language)), Matcher(language_of(ctx.locale))
    where = ctx.glossary.rel
    for entry in ctx.translated_entries():
        for msgid, msgstr in entry.pairs():
            problem = _term_problem(ctx.glossary.terms, source, target, msgid, msgstr)
            if problem is not None:
                term, message = problem
                disclaimer = ctx.is_disclaimer(entry)
                yield Issue(entry.path, entry.line, f"{message} ({where}:{term.line})", entry, allowable=not disclaimer)
                break


def _term_problem(
    terms: tuple[Term, ...], source: Matcher, target: Matcher, msgid: str, msgstr: str
) -> tuple[Term, str] | None:
    """The first glossary rule a translation breaks, with what to do, or None."""
    for term in terms:
        for word in term.forbidden:
            if target.contains(msgstr, word):
                use = f": write {_choices(term.targets)} instead" if term.targets else ": reword it"
                return term, f"the glossary forbids {word!r}{use}"
    for term in terms:
        if (
            term.source
            and source.contains(msgid, term.source)
            and not any(target.contains(msgstr, t) for t in term.targets)
        ):
            return term, (
                f"the source says {term.source!r}: the glossary's translation is {_choices(term.targets)}; use it, "
                "or add '# allow: glossary -- reason' if this sentence needs another word"
            )
    return None


def _choices(targets: tuple[str, ...]) -> str:
    return " or ".join(repr(target) for target in targets)


def check_consistency(ctx: LocaleContext) -> Iterator[Issue]:
    """Every translation of a repeated source text that differs from its most common translation.

    It compares rows (:meth:`LocaleContext.repeated`), not entries: the messages of a page
    kept from the last assessment are not read again, their rows are kept instead.
    """
    by_msgid: dict[str, list[Repeated]] = defaultdict(list)
    for row in ctx.repeated():
        if row.text is not None:
            by_msgid[row.msgid].append(row)
    for rows in by_msgid.values():
        texts = [row.text or "" for row in rows]
        if len(set(texts)) < 2:
            continue
        usual = max(texts, key=lambda text: (texts.count(text), -texts.index(text)))
        model = rows[texts.index(usual)]
        for row, text in zip(rows, texts, strict=True):
            if text == usual:
                continue
            shown, here = _from_difference(usual, text)
            where = f"on page {model.domain!r} ({model.path}:{model.line}), here as {excerpt(here)}"
            disclaimer = row.msgid in ctx.run.disclaimer_msgids.get(row.domain, frozenset())
            if disclaimer:
                message = (
                    f"a disclaimer is translated as {excerpt(shown)} {where}: one of them may have lost or changed "
                    "words; make them the same (a reviewer who finds both right may waive this in waivers.toml)"
                )
            else:
                message = (
                    f"the same source text is translated as {excerpt(shown)} {where}: use one translation for both, "
                    "or add '# allow: consistency -- reason' if the pages need different words"
                )
            yield Issue(
                row.path,
                row.line,
                message,
                row.entry,
                domain=row.domain,
                severity=Severity.ERROR if disclaimer else None,
                allowed=row.allowed,
            )


def _from_difference(first: str, second: str) -> tuple[str, str]:
    """Both texts from a little before where they first differ: a long shared start hides the difference."""
    same = next(
        (i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b), min(len(first), len(second))
    )
    if same <= 24:
        return first, second
    start = same - 12
    return "…" + first[start:], "…" + second[start:]
