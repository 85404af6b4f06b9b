"""``carepages verify``: a clinic checks a download against its manifest, offline, without the project.

A download is a dist/ folder (its ``manifest.json`` inside) or one bundle,
``<lang>.zip`` (with the ``manifest.json`` of the same build beside it, or given
with ``--manifest``). Every file is compared with the manifest by size and sha256,
nothing unlisted may be there, and every page must show its disclaimers
(:mod:`carepages.integrity`). Whether the manifest itself is the publisher's is
what its signature says: ``ssh-keygen -Y verify`` (see the README) before this.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from carepages.errors import EXIT_FAILED, EXIT_OK, CarepagesError
from carepages.integrity import (
    GENERATOR,
    MANIFEST_NAME,
    Found,
    Manifest,
    ManifestError,
    check_folder,
    check_zip,
    read_manifest,
)
from carepages.ui import TEMPLATES_DIR


def run_verify(target: Path, manifest_path: Path | None = None, stream: TextIO | None = None) -> int:
    """Verify ``target`` (a folder or a zip); print one line per problem and a summary; return the exit status."""
    out = stream or sys.stdout
    if not target.exists():
        raise CarepagesError("does not exist", path=target, hint="give a dist/ folder or a <lang>.zip bundle")
    manifest_path = manifest_path or _default_manifest(target)
    try:
        manifest = read_manifest(manifest_path)
    except ManifestError as exc:
        raise CarepagesError(str(exc), path=manifest_path, hint="use the manifest.json of the same build") from exc
    stylesheet, note = _stylesheet(manifest)
    found = check_folder(target, stylesheet, manifest) if target.is_dir() else check_zip(target, manifest, stylesheet)
    for item in found:
        out.write(_format(target, item) + "\n")
    out.write(_summary(target, manifest_path, manifest, found, note) + "\n")
    return EXIT_FAILED if found else EXIT_OK


def _default_manifest(target: Path) -> Path:
    """The folder's own manifest; for a bundle, the one beside it or in the folder above (dist/downloads/)."""
    if target.is_dir():
        return target / MANIFEST_NAME
    beside = target.parent / MANIFEST_NAME
    return beside if beside.exists() else target.parent.parent / MANIFEST_NAME


def _stylesheet(manifest: Manifest) -> tuple[str | None, str]:
    """The shipped stylesheet when this carepages made the download (else the pages' CSS is not compared)."""
    mine = GENERATOR
    if manifest.generator == mine:
        return (TEMPLATES_DIR / "style.css").read_text(encoding="utf-8"), ""
    return None, f" (made by {manifest.generator or 'an unknown version'}, this is {mine}: stylesheets not compared)"


def _format(target: Path, found: Found) -> str:
    """``dist/es/knee.html:12: error: [visible] …``; in a bundle, ``es.zip es/knee.html:12: error: …``."""
    if target.is_dir():
        shown = (target / found.path).as_posix() if found.path else target.as_posix()
    else:
        inside = found.path.partition(":")[2]
        shown = target.as_posix() + (f" {inside}" if inside else "")
    return f"{shown}{':' + str(found.line) if found.line else ''}: error: [{found.kind}] {found.message}"


def _summary(target: Path, manifest_path: Path, manifest: Manifest, found: list[Found], note: str) -> str:
    revision = manifest.data.get("source_revision")
    made = f"{manifest.generator or 'unknown generator'}" + (f", source revision {revision}" if revision else "")
    if found:
        where = f"{target.as_posix()} against {manifest_path.as_posix()}"
        return (
            f"carepages verify: FAILED: {len(found)} problem(s) in {where}: do not use this download; "
            "get it again from the publisher"
        )
    checked = "every file its sha256" if target.is_dir() else "the bundle and each of its pages"
    return (
        f"carepages verify: {target.as_posix()} matches {manifest_path.as_posix()} ({made}): {checked} as listed, "
        f"nothing unlisted, every page without script and with its disclaimers visible{note}"
    )
