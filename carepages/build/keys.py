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

import hashlib
import importlib.metadata
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import carepages
from carepages.catalog_paths import find_catalogs, find_templates, locale_files
from carepages.config import Config
from carepages.errors import CarepagesError
from carepages.fsutil import read_input
from carepages.limits import CATALOG_FILE

#: Bump when the cache's layout or meaning changes: an old cache is then ignored.
CACHE_FORMAT = 4
#: WeasyPrint (and what it draws with) shapes the handouts: a new version renders them anew.
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


def files_digest(paths: Iterable[Path], base: Path, root: Path | None = None) -> str:
    """One hash over the names and contents of ``paths`` (sorted), as the inputs of a key.

    With ``root`` (the project), a file that its reader refuses unread (a link out of
    the project, a FIFO, a file over its size limit: :func:`carepages.fsutil.read_input`)
    counts by what makes it refused, so a key never hangs on it or reads it.
    """
    parts: list[str | bytes] = []
    for path in sorted(set(paths)):
        rel = path.relative_to(base).as_posix()
        try:
            data = read_input(path, rel, root, CATALOG_FILE, CarepagesError) if root else path.read_bytes()
        except CarepagesError as exc:
            data = f"refused: {exc.message}".encode()
        parts += [rel, data]
    return digest(*parts)


@cache
def code_digest() -> str:
    """The tool itself: its version, its code and templates, and the libraries that shape output."""
    package = Path(carepages.__file__).parent
    files = [p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    versions = [f"{name}={_version(name)}" for name in LIBRARIES]
    return digest(carepages.__version__, *versions, files_digest(files, package))


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def source_key(config: Config) -> str:
    """What every locale depends on: the code, the settings that shape output, the sources, the templates."""
    settings = json.dumps(
        [
            config.source_language,
            config.publish_threshold,
            config.line_width,
            config.project_name,
            config.locales,
            config.require_review,
            config.show_reviewers,
            config.site.index_title,
            config.site.index_intro,
        ],
        ensure_ascii=False,
    )
    inputs = [p for p in config.source_dir.rglob("*.md") if p.is_file()]
    inputs += [p for p in find_templates(config).values() if p.is_file()]
    return digest(str(CACHE_FORMAT), code_digest(), settings, files_digest(inputs, config.root, config.root))


def locale_key(config: Config, base: str, locale: str) -> str:
    """A locale's key: the base plus its catalogs (nested ones too, in its folder on disk), review file,
    sign-off ledger and glossary. The source language has none.
    """
    if locale == config.source_language:
        return digest(base, "source")
    files = [p for p in find_catalogs(config, locale).values() if p.is_file()]
    files += [path for path in locale_files(config, locale) if path.is_file()]
    return digest(base, locale, files_digest(files, config.root, config.root))


def pins_key(config: Config) -> str:
    """What judging a page at a commit depends on besides the commit: the code, and the settings of a verdict."""
    settings = [
        config.source_language,
        config.publish_threshold,
        config.line_width,
        config.project_name,
        *(config.relative(path) for path in (config.source_dir, config.locale_dir, config.disclaimers_file)),
    ]
    return digest(str(CACHE_FORMAT), code_digest(), json.dumps(settings, ensure_ascii=False))


def page_key(locale_key: str, page: str, alternates: Iterable[str]) -> str:
    """A page's key: its locale's, plus the locales its language switcher names."""
    return digest(locale_key, page, *alternates)
