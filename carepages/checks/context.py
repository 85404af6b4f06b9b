"""What the checks look at: the sources, the templates and each locale's catalogs, read once.

:class:`RunContext` is built once per run: the source pages (``extract_sources``,
the one authority on which disclaimers each page must carry), the templates on
disk, and what each source message renders as. :class:`LocaleContext` holds one
locale's catalogs, each parsed once, and what each translation renders as on its
page (filled in by :mod:`carepages.assess`, through the same conversion the build
writes). A catalog that cannot be read is recorded as a failure (reported by the
``parse``, ``encoding``, ``duplicate`` or ``language`` check) and the other checks
simply do not see it, so one broken file gives one clear error, not a cascade.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from babel.messages.catalog import Catalog

from carepages.carryover import CarriedMap
from carepages.catalog_paths import find_catalogs, find_templates, po_path, pot_path
from carepages.catalogs import UI_DOMAIN, decode_catalog, msgids, parse_catalog_text, read_catalog_text
from carepages.checks.model import Code, Entry, Finding, Issue, Repeated
from carepages.config import Config
from carepages.errors import CarepagesError, CatalogError, Severity
from carepages.extract import PageMessages, Sources
from carepages.glossary import glossary_path, load_glossary
from carepages.integrity import Snapshot
from carepages.memo import FileHashes, KeptAnswers, cache_path, code_digest, digest, read_json, write_json
from carepages.readback import Readings
from carepages.render.body import Rendered
from carepages.review import REVIEWED, Review, line_of, load_review, review_path
from carepages.reviewstate import MessageReview, review_messages
from carepages.segments import ATTRIBUTE_KINDS, Segment, translation_problem
from carepages.signoff import Ledger, SignOff, ledger_path, load_ledger
from carepages.stats import Counts, count_catalog, tally
from carepages.ui import ui_disclaimers
from carepages.verdict import LocaleVerdict
from carepages.waivers import Waivers, load_waivers, waivers_path

T = TypeVar("T")
#: The renderings of a domain nothing was rendered for (one shared empty mapping, not one per question).
_NOTHING: Mapping[str, Rendered] = MappingProxyType({})


_MSGID = re.compile(r"^[ \t]*msgid\b", re.MULTILINE)
_ENTRY = re.compile(r"^[ \t]*(?:msgctxt|msgid)\b", re.MULTILINE)


def catalog_head(text: str) -> str:
    """A catalog's text up to the entry after its first ``msgid`` (the header's): that entry whole.

    (``msgid_plural`` is no ``msgid`` line; a file without any is kept whole.)
    """
    first = _MSGID.search(text)
    after = _ENTRY.search(text, first.end()) if first else None
    return text if after is None else text[: after.start()]


@dataclass(frozen=True, slots=True)
class Template:
    """What a run needs of a template: its messages' keys, their msgids in order, and its counts.

    Not its Babel catalog, which every process that judges catalogs holds for the whole
    run: at 1000 pages the templates' catalogs took 82 MB in each, these 28 MB. The file
    is read as strictly all the same (:func:`load_templates`).
    """

    #: :func:`carepages.catalogs.msgids`: a msgid, or (msgid, context), per active message.
    keys: frozenset[object]
    #: The msgids that are one string (not a plural's pair), in file order.
    ids: tuple[str, ...]
    #: The active messages (the header aside).
    messages: int
    #: Its counts as ``carepages stats`` keeps them (:func:`carepages.stats.tally`).
    tally: tuple[int, ...]

    @classmethod
    def of(cls, catalog: Catalog) -> Template:
        """The template of a parsed catalog; its msgids are interned (a msgid several templates share is held once)."""
        ids = tuple(sys.intern(m.id) for m in catalog if isinstance(m.id, str) and m.id)
        keys = frozenset(sys.intern(key) if isinstance(key, str) else key for key in msgids(catalog))
        return cls(keys, ids, sum(1 for m in catalog if m.id), tuple(tally(catalog)))

    def as_json(self) -> dict[str, Any]:
        """The template for :class:`TemplateMemo`: the msgids once, and the keys that are not one of them.

        A key that is a string is always one of ``ids``; only the msgids with a context
        alone are no key by themselves (``unkeyed``).
        """
        plain = {key for key in self.keys if isinstance(key, str)}
        return {
            "ids": list(self.ids),
            "unkeyed": sorted(set(self.ids) - plain),
            "other": sorted((_key_json(key) for key in self.keys if not isinstance(key, str)), key=json.dumps),
            "messages": self.messages,
            "tally": list(self.tally),
        }

    @classmethod
    def from_json(cls, data: Any) -> Template:
        """The template :meth:`as_json` kept; a ValueError (or Key/TypeError) when ``data`` is not one."""
        ids = tuple(sys.intern(_text(msgid)) for msgid in data["ids"])
        plain = set(ids) - {_text(msgid) for msgid in data["unkeyed"]}
        keys = frozenset(plain | {_key_of(key) for key in data["other"]})
        tally_ = tuple(int(n) for n in data["tally"])
        return cls(keys, ids, int(data["messages"]), tally_)


def _key_json(key: object) -> Any:
    """A message key (:func:`carepages.catalogs.msgids`) as JSON: its tuples as lists."""
    return [_key_json(part) for part in key] if isinstance(key, tuple) else key


def _key_of(data: Any) -> object:
    """The message key :func:`_key_json` wrote."""
    if isinstance(data, list) and len(data) == 2:
        return tuple(_key_of(part) for part in data)
    return sys.intern(_text(data))


def _text(data: Any) -> str:
    if not isinstance(data, str):
        raise TypeError("not a string")
    return data


class TemplateMemo:
    """Each template's :class:`Template`, by a hash of its text: every process that judges catalogs
    reads the templates, and parsing them all took half a second at 200 pages.

    Kept in the user's cache folder under the tool's code (:mod:`carepages.memo`), for the
    templates of the last run that read them. A template that cannot be read is never
    kept: its error is reported every time, from a new parse.
    """

    def __init__(self, config: Config) -> None:
        self.path = cache_path(config.root, "templates")
        self.kept = read_json(self.path, code_digest())
        self.used: dict[str, Any] = {}

    def template(self, text: str, rel: str, suffix: str) -> Template:
        """The template of a file's decoded text, parsed as strictly as a catalog unless it was kept."""
        key = digest(suffix, text)
        try:
            template = Template.from_json(self.kept[key])
        except (KeyError, TypeError, ValueError):
            template = Template.of(parse_catalog_text(text, rel, None, suffix)[0])
        self.used[key] = template.as_json()
        return template

    def save(self) -> None:
        if self.used != self.kept:
            write_json(self.path, code_digest(), self.used)


def decode_references(text: str) -> str:
    """``text`` with its HTML character references decoded as an HTML parser decodes them in a page.

    Python's ``html.unescape`` drops a reference to a control character (``&#27;``);
    HTML's parsing rules, which the sanitiser follows, make it the character.
    """
    if "&" not in text:
        return text  # most texts: nothing to decode
    return html.unescape(_NUMERIC_REFERENCE.sub(_referenced, text))


_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _referenced(match: re.Match[str]) -> str:
    number = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return match.group(0)  # html.unescape makes it U+FFFD, as a parser does
    return chr(number) if number else match.group(0)


@dataclass
class LoadedCatalog:
    """A catalog parsed once, with where it lives."""

    domain: str
    path: Path
    rel: str
    catalog: Catalog
    #: The file as read up to its second entry (:func:`catalog_head`): where the header checks look up
    #: the lines of header fields. Not the whole text: a locale's catalogs are held together while it is
    #: assessed, and their text was a fifth of what that held.
    head: str


@dataclass
class RunContext:
    """What every locale shares: configuration, sources, templates, and the source's renderings."""

    config: Config
    sources: Sources
    #: The project checks' findings (templates against sources): the verdict of every locale reads them.
    project_findings: list[Finding] = field(default_factory=list)
    #: Per domain, what each source message renders as on its page (see :mod:`carepages.assess`).
    source_renderings: dict[str, dict[str, Rendered]] = field(default_factory=dict)
    #: The interface template to judge ``ui.pot`` against; None: the running tool's. An earlier
    #: revision is judged against its own (it records that revision's tool, see :mod:`carepages.pinning`).
    interface: Template | None = None
    #: Per edition's manifest, whether the build made handouts (:func:`carepages.checks.built.handouts_made`).
    handouts_made: dict[Path, bool] = field(default_factory=dict)
    #: Per locale, the disclaimer translations older than their English text (:mod:`carepages.carryover`).
    carried: CarriedMap = field(default_factory=dict)
    #: The files this run hashed for its keys (:data:`carepages.memo.FileHashes`): the main process
    #: fills it before it forks the workers, which then hash no file of a page's key again.
    hashes: FileHashes = field(default_factory=dict)

    @cached_property
    def _templates(self) -> tuple[dict[str, Template], list[Issue]]:
        """The templates on disk, parsed when first asked for: a run whose every assessment and project
        finding is kept from the last one (a no-op build, a check right after it) parses none."""
        return load_templates(self.config)

    @property
    def templates(self) -> dict[str, Template]:
        """The templates on disk that could be read, by domain."""
        return self._templates[0]

    @property
    def template_failures(self) -> list[Issue]:
        """An issue for each template on disk that cannot be read."""
        return self._templates[1]

    @cached_property
    def source_domains(self) -> dict[str, PageMessages]:
        """Every domain extraction writes, by name: the shared disclaimers and the pages."""
        return {messages.domain: messages for messages in self.sources.all()}

    @cached_property
    def disclaimer_msgids(self) -> dict[str, frozenset[str]]:
        """Per domain, the msgids that belong to a disclaimer (from the source, never a catalog).

        The interface strings with safety meaning (:func:`carepages.ui.ui_disclaimers`)
        are the ``ui`` domain's.
        """
        found = {
            domain: frozenset(s.msgid for s in messages.segments if s.disclaimer)
            for domain, messages in self.source_domains.items()
        }
        found[UI_DOMAIN] = frozenset(s.msgid for s in self.ui_segments)
        return found

    @cached_property
    def ui_segments(self) -> tuple[Segment, ...]:
        """The interface strings with safety meaning, as segments of the ``ui`` domain."""
        return tuple(
            Segment(msgid, "interface", line, disclaimer) for msgid, (disclaimer, line) in ui_disclaimers().items()
        )

    def disclaimer_segments(self, domain: str, disclaimer: str) -> list[Segment]:
        """The segments of one disclaimer in its domain, each msgid once, in document order."""
        seen: set[str] = set()
        found = []
        segments = self.ui_segments if domain == UI_DOMAIN else self.source_domains[domain].segments
        for segment in segments:
            if segment.disclaimer == disclaimer and segment.msgid not in seen:
                seen.add(segment.msgid)
                found.append(segment)
        return found

    def disclaimer_domain(self, page: PageMessages, disclaimer: str) -> str:
        """Where a disclaimer a page carries is translated: the shared catalog or the page's own."""
        return self.sources.shared.domain if disclaimer in self.sources.shared.disclaimers else page.domain

    def relative(self, path: Path) -> str:
        return self.config.relative(path)


def load_templates(config: Config) -> tuple[dict[str, Template], list[Issue]]:
    """The templates on disk, by domain, and an issue for each one that cannot be read.

    Each is parsed as strictly as a catalog, and only what the run needs of it is kept
    (and kept for the next run, :class:`TemplateMemo`).
    """
    templates: dict[str, Template] = {}
    failures: list[Issue] = []
    memo = TemplateMemo(config)
    for domain, path in find_templates(config).items():
        rel = config.relative(path)
        try:
            templates[domain] = memo.template(decode_catalog(path, rel, config.root), rel, path.suffix)
        except CarepagesError as exc:
            failures.append(Issue(rel, exc.line or 0, describe(exc), domain=domain))
    memo.save()
    return templates, failures


def describe(exc: CarepagesError) -> str:
    """An error's message with its hint, as one sentence that ends with what to do."""
    return f"{exc.message}: {exc.hint}" if exc.hint else exc.message


class LocaleContext:
    """One locale: its catalogs (parsed once), its review, what its translations render as."""

    def __init__(
        self,
        run: RunContext,
        locale: str,
        waivable: frozenset[str] = frozenset(Code),
        kept: frozenset[str] = frozenset(),
    ) -> None:
        self.run = run
        self.config = run.config
        self.locale = locale
        #: Pages whose messages this assessment does not judge: the last one's findings stand for them
        #: (:mod:`carepages.incremental`). Their catalogs are not read (``unread``) unless the checks that
        #: look across pages need them (:meth:`read`); the consistency check's rows of them are kept instead.
        self.kept = kept
        self.paths = find_catalogs(self.config, locale)
        self.unread = kept & self.paths.keys()
        self.kept_rows: dict[str, list[Repeated]] = {}
        self._repeated: list[Repeated] | None = None  # :meth:`repeated`, found once
        self._shown_forms: dict[int, list[tuple[str, str]]] = {}  # :meth:`shown_pairs`, by id of the entry's message
        self.catalogs: dict[str, LoadedCatalog] = {}
        #: Catalogs (and the review file) that could not be read, as (check code, issue).
        self.failures: list[tuple[Code, Issue]] = []
        #: Per domain: what each translated message renders as on its page, and the raw tags refused.
        self.renderings: dict[str, dict[str, Rendered]] = {}
        self.refused: dict[str, dict[str, list[str]]] = {}
        #: Findings so far by severity and code, kept by the runner (later checks may read them).
        self.found: Counter[str] = Counter()
        self.review = self._read(Code.REVIEW, review_path(self.config, locale), load_review, Review())
        self.ledger = self._read(Code.REVIEW, ledger_path(self.config, locale), load_ledger, None)
        self.glossary = self._read(Code.GLOSSARY, glossary_path(self.config, locale), load_glossary, None)
        self._unmigrated_review()
        rel = self.config.relative(waivers_path(self.config, locale))
        self.waivers = self._read(
            Code.WAIVERS,
            waivers_path(self.config, locale),
            lambda config, code: load_waivers(config, code, waivable),
            Waivers(rel),
        )
        self._load()

    @property
    def folder(self) -> Path:
        return self.config.locale_path(self.locale) / "LC_MESSAGES"

    def _read(self, code: Code, path: Path, read: Callable[[Config, str], T], default: T) -> T:
        """Read one of the locale's own files (review, ledger, glossary); a bad one is a finding."""
        try:
            return read(self.config, self.locale)
        except CarepagesError as exc:
            self.failures.append((code, Issue(self.config.relative(path), exc.line or 0, describe(exc))))
            return default

    def _unmigrated_review(self) -> None:
        """A review.toml that still says "reviewed": pages follow the ledger now, so say how to carry it over."""
        if self.review.status == REVIEWED:
            path = review_path(self.config, self.locale)
            line = line_of(path.read_text(encoding="utf-8-sig"), "status") or 1
            message = (
                'says "reviewed", but pages follow the sign-off ledger (signoff.tsv) now and show the draft notice: '
                f"run 'carepages review migrate -l {self.locale}' to sign the current translations as its reviewer"
            )
            issue = Issue(self.config.relative(path), line, message, severity=Severity.WARNING)
            self.failures.append((Code.REVIEW, issue))

    def read(self, domains: frozenset[str], rows: dict[str, list[Repeated]]) -> None:
        """Read the catalogs of these kept pages after all; keep ``rows`` for the kept pages still unread."""
        self.unread = self.unread - domains
        self._load(domains)
        self.kept_rows = {domain: rows.get(domain, []) for domain in sorted(self.unread)}
        self._repeated = None

    def _load(self, only: frozenset[str] | None = None) -> None:
        for domain, path in self.paths.items():
            if (domain not in only) if only is not None else (domain in self.unread):
                continue
            rel = self.config.relative(path)
            if not path.resolve().is_relative_to(self.config.locale_dir.resolve()):
                message = "is a link to a file outside the locale folder: replace the link by the catalog"
                self.failures.append((Code.PARSE, Issue(rel, 0, message, domain=domain)))
                continue
            try:
                catalog, text = read_catalog_text(path, rel, locale=None, root=self.config.root)
            except CatalogError as exc:
                self.failures.append((Code(exc.code), Issue(rel, exc.line or 0, describe(exc), domain=domain)))
                continue
            self.catalogs[domain] = LoadedCatalog(domain, path, rel, catalog, catalog_head(text))

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
    def every_entry(self) -> list[Entry]:
        """Every active message of every readable catalog, by domain, in file order."""
        return [
            Entry(domain, loaded.rel, message)
            for domain, loaded in sorted(self.catalogs.items())
            for message in loaded.catalog
            if message.id
        ]

    @cached_property
    def entries(self) -> list[Entry]:
        """The messages this assessment looks at: every one but the kept pages' (see ``kept``)."""
        return [entry for entry in self.every_entry if entry.domain not in self.kept] if self.kept else self.every_entry

    def translated_entries(self) -> list[Entry]:
        """The messages the build may show: the ones whose content is worth comparing."""
        return self._translated

    @cached_property
    def _translated(self) -> list[Entry]:
        """Translated entries within the limits: the others are the ``limits`` check's, and never rendered."""
        return [entry for entry in self.entries if self._shown(entry)]

    def repeated(self) -> list[Repeated]:
        """The consistency check's rows of every page, kept ones included, in catalog order (the check's order).

        Found once: the check and the rows kept for the next assessment both ask.
        """
        if self._repeated is None:
            self._repeated = self._find_repeated()
        return self._repeated

    def _find_repeated(self) -> list[Repeated]:
        rows = list(itertools.chain.from_iterable(self.kept_rows.values()))
        index: Counter[str] = Counter()
        # Whether an entry is shown was decided for ``_translated``: asked again here, each
        # translation's limits were measured once more (twice per locale: two checks ask).
        looked_at = {id(entry) for entry in self.entries}
        shown = {id(entry) for entry in self._translated}
        for entry in self.every_entry:
            index[entry.domain] += 1
            if entry.domain != UI_DOMAIN and not entry.plural:  # never compared across pages
                seen = id(entry) in shown if id(entry) in looked_at else self._shown(entry)
                rows.append(Repeated.of(entry, index[entry.domain], seen))
        return sorted(rows, key=lambda row: (row.domain, row.index))

    def _shown(self, entry: Entry) -> bool:
        return entry.translated and not self.oversized(entry)

    def oversized(self, entry: Entry) -> str | None:
        """Why a translation is over the limits of :mod:`carepages.limits`, or None."""
        return next((p for s, t in entry.pairs() if (p := translation_problem(s, t))), None)

    def is_disclaimer(self, entry: Entry) -> bool:
        return entry.msgid in self.run.disclaimer_msgids.get(entry.domain, frozenset())

    def message(self, domain: str, msgid: str) -> Entry | None:
        """The active message ``msgid`` (without context) of a domain's catalog, if the catalog has it."""
        loaded = self.catalogs.get(domain)
        message = loaded.catalog.get(msgid) if loaded else None
        return Entry(domain, loaded.rel, message) if loaded and message is not None else None

    def rendered(self, entry: Entry) -> tuple[Rendered, Rendered] | None:
        """What the source text and the translation of ``entry`` render as on the page, or None.

        None for a message the page does not show (an interface string, an entry the
        template no longer has, one with a context): there is no rendering to judge.
        """
        if entry.message.context is not None:
            return None
        msgid = entry.msgid
        translated = self.renderings.get(entry.domain, _NOTHING).get(msgid)
        if translated is None:
            return None
        source = self.run.source_renderings.get(entry.domain, _NOTHING).get(msgid)
        return (source, translated) if source is not None else None

    def shown_pairs(self, entry: Entry) -> list[tuple[str, str]]:
        """(source, translation) in each form whose characters a reader may get: as written, and with
        HTML character references decoded (``&#x202E;`` is a right-to-left override on the page).

        For the checks of characters (``control``, ``invisible``, ``numbers``): a character
        written as a reference is not in the msgstr, and is on the page. Rendering adds no
        other character (Markdown only removes its own syntax). Made once per message.
        """
        known = self._shown_forms.get(id(entry.message))
        if known is not None:
            return known
        pairs = entry.pairs()
        forms = [*pairs, *((decode_references(source), decode_references(text)) for source, text in pairs)]
        found = self._shown_forms[id(entry.message)] = list(dict.fromkeys(forms))
        return found

    @cached_property
    def message_reviews(self) -> tuple[list[MessageReview], list[SignOff]]:
        """Each message's sign-off state, and the sign-offs that fit no message any more."""
        return review_messages(self.entries, self.ledger or Ledger(""))

    @cached_property
    def counts(self) -> dict[str, Counts]:
        """Completion of each domain the locale needs, as ``carepages stats`` counts it."""
        counts: dict[str, Counts] = {}
        for domain in self.expected_domains:
            loaded = self.catalogs.get(domain)
            if loaded is not None:
                counts[domain] = count_catalog(loaded.catalog)
            elif domain in self.run.templates:
                counts[domain] = Counts(untranslated=self.run.templates[domain].messages)
            else:
                counts[domain] = Counts(untranslated=len({s.msgid for s in self.run.source_domains[domain].segments}))
        return counts


#: Per domain, per disclaimer id: the visible text chunks of each of its messages as the locale renders them.
ExpectedDisclaimers = dict[str, dict[str, list[tuple[str, ...]]]]


def expected_disclaimers(ctx: LocaleContext) -> ExpectedDisclaimers:
    """What each disclaimer must show on a built page of the locale (translated messages only).

    An unusable translation (missing, fuzzy, untranslated) is an error of the
    ``disclaimer`` check and withholds the page; it is not expected here.
    """
    expected: ExpectedDisclaimers = {}
    for domain, messages in ctx.run.source_domains.items():
        rendered = ctx.renderings.get(domain, {})
        for segment in messages.segments:
            attribute = segment.kind in ATTRIBUTE_KINDS
            entry = ctx.message(domain, segment.msgid) if segment.disclaimer and not attribute else None
            if entry is None or not entry.translated or segment.msgid not in rendered:
                continue
            chunks = expected.setdefault(domain, {}).setdefault(segment.disclaimer or "", [])
            if rendered[segment.msgid].chunks not in chunks:
                chunks.append(rendered[segment.msgid].chunks)
    return expected


@dataclass
class OutputContext:
    """One locale's built output, judged against its verdict.

    ``pinned`` holds, per page served from an earlier revision, what its disclaimers
    must show: that revision's translations, not the current ones.
    """

    run: RunContext
    locale: str
    verdict: LocaleVerdict
    expected: ExpectedDisclaimers
    pinned: dict[str, ExpectedDisclaimers] = field(default_factory=dict)
    #: The built files read back, by content (shared by every locale and by the dist checks).
    readings: Readings = field(default_factory=Readings)
    #: dist/ file by file, when the caller has just hashed it; with it, ``kept`` answers for pages judged before.
    held: Snapshot | None = None
    kept: KeptAnswers | None = None

    @property
    def config(self) -> Config:
        return self.run.config

    def held_shas(self, files: list[Path]) -> list[str] | None:
        """The sha256 of each file as the snapshot of dist/ has it; None without one, or when one is not in it."""
        if self.held is None:
            return None
        dist = self.config.dist_dir
        found = [self.held.get(path.relative_to(dist).as_posix()) for path in files]
        return [known[1] for known in found if known is not None] if all(found) else None

    def expected_for(self, page: str) -> ExpectedDisclaimers:
        """What the disclaimers of ``page`` must show as built: its pinned revision's, or the current ones."""
        return self.pinned.get(page, self.expected)
