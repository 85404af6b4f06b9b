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
from carepages.checks.model import Finding
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
    return _stash_file(config, "rows", rows_digest)


def findings_file(config: Config, findings_digest: str) -> Path:
    """Where an assessment's findings are kept: beside the cache file, named by their content."""
    return _stash_file(config, "findings", findings_digest)


def _stash_file(config: Config, kind: str, content_digest: str) -> Path:
    build = cache_file(config)
    return build.with_name(f"{build.stem}.{kind}-{content_digest}.json")


#: What an assessment keeps in files of their own beside the cache (see :func:`stash`).
STASHED = ("rows", "findings")


def stash(config: Config, assessment: Assessment) -> Assessment:
    """Keep the assessment's consistency rows and findings in files of their own; return it without them.

    The process that gathers every locale's assessment (build's, check's) holds their
    digests instead, so its memory does not grow with each locale's repeated texts and
    warnings (at 1000 pages x 20 locales, 165,000 findings took 158 MB there). Only the
    locale's next assessment reads the rows (:mod:`carepages.incremental`), in a worker;
    the findings are read back by that assessment and by check's report. The build keeps
    the error-level findings it counts (:attr:`Assessment.errors`).
    """
    return stash_findings(config, stash_rows(config, assessment))


def stash_rows(config: Config, assessment: Assessment) -> Assessment:
    """:func:`stash`'s part for the rows (check's workers stash these alone: its report wants the findings)."""
    if assessment.rows is None:
        return assessment
    rows_digest = _stash(config, "rows", assessment.rows_as_dict())
    return replace(assessment, rows=None, rows_digest=rows_digest)


def stash_findings(config: Config, assessment: Assessment) -> Assessment:
    """:func:`stash`'s part for the findings."""
    if assessment.findings is None:
        return assessment
    errors = assessment.error_findings()
    findings_digest = _stash(config, "findings", [finding.as_dict() for finding in assessment.findings])
    return replace(assessment, findings=None, findings_digest=findings_digest, errors=errors)


def _stash(config: Config, kind: str, data: object) -> str:
    """Write ``data`` beside the cache in a file named by its content's digest (a write that fails only
    loses speed: the next run finds no file and assesses the locale whole); return the digest."""
    payload = _json_line(data)
    content_digest = hashlib.sha256(payload).hexdigest()[:32]
    with contextlib.suppress(OSError):
        write_if_changed(_stash_file(config, kind, content_digest), payload)
    return content_digest


def _fetch(config: Config, kind: str, content_digest: str) -> Any:
    """What :func:`_stash` kept under ``content_digest``; ``None`` when it is gone or its content is not its name's."""
    if not content_digest:
        return None
    try:
        data = _stash_file(config, kind, content_digest).read_bytes()
        if hashlib.sha256(data).hexdigest()[:32] != content_digest:
            return None
        return json.loads(data)
    except (OSError, ValueError):
        return None


def fetch(config: Config, assessment: Assessment | None) -> Assessment | None:
    """The last assessment with its rows and findings read back, for the next one; ``None`` when either
    is gone or damaged: the locale is then assessed whole, which is slower but never wrong (a kept page is
    never judged without its rows, and no finding of a kept page is lost)."""
    return fetch_rows(config, fetch_findings(config, assessment))


def fetch_rows(config: Config, assessment: Assessment | None) -> Assessment | None:
    """The assessment with its stashed rows read back; ``None`` when they are gone or damaged."""
    if assessment is None or assessment.rows is not None:
        return assessment
    try:
        rows = Assessment.rows_from_dict(_fetch(config, "rows", assessment.rows_digest))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    return replace(assessment, rows=rows)


def fetch_findings(config: Config, assessment: Assessment | None) -> Assessment | None:
    """The assessment with its stashed findings read back; ``None`` when they are gone or damaged
    (check then assesses the locale again: its report never holds fewer findings than were found)."""
    if assessment is None or assessment.findings is not None:
        return assessment
    try:
        findings = [Finding.from_dict(finding) for finding in _fetch(config, "findings", assessment.findings_digest)]
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    return replace(assessment, findings=findings)


def _prune_stashes(config: Config, entries: dict[str, LocaleEntry]) -> None:
    """Remove the stashed files no entry names any more (a run that wrote them concurrently only loses speed)."""
    wanted = set()
    for entry in entries.values():
        wanted.add(rows_file(config, entry.assessment.rows_digest).name)
        wanted.add(findings_file(config, entry.assessment.findings_digest).name)
    for kind in STASHED:
        pattern = _stash_file(config, kind, "*")
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
    entries = {code: _stashed(config, entry) for code, entry in entries.items()}
    if read is not None and same_entries(entries, read):
        return
    with contextlib.suppress(OSError):
        write_chunks_if_changed(cache_file(config), _cache_lines(entries))
    _prune_stashes(config, entries)


def _stashed(config: Config, entry: LocaleEntry) -> LocaleEntry:
    """The entry with its assessment's rows and findings stashed (:func:`stash`), as the cache names them."""
    stashed = stash(config, entry.assessment)
    return entry if stashed is entry.assessment else replace(entry, assessment=stashed)


def _cache_lines(entries: dict[str, LocaleEntry]) -> Iterator[bytes]:
    """The cache file, a line at a time (see :func:`read_cache`), locales in a fixed order."""
    yield _json_line({"format": CACHE_FORMAT})
    for code in sorted(entries):
        yield _json_line({"locale": code, "entry": entries[code].as_dict()})


def _json_line(data: object) -> bytes:
    """One JSON value on one line, in a fixed order (a cache line, a stashed file)."""
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
