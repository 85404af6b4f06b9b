"""The files that describe a build: the per-locale bundles and ``manifest.json``; the pages' order and titles.

Both are made from the verdicts and the files the build recorded, never by
reading dist/ back, and are byte-identical for identical inputs: zip entries carry
a fixed timestamp and order, JSON keys are sorted, and nothing depends on the time.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carepages.builder import dist as dist_folder
from carepages.builder.cache import FileInfo, LocaleEntry
from carepages.builder.dist import file_info
from carepages.builder.summary import NOT_BUILT
from carepages.clinics import Edition
from carepages.config import Config
from carepages.extract import Sources
from carepages.integrity import GENERATOR
from carepages.layout import MANIFEST_NAME, bundle_name

#: Zip entries carry this timestamp (the earliest a zip can hold), so bundles are byte-identical.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Pages without an ``order`` come after every page with one.
_UNORDERED = 2**63


@dataclass(frozen=True)
class BundleJob:
    """``<edition>/downloads/<lang>.zip``: the language's index and pages, read from the staging folder.

    ``members`` are the files' paths inside the edition's folder (``de/index.html``,
    ``de/knee.html``, ...), in the order they go into the zip.
    """

    locale: str
    staging: Path
    prefix: str
    members: tuple[str, ...]


def write_bundle(job: BundleJob) -> tuple[str, FileInfo]:
    """Zip a language's files with fixed metadata; return the zip's path in dist/ and its (size, sha256)."""
    rel = job.prefix + bundle_name(job.locale)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for member in job.members:
            info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform, so the bytes do not depend on it
            info.external_attr = 0o644 << 16
            bundle.writestr(info, (job.staging / job.prefix / member).read_bytes())
    data = buffer.getvalue()
    (job.staging / rel).parent.mkdir(parents=True, exist_ok=True)
    dist_folder.write_output(job.staging / rel, data)
    return rel, file_info(data)


def source_titles(config: Config, sources: Sources, entries: dict[str, LocaleEntry]) -> dict[str, str]:
    """Each page's title in the source language, as text: what the staff's report names a withheld page by.

    A title taken from a heading may hold inline Markdown (``Do injections **cure** it?``):
    the source language's rendering of the page knows its visible text.
    """
    source = entries.get(config.source_language)
    rendered = {name: page.title for name, page in source.pages.items() if page.title} if source else {}
    return {m.domain: rendered.get(m.domain) or m.page.meta.title for m in sources.pages}


def index_order(sources: Sources) -> dict[str, tuple[int, int]]:
    """Where each page stands in the index: by its front matter's ``order``, then as the source folder has it."""
    return {
        m.domain: (m.page.meta.order if m.page.meta.order is not None else _UNORDERED, position)
        for position, m in enumerate(sources.pages)
    }


def manifest_json(
    config: Config,
    order: Sequence[str],
    entries: dict[str, LocaleEntry],
    files: dict[str, FileInfo],
    extra: dict[str, Any] | None = None,
) -> bytes:
    """An edition's ``manifest.json``: its files (paths inside the edition's folder) with size and sha256,
    and each locale's verdict, page by page; ``extra`` adds the edition's own facts (clinic, handouts)."""
    locales: dict[str, Any] = {}
    for code in order:
        entry = entries.get(code)
        locales[code] = entry.assessment.verdict.as_dict() if entry else {"published": False, "reasons": [NOT_BUILT]}
    manifest: dict[str, Any] = {
        "generator": GENERATOR,
        "project": config.project_name,
        "source_language": config.source_language,
        "publish_threshold": config.publish_threshold,
        "locales": locales,
        "files": {rel: {"size": size, "sha256": sha} for rel, (size, sha) in sorted(files.items())},
        **(extra or {}),
    }
    revision = source_revision(config.root)
    if revision:
        manifest["source_revision"] = revision
    return json_bytes(manifest)


def edition_manifests(
    config: Config,
    order: Sequence[str],
    entries: dict[str, LocaleEntry],
    editions: Sequence[Edition],
    files: dict[str, FileInfo],
    handouts: bool,
) -> dict[str, bytes]:
    """Each edition's ``manifest.json`` (paths in dist/): the edition's ``files``, by their paths inside its folder."""
    manifests = {}
    for edition in editions:
        mine = {rel[len(edition.prefix) :]: info for rel, info in files.items() if rel.startswith(edition.prefix)}
        extra = {"clinic": edition.id or None, "base_url": edition.base_url, "handouts": handouts}
        manifests[f"{edition.prefix}{MANIFEST_NAME}"] = manifest_json(config, order, entries, mine, extra)
    return manifests


def json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def source_revision(root: Path) -> str | None:
    """``git rev-parse HEAD`` when the project is in a git checkout; None otherwise."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    revision = done.stdout.strip()
    return revision if done.returncode == 0 and revision else None
