"""Locale codes: the spellings carepages accepts (``pt-BR``, ``pt_BR``), the one it uses inside,
and the locale folders on disk, all by Babel's CLDR data."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_locale_identifier, parse_locale

from carepages.errors import ConfigError, shorten

LOCALE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:(?:_[A-Za-z0-9]{2,8})+|(?:-[A-Za-z0-9]{2,8})+)?\Z")  # \Z: no final newline
#: The folder of templates beside the locale folders (it is no locale).
TEMPLATES_FOLDER = "templates"


def canonical_locale(code: str) -> str:
    """The one form of a locale code used everywhere inside carepages: POSIX, as Babel writes it.

    ``pt-BR``, ``pt_br`` and ``pt_BR`` are all ``pt_BR``; ``zh-Hant-TW`` is
    ``zh_Hant_TW``. Only the spelling changes (Babel's ``parse_locale``): ``zh_CN``
    stays ``zh_CN``, so folders keep the names their translators gave them.
    Raises ``ValueError`` for what is no locale code.
    """
    if not LOCALE_CODE.match(code):
        raise ValueError(f"{code!r} is not a locale code")
    return get_locale_identifier(parse_locale(code, sep="-" if "-" in code else "_"), sep="_")


@functools.cache
def same_locale(code: str) -> str:
    """What two codes of one locale have in common: ``zh_CN`` and ``zh_Hans_CN`` are one language.

    Babel fills in the likely script (``Locale.parse``), so two folders or two
    configured codes that name one locale in two ways are found.
    """
    return str(Locale.parse(canonical_locale(code)))


def locale_code(code: object, bad: Any) -> str:
    """Validate a locale code with Babel's CLDR data; return its canonical form (:func:`canonical_locale`)."""
    try:
        if not isinstance(code, str):
            raise ValueError(code)
        canonical = canonical_locale(code)
    except ValueError:
        raise bad(f"{code!r} is not a locale code (use forms like 'de', 'pt_BR' or 'pt-BR', 'zh_Hant_TW')") from None
    try:
        Locale.parse(canonical)
    except (UnknownLocaleError, ValueError) as exc:
        raise bad(f"unknown locale {shorten(code)}: Babel's CLDR data does not know it") from exc
    return canonical


def check_locale(code: str) -> str:
    """Validate a locale code given on the command line (``-l``); return its canonical form."""
    return locale_code(code, lambda m: ConfigError(m, hint="use a code Babel knows, such as 'de' or 'pt_BR'"))


def locale_folders(locale_dir: Path, pyproject: Path) -> tuple[tuple[str, str], ...]:
    """``(canonical code, folder name)`` of every locale folder: ``pt-BR/`` holds the locale ``pt_BR``.

    Two folders for one locale (``pt-BR/`` and ``pt_BR/``) are an error: which of
    them a command read would depend on the file system. Folders whose name is no
    locale code Babel knows (``templates``, a stray ``notes``) are not locales.
    """
    if not locale_dir.is_dir():
        return ()
    found: dict[str, list[tuple[str, str]]] = {}
    for entry in sorted(locale_dir.iterdir()):
        if entry.name == TEMPLATES_FOLDER or not entry.is_dir():
            continue
        try:
            found.setdefault(same_locale(entry.name), []).append((canonical_locale(entry.name), entry.name))
        except (ValueError, UnknownLocaleError):
            continue
    for folders in found.values():
        if len(folders) > 1:
            names = " and ".join(repr(name) for _, name in folders)
            raise ConfigError(
                f"the locale folders {names} hold the same locale",
                path=locale_dir,
                hint="keep one: move its catalogs into the other folder and delete it",
            )
    return tuple(sorted(folders[0] for folders in found.values()))
