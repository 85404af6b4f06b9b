"""What the checks look at: the sources, the templates and each locale's catalogs, read once.

:class:`RunContext` is built once per run: the source pages (``extract_sources``,
the one authority on which disclaimers each page must carry), the templates on
disk, and the renderer whose cache every locale shares. :class:`LocaleContext`
holds one locale's catalogs, each parsed once; a catalog that cannot be read is
recorded as a failure (reported by the ``parse`` or ``encoding`` check) and the
other checks simply do not see it, so one broken file gives one clear error,
not a cascade.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from carepages.catalogs import po_path, pot_path, read_catalog
from carepages.checks.registry import Issue
from carepages.checks.render import Renderer
from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.extract import PageMessages, Sources, extract_sources
from carepages.markdown_ext import PageParser
from carepages.segments import Segment

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Entry:
    """One active message of a locale's catalog, with where it stands."""

    domain: str
    path: str  # the catalog, relative to the project root
    message: Message

    @property
    def line(self) -> int:
        """The 1-based line of the msgid in the PO file (0 when unknown)."""
        return self.message.lineno or 0

    @property
    def msgid(self) -> str:
        """The msgid (the singular one, for a plural message)."""
        value = self.message.id
        return value[0] if isinstance(value, tuple | list) else value

    @property
    def strings(self) -> tuple[str, ...]:
        value = self.message.string
        return tuple(value) if isinstance(value, tuple | list) else (value or "",)

    @property
    def plural(self) -> bool:
        return isinstance(self.message.id, tuple | list)

    @property
    def translated(self) -> bool:
        """Published by the build: every form filled in and not fuzzy."""
        return not self.message.fuzzy and all(self.strings)

    @property
    def untranslated(self) -> bool:
        return not self.message.fuzzy and not all(self.strings)

    def pairs(self) -> list[tuple[str, str]]:
        """(source, translation) pairs: singular with the first form, plural with the others."""
        return self._pairs

    @cached_property
    def _pairs(self) -> list[tuple[str, str]]:
        """Worked out once: most checks compare every pair."""
        ids = self.message.id if self.plural else (self.msgid,)
        return [(ids[min(i, len(ids) - 1)], text) for i, text in enumerate(self.strings)]


@dataclass
class LoadedCatalog:
    """A catalog parsed once, with the bytes it came from (for the duplicate pre-check)."""

    domain: str
    path: Path
    rel: str
    catalog: Catalog
    data: bytes


@dataclass
class RunContext:
    """What every locale shares: configuration, sources, templates and the renderer."""

    config: Config
    sources: Sources
    renderer: Renderer
    templates: dict[str, Catalog] = field(default_factory=dict)
    template_failures: list[Issue] = field(default_factory=list)

    @cached_property
    def source_domains(self) -> dict[str, PageMessages]:
        """Every domain extraction writes, by name: the shared disclaimers and the pages."""
        return {messages.domain: messages for messages in self.sources.all()}

    @cached_property
    def disclaimer_msgids(self) -> dict[str, frozenset[str]]:
        """Per domain, the msgids that belong to a disclaimer (from the source, never a catalog)."""
        return {
            domain: frozenset(s.msgid for s in messages.segments if s.disclaimer)
            for domain, messages in self.source_domains.items()
        }

    @cached_property
    def source_msgids(self) -> frozenset[str]:
        """Every msgid of the sources and templates: the texts every locale's checks render again."""
        ids = {segment.msgid for messages in self.sources.all() for segment in messages.segments}
        for template in self.templates.values():
            for message in template:
                ids.update([message.id] if isinstance(message.id, str) else message.id)
        return frozenset(ids)

    def disclaimer_segments(self, domain: str, disclaimer: str) -> list[Segment]:
        """The segments of one disclaimer in its domain, each msgid once, in document order."""
        seen: set[str] = set()
        found = []
        for segment in self.source_domains[domain].segments:
            if segment.disclaimer == disclaimer and segment.msgid not in seen:
                seen.add(segment.msgid)
                found.append(segment)
        return found

    def disclaimer_domain(self, page: PageMessages, disclaimer: str) -> str:
        """Where a disclaimer a page carries is translated: the shared catalog or the page's own."""
        return self.sources.shared.domain if disclaimer in self.sources.shared.disclaimers else page.domain

    def relative(self, path: Path) -> str:
        return self.config.relative(path)


def load_run(config: Config) -> RunContext:
    """Parse the sources (raising on broken ones: nothing can be checked without them) and templates."""
    sources = extract_sources(config, PageParser())
    run = RunContext(config, sources, Renderer())
    folder = config.templates_dir
    for path in sorted(folder.glob("*.pot")) if folder.is_dir() else []:
        try:
            run.templates[path.stem] = read_catalog(path, config.relative(path))
        except CarepagesError as exc:
            run.template_failures.append(Issue(config.relative(path), exc.line or 0, describe(exc)))
    return run


def describe(exc: CarepagesError) -> str:
    """An error's message with its hint, as one sentence that ends with what to do."""
    return f"{exc.message}: {exc.hint}" if exc.hint else exc.message


class LocaleContext:
    """One locale: its catalogs (parsed once), failures, and what has been found so far."""

    def __init__(self, run: RunContext, locale: str) -> None:
        self.run = run
        self.config = run.config
        self.locale = locale
        self.catalogs: dict[str, LoadedCatalog] = {}
        #: Catalogs that could not be read, as (check code, issue): "encoding" or "parse".
        self.failures: list[tuple[str, Issue]] = []
        #: Findings so far by severity, kept by the runner (the built-output check reads it).
        self.found: Counter[str] = Counter()
        self.found_codes: set[str] = set()
        self._load()

    @property
    def folder(self) -> Path:
        return self.config.locale_dir / self.locale / "LC_MESSAGES"

    def _load(self) -> None:
        for path in sorted(self.folder.glob("*.po")) if self.folder.is_dir() else []:
            rel = self.config.relative(path)
            if not path.resolve().is_relative_to(self.config.locale_dir):
                issue = Issue(rel, 0, "is a link to a file outside the locale folder: replace the link by the catalog")
                self.failures.append(("parse", issue))
                continue
            try:
                data = path.read_bytes()
                catalog = read_catalog(path, rel, locale=None)
            except (OSError, CarepagesError) as exc:
                self.failures.append(_failure(path, rel, exc))
                continue
            self.catalogs[path.stem] = LoadedCatalog(path.stem, path, rel, catalog, data)

    @property
    def expected_domains(self) -> list[str]:
        """Every domain the locale needs a catalog for: each template's, and each source page's."""
        return sorted(set(self.run.templates) | set(self.run.source_domains))

    def po_rel(self, domain: str) -> str:
        return self.config.relative(po_path(self.config, self.locale, domain))

    def pot_rel(self, domain: str) -> str:
        return self.config.relative(pot_path(self.config, domain))

    def broken(self, domain: str) -> bool:
        """Whether the domain's catalog exists but could not be read (already an error)."""
        rel = self.po_rel(domain)
        return any(issue.path == rel for _, issue in self.failures)

    @cached_property
    def entries(self) -> list[Entry]:
        """Every active message of every readable catalog, by domain, in file order."""
        return [
            Entry(domain, loaded.rel, message)
            for domain, loaded in sorted(self.catalogs.items())
            for message in loaded.catalog
            if message.id
        ]

    def translated_entries(self) -> list[Entry]:
        """The messages the build publishes: the ones whose content is worth comparing."""
        return self._translated

    @cached_property
    def _translated(self) -> list[Entry]:
        """Worked out once: a dozen checks go through the translated messages."""
        return [entry for entry in self.entries if entry.translated]

    def is_disclaimer(self, entry: Entry) -> bool:
        return entry.msgid in self.run.disclaimer_msgids.get(entry.domain, frozenset())

    def message(self, domain: str, msgid: str) -> Entry | None:
        """The active message ``msgid`` of a domain's catalog, if the catalog has it."""
        loaded = self.catalogs.get(domain)
        message = loaded.catalog.get(msgid) if loaded else None
        return Entry(domain, loaded.rel, message) if loaded and message is not None else None


def _failure(path: Path, rel: str, exc: OSError | CarepagesError) -> tuple[str, Issue]:
    """Classify a catalog that could not be read: not UTF-8 ("encoding"), or broken syntax ("parse")."""
    if isinstance(exc, OSError):
        return "parse", Issue(rel, 0, f"cannot read: {exc.strerror}: check the file's permissions")
    try:
        path.read_bytes().removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError:
        return "encoding", Issue(rel, exc.line or 0, describe(exc))
    return "parse", Issue(rel, exc.line or 0, describe(exc))
