"""``carepages diff``: for each fuzzy message, what changed in the English, and what readers get meanwhile.

A disclaimer carried over (its fuzzy flag cleared without a new translation, found in
git history by :mod:`carepages.carryover`) is listed the same way: the English it was
translated from is the one the catalog held it for before the change.

A fuzzy message keeps the English text it was translated from (``#| msgid``, written
by ``carepages update``). A translator fixing it needs three things side by side:
the word-level change from that text to the current one, the translation as it
stands, and which version of the page readers get until it is fixed (current,
pinned to an earlier revision, or withheld: the verdict's answer, from
:func:`carepages.gate.assess_pinned`). Words are compared with :mod:`difflib`,
and the change is written as ``git diff --word-diff=plain`` writes it:
``[-removed-]`` and ``{+added+}``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message

from carepages.assess import load_run
from carepages.carryover import Carried
from carepages.catalog_paths import po_path
from carepages.catalogs import DISCLAIMERS_DOMAIN, UI_DOMAIN, read_catalog
from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.gate import assess_pinned
from carepages.parallel import default_jobs
from carepages.verdict import LocaleVerdict, PageVerdict


def word_diff(old: str, new: str) -> str:
    """The change from ``old`` to ``new``, word by word: ``[-removed-]`` and ``{+added+}``, the rest as is."""
    before, after = old.split(), new.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts += before[i1:i2]
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(before[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(after[j1:j2]) + "+}")
    return " ".join(parts)


@dataclass(frozen=True)
class FuzzyChange:
    """One fuzzy message: where it is, what changed in the English, its translation, how its pages are served."""

    path: str
    line: int
    domain: str
    change: str
    translation: str
    served: str
    kind: str = "fuzzy message"

    def lines(self) -> list[str]:
        return [
            f"{self.path}:{self.line}: {self.kind} of {self.domain}",
            f"  English:     {self.change}",
            f"  translation: {self.translation or '(empty)'}",
            f"  served:      {self.served}",
        ]


def run_diff(config: Config, locale: str, page: str | None = None, jobs: int | None = None) -> list[str]:
    """The report's lines: each fuzzy message of the locale (of one page: its catalog and the shared disclaimers)."""
    [locale] = config.select_locales([locale])
    run = load_run(config)
    domains = [messages.domain for messages in run.sources.all()] + [UI_DOMAIN]
    if page is not None:
        pages = [messages.domain for messages in run.sources.pages]
        if page not in pages:
            raise CarepagesError(f"no page {page!r}", hint="name one of: " + ", ".join(pages))
        domains = [DISCLAIMERS_DOMAIN, page]
    verdict = assess_pinned(run, [locale], jobs or default_jobs()).pinning.verdicts[locale]
    changes: list[FuzzyChange] = []
    carried: list[FuzzyChange] = []
    for domain in domains:
        path = po_path(config, locale, domain)
        if not path.is_file():
            continue  # the catalog does not exist yet
        rel = config.relative(path)
        catalog = read_catalog(path, rel, locale)
        served = served_text(verdict, domain)
        changes += fuzzy_changes(catalog, rel, domain, served)
        carried += carried_changes(catalog, rel, domain, served, run.carried.get(locale, {}))
    lines = [line for change in changes + carried for line in change.lines()]
    where = f"{locale} ({page})" if page else locale
    also = f" and {len(carried)} disclaimer{'s' if len(carried) != 1 else ''} carried over" if carried else ""
    lines.append(f"diff: {len(changes)} fuzzy message{'s' if len(changes) != 1 else ''}{also} in {where}")
    return lines


def fuzzy_changes(catalog: Catalog, rel: str, domain: str, served: str) -> list[FuzzyChange]:
    """The fuzzy messages of one catalog (``rel``), whose pages are ``served`` so."""
    return [
        FuzzyChange(rel, message.lineno or 0, domain, _change(message), _translation(message), served)
        for message in catalog
        if message.id and message.fuzzy
    ]


def carried_changes(
    catalog: Catalog, rel: str, domain: str, served: str, carried: Mapping[tuple[str, str], Carried]
) -> list[FuzzyChange]:
    """The catalog's disclaimers carried over: the English change since the text they were translated from."""
    found = sorted((c for (d, _), c in carried.items() if d == domain), key=lambda c: c.msgid)
    kind = "disclaimer carried over (fuzzy flag cleared, translation unchanged)"
    return [
        FuzzyChange(rel, _line(catalog, c.msgid), domain, word_diff(c.earlier, c.msgid), _words(c.string), served, kind)
        for c in found
    ]


def _line(catalog: Catalog, msgid: str) -> int:
    message = catalog.get(msgid)
    return (message.lineno or 0) if message is not None else 0


def _change(message: Message) -> str:
    current = _first(message.id)
    previous = _first(message.previous_id)
    if not previous:
        return f"{current} (the previous English text was not kept: compare the translation with this)"
    return word_diff(previous, current)


def _translation(message: Message) -> str:
    return _words(_first(message.string))


def _words(text: str) -> str:
    return " ".join(text.split())


def _first(value: object) -> str:
    """The singular form of a msgid, previous msgid or msgstr (Babel gives plural ones as lists or tuples)."""
    if isinstance(value, list | tuple):
        return str(value[0]) if value else ""
    return str(value or "")


def served_text(verdict: LocaleVerdict, domain: str) -> str:
    """How the pages a catalog belongs to reach readers now: its page, or every page for a shared catalog."""
    if domain not in (DISCLAIMERS_DOMAIN, UI_DOMAIN):
        return f"{domain} {_served(verdict, verdict.page(domain))}"
    states: dict[str, list[str]] = {}
    for page in verdict.pages:
        states.setdefault(_served(verdict, page), []).append(page.page)
    if len(states) == 1:
        return f"every page {next(iter(states))}"
    return "; ".join(f"{', '.join(pages)} {state}" for state, pages in states.items())


def _served(verdict: LocaleVerdict, page: PageVerdict) -> str:
    if page.pin is not None:
        pin = page.pin
        return (
            f"pinned to revision {pin.short} of {pin.day.isoformat()} "
            f"(the English page changed {pin.age_days} day(s) ago)"
        )
    if verdict.publishes(page.page):
        return "current (fuzzy messages shown in English)"
    return f"withheld ({'; '.join(verdict.why(page))})"
