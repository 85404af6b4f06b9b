"""Where each domain's template and catalogs live: domains to paths and back.

A page's gettext domain is its name, folders included, so its files mirror the
source folders as sphinx-intl mirrors Sphinx's documents:
``source/knee/exercises.md`` has ``locale/templates/knee/exercises.pot`` and
``locale/<lang>/LC_MESSAGES/knee/exercises.po``; ``disclaimers`` and ``ui`` stay at
the top. ``<lang>`` is the locale's folder on disk (``pt-BR/`` holds ``pt_BR``,
:meth:`carepages.config.Config.locale_path`). Every command finds catalogs here.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from carepages.config import Config
from carepages.glossary import glossary_path
from carepages.review import review_path
from carepages.signoff import ledger_path
from carepages.waivers import waivers_path


def domain_file(domain: str, suffix: str) -> Path:
    """The file of a domain below its folder: ``knee/exercises`` -> ``knee/exercises.po``.

    A page's domain is its name, folders included, so its catalogs mirror the source
    folders as sphinx-intl mirrors Sphinx's documents; ``disclaimers`` and ``ui`` stay
    at the top. Domains come from validated page names (or :func:`find_templates`,
    whose caller validates them), never from a catalog's contents.
    """
    *folders, name = domain.split("/")
    return Path(*folders, name + suffix)


def domain_of(folder: Path, path: Path) -> str:
    """The domain of a template or catalog file below ``folder`` (the inverse of :func:`domain_file`)."""
    return path.relative_to(folder).with_suffix("").as_posix()


def po_path(config: Config, locale: str, domain: str) -> Path:
    """``locale/<lang>/LC_MESSAGES/<domain>.po`` (``<domain>`` may hold folders; ``<lang>`` is the folder on disk).

    ``locale`` is the canonical code (``pt_BR``); a project that keeps it in a
    ``pt-BR/`` folder gets that folder (:meth:`Config.locale_path`).
    """
    return config.locale_path(locale) / "LC_MESSAGES" / domain_file(domain, ".po")


def pot_path(config: Config, domain: str) -> Path:
    """``locale/templates/<domain>.pot`` (``<domain>`` may hold folders)."""
    return config.templates_dir / domain_file(domain, ".pot")


def _find(folder: Path, suffix: str) -> dict[str, Path]:
    """Every ``*suffix`` file below ``folder``, by domain, in domain order (links to folders not followed)."""
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for parent, dirs, files in os.walk(folder):
        dirs.sort()
        for name in files:
            if name.endswith(suffix):
                path = Path(parent) / name
                found[domain_of(folder, path)] = path
    return dict(sorted(found.items()))


def find_templates(config: Config) -> dict[str, Path]:
    """Every template under ``locale/templates``, nested ones included, by domain."""
    return _find(config.templates_dir, ".pot")


def find_catalogs(config: Config, locale: str) -> dict[str, Path]:
    """Every catalog of a locale under ``locale/<lang>/LC_MESSAGES``, nested ones included, by domain."""
    return _find(config.locale_path(locale) / "LC_MESSAGES", ".po")


def locale_files(config: Config, locale: str) -> tuple[Path, ...]:
    """A locale's own files besides its catalogs: each one can change its verdict or its pages.

    The build's keys hash them, and pinning reads them as a revision had them.
    """
    return (
        review_path(config, locale),
        ledger_path(config, locale),
        glossary_path(config, locale),
        waivers_path(config, locale),
    )


def remove_empty_folders(folder: Path) -> None:
    """Remove the folders below ``folder`` that a removed page's template or catalog left empty."""
    if not folder.is_dir():
        return
    for parent, _dirs, _files in os.walk(folder, topdown=False):
        path = Path(parent)
        if path != folder and not any(path.iterdir()):
            with contextlib.suppress(OSError):
                path.rmdir()
