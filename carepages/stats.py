"""Translation progress per locale and per page: what ``carepages stats`` reports.

The build's publishing threshold uses the same numbers, so what a translator sees
in ``stats`` is exactly what decides whether a locale is published. Beside the
message counts, the words still to translate (new and fuzzy, counted in the source
text as :mod:`carepages.words` counts them: Chinese and Japanese by the character)
are what a translator quotes for.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from babel.messages.catalog import Catalog

from carepages.catalog_paths import find_templates, po_path
from carepages.catalogs import read_catalog
from carepages.config import Config
from carepages.errors import CarepagesError, raise_all
from carepages.memo import cache_path, code_digest, digest, file_digest, read_json, write_json
from carepages.words import count_words


@dataclass(frozen=True)
class Counts:
    """Message counts of one catalog (or a sum of several)."""

    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share of messages translated and not fuzzy; an empty catalog counts as complete."""
        return round(100.0 * self.translated / self.total, 1) if self.total else 100.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.translated + other.translated,
            self.fuzzy + other.fuzzy,
            self.untranslated + other.untranslated,
        )

    def as_dict(self) -> dict[str, float | int]:
        return {**asdict(self), "total": self.total, "percent": self.percent}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Counts:
        return cls(int(data["translated"]), int(data["fuzzy"]), int(data["untranslated"]))

    @property
    def open_share(self) -> float:
        """The share of messages a reader sees in the source language (untranslated or fuzzy), in percent."""
        return round(100.0 - self.percent, 1)


def count_catalog(catalog: Catalog) -> Counts:
    """Count the active (not obsolete) messages of ``catalog``."""
    translated = fuzzy = untranslated = 0
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy:
            fuzzy += 1
        elif all(strings):
            translated += 1
        else:
            untranslated += 1
    return Counts(translated, fuzzy, untranslated)


@dataclass(frozen=True)
class Words:
    """Source words of a catalog: all of them, and those of its new (untranslated) and fuzzy messages."""

    total: int = 0
    new: int = 0
    fuzzy: int = 0

    def __add__(self, other: Words) -> Words:
        return Words(self.total + other.total, self.new + other.new, self.fuzzy + other.fuzzy)


@functools.lru_cache(maxsize=1 << 18)
def _source_words(msgid: str) -> int:
    """:func:`carepages.words.count_words` of a msgid, once per process: every locale's catalog
    (and the template) holds the same msgids, and a build counts each catalog it reads.

    Room for every msgid of a large project (82,000 at 1000 pages): a cache smaller than
    that, read in the same order locale after locale, evicts each msgid just before it is
    asked for again, and every locale counted every word anew.
    """
    return count_words(msgid)


def count_catalog_words(catalog: Catalog) -> Words:
    """The source words of the active messages of ``catalog`` (a template's are all new)."""
    total = new = fuzzy = 0
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        words = sum(_source_words(text) for text in ids)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        total += words
        if message.fuzzy:
            fuzzy += words
        elif not all(strings):
            new += words
    return Words(total, new, fuzzy)


@dataclass(frozen=True)
class LocaleStats:
    """One locale's counts per catalog, and how each page reaches readers (the verdict's ``served``)."""

    locale: str
    pages: tuple[tuple[str, Counts], ...]
    words: tuple[tuple[str, Words], ...] = ()
    served: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def total(self) -> Counts:
        return sum((counts for _, counts in self.pages), Counts())

    @property
    def total_words(self) -> Words:
        return sum((words for _, words in self.words), Words())


def collect_stats(
    config: Config,
    templates: dict[str, Path],
    locales: list[str],
    served: Mapping[str, dict[str, dict[str, Any]]] | None = None,
) -> list[LocaleStats]:
    """Counts for every locale and domain; a missing catalog counts as untranslated.

    ``templates`` are the templates' paths by domain (:func:`carepages.update.template_paths`);
    ``served`` is, per locale, how each page reaches readers (current, pinned or withheld).
    Counting is a pure function of a file's bytes, so each file's counts are kept by its
    content's hash (:class:`CountMemo`): a catalog nobody changed since is hashed, not parsed.
    """
    memo = CountMemo(config)
    errors: list[CarepagesError] = []
    for path in templates.values():  # broken templates fail here, all of them, as when every one is read
        try:
            memo.count(path, partial(_read, config, path, None))
        except CarepagesError as exc:
            errors.append(exc)
    raise_all(errors)
    result = []
    for locale in locales:
        rows, words = [], []
        for domain, template in templates.items():
            path = po_path(config, locale, domain)
            if path.exists():
                counts, counted = memo.count(path, partial(_read, config, path, locale))
            else:  # no catalog yet: the template's messages are all new
                counts, counted = memo.count(template, partial(_read, config, template, None))
            rows.append((domain, counts))
            words.append((domain, counted))
        result.append(LocaleStats(locale, tuple(rows), tuple(words), dict((served or {}).get(locale, {}))))
    memo.save()
    return result


def _read(config: Config, path: Path, locale: str | None) -> Catalog:
    return read_catalog(path, config.relative(path), locale, config.root)


class CountMemo:
    """Counts and words by the sha256 of the file counted (and the tool's version): this run's, for the next."""

    def __init__(self, config: Config) -> None:
        self.root = config.root
        self.path = cache_path(config.root, "stats")
        self.version = digest("2", code_digest())
        self.kept = read_json(self.path, self.version)
        self.used: dict[str, list[int]] = {}

    def count(self, path: Path, read: Callable[[], Catalog]) -> tuple[Counts, Words]:
        """The counts of the file at ``path``, kept or made by reading it (``read`` reports what is wrong with it)."""
        key = tally_key(path, self.root)
        sha = key.partition(":")[2]
        found = self.kept.get(key)
        if sha.startswith(("absent", "refused")) or not (isinstance(found, list) and len(found) == 6):
            found = tally(read())
        self.used[key] = found
        return Counts(*found[:3]), Words(*found[3:])

    def save(self) -> None:
        if self.used != self.kept:
            write_json(self.path, self.version, self.used)

    def add(self, tallies: Mapping[str, list[int]]) -> None:
        """Counts made elsewhere (a build's or check's reading of the catalogs), by :func:`tally_key`."""
        fresh = {key: found for key, found in tallies.items() if self.kept.get(key) != found}
        if fresh:
            write_json(self.path, self.version, {**self.kept, **fresh})


class Tallied(Protocol):
    """A template as a run keeps it (:class:`carepages.checks.context.Template`): its counts, made when it was read."""

    @property
    def tally(self) -> tuple[int, ...]: ...


def keep_counts(
    config: Config, tallies: Mapping[str, list[int]], templates: Callable[[], Mapping[str, Tallied]]
) -> None:
    """Hand ``stats`` what a build or check read: each catalog's counts (``tallies``) and the templates'.

    Then ``stats`` right after parses no file (the memo is by content: a file changed since
    is read again). ``templates`` gives the run's templates; it is called only when the memo
    lacks the counts of one of them (a run that parsed none need not parse them for this).
    """
    memo = CountMemo(config)
    wanted = {tally_key(path, config.root): domain for domain, path in find_templates(config).items()}
    missing = {key: domain for key, domain in wanted.items() if key not in memo.kept}
    parsed = templates() if missing else {}
    memo.add({**tallies, **{key: list(parsed[domain].tally) for key, domain in missing.items() if domain in parsed}})


def tally(catalog: Catalog) -> list[int]:
    """A catalog's counts and words, as :class:`CountMemo` keeps them."""
    counts, counted = count_catalog(catalog), count_catalog_words(catalog)
    return [counts.translated, counts.fuzzy, counts.untranslated, counted.total, counted.new, counted.fuzzy]


def tally_key(path: Path, root: Path) -> str:
    """The memo's key of a file's counts: its suffix and the sha256 of its bytes (as ``stats`` hashes it)."""
    return f"{path.suffix}:{file_digest(path, root)}"


def format_table(stats: list[LocaleStats]) -> str:
    """A table for people: one row per locale and page, and a total per locale."""
    header = ("locale", "page", "translated", "fuzzy", "untranslated", "percent", "new words", "fuzzy words", "served")
    rows: list[tuple[str, ...]] = [header]
    for entry in stats:
        words = dict(entry.words)
        for domain, counts in (*entry.pages, ("(all)", entry.total)):
            count = entry.total_words if domain == "(all)" else words.get(domain, Words())
            rows.append(
                (
                    entry.locale,
                    domain,
                    str(counts.translated),
                    str(counts.fuzzy),
                    str(counts.untranslated),
                    f"{counts.percent:.1f} %",
                    str(count.new),
                    str(count.fuzzy),
                    served_text(entry.served.get(domain)),
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:-1], widths[2:-1], strict=True)]
        cells.append(row[-1])
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def served_text(served: dict[str, Any] | None) -> str:
    """A page's way to readers in the table: current, withheld, or pinned to a revision (and its date)."""
    if not served:
        return ""
    if served["state"] == "pinned":
        return f"pinned {served['revision'][:12]} ({served['date'][:10]})"
    return str(served["state"])


def format_json(stats: list[LocaleStats]) -> str:
    """The same numbers for machines, with stable key order; each page with how it is served."""
    data = {
        entry.locale: {
            "total": {**entry.total.as_dict(), "words": asdict(entry.total_words)},
            "pages": {
                domain: {
                    **counts.as_dict(),
                    "words": asdict(dict(entry.words).get(domain, Words())),
                    **({"served": entry.served[domain]} if domain in entry.served else {}),
                }
                for domain, counts in entry.pages
            },
        }
        for entry in stats
    }
    return json.dumps({"locales": data}, indent=2, ensure_ascii=False)
