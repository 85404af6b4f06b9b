"""The project's configuration: ``[tool.carepages]`` in ``pyproject.toml``, read once.

The tool is not tied to this repository: it finds its project by the nearest
``pyproject.toml`` that has a ``[tool.carepages]`` table, in the current folder or
a parent (or the folder given with ``--project``). Every value is validated here,
in one place, so later stages can trust a :class:`Config` without re-checking.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

from carepages.clinics import SITE_DEFAULTS, Edition, Site, read_site, select_editions
from carepages.errors import ConfigError, shorten
from carepages.locales import check_locale, locale_code, locale_folders, same_locale

#: Locale codes, POSIX (``pt_BR``) or BCP 47 (``pt-BR``): language, then optional script/territory/variant.
#: The folder of templates inside locale_dir, which is no locale.

LOCATION_MODES = ("full", "file", "none")
#: What happens to a page whose translation is behind the source: served from an earlier revision, or withheld.
STALE_POLICIES = ("pin", "withhold")

#: Front-matter fields carepages itself reads (see :mod:`carepages.pages`).
BUILTIN_FIELDS = ("title", "description", "last_reviewed", "order", "pin_after")
#: What a project may declare about other front-matter fields, in ``[tool.carepages.front_matter]``.
FRONT_MATTER_KEYS = ("translated", "ignored")
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*\Z")

#: Every key ``[tool.carepages]`` accepts, with its default.
DEFAULTS: dict[str, Any] = {
    "source_language": "en",
    "locales": [],
    "source_dir": "source",
    "locale_dir": "locale",
    "dist_dir": "dist",
    "disclaimers": "_disclaimers.md",
    "publish_threshold": 80,
    "locations": "full",
    "project_name": None,
    "bugs_address": "",
    "line_width": 72,
    "front_matter": {},
    "require_review": False,
    "show_reviewers": True,
    "stale": "pin",
    "max_stale_days": 90,
    **SITE_DEFAULTS,
}


@dataclass(frozen=True)
class FrontMatterFields:
    """The project's own front-matter fields: shown to readers (translated) or for other tools (ignored).

    A field that is neither built in nor declared here is kept out of the catalogs
    with a warning, so a typo (``titel``) or a field of another tool (``minutes``)
    never stops a build, and declaring it silences the warning.
    """

    translated: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """Validated settings, with folders resolved against the project root."""

    root: Path
    pyproject: Path
    source_language: str
    locales: tuple[str, ...]
    source_dir: Path
    locale_dir: Path
    dist_dir: Path
    disclaimers_file: Path
    publish_threshold: float
    locations: str
    project_name: str
    bugs_address: str
    line_width: int
    front_matter: FrontMatterFields = FrontMatterFields()
    locale_folders: tuple[tuple[str, str], ...] = ()  # (canonical code, folder name) found on disk
    #: Which unsigned translations are a publishing error (withheld), not a notice on the page:
    #: "" none, "all" (``require_review = true``), or "disclaimers" (the disclaimers' and the
    #: interface's safety strings: what a hostile rewording would turn against the reader).
    require_review: str = ""
    #: Pages name their reviewers ("reviewed by … on …"), or give only the date.
    show_reviewers: bool = True
    stale: str = "pin"
    max_stale_days: int = 90
    site: Site = field(default_factory=Site)  # the clinics' editions, the index's words, handouts (carepages.clinics)

    def editions(self, clinics: list[str] | None = None) -> list[Edition]:
        """What a build makes: each clinic's edition (``--clinic``: only those), or the neutral one."""
        return select_editions(self.site, clinics, self.relative(self.site.clinics_dir or self.root))

    @property
    def templates_dir(self) -> Path:
        """Where the ``.pot`` templates live: ``locale/templates``."""
        return self.locale_dir / "templates"

    def select_locales(self, locales: list[str] | None, allow_source: bool = False) -> list[str]:
        """The configured locales a command works on (``-l``), in configuration order, canonical.

        ``pt-BR`` selects ``pt_BR``. An unknown or unconfigured code is a usage error;
        ``allow_source`` accepts the source language too (the build always renders it,
        so it is not in the result).
        """
        if not locales:
            return list(self.locales)
        wanted = [check_locale(code) for code in locales]
        allowed = {*self.locales, self.source_language} if allow_source else set(self.locales)
        unknown = [code for code in wanted if code not in allowed]
        if unknown:
            raise ConfigError(
                f"locale {unknown[0]!r} is not configured",
                path=self.relative(self.pyproject),
                hint=f"add it to tool.carepages.locales (configured: {', '.join(self.locales) or 'none'})",
            )
        return [code for code in self.locales if code in wanted]

    def locale_folder(self, locale: str) -> str:
        """The name of a locale's folder in ``locale_dir``: as found on disk (``pt-BR``), else the code."""
        if not self.locale_folders:
            return locale
        same = same_locale(locale)
        return next((folder for code, folder in self.locale_folders if same_locale(code) == same), locale)

    def locale_path(self, locale: str) -> Path:
        """``locale/<folder>``: where a locale's catalogs and ``review.toml`` are."""
        return self.locale_dir / self.locale_folder(locale)

    @cached_property
    def _root_prefix(self) -> str:
        """The root as a string prefix of the paths below it (with its separator)."""
        return os.path.join(str(self.root), "")

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, POSIX style, for messages and references."""
        absolute = os.path.abspath(path)
        if absolute.startswith(self._root_prefix):  # the usual case, without pathlib (asked for every file checked)
            return absolute[len(self._root_prefix) :].replace(os.sep, "/")
        for candidate in _absolute_forms(path):
            if candidate.is_relative_to(self.root):
                return candidate.relative_to(self.root).as_posix()
        return path.as_posix()


def _absolute_forms(path: Path) -> Iterator[Path]:
    """``path`` made absolute, then with its links resolved (only if asked: resolving costs system calls)."""
    yield Path(os.path.abspath(path))
    yield path.resolve()


def find_pyproject(start: Path) -> Path:
    """The nearest ``pyproject.toml`` with a ``[tool.carepages]`` table at or above ``start``."""
    start = start.resolve()
    seen: list[Path] = []
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            seen.append(candidate)
            if "carepages" in _read_toml(candidate).get("tool", {}):
                return candidate
    where = f"; {seen[0]} has no [tool.carepages] table" if seen else ""
    raise ConfigError(
        f"no carepages project found in {start} or its parents{where}",
        hint="run inside a project, pass --project DIR, or add [tool.carepages] to pyproject.toml",
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError has the position only in its message.
        found = re.search(r"at line (\d+)", str(exc))
        line = int(found.group(1)) if found else path.read_text(errors="replace").count("\n") + 1
        raise ConfigError(f"invalid TOML: {exc}", path=path, line=line) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=path) from exc


def load_config(project: Path | None = None) -> Config:
    """Find and validate the configuration for the project at or above ``project``."""
    pyproject = find_pyproject(project or Path.cwd())
    data = _read_toml(pyproject)
    table = data["tool"]["carepages"]
    if not isinstance(table, dict):
        raise ConfigError("[tool.carepages] must be a table", path=pyproject)
    return _validate(pyproject, table, data.get("project", {}))


class _Validator:
    """Checks one ``[tool.carepages]`` table; every complaint names the key and the bad value."""

    def __init__(self, pyproject: Path, table: dict[str, Any]) -> None:
        self.pyproject = pyproject
        self.root = pyproject.parent.resolve()
        for key in table:
            if key not in DEFAULTS:
                close = difflib.get_close_matches(key, DEFAULTS, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(DEFAULTS)
                raise self.bad(key, "unknown key", hint)
        self.values = {**DEFAULTS, **table}

    def bad(self, key: str, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"tool.carepages.{key}: {message}", path=self.pyproject, hint=hint)

    def folder(self, key: str, must_exist: bool) -> Path:
        """A folder inside the project (a setting may never point outside it)."""
        value = self.values[key]
        if not isinstance(value, str) or not value or "\x00" in value:
            raise self.bad(key, f"must be a folder name, not {shorten(value)}")
        path = (self.root / value).resolve()
        if not path.is_relative_to(self.root):
            raise self.bad(key, f"{shorten(value)} lies outside the project folder")
        if must_exist and not path.is_dir():
            raise self.bad(key, f"folder {shorten(value)} does not exist", f"create {value}/ or fix the setting")
        return path

    def locales(self) -> tuple[str, tuple[str, ...]]:
        """The source language and the target locales, each known to Babel, no repeats."""
        source = locale_code(self.values["source_language"], lambda m: self.bad("source_language", m))
        value = self.values["locales"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.bad("locales", 'must be a list of locale codes such as ["de", "pt_BR"]')
        locales = tuple(locale_code(v, lambda m: self.bad("locales", m)) for v in value)
        if len({same_locale(code) for code in locales}) != len(locales):
            raise self.bad("locales", "lists a locale twice (codes are compared as Babel reads them: pt-BR is pt_BR)")
        if same_locale(source) in {same_locale(code) for code in locales}:
            raise self.bad("locales", f"{source!r} is the source language; list only translations")
        return source, locales

    def number(self, key: str, low: int, high: int, kinds: tuple[type, ...], what: str) -> Any:
        value = self.values[key]
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= cast(float, value) <= high:
            raise self.bad(key, f"must be {what} from {low} to {high}, not {shorten(value)}")
        return value

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.values[key]
        if value not in options:
            raise self.bad(key, f"must be one of {', '.join(options)}, not {shorten(value)}")
        return str(value)

    def replaceable(self, key: str, path: Path, source_dir: Path, locale_dir: Path) -> Path:
        """The build folder: every build replaces it whole, so it must hold no sources or catalogs.

        ``dist_dir = "."`` (or ``"source"``, ``"locale"``, ``"locale/de"``) would otherwise
        make a build delete the project's pages and translations.
        """
        inside_locales = path.is_relative_to(locale_dir)
        for other_key, other in (("source_dir", source_dir), ("locale_dir", locale_dir)):
            if other.is_relative_to(path) or (other_key == "locale_dir" and inside_locales):
                raise self.bad(
                    key,
                    f"{shorten(self.values[key])} overlaps {other_key} {self.values[other_key]!r}: "
                    "every build replaces this folder whole",
                    "use a folder of its own, such as 'dist'",
                )
        return path

    def front_matter(self) -> FrontMatterFields:
        """``front_matter = {translated = [...], ignored = [...]}``: field names, each declared once."""
        value = self.values["front_matter"]
        if not isinstance(value, dict):
            raise self.bad("front_matter", 'must be a table such as {translated = ["subtitle"], ignored = ["tags"]}')
        for key in value:
            if key not in FRONT_MATTER_KEYS:
                close = difflib.get_close_matches(key, FRONT_MATTER_KEYS, n=1)
                hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(FRONT_MATTER_KEYS)
                raise self.bad(f"front_matter.{key}", "unknown key", hint)
        lists = {key: self._field_names(key, value.get(key, [])) for key in FRONT_MATTER_KEYS}
        both = sorted(set(lists["translated"]) & set(lists["ignored"]))
        if both:
            raise self.bad("front_matter", f"field {both[0]!r} is declared both translated and ignored")
        return FrontMatterFields(lists["translated"], lists["ignored"])

    def _field_names(self, key: str, names: Any) -> tuple[str, ...]:
        where = f"front_matter.{key}"
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise self.bad(where, f"must be a list of field names, not {names!r}")
        for name in names:
            if not FIELD_NAME.match(name):
                raise self.bad(where, f"{name!r} is not a field name (letters, digits, '_' and '-')")
            if name in BUILTIN_FIELDS:
                raise self.bad(where, f"{name!r} is a built-in field", "remove it from the list")
        if len(set(names)) != len(names):
            raise self.bad(where, "lists a field twice")
        return tuple(names)

    def flag(self, key: str) -> bool:
        value = self.values[key]
        if not isinstance(value, bool):
            raise self.bad(key, f"must be true or false, not {value!r}")
        return value

    def review_requirement(self, key: str) -> str:
        """``true`` (every translation), ``"disclaimers"``, or ``false``: as :attr:`Config.require_review` keeps it."""
        value = self.values[key]
        if value is True or value is False:
            return "all" if value else ""
        if value == "disclaimers":
            return "disclaimers"
        raise self.bad(key, f'must be true, false or "disclaimers", not {shorten(value)}')

    def file_name(self, key: str) -> str:
        value = self.values[key]
        if not isinstance(value, str) or "/" in value or "\\" in value or value in {"", ".", ".."}:
            raise self.bad(key, f"must be a file name inside source_dir, not {shorten(value)}")
        return value


def _validate(pyproject: Path, table: dict[str, Any], project: dict[str, Any]) -> Config:
    check = _Validator(pyproject, table)
    source_language, locales = check.locales()
    source_dir = check.folder("source_dir", must_exist=True)
    locale_dir = check.folder("locale_dir", must_exist=False)
    clinics_dir = check.folder("clinics_dir", must_exist=False)
    dist_dir = check.replaceable("dist_dir", check.folder("dist_dir", must_exist=False), source_dir, locale_dir)
    return Config(
        root=check.root,
        pyproject=pyproject,
        source_language=source_language,
        locales=locales,
        source_dir=source_dir,
        locale_dir=locale_dir,
        dist_dir=dist_dir,
        disclaimers_file=source_dir / check.file_name("disclaimers"),
        publish_threshold=float(check.number("publish_threshold", 0, 100, (int, float), "a percentage")),
        locations=check.choice("locations", LOCATION_MODES),
        project_name=str(check.values["project_name"] or project.get("name") or check.root.name),
        bugs_address=str(check.values["bugs_address"]),
        line_width=check.number("line_width", 40, 200, (int,), "a whole number"),
        front_matter=check.front_matter(),
        locale_folders=locale_folders(locale_dir, pyproject),
        require_review=check.review_requirement("require_review"),
        show_reviewers=check.flag("show_reviewers"),
        stale=check.choice("stale", STALE_POLICIES),
        max_stale_days=check.number("max_stale_days", 0, 36500, (int,), "a whole number of days"),
        site=read_site(check.values, check.bad, check.root, clinics_dir, (source_language, *locales)),
    )
