"""What the last ``carepages update`` left, so that the next one reads only what changed since.

Merging a catalog with its template is a pure function of the two files' bytes (and
of the tool and the ``locations`` setting), and merging what a merge wrote gives it
back unchanged. So per catalog the update keeps the sha256 of its template and of
the catalog as the run left it; a catalog whose two hashes are still those is not
read at all. Hashes, not modification times: a checkout, a copy or an editor that
saves without changing a byte changes nothing here.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from carepages.catalog_paths import domain_file, po_path
from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.fsutil import safe_join
from carepages.memo import cache_path, code_digest, digest, file_digest, read_json, write_json

#: Bump when the meaning of the kept hashes changes.
FORMAT = 1


class UpdateMemo:
    """Per catalog (by its path in the project), the hash of its template and content after the last update."""

    def __init__(self, config: Config, templates: dict[str, Path]) -> None:
        self.config = config
        self.path = cache_path(config.root, "update")
        self.version = digest(str(FORMAT), code_digest(), config.locations)
        self.kept: dict[str, str] = read_json(self.path, self.version)
        self.templates = {domain: file_digest(path, config.root) for domain, path in templates.items()}
        self.skipped: list[tuple[str, str]] = []

    def key(self, locale: str, domain: str) -> tuple[str, str]:
        """(the catalog's path in the project, the hash of its template and its current content)."""
        path = po_path(self.config, locale, domain)
        return self.config.relative(path), digest(locale, self.templates[domain], file_digest(path, self.config.root))

    def current(self, locale: str, domain: str) -> bool:
        """Whether the catalog is exactly as the last update left it, for the same template (then it is skipped)."""
        try:
            folder = self.config.locale_folder(locale)
            safe_join(self.config.locale_dir, folder, "LC_MESSAGES", *domain_file(domain, ".po").parts)
        except CarepagesError:
            return False  # the long way reports it
        rel, key = self.key(locale, domain)
        if self.kept.get(rel) != key:
            return False
        self.skipped.append((locale, domain))
        return True

    def save(self, done: Iterable[tuple[str, str]]) -> None:
        """Record the catalogs this run merged or created, as they are now."""
        for locale, domain in done:
            rel, key = self.key(locale, domain)
            self.kept[rel] = key
        write_json(self.path, self.version, self.kept)
