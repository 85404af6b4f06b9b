"""What the last build (or check) worked out, kept outside the project and reused by key.

Per locale: the assessment (verdict, findings, what each disclaimer must show)
under the locale's key, and per published page the files it made under the page's
key. ``build`` reuses both when the keys match; ``check`` reuses the assessment, so
checking right after a build re-reads no catalog and renders nothing.

The cache lives in the user's cache folder (``$CAREPAGES_CACHE_DIR``, else
``$XDG_CACHE_HOME/carepages``, else ``~/.cache/carepages``), one file per project,
never in the project or in dist/: a cache that a commit or a download could carry
could claim that a page passed the gate. A missing, old or damaged cache only means
doing the work again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from carepages.assess import Assessment
from carepages.builder.keys import CACHE_FORMAT, pins_key
from carepages.config import Config
from carepages.fsutil import write_chunks_if_changed, write_if_changed
from carepages.memo import cache_path
from carepages.pinning.store import PinStore

#: A file's (size, sha256), as the manifest lists it.
FileInfo = tuple[int, str]


def cache_file(config: Config) -> Path:
    """One file per project (by the project folder's path) and per dist folder."""
    return cache_path(config.root, "", extra=str(config.dist_dir))


@dataclass
class PageEntry:
    """One page of one locale as the last build wrote it."""

    key: str
    title: str
    files: dict[str, FileInfo] = field(default_factory=dict)


@dataclass
class LocaleEntry:
    """One locale as the last build (or check) left it."""

    key: str
    assessment: Assessment
    pages: dict[str, PageEntry] = field(default_factory=dict)
    bundle: dict[str, FileInfo] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "assessment": self.assessment.as_dict(),
            "pages": {
                name: {
                    "key": page.key,
                    "title": page.title,
                    "files": {r: list(i) for r, i in sorted(page.files.items())},
                }
                for name, page in self.pages.items()
            },
            "bundle": {rel: list(info) for rel, info in self.bundle.items()},
        }

    @classmethod
    def from_dict(cls, locale: str, data: dict[str, Any]) -> LocaleEntry:
        pages = {
            name: PageEntry(page["key"], page["title"], {r: (int(s), str(h)) for r, (s, h) in page["files"].items()})
            for name, page in data["pages"].items()
        }
        bundle = {rel: (int(size), str(sha)) for rel, (size, sha) in data["bundle"].items()}
        return cls(data["key"], Assessment.from_dict(locale, data["assessment"]), pages, bundle)


def read_cache(config: Config) -> dict[str, LocaleEntry]:
    """The last run's entries by locale; anything unreadable counts as no cache.

    The file is JSON Lines: its format, then one line per locale, each parsed and
    turned into its entry before the next is read, so reading never holds more than
    one locale's parsed JSON (read whole, the JSON of 20 locales took five times the
    memory of their entries while it was parsed).
    """
    entries: dict[str, LocaleEntry] = {}
    try:
        with cache_file(config).open(encoding="utf-8", newline="\n") as lines:
            if json.loads(next(lines, "{}")).get("format") != CACHE_FORMAT:
                return {}
            for line in lines:
                data = json.loads(line)
                entries[data["locale"]] = LocaleEntry.from_dict(data["locale"], data["entry"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {}
    return entries


def pin_store(config: Config) -> PinStore:
    """The evaluations of earlier revisions (pinning), beside this project's cache file."""
    build = cache_file(config)
    return PinStore(build.with_name(build.stem + ".pins.json"), pins_key(config))


def rows_file(config: Config, rows_digest: str) -> Path:
    """Where an assessment's consistency rows are kept: beside the cache file, named by their content."""
    build = cache_file(config)
    return build.with_name(f"{build.stem}.rows-{rows_digest}.json")


def stash_rows(config: Config, assessment: Assessment) -> Assessment:
    """Keep the assessment's consistency rows in their own file, and return it without them.

    Only the locale's next assessment reads them (:mod:`carepages.incremental`), in a
    worker; the process that gathers every locale's assessment (build's, check's) holds
    their digest instead, so its memory does not grow with each locale's repeated texts
    (half the cache at 200 pages x 10 locales).
    """
    if assessment.rows is None:
        return assessment
    payload = (json.dumps(assessment.rows_as_dict(), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    rows_digest = hashlib.sha256(payload).hexdigest()[:32]
    with contextlib.suppress(OSError):
        write_if_changed(rows_file(config, rows_digest), payload)
    return replace(assessment, rows=None, rows_digest=rows_digest)


def fetch_rows(config: Config, assessment: Assessment | None) -> Assessment | None:
    """The assessment with its stashed rows read back; ``None`` when they are gone or damaged.

    ``None`` means no last assessment: the locale is assessed whole, which is slower but
    never wrong (a kept page is never judged without its rows).
    """
    if assessment is None or assessment.rows is not None:
        return assessment
    if not assessment.rows_digest:
        return None
    try:
        data = rows_file(config, assessment.rows_digest).read_bytes()
        if hashlib.sha256(data).hexdigest()[:32] != assessment.rows_digest:
            return None
        rows = Assessment.rows_from_dict(json.loads(data))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    return replace(assessment, rows=rows)


def _prune_rows(config: Config, entries: dict[str, LocaleEntry]) -> None:
    """Remove the rows files no entry names any more (a run that wrote them concurrently only loses speed)."""
    wanted = {rows_file(config, entry.assessment.rows_digest).name for entry in entries.values()}
    pattern = rows_file(config, "*")
    with contextlib.suppress(OSError):
        for path in pattern.parent.glob(pattern.name):
            if path.name not in wanted:
                path.unlink(missing_ok=True)


def write_cache(config: Config, entries: dict[str, LocaleEntry], read: dict[str, LocaleEntry] | None = None) -> None:
    """Keep this run's entries for the next one (a cache folder that cannot be written is no error).

    ``read`` holds the entries as this run read them: when ``entries`` say the same, the file
    already does, and nothing is serialised (a no-op build at 1000 pages x 20 locales spent
    5 s turning 100 MB of unchanged entries into JSON only to find the bytes equal).
    """
    if read is not None and same_entries(entries, read):
        return
    with contextlib.suppress(OSError):
        write_chunks_if_changed(cache_file(config), _cache_lines(entries))
    _prune_rows(config, entries)


def _cache_lines(entries: dict[str, LocaleEntry]) -> Iterator[bytes]:
    """The cache file, a line at a time (see :func:`read_cache`), locales in a fixed order."""
    yield _json_line({"format": CACHE_FORMAT})
    for code in sorted(entries):
        yield _json_line({"locale": code, "entry": entries[code].as_dict()})


def _json_line(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def same_entries(these: dict[str, LocaleEntry], those: dict[str, LocaleEntry]) -> bool:
    """Whether two sets of entries would be written alike: the same locales, keys, pages, bundles, assessments."""
    return these.keys() == those.keys() and all(_same(these[code], those[code]) for code in these)


def _same(this: LocaleEntry, that: LocaleEntry) -> bool:
    return (
        this.key == that.key
        and this.pages == that.pages
        and this.bundle == that.bundle
        and (this.assessment is that.assessment or this.assessment.kept() == that.assessment.kept())
    )
