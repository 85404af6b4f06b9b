"""A source page: its name, front matter and Markdown body, with source line numbers.

Pages are ``source/<name>.md``; the name becomes the gettext domain and the file
name of every built page, so it is restricted to a safe alphabet. Files whose name
starts with ``_`` are not pages: ``_disclaimers.md`` holds the shared disclaimers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from carepages.config import Config
from carepages.errors import CarepagesError, SourceError, raise_all
from carepages.segments import CONTROL

PAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\Z")  # \Z: "$" would let a final newline through

#: Front-matter fields a reader sees, extracted as messages, in this order.
READER_FIELDS = ("title", "description")
KNOWN_FIELDS = (*READER_FIELDS, "last_reviewed")


@dataclass(frozen=True)
class FrontMatter:
    """The fields of a page's front matter, and the line each one stands on."""

    title: str = ""
    description: str = ""
    last_reviewed: dt.date | None = None
    lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, field: str) -> int:
        return dict(self.lines).get(field, 1)


@dataclass(frozen=True)
class Page:
    """One Markdown source file, split into front matter and body."""

    name: str
    path: Path
    rel: str
    meta: FrontMatter
    body: str
    body_line: int  # 1-based line of the file on which the body starts


def read_text(path: Path, rel: str) -> str:
    """Read a UTF-8 text file (a byte-order mark is allowed), with universal newlines."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", path=rel) from exc
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


def split_front_matter(text: str, rel: str) -> tuple[FrontMatter, str, int]:
    """Split ``---`` YAML front matter from the body; return (meta, body, body_line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(), text, 1
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."})
    except StopIteration:
        raise SourceError(
            "front matter starts with '---' but never ends", path=rel, line=1, hint="close it with a '---' line"
        ) from None
    meta = _parse_front_matter("\n".join(lines[1:end]), rel)
    return meta, "\n".join(lines[end + 1 :]), end + 2


def _parse_front_matter(block: str, rel: str) -> FrontMatter:
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(f"malformed front matter: {problem}", path=rel, line=line) from exc
    if data is None:
        return FrontMatter()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise SourceError("front matter must be 'key: value' lines", path=rel, line=2)
    lines = tuple((str(k.value), k.start_mark.line + 2) for k, _ in node.value)
    where = dict(lines)
    for key in data:
        if key not in KNOWN_FIELDS:
            raise SourceError(
                f"unknown front-matter field {key!r}",
                path=rel,
                line=where.get(str(key), 2),
                hint="known fields: " + ", ".join(KNOWN_FIELDS),
            )
    for key in READER_FIELDS:
        if key in data and not isinstance(data[key], str):
            raise SourceError(f"front-matter field {key!r} must be text", path=rel, line=where.get(key, 2))
    reviewed = data.get("last_reviewed")
    if reviewed is not None and (not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime)):
        raise SourceError(
            f"last_reviewed must be a date such as 2026-11-20, not {reviewed!r}",
            path=rel,
            line=where.get("last_reviewed", 2),
        )
    return FrontMatter(
        title=" ".join(data.get("title", "").split()),
        description=" ".join(data.get("description", "").split()),
        last_reviewed=reviewed,
        lines=lines,
    )


def load_page(config: Config, path: Path) -> Page:
    """Read one page, validating its name and front matter."""
    rel = config.relative(path)
    name = path.stem
    if not PAGE_NAME.match(name):
        raise SourceError(
            f"page name {name!r} is not allowed",
            path=rel,
            hint="rename the file using lowercase letters, digits, '-' and '_' only",
        )
    meta, body, body_line = split_front_matter(read_text(path, rel), rel)
    if not meta.title:
        raise SourceError("page has no title", path=rel, line=1, hint="add front matter with 'title: ...'")
    return Page(name=name, path=path, rel=rel, meta=meta, body=body, body_line=body_line)


def load_disclaimers_page(config: Config) -> Page:
    """Read the shared disclaimers file (no front matter; every block is a disclaimer)."""
    path = config.disclaimers_file
    rel = config.relative(path)
    if not path.is_file():
        raise SourceError(
            "the shared disclaimers file does not exist",
            path=rel,
            hint="create it, or point tool.carepages.disclaimers at it",
        )
    meta, body, body_line = split_front_matter(read_text(path, rel), rel)
    if meta.lines:
        raise SourceError("the disclaimers file takes no front matter", path=rel, line=1)
    return Page(name="disclaimers", path=path, rel=rel, meta=meta, body=body, body_line=body_line)


def page_paths(config: Config) -> list[Path]:
    """Every page file in the source folder, sorted by name (files starting with '_' excluded)."""
    paths = sorted(p for p in config.source_dir.glob("*.md") if not p.name.startswith("_"))
    for path in paths:
        if not path.resolve().is_relative_to(config.source_dir):
            raise SourceError(
                "page is a link to a file outside the source folder",
                path=config.relative(path),
                hint="copy the page into the source folder instead of linking to it",
            )
    names = [p.stem for p in paths]
    for reserved in ("disclaimers", "ui"):
        if reserved in names:
            raise CarepagesError(
                f"a page may not be called {reserved!r}: that name is reserved for a shared catalog",
                path=config.relative(config.source_dir / f"{reserved}.md"),
                hint="rename the page",
            )
    return paths


def load_pages(config: Config) -> list[Page]:
    """Load every page, collecting all problems before failing."""
    pages: list[Page] = []
    errors: list[CarepagesError] = []
    for path in page_paths(config):
        try:
            pages.append(load_page(config, path))
        except CarepagesError as exc:
            errors.append(exc)
    raise_all(errors)
    return pages
