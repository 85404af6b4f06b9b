"""What a build's outputs depend on, as hashes: a locale's inputs, and one page's.

A key is a sha256 over every input that can change an output: the tool's code and
the libraries that shape output, the settings, the source pages, the templates, a
locale's catalogs and review file. Equal keys mean byte-identical outputs, so the
build reuses earlier work (and the check reuses the build's assessment) exactly
when the key is equal, and never on a file's modification time.

The git revision recorded in the manifest is not an input: a new commit alone
re-renders nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from carepages.carryover import CarriedMap, carried_digest
from carepages.catalog_paths import domain_file, find_catalogs, find_templates, locale_files, po_path
from carepages.catalogs import SHARED_DOMAINS
from carepages.config import Config
from carepages.memo import FileHashes, code_digest, digest, hashed, settings_digest
from carepages.verdict import PageVerdict

#: Bump when the cache's layout or meaning changes: an old cache is then ignored.
CACHE_FORMAT = 8


def files_digest(paths: Iterable[Path], root: Path, hashes: FileHashes | None = None) -> str:
    """One hash over the names and contents of ``paths`` (sorted), as the inputs of a key.

    Each file is hashed as :func:`carepages.memo.file_digest` reads it: one that its reader
    refuses unread (a link out of the project, a FIFO, a file over its size limit) counts
    by what makes it refused, so a key never hangs on it or reads it. ``hashes`` holds the
    files this run hashed already (it is filled in); never keep one from one run to the next.
    """
    hashes = {} if hashes is None else hashes
    return digest(*(part for path in sorted(set(paths)) for part in (_name(path, root), hashed(path, root, hashes))))


def _name(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def source_key(config: Config, hashes: FileHashes | None = None) -> str:
    """What every locale depends on: the code, the settings that shape output, the sources, the templates."""
    inputs = [p for p in config.source_dir.rglob("*.md") if p.is_file()]
    inputs += [p for p in find_templates(config).values() if p.is_file()]
    files = files_digest(inputs, config.root, hashes)
    return digest(str(CACHE_FORMAT), code_digest(), settings_digest(config), files)


def locale_key(
    config: Config, base: str, locale: str, hashes: FileHashes | None = None, carried: CarriedMap | None = None
) -> str:
    """A locale's key: the base plus its catalogs (nested ones too, in its folder on disk), review file,
    sign-off ledger and glossary, and what git history says of them (the run's ``carried`` map:
    :mod:`carepages.carryover`). The source language has none.
    """
    if locale == config.source_language:
        return digest(base, "source")
    files = [p for p in find_catalogs(config, locale).values() if p.is_file()]
    files += [path for path in locale_files(config, locale) if path.is_file()]
    return digest(
        base, locale, files_digest(files, config.root, hashes), carried_digest((carried or {}).get(locale, {}))
    )


def pins_key(config: Config) -> str:
    """What judging a page at a commit depends on besides the commit: the code, and the settings of a verdict."""
    paths = [config.relative(path) for path in (config.source_dir, config.locale_dir, config.disclaimers_file)]
    return digest(str(CACHE_FORMAT), code_digest(), settings_digest(config), json.dumps(paths, ensure_ascii=False))


class PageKeys:
    """Each published page's key: what its files are made from, file by file, each file hashed once per run.

    Narrower than its locale's key (which names every source page), so that an edit to one
    source page re-renders that page in each locale, and an edit to one catalog that page in
    that locale. A page's files are made from its source page and the shared disclaimers'
    source; in a locale, from that page's catalog, the shared disclaimers' and interface
    strings' catalogs and their templates, and the locale's own files (sign-off ledger,
    glossary, waivers, review file: each can change the verdict or the page's review line);
    and from what the verdict says of it, the locale's withheld pages (links to them lead to
    the source language), the locales its switcher names, and for a pinned page its revision.
    Every key also holds the code and every setting.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.base = digest(str(CACHE_FORMAT), code_digest(), settings_digest(config))
        self.templates = find_templates(config)
        self.hashes: FileHashes = {}  # the run's: the locale keys hash through it too
        self._locales: dict[str, tuple[list[str], list[str], list[str]]] = {}

    def file(self, path: Path) -> str:
        return hashed(path, self.config.root, self.hashes)

    def inputs(self, locale: str, page: str) -> list[str]:
        """The hashes of the files the page is made from in ``locale`` (before its verdict)."""
        config = self.config
        parts = [self.base, locale, page, self.file(config.source_dir / domain_file(page, ".md")), self.shared_source]
        if locale == config.source_language:
            return parts
        shared_po, shared_pot, own = self.locale_inputs(locale)
        page_pot = self.templates.get(page, config.templates_dir / "absent")
        return [*parts, self.file(po_path(config, locale, page)), *shared_po, self.file(page_pot), *shared_pot, *own]

    @cached_property
    def shared_source(self) -> str:
        """The hash of the shared disclaimers' source, which every page shows."""
        return self.file(self.config.disclaimers_file)

    def locale_inputs(self, locale: str) -> tuple[list[str], list[str], list[str]]:
        """What every page of ``locale`` shares, hashed once per run: the shared catalogs, their templates,
        and the locale's own files (sign-off ledger, glossary, waivers, review file)."""
        if locale not in self._locales:
            config, file = self.config, self.file
            shared_po = [file(po_path(config, locale, domain)) for domain in SHARED_DOMAINS]
            shared_pot = [
                file(self.templates.get(domain, config.templates_dir / "absent")) for domain in SHARED_DOMAINS
            ]
            self._locales[locale] = shared_po, shared_pot, [file(path) for path in locale_files(config, locale)]
        return self._locales[locale]

    def page(self, locale: str, verdict: PageVerdict, withheld: Iterable[str], switcher: Iterable[str]) -> str:
        """The page's key, with what the locale's verdict says of it (:func:`verdict_part`)."""
        listed = ["withheld:", *sorted(withheld), "switcher:", *switcher]
        return digest(*self.inputs(locale, verdict.page), "verdict:", verdict_part(verdict), *listed)


def verdict_part(verdict: PageVerdict) -> str:
    """What a page's verdict puts in its key: everything, its pin's revision and date included, but the pin's age.

    The age is counted to the commit being built, so it changes with every commit; the
    page shows the revision's date, not the age, so a new commit alone re-renders nothing.
    """
    said = verdict.as_dict()
    if said.get("pinned"):
        said["pinned"] = {name: value for name, value in said["pinned"].items() if name != "age_days"}
    return json.dumps(said, sort_keys=True, ensure_ascii=False)
