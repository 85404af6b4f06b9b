"""Clinic profiles: ``clinics/<id>.toml``, one file per clinic, read once with the configuration.

A clinic downloads the pages to give them to its patients, so each clinic gets an
*edition* of the site with its own contact details: name, address, phone, website,
the local emergency number and the national medicines regulator, each with
per-locale overrides (``[locales.de]``), an optional logo (embedded in every page
as a ``data:`` URI, so pages stay self-contained), the base URL where the clinic
hosts the pages, and the paper size of its handouts. A profile is one file so that
a clinic's staff can own it without touching the project's configuration.

Every value is validated here, with the file and line of the key and, for a typo,
the nearest known key. Which fields a page needs is decided by the source's
placeholders (:data:`carepages.segments.FIELD`); :func:`missing_values` names every
clinic, locale, field and page where a used placeholder has no value.
"""

from __future__ import annotations

import base64
import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape

from carepages.errors import CarepagesError, ConfigError
from carepages.fsutil import read_input
from carepages.limits import CATALOG_FILE, RECORD_FILE
from carepages.segments import FIELD, FIELD_NAMES

#: Paper sizes of the handouts (CSS ``@page size`` keywords in :mod:`carepages.render.pdf`).
PAPERS = ("A4", "Letter")
#: A clinic's id: its folder in dist/, so the same alphabet as a page name.
CLINIC_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")
#: The keys a profile may have besides the fields.
PROFILE_KEYS = ("base_url", "paper", "logo", "locales")
#: Logo formats, by file suffix, as the ``data:`` URI's media type; larger files are refused.
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
LOGO_MAX_BYTES = 100_000


@dataclass(frozen=True)
class Clinic:
    """One clinic's profile, validated: its fields, per-locale overrides, logo, address online, paper."""

    id: str
    path: str  # the profile file, relative to the project (for messages)
    fields: dict[str, str]
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    base_url: str = ""
    paper: str = "A4"
    logo: str = ""  # a data: URI, or ""

    def values(self, locale: str) -> dict[str, str]:
        """The clinic's fields as pages in ``locale`` show them (the locale's overrides win)."""
        return {**self.fields, **self.overrides.get(locale, {})}


@dataclass(frozen=True)
class Edition:
    """One version of the site: a clinic's (``dist/<clinic>/``), or the neutral one (dist/) without clinics."""

    clinic: Clinic | None = None
    base_url: str = ""
    paper: str = "A4"

    @property
    def id(self) -> str:
        return self.clinic.id if self.clinic else ""

    @property
    def prefix(self) -> str:
        """The edition's folder inside dist/, with a trailing '/' ('' for the neutral edition)."""
        return f"{self.id}/" if self.clinic else ""

    def address(self, rel: str) -> str:
        """The absolute online address of ``rel`` (relative to the edition's folder), or '' without a base URL."""
        return self.base_url + rel if self.base_url else ""


#: The keys of ``[tool.carepages]`` that :func:`read_site` validates, with their defaults.
SITE_DEFAULTS: dict[str, Any] = {
    "clinics_dir": "clinics",
    "base_url": "",
    "paper": "A4",
    "index_title": "",
    "index_intro": "",
    "handouts": True,
}


@dataclass(frozen=True)
class Site:
    """How the site is published: the clinics' editions, the neutral edition's address and paper, the
    index's title and introduction (source language, translated through ui.po), and whether handouts are made."""

    clinics: tuple[Clinic, ...] = ()
    clinics_dir: Path | None = None
    base_url: str = ""
    paper: str = "A4"
    index_title: str = "Patient information"
    index_intro: str = ""
    handouts: bool = True


def read_site(
    values: dict[str, Any], bad: Callable[..., Exception], root: Path, clinics_dir: Path, locales: tuple[str, ...]
) -> Site:
    """The site settings of ``[tool.carepages]`` (``bad(key, message)`` makes the error), and every clinic profile."""
    words = {}
    for key in ("index_title", "index_intro"):
        value = values[key]
        if not isinstance(value, str) or any(ord(c) < 32 for c in value):
            raise bad(key, f"must be text on one line, not {value!r}")
        words[key] = " ".join(value.split())
    if not isinstance(values["handouts"], bool):
        raise bad("handouts", f"must be true or false, not {values['handouts']!r}")
    if values["paper"] not in PAPERS:
        raise bad("paper", f"must be one of {', '.join(PAPERS)}, not {values['paper']!r}")
    return Site(
        clinics=load_clinics(root, clinics_dir, locales),
        clinics_dir=clinics_dir,
        base_url=check_url(values["base_url"], bad, "base_url"),
        paper=values["paper"],
        index_title=words["index_title"] or "Patient information",
        index_intro=words["index_intro"],
        handouts=values["handouts"],
    )


def select_editions(site: Site, wanted: list[str] | None, where: str) -> list[Edition]:
    """Each clinic's edition (``wanted``: only those, each one configured), or the neutral one without clinics."""
    if not site.clinics:
        if wanted:
            raise ConfigError(
                f"clinic {wanted[0]!r} is not configured",
                path=where,
                hint="add a profile clinics/<id>.toml (see README, 'Clinic editions')",
            )
        return [Edition(None, site.base_url, site.paper)]
    known = {clinic.id: clinic for clinic in site.clinics}
    for name in wanted or ():
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            raise ConfigError(
                f"clinic {name!r} is not configured",
                hint=f"did you mean {close[0]!r}?" if close else "configured: " + ", ".join(known),
            )
    chosen = [clinic for name, clinic in known.items() if not wanted or name in wanted]
    return [Edition(clinic, clinic.base_url, clinic.paper) for clinic in chosen]


def load_clinics(root: Path, folder: Path, locales: tuple[str, ...]) -> tuple[Clinic, ...]:
    """Every ``<id>.toml`` in the clinics folder, sorted by id; none when the folder does not exist."""
    if not folder.is_dir():
        return ()
    return tuple(_Profile(root, path, locales).clinic() for path in sorted(folder.glob("*.toml")))


def check_url(value: object, bad: Any, key: str, folder: bool = True) -> str:
    """An absolute http(s) address, or ''; a ``folder`` (a base URL, which pages' addresses extend) ends in '/'."""
    if value == "":
        return ""
    if not isinstance(value, str):
        raise bad(key, f"must be an absolute http or https address, not {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in ' "<>\\'):
        raise bad(key, f"must be an absolute http or https address, not {value!r}")
    return value if value.endswith("/") or not folder else value + "/"


class _Profile:
    """Validates one profile file; every complaint names the file, the line of the key and what to do."""

    def __init__(self, root: Path, path: Path, locales: tuple[str, ...]) -> None:
        self.path = path
        self.root = root
        self.rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        self.text = read_input(path, self.rel, root, RECORD_FILE, ConfigError).decode("utf-8", errors="replace")
        self.locales = locales
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"at line (\d+)", str(exc))
            line = int(found.group(1)) if found else self.text.count("\n") + 1  # "at end of document"
            raise ConfigError(f"invalid TOML: {exc}", path=self.rel, line=line) from exc

    def bad(self, key: str, message: str, hint: str | None = None, table: str = "") -> ConfigError:
        return ConfigError(f"{key}: {message}", path=self.rel, line=self.line_of(key, table), hint=hint)

    def line_of(self, key: str, table: str = "") -> int | None:
        """The line of ``key`` in ``[table]`` (the top of the file for ''): tomllib keeps no positions."""
        current = ""
        for number, line in enumerate(self.text.split("\n"), start=1):
            stripped = line.strip()
            header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
            if header:
                current = header.group(1).replace(" ", "")
                if current == table and not key:
                    return number
            elif current == table and re.match(rf"^\"?{re.escape(key)}\"?\s*=", stripped):
                return number
        return None

    def clinic(self) -> Clinic:
        clinic_id = self.path.stem
        if not CLINIC_ID.match(clinic_id) or clinic_id == "downloads":
            raise ConfigError(
                f"clinic id {clinic_id!r} is not allowed",
                path=self.rel,
                hint="rename the file using lowercase letters, digits, '-' and '_' (not 'downloads')",
            )
        self.known(self.data, (*FIELD_NAMES, *PROFILE_KEYS), "")
        fields = self.fields(self.data, "")
        if not fields.get("name"):
            raise ConfigError("the clinic has no name", path=self.rel, line=1, hint='add name = "..."')
        return Clinic(
            id=clinic_id,
            path=self.rel,
            fields=fields,
            overrides=self.overrides(),
            base_url=check_url(self.data.get("base_url", ""), self.bad, "base_url"),
            paper=self.paper(),
            logo=self.logo(),
        )

    def known(self, table: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
        for key in table:
            if key not in keys:
                close = difflib.get_close_matches(key, keys, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(keys)
                raise self.bad(key, "unknown key", hint, where)

    def fields(self, table: dict[str, Any], where: str) -> dict[str, str]:
        """The contact fields of one table: text, one line, no control characters; website a URL."""
        found = {}
        for key in FIELD_NAMES:
            value = table.get(key)
            if value is None:
                continue
            if not isinstance(value, str) or not value.strip() or any(ord(c) < 32 or c == "\x7f" for c in value):
                raise self.bad(key, f"must be one line of text, not {value!r}", table=where)
            found[key] = " ".join(value.split())
        if "website" in found:
            found["website"] = check_url(found["website"], lambda k, m: self.bad(k, m, table=where), "website", False)
        return found

    def overrides(self) -> dict[str, dict[str, str]]:
        """``[locales.<code>]`` tables: fields as one configured locale shows them."""
        tables = self.data.get("locales", {})
        if not isinstance(tables, dict):
            raise self.bad("locales", "must be tables such as [locales.de]")
        result = {}
        for code, table in tables.items():
            where = f"locales.{code}"
            if code not in self.locales:
                close = difflib.get_close_matches(code, self.locales, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "configured: " + ", ".join(self.locales)
                raise ConfigError(f"[{where}]: not a configured locale", path=self.rel, line=self.line_of("", where),
                                  hint=hint)  # fmt: skip
            if not isinstance(table, dict):
                raise self.bad("locales", f"{code} must be a table [{where}]")
            self.known(table, FIELD_NAMES, where)
            result[code] = self.fields(table, where)
        return result

    def paper(self) -> str:
        value = self.data.get("paper", "A4")
        if value not in PAPERS:
            raise self.bad("paper", f"must be one of {', '.join(PAPERS)}, not {value!r}")
        return str(value)

    def logo(self) -> str:
        """The logo file (beside the profile) as a ``data:`` URI: pages load nothing from outside."""
        name = self.data.get("logo", "")
        if name == "":
            return ""
        path = self.path.parent / str(name)
        kind = LOGO_TYPES.get(path.suffix.lower())
        if not isinstance(name, str) or "/" in name or "\\" in name or kind is None:
            raise self.bad("logo", f"must be a .png, .svg or .jpg file beside the profile, not {name!r}")
        try:
            data = read_input(path, f"{self.rel}: logo {name!r}", self.root, CATALOG_FILE, ConfigError)
        except OSError as exc:
            raise self.bad("logo", f"cannot read {name!r}: {exc.strerror}") from exc
        if len(data) > LOGO_MAX_BYTES:
            raise self.bad("logo", f"{name!r} has {len(data):,} bytes; every page embeds it", "use a file under 100 kB")
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def missing_values(
    clinics: tuple[Clinic, ...], locales: list[str], used: dict[str, list[tuple[str, str, int]]]
) -> list[CarepagesError]:
    """A clinic, locale and field a page needs but the profile leaves empty: one error each.

    ``used`` maps a field to where the source uses it: ``(page, source file, line)``.
    """
    errors: list[CarepagesError] = []
    for clinic in clinics:
        for name, places in sorted(used.items()):
            lacking = [code for code in locales if not clinic.values(code).get(name)]
            if not lacking:
                continue
            page, rel, line = places[0]
            where = "every locale" if len(lacking) == len(locales) else "locale " + ", ".join(lacking)
            errors.append(
                ConfigError(
                    f"clinic {clinic.id!r} has no value for {name!r} ({where}), which page {page!r} uses "
                    f"({{{{clinic.{name}}}}} at {rel}:{line})",
                    path=clinic.path,
                    hint=f'add {name} = "..." to {clinic.path}'
                    + (" or to its [locales.<code>] tables" if len(lacking) < len(locales) else ""),
                )
            )
    return errors


def fill(text: str, values: dict[str, str], *, html: bool, where: str = "") -> str:
    """``text`` with every ``{{clinic.field}}`` replaced by its value, escaped for HTML when ``html``.

    The build checks every used field for a value before it renders (:func:`missing_values`),
    so a field without one here is a bug in that check, reported as an error all the same.
    """
    if "{{" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        found = values.get(match.group(1))
        if not found:
            raise CarepagesError(f"no value for {match.group(0)}", path=where or None, hint="set it in the profile")
        return str(escape(found)) if html else found

    return FIELD.sub(value, text)
