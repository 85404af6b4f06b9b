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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from carepages.errors import ConfigError

#: Locale codes as folder names: language, then optional script/territory/variant.
LOCALE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})*$")

LOCATION_MODES = ("full", "file", "none")

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
}


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

    @property
    def templates_dir(self) -> Path:
        """Where the ``.pot`` templates live: ``locale/templates``."""
        return self.locale_dir / "templates"

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, POSIX style, for messages and references."""
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            if candidate.is_relative_to(self.root):
                return candidate.relative_to(self.root).as_posix()
        return path.as_posix()


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


def _validate(pyproject: Path, table: dict[str, Any], project: dict[str, Any]) -> Config:
    def bad(key: str, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(f"tool.carepages.{key}: {message}", path=pyproject, hint=hint)

    for key in table:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(key, DEFAULTS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "known keys: " + ", ".join(DEFAULTS)
            raise bad(key, "unknown key", hint)
    values = {**DEFAULTS, **table}
    root = pyproject.parent

    def folder(key: str, must_exist: bool) -> Path:
        value = values[key]
        if not isinstance(value, str) or not value or "\x00" in value:
            raise bad(key, f"must be a folder name, not {value!r}")
        path = (root / value).resolve()
        if not path.is_relative_to(root.resolve()):
            raise bad(key, f"{value!r} lies outside the project folder")
        if must_exist and not path.is_dir():
            raise bad(key, f"folder {value!r} does not exist", f"create {value}/ or fix the setting")
        return path

    source_language = _locale(values["source_language"], lambda m: bad("source_language", m))
    locales_value = values["locales"]
    if not isinstance(locales_value, list) or not all(isinstance(v, str) for v in locales_value):
        raise bad("locales", 'must be a list of locale codes such as ["de", "pt_BR"]')
    locales = tuple(_locale(v, lambda m: bad("locales", m)) for v in locales_value)
    if len(set(locales)) != len(locales):
        raise bad("locales", "lists a locale twice")
    if source_language in locales:
        raise bad("locales", f"{source_language!r} is the source language; list only translations")

    threshold = values["publish_threshold"]
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 100:
        raise bad("publish_threshold", f"must be a percentage from 0 to 100, not {threshold!r}")
    if values["locations"] not in LOCATION_MODES:
        raise bad("locations", f"must be one of {', '.join(LOCATION_MODES)}, not {values['locations']!r}")
    width = values["line_width"]
    if isinstance(width, bool) or not isinstance(width, int) or not 40 <= width <= 200:
        raise bad("line_width", f"must be a whole number from 40 to 200, not {width!r}")

    source_dir = folder("source_dir", must_exist=True)
    disclaimers = values["disclaimers"]
    if not isinstance(disclaimers, str) or "/" in disclaimers or "\\" in disclaimers or disclaimers in {"", ".", ".."}:
        raise bad("disclaimers", f"must be a file name inside source_dir, not {disclaimers!r}")
    name = values["project_name"] or project.get("name") or root.name
    return Config(
        root=root.resolve(),
        pyproject=pyproject,
        source_language=source_language,
        locales=locales,
        source_dir=source_dir,
        locale_dir=folder("locale_dir", must_exist=False),
        dist_dir=folder("dist_dir", must_exist=False),
        disclaimers_file=source_dir / disclaimers,
        publish_threshold=float(threshold),
        locations=values["locations"],
        project_name=str(name),
        bugs_address=str(values["bugs_address"]),
        line_width=width,
    )


def _locale(code: object, bad: Any) -> str:
    """Validate a locale code with Babel's CLDR data; return it unchanged."""
    if not isinstance(code, str) or not LOCALE_CODE.match(code):
        raise bad(f"{code!r} is not a locale code (use forms like 'de', 'pt_BR', 'zh_Hans_CN')")
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise bad(f"unknown locale {code!r}: Babel's CLDR data does not know it") from exc
    return code


def check_locale(code: str) -> str:
    """Validate a locale code given on the command line (``-l``)."""
    return _locale(code, lambda m: ConfigError(m, hint="use a code Babel knows, such as 'de' or 'pt_BR'"))
