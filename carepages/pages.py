"""A source page: its name, front matter and Markdown body, with source line numbers.

Pages are ``source/<name>.md``, in folders as deep as the author likes:
``source/knee/exercises.md`` is the page ``knee/exercises``. The name is the
page's gettext domain and the path of its files, mirrored as sphinx-intl mirrors
Sphinx documents: ``locale/templates/knee/exercises.pot``,
``locale/<lang>/LC_MESSAGES/knee/exercises.po``, ``dist/<lang>/knee/exercises.html``
(:attr:`Page.domain`, :attr:`Page.output_stem`; the mapping is the identity, so it
is reversible by construction). Every folder and file name is restricted to a safe
alphabet. Files and folders whose name starts with ``_`` (or ``.``) are not pages:
``_disclaimers.md`` holds the shared disclaimers.

Front matter is optional. Its ``title`` defaults to the first heading (set by
extraction, which finds it); ``description`` is translated; ``last_reviewed`` is a
date; ``order`` places the page in the index. A project declares its own fields in
``[tool.carepages.front_matter]``; any other field is a warning on the page, never
a refusal, and never reaches a catalog.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from carepages import limits
from carepages.config import BUILTIN_FIELDS, Config, FrontMatterFields
from carepages.errors import CarepagesError, Problem, Severity, SourceError, shorten
from carepages.fsutil import read_input
from carepages.segments import CONTROL

#: PyYAML's safe loader, in C (libyaml) where the wheel has it: every command reads every page's front
#: matter. It reads what PyYAML's own parser reads but for tabs, which it accepts where PyYAML refuses
#: them (:func:`_read_yaml` leaves those to PyYAML's parser; tests/test_pages.py compares the two).
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")  # \Z: "$" would let a final newline through

#: Front-matter fields a reader sees, extracted as messages, in this order.
READER_FIELDS = ("title", "description")
NO_FIELDS = FrontMatterFields()
#: The code of the warnings about front matter (``Page.warnings``).
FRONT_MATTER_WARNING = "front-matter"
#: The one field the shared disclaimers file may carry (it has no title: it is no page of its own).
DISCLAIMER_FIELDS = ("pin_after",)


@dataclass(frozen=True)
class FrontMatter:
    """The fields of a page's front matter, and the line each one stands on.

    ``title`` is the front matter's title or, without one, the first heading's msgid
    (``title_from_heading``; its translation is that heading's, and it may hold inline
    Markdown). ``translated`` are the project's declared reader-facing fields (text,
    extracted as messages); ``other`` the declared ignored fields and unknown ones,
    as read, never in a catalog.
    """

    title: str = ""
    description: str = ""
    last_reviewed: dt.date | None = None
    order: int | None = None
    translated: tuple[tuple[str, str], ...] = ()
    other: tuple[tuple[str, Any], ...] = field(default=(), hash=False)  # YAML values: lists are not hashable
    #: No revision committed on or before this day (or instant) may serve the page pinned (see carepages.pinning).
    pin_after: dt.date | dt.datetime | None = field(default=None, hash=False)
    lines: tuple[tuple[str, int], ...] = ()
    title_from_heading: bool = False

    def line_of(self, field: str) -> int:
        return dict(self.lines).get(field, 1)


@dataclass(frozen=True)
class Page:
    """One Markdown source file, split into front matter and body.

    ``warnings`` are the problems found reading it that do not stop anything (an
    unknown front-matter field): the command line prints them, the library never does.
    """

    name: str
    path: Path
    rel: str
    meta: FrontMatter
    body: str
    body_line: int  # 1-based line of the file on which the body starts
    warnings: tuple[Problem, ...] = ()
    source: str = ""  # the whole file as read (universal newlines), for the lines of its messages (parse only)

    @property
    def domain(self) -> str:
        """The page's gettext domain: its name (see the module doc)."""
        return self.name

    @property
    def output_stem(self) -> str:
        """The path of its built files below ``dist/<lang>/``, without the suffix: its name."""
        return self.name


def read_text(path: Path, rel: str, root: Path | None = None) -> str:
    """Read a UTF-8 text file (a byte-order mark is allowed), with universal newlines.

    The file must be a regular file inside ``root`` (the project) and within
    :data:`~carepages.limits.PAGE_FILE` (see :func:`carepages.fsutil.read_input`).
    """
    try:
        data = read_input(path, rel, root, limits.PAGE_FILE, SourceError)
    except FileNotFoundError as exc:
        raise SourceError("cannot read: no such file", path=rel) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=rel, line=line, hint="save the file as UTF-8"
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL.search(text)
    if control:
        raise SourceError(
            f"control character U+{ord(control.group()):04X} in the text (invisible in an editor; "
            "a terminal showing the plain-text page would run it)",
            path=rel,
            line=text.count("\n", 0, control.start()) + 1,
            hint="delete it",
        )
    return text


def split_front_matter(
    text: str, rel: str, fields: FrontMatterFields = NO_FIELDS
) -> tuple[FrontMatter, str, int, list[Problem]]:
    """Split ``---`` YAML front matter from the body; return (meta, body, body_line, warnings).

    A page without front matter is valid: its title comes from its first heading.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(), text, 1, []
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."})
    except StopIteration:
        raise SourceError(
            "front matter starts with '---' but never ends", path=rel, line=1, hint="close it with a '---' line"
        ) from None
    meta, warnings = _parse_front_matter("\n".join(lines[1:end]), rel, fields)
    return meta, "\n".join(lines[end + 1 :]), end + 2, warnings


def _refuse_expensive_yaml(block: str, rel: str, loader_class: Any) -> None:
    """Refuse, from PyYAML's event stream and before anything is built, what could make it build a lot.

    An alias bomb (``a: &a [x, x]``, ``b: &b [*a, *a]``, ...) is a few lines that PyYAML
    would expand into gigabytes; front matter needs neither anchors nor aliases.
    """
    if len(block) > limits.MAX_FRONT_MATTER_CHARS:
        raise SourceError(
            f"front matter of {len(block)} characters, more than {limits.MAX_FRONT_MATTER_CHARS}",
            path=rel,
            line=2,
            hint="keep the front matter short: a title, a description, a few fields",
        )
    for event in yaml.parse(block, Loader=loader_class):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise SourceError(
                "front matter uses a YAML anchor or alias ('&name', '*name')",
                path=rel,
                line=event.start_mark.line + 2 if event.start_mark else 2,
                hint="write each value out in full",
            )


def _read_yaml(block: str, rel: str) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """The front matter as a mapping (None when empty), and the file line of each key."""
    try:
        try:  # libyaml accepts tabs where PyYAML's own parser refuses them: a tab takes the strict way
            node, data = _compose(block, rel, yaml.SafeLoader if "\t" in block else YAML_LOADER)
        except yaml.YAMLError:  # told as PyYAML's own parser tells it (libyaml's mark is often a line late)
            node, data = _compose(block, rel, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(f"malformed front matter: {problem}", path=rel, line=line) from exc
    if data is None:
        return None, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise SourceError("front matter must be 'key: value' lines", path=rel, line=2)
    return data, {str(k.value): k.start_mark.line + 2 for k, _ in node.value}


def _compose(block: str, rel: str, loader_class: Any) -> tuple[yaml.Node | None, Any]:
    """The front matter's node graph (for each key's line) and its value, from one parse with ``loader_class``."""
    _refuse_expensive_yaml(block, rel, loader_class)
    loader = loader_class(block)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _parse_front_matter(block: str, rel: str, fields: FrontMatterFields) -> tuple[FrontMatter, list[Problem]]:
    data, where = _read_yaml(block, rel)
    if data is None:
        return FrontMatter(), []
    for key in (*READER_FIELDS, *fields.translated):
        if key in data and not isinstance(data[key], str):
            raise SourceError(f"front-matter field {key!r} must be text", path=rel, line=where.get(key, 2))
        longest = limits.MAX_FIELD_CHARS.get(key, limits.MAX_FIELD_CHARS["description"])
        if len(data.get(key, "")) > longest:
            message = f"front-matter field {key!r} is {len(data[key])} characters long, more than {longest}"
            raise SourceError(message, path=rel, line=where.get(key, 2), hint="shorten it")
    translated = tuple((key, " ".join(data[key].split())) for key in data if key in fields.translated)
    other = tuple((str(key), data[key]) for key in data if key not in BUILTIN_FIELDS and key not in fields.translated)
    meta = FrontMatter(
        title=" ".join(data.get("title", "").split()),
        description=" ".join(data.get("description", "").split()),
        last_reviewed=_date(data.get("last_reviewed"), rel, where.get("last_reviewed", 2)),
        order=_order(data.get("order"), rel, where.get("order", 2)),
        pin_after=_pin_after(data.get("pin_after"), rel, where.get("pin_after", 2)),
        translated=tuple(item for item in translated if item[1]),
        other=other,
        lines=tuple(where.items()),
    )
    return meta, _unknown_fields(data, where, rel, fields)


def _date(value: Any, rel: str, line: int) -> dt.date | None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise SourceError(f"last_reviewed must be a date such as 2026-11-20, not {shorten(value)}", path=rel, line=line)
    return value


def _pin_after(value: Any, rel: str, line: int) -> dt.date | dt.datetime | None:
    """The day (or instant) after which a revision may serve the page pinned (YAML reads both)."""
    if value is not None and not isinstance(value, dt.date):
        message = f"pin_after must be a date such as 2026-11-29 (or a time such as 2026-11-29T14:00:00Z), not {value!r}"
        raise SourceError(message, path=rel, line=line)
    return value


def _order(value: Any, rel: str, line: int) -> int | None:
    """The page's place in the index: a whole number (lower first)."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise SourceError(f"order must be a whole number such as 10, not {shorten(value)}", path=rel, line=line)
    return value


def _unknown_fields(data: dict[str, Any], where: dict[str, int], rel: str, fields: FrontMatterFields) -> list[Problem]:
    """A warning for each field that is neither built in nor declared: it stays out of the catalogs."""
    known = (*BUILTIN_FIELDS, *fields.translated, *fields.ignored)
    warnings = []
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1)
        advice = (
            f"did you mean {close[0]!r}? " if close else ""
        ) + "declare it in tool.carepages.front_matter (translated or ignored) to silence this"
        message = f"unknown front-matter field {shorten(key)} is not translated ({advice})"
        warnings.append(Problem(rel, where.get(str(key), 2), Severity.WARNING, FRONT_MATTER_WARNING, message))
    return warnings


def page_name(config: Config, path: Path) -> str:
    """The name of the page at ``path``: its path below the source folder, without ``.md``, ``/``-separated.

    Every folder and the file name must be a safe name (lowercase letters, digits,
    ``-``, ``_``): the name is the page's gettext domain and the path of its catalogs
    and built files, so no two pages can collide, even on a case-insensitive disk.
    """
    parts = path.relative_to(config.source_dir).with_suffix("").parts
    for index, part in enumerate(parts):
        if not PAGE_NAME.match(part):
            folder = index < len(parts) - 1
            raise SourceError(
                f"{'folder' if folder else 'page'} name {part!r} is not allowed",
                path=config.relative(config.source_dir.joinpath(*parts[: index + 1]))
                if folder
                else config.relative(path),
                hint=f"rename the {'folder' if folder else 'file'} using lowercase letters, digits, '-' and '_' only",
            )
    return "/".join(parts)


def load_page(config: Config, path: Path) -> Page:
    """Read one page, validating its name and front matter.

    A page without a title (in front matter or as its first heading) is refused
    later, by extraction, which is what finds the first heading.
    """
    rel = config.relative(path)
    name = page_name(config, path)
    text = read_text(path, rel, config.root)
    meta, body, body_line, warnings = split_front_matter(text, rel, config.front_matter)
    _refuse_costly_body(body, body_line, rel)
    return Page(name, path, rel, meta, body, body_line, tuple(warnings), text)


def _refuse_costly_body(body: str, body_line: int, rel: str) -> None:
    """A page body over the limits of :mod:`carepages.limits` is refused before Markdown sees it."""
    found = limits.page_problem(body)
    if found is not None:
        line, problem = found
        raise SourceError(
            f"the page has {problem}: the Markdown parser would take minutes",
            path=rel,
            line=body_line + line,
            hint="split the block or nest it less deeply",
        )


def load_disclaimers_page(config: Config) -> Page:
    """Read the shared disclaimers file (no front matter; every block is a disclaimer)."""
    path = config.disclaimers_file
    rel = config.relative(path)
    if not path.exists():
        raise SourceError(
            "the shared disclaimers file does not exist",
            path=rel,
            hint="create it, or point tool.carepages.disclaimers at it",
        )
    text = read_text(path, rel, config.root)
    meta, body, body_line, _ = split_front_matter(text, rel)
    for name, line in meta.lines:
        if name not in DISCLAIMER_FIELDS:
            raise SourceError(
                f"the disclaimers file takes no front-matter field but pin_after, not {name!r}",
                path=rel,
                line=line,
                hint="move the field to a page, or delete it",
            )
    _refuse_costly_body(body, body_line, rel)
    return Page(name="disclaimers", path=path, rel=rel, meta=meta, body=body, body_line=body_line, source=text)


def _walk_sources(config: Config) -> list[Path]:
    """Every ``*.md`` below the source folder, in name order, skipping names that start with ``_`` or ``.``.

    Links to folders are not followed (a link leading outside is refused); a folder
    whose name ends in ``.md`` is returned like a file, so reading it says what is wrong.
    """
    found: list[Path] = []
    for folder, dirs, files in os.walk(config.source_dir):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                _refuse_outside(config, here / name, "folder")
            elif name.endswith(".md"):
                dirs.remove(name)
                found.append(here / name)
        found.extend(here / name for name in files if name.endswith(".md") and not name.startswith(("_", ".")))
    return sorted(found, key=lambda path: path.relative_to(config.source_dir).with_suffix("").parts)


def _refuse_outside(config: Config, path: Path, what: str) -> None:
    """A link leading out of the source folder would publish a file nobody meant to publish."""
    if not path.resolve().is_relative_to(config.source_dir):
        raise SourceError(
            f"{'page' if what == 'file' else what} is a link to a {what} outside the source folder",
            path=config.relative(path),
            hint=f"copy the {what} into the source folder instead of linking to it",
        )


def page_paths(config: Config) -> list[Path]:
    """Every page file below the source folder, in name order (names starting with '_' excluded)."""
    paths = _walk_sources(config)
    for path in paths:
        _refuse_outside(config, path, "file")
    names = [path.relative_to(config.source_dir).with_suffix("").as_posix() for path in paths]
    for reserved in ("disclaimers", "ui"):
        if reserved in names:
            raise CarepagesError(
                f"a page may not be called {reserved!r}: that name is reserved for a shared catalog",
                path=config.relative(config.source_dir / f"{reserved}.md"),
                hint="rename the page",
            )
    return paths
