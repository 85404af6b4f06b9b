"""Content hashes and the user's cache folder: how a command knows that earlier work still holds.

Every command that skips work it did before (``update``, ``build``, ``check``,
``stats``) keys that work by a sha256 over its inputs' contents, never by a file's
modification time, and keeps what it learnt in one JSON file per project and
purpose in the user's cache folder (``$CAREPAGES_CACHE_DIR``, else
``$XDG_CACHE_HOME/carepages``, else ``~/.cache/carepages``). Never in the project or
in dist/: a cache that a commit or a download could carry could claim that a page
passed the gate. A missing, old or damaged cache file only means doing the work again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import carepages
from carepages.errors import CarepagesError
from carepages.fsutil import read_input, write_if_changed
from carepages.limits import CATALOG_FILE

if TYPE_CHECKING:
    from carepages.config import Config

T = TypeVar("T")

#: Libraries whose version can change an output (a new Babel may merge or write a catalog differently).
LIBRARIES = (
    "Babel",
    "Markdown",
    "nh3",
    "Jinja2",
    "MarkupSafe",
    "wcwidth",
    "polib",
    "PyYAML",
    "py3langid",
    "snowballstemmer",
    # WeasyPrint (and what it draws with) shapes the handouts: a new version renders them anew.
    "weasyprint",
    "pydyf",
    "segno",
)


def digest(*parts: str | bytes) -> str:
    """One sha256 over ``parts``, each length-prefixed, so no two different lists hash alike."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def file_digest(path: Path, root: Path) -> str:
    """The sha256 of one of the project's input files; a distinct value when it is missing or refused.

    Read as every reader of the project's files reads them (:func:`carepages.fsutil.read_input`):
    a link out of the project (``root``), a FIFO or a file over its size limit counts by what
    makes it refused, so a key never hangs on it or reads it.
    """
    try:
        data = read_input(path, path.name, root, CATALOG_FILE, CarepagesError)
    except FileNotFoundError:
        return "absent"
    except CarepagesError as exc:
        return f"refused: {exc.message}"
    return hashlib.sha256(data).hexdigest()


#: The files hashed in one run, by path: the keys of the run (the project's, each locale's, each
#: page's) read each file once, in the main process and in the workers it forks. Never kept from
#: one run to the next.
FileHashes = dict[Path, str]


def hashed(path: Path, root: Path, hashes: FileHashes) -> str:
    """:func:`file_digest` of ``path``, once per run (``hashes``)."""
    if path not in hashes:
        hashes[path] = file_digest(path, root)
    return hashes[path]


def settings_digest(config: Config) -> str:
    """Every setting of ``[tool.carepages]`` as read (thresholds, review and stale policies, paths, widths).

    All of them, not a chosen few: a setting that is left out of a key is one whose
    change the cache would not see.
    """
    return digest(repr(config))


@cache
def code_digest() -> str:
    """The tool itself: its version, its code and templates, and the libraries that shape output."""
    package = Path(carepages.__file__).parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    parts: list[str | bytes] = [carepages.__version__, *(f"{name}={_version(name)}" for name in LIBRARIES)]
    for path in files:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def cache_root() -> Path:
    """The user's cache folder for carepages."""
    explicit = os.environ.get("CAREPAGES_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "carepages"


def cache_path(root: Path, purpose: str, *, extra: str = "") -> Path:
    """One file per project (by its folder's path, and ``extra``) and per purpose."""
    name = hashlib.sha256(f"{root}\0{extra}".encode()).hexdigest()[:24]
    return cache_root() / f"{name}{'-' + purpose if purpose else ''}.json"


def read_json(path: Path, version: str) -> dict[str, Any]:
    """A cache file's content when it was written by this ``version`` (format and code); else empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != version or not isinstance(data.get("data"), dict):
        return {}
    return data["data"]


def write_json(path: Path, version: str, data: dict[str, Any]) -> None:
    """Keep ``data`` for the next run (a cache folder that cannot be written is no error)."""
    payload = json.dumps({"version": version, "data": data}, sort_keys=True, ensure_ascii=False) + "\n"
    with contextlib.suppress(OSError):
        write_if_changed(path, payload.encode("utf-8"))


class KeptAnswers:
    """Answers that are a pure function of what they read, kept for the next run under a hash of all of it.

    The checks of dist/ read every built page and bundle on each run, though most are
    the same bytes judged against the same expectations as the last time (one catalog
    edited changes one locale's pages; one source page, one page per locale). Each
    answer is kept under a key that its caller makes from everything the answer
    depends on (the file's sha256 from the snapshot just taken, and what it is judged
    against); the tool's code is the file's version. Without a project root it keeps
    nothing. Answers must be JSON: lists, strings, numbers.
    """

    def __init__(self, root: Path | None, purpose: str) -> None:
        self.path = cache_path(root, purpose) if root is not None else None
        self.kept = read_json(self.path, code_digest()) if self.path is not None else {}
        self.used: dict[str, Any] = {}

    def answer(self, key: str | None, find: Callable[[], list[Any]], load: Callable[[list[Any]], T]) -> T:
        """``load`` of the answer kept under ``key``, else of ``find()``'s (then kept).

        ``key`` None: found, not kept. A kept answer that ``load`` cannot take (a damaged
        cache file: a TypeError, ValueError or KeyError) is found again.
        """
        if key is not None and isinstance(kept := self.kept.get(key), list):
            with contextlib.suppress(TypeError, ValueError, KeyError):
                value = load(kept)
                self.used[key] = kept
                return value
        found = find()
        if key is not None:
            self.used[key] = found
        return load(found)

    def save(self) -> None:
        """Keep this run's answers, and the others' while they are fewer than twice as many.

        A run over fewer locales (``check -l de``) leaves the others' answers for the next
        full one; a run's answers to files since changed drop out after a few runs.
        """
        if self.path is None or not self.used:
            return
        others = {key: value for key, value in self.kept.items() if key not in self.used}
        kept = {**others, **self.used} if len(others) <= 2 * len(self.used) else self.used
        if kept != self.kept:
            write_json(self.path, code_digest(), kept)
