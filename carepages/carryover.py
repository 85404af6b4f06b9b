"""Disclaimer translations older than their English text, found in the project's git history.

When a disclaimer's English text changes, ``carepages update`` marks its
translations fuzzy, and the verdict withholds the pages that show them (or serves
them from the revision before the change) until a translator has checked each one.
A translator who clears the flag without touching the translation (Poedit's "Needs
work" unticked, the ``#, fuzzy`` line deleted by hand) leaves a catalog that offers
the old English's translation as the new English's, and the file keeps no trace of
it. The history does: a translation is *carried over* when the catalog already held
that text, as the translation of another English text, just before the change that
brought the current English (the change's first parent; HEAD, for a change not
committed yet). It was written for something else.

The ``carried`` check reports it as an error that withholds the page (or pins it, as
a fuzzy disclaimer would). When the new English needs no new translation (a typo
fixed in the English), a reviewer waives the finding for that exact translation in
``waivers.toml``; a translator cannot.

Everything is read from git's objects through :class:`~carepages.history.History`,
never a checkout. A project without git history has nothing to compare with, and
no finding. Each run asks git for one ``git log`` of the templates and starts one
``cat-file`` reader; what a walk through a template's history found, and what each
catalog's content was judged, are kept in the user's cache folder, so a run after a
commit reads only what the commit brought.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carepages.catalog_paths import po_path, pot_path
from carepages.catalogs import UI_DOMAIN, read_catalog, read_catalog_data
from carepages.config import Config
from carepages.errors import CarepagesError, CatalogError
from carepages.fsutil import read_input
from carepages.history import BlobReader, GitError, History, Revision
from carepages.limits import CATALOG_FILE
from carepages.memo import cache_path, code_digest, digest, read_json, write_json


@dataclass(frozen=True)
class Carried:
    """A disclaimer's translation that the catalog held before the disclaimer's English text existed."""

    domain: str
    msgid: str  # the English text now
    string: str  # the translation, unchanged since before that English text
    change: str  # the commit that brought the English text ("" when it is not committed yet)
    date: str  # that commit's date (ISO 8601), or ""
    earlier: str = ""  # the English text the catalog held this translation for, just before the change

    @property
    def when(self) -> str:
        """Where the English text came from, for a finding."""
        if not self.change:
            return "in changes not committed yet"
        return f"in commit {self.change[:12]} of {self.date[:10]}"


#: Per locale, each carried translation by (domain, msgid).
CarriedMap = dict[str, dict[tuple[str, str], Carried]]


@dataclass(frozen=True)
class _Introduced:
    """When an English text came into its template: the change that brought it, and the state just before.

    ``before`` names what git reads the catalogs of that state from: the change's first
    parent (``<commit>^``), or for a change not committed yet the commit the files are on.
    """

    before: str
    change: str
    date: str


def find_carried(
    config: Config,
    disclaimers: Mapping[str, frozenset[str]],
    locales: Iterable[str],
    history: History | None,
    *,
    start: str | None = None,
    keep: bool = True,
) -> CarriedMap:
    """Every carried disclaimer translation of ``locales``, from ``config``'s files and ``history``.

    ``disclaimers``: per domain, the msgids of its disclaimers (from the source pages).
    ``start``: the files are those of that commit (an earlier revision being judged), and
    only its history counts; None: the working tree, with HEAD's history. ``keep``: read
    and write the cache folder's record (not for a revision's temporary copy).
    """
    if history is None:
        return {}
    memo = _Memo(config.root if keep else None)
    try:
        with history.reader() as reader:
            walk = _Walk(config, history, reader, memo, start)
            found = {locale: walk.carried(locale, disclaimers) for locale in locales}
    except GitError:
        return {}  # git went away in the middle: no history to judge by
    memo.save()
    return {locale: carried for locale, carried in found.items() if carried}


def carried_digest(carried: Mapping[tuple[str, str], Carried]) -> str:
    """What a locale's carried translations put in its key (:func:`carepages.builder.keys.locale_key`)."""
    if not carried:
        return ""
    return digest(*(part for c in sorted(carried.values(), key=_order) for part in (c.domain, c.msgid, c.change)))


def _order(carried: Carried) -> tuple[str, str]:
    return carried.domain, carried.msgid


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class _Memo:
    """What earlier runs found, in the cache folder: only what this run used is written back."""

    def __init__(self, root: Path | None) -> None:
        self.path = cache_path(root, "carryover") if root is not None else None
        self.version = code_digest()
        self.read: dict[str, Any] = read_json(self.path, self.version) if self.path is not None else {}
        self.known = dict(self.read)
        self.used: dict[str, Any] = {}

    def get(self, key: str) -> Any:
        """The kept value (a list, or None for "nothing"), or ``_MISSING``."""
        if key in self.known:
            self.used[key] = self.known[key]
            return self.known[key]
        return _MISSING

    def put(self, key: str, value: Any) -> None:
        self.known[key] = self.used[key] = value

    def save(self) -> None:
        if self.path is not None and self.used != self.read:
            write_json(self.path, self.version, self.used)


_MISSING = object()


class _Walk:
    """One run's reading of the history: the templates' revisions, once, and each file read once."""

    def __init__(self, config: Config, history: History, reader: BlobReader, memo: _Memo, start: str | None):
        self.config = config
        self.reader = reader
        self.memo = memo
        self.revisions: list[Revision] = history.log([config.relative(config.templates_dir)], start)
        self.current = start or history.head  # the commit the files are on, or came from
        self.intros: dict[tuple[str, str], _Introduced | None] = {}
        self.msgids: dict[tuple[str, str], frozenset[str] | None] = {}

    def carried(self, locale: str, disclaimers: Mapping[str, frozenset[str]]) -> dict[tuple[str, str], Carried]:
        """The locale's carried translations (only disclaimers whose English ever changed are read)."""
        found = {}
        for domain, texts in sorted(disclaimers.items()):
            if domain == UI_DOMAIN:
                continue  # its safety strings are signed off by hash in waivers.toml: a new English lapses that
            changed = {msgid: intro for msgid in sorted(texts) if (intro := self.introduced(domain, msgid))}
            if changed:
                found.update(self._catalog(locale, domain, changed))
        return found

    def introduced(self, domain: str, msgid: str) -> _Introduced | None:
        """When ``msgid`` came into the domain's template, or None when every revision of it has it."""
        if (domain, msgid) not in self.intros:
            self.intros[domain, msgid] = self._walk(domain, msgid)
        return self.intros[domain, msgid]

    def _walk(self, domain: str, msgid: str) -> _Introduced | None:
        rel = self.config.relative(pot_path(self.config, domain))
        change, date = "", ""
        passed = []
        result: _Introduced | None = None
        for revision in (r for r in self.revisions if rel in r.changed):
            kept = self.memo.get(f"intro\n{rel}\n{revision.commit}\n{_sha(msgid)}")
            if kept is not _MISSING:
                result = _Introduced(*kept) if kept else None
                break
            ids = self._msgids(revision.commit, rel)
            if ids is not None and msgid not in ids:  # the change after this revision brought it
                result = _Introduced(f"{change}^" if change else self.current, change, date)
                break
            passed.append(revision.commit)
            change, date = revision.commit, revision.date
        for commit in passed:  # what a walk from each of them finds too
            value = [result.before, result.change, result.date] if result else None
            self.memo.put(f"intro\n{rel}\n{commit}\n{_sha(msgid)}", value)
        return result

    def _msgids(self, commit: str, rel: str) -> frozenset[str] | None:
        """The msgids of a template at a revision (None: it cannot be read, which proves nothing)."""
        if (commit, rel) not in self.msgids:
            catalog = self._read(commit, rel)
            self.msgids[commit, rel] = (
                None
                if catalog is None
                else frozenset(text for message in _messages(catalog) for text in _strings(message.id))
            )
        return self.msgids[commit, rel]

    def _read(self, commit: str, rel: str) -> Any:
        data = self.reader.read(commit, rel)
        if data is None:
            return _EMPTY
        try:
            return read_catalog_data(data, rel)
        except CarepagesError:
            return None

    def _catalog(self, locale: str, domain: str, changed: dict[str, _Introduced]) -> dict[tuple[str, str], Carried]:
        """The carried translations among ``changed`` disclaimers of one catalog of the locale."""
        config = self.config
        path = po_path(config, locale, domain)
        rel = config.relative(path)
        try:  # as every catalog is read: a link out of the project, a FIFO or a huge file is refused unread
            data = read_input(path, rel, config.root, CATALOG_FILE, CatalogError)
        except (CarepagesError, FileNotFoundError):
            return {}  # no catalog, or one that cannot be read: the assessment says so
        key = f"carried\n{rel}\n{hashlib.sha256(data).hexdigest()}\n" + digest(
            *(part for msgid, intro in sorted(changed.items()) for part in (msgid, intro.before))
        )
        kept = self.memo.get(key)
        if kept is _MISSING:
            kept = self._judge(path, rel, locale, changed)
            self.memo.put(key, kept)
        return {(domain, found[0]): Carried(domain, *found) for found in kept}

    def _judge(self, path: Path, rel: str, locale: str, changed: dict[str, _Introduced]) -> list[list[str]]:
        try:
            catalog = read_catalog(path, rel, locale, self.config.root)
        except CarepagesError:
            return []  # the assessment reports what is wrong with it
        found = []
        for msgid, intro in changed.items():
            message = catalog.get(msgid)
            if message is None or message.fuzzy or not isinstance(message.string, str) or not message.string:
                continue  # missing, fuzzy, untranslated: the disclaimer check's; plural: no disclaimer has one
            before = self._read(intro.before, rel)
            earlier = _held_for_another(before, msgid, message.string) if before is not None else None
            if earlier is not None:
                found.append([msgid, message.string, intro.change, intro.date, earlier])
        return found


def _held_for_another(catalog: Any, msgid: str, string: str) -> str | None:
    """The other English text ``catalog`` held ``string`` as the translation of, if not also of ``msgid``.

    An obsolete (``#~``) entry counts: Babel keeps a dropped message's translation there.
    Held for ``msgid`` itself (an English text changed, then changed back) it was written
    for this English after all.
    """
    wanted = same_text(string)
    held = {
        (text_of(message.id), same_text(text)) for message in _messages(catalog) for text in _strings(message.string)
    }
    if (msgid, wanted) in held:
        return None
    return min((english for english, text in held if text == wanted), default=None)


def text_of(msgid: object) -> str:
    """A msgid as one text (a plural message by its singular)."""
    texts = _strings(msgid)
    return texts[0] if texts else ""


def same_text(text: str) -> str:
    """A translation as a reader sees it: an edit of spacing or of invisible characters alone is no new one."""
    visible = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(visible.split())


#: A file that did not exist at a revision: it held nothing.
_EMPTY: tuple[()] = ()


def _messages(catalog: Any) -> list[Any]:
    """Every message of a catalog, obsolete entries included (none for a file that did not exist)."""
    return [*catalog, *catalog.obsolete.values()] if catalog else []


def _strings(value: object) -> list[str]:
    """The non-empty texts of a msgid or msgstr (a plural message has several)."""
    texts = value if isinstance(value, tuple | list) else (value,)
    return [text for text in texts if isinstance(text, str) and text]
