"""dist/ as a whole: the files its manifest lists, byte for byte, and pages that show what they must.

The per-locale output checks (:mod:`carepages.checks.built`) compare the pages with
the verdict; these compare dist/ with ``manifest.json`` (:mod:`carepages.integrity`)
and the manifest with the verdicts, so a hand edit of dist/ after the build (a
stylesheet that hides the disclaimers, a script, a zip without them, a manifest
rewritten to match) fails the gate:

* ``manifest`` -- a file changed, missing, added or linked since the build, a bundle
  whose pages differ, or a manifest whose verdict for a locale is not this check's;
* ``visible`` -- a page's stylesheet is not the shipped one, it holds a script or an
  event handler, or a disclaimer or the notice about the translation is hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

from carepages.checks.context import RunContext
from carepages.checks.model import Issue
from carepages.integrity import MANIFEST_NAME, Found, ManifestError, Snapshot, check_folder, read_manifest
from carepages.memo import KeptAnswers
from carepages.readback import STYLESHEET, Readings
from carepages.verdict import LocaleVerdict

REBUILD = "run carepages build (never edit dist/ by hand)"


@dataclass
class DistContext:
    """dist/ and the verdicts of the locales checked."""

    run: RunContext
    verdicts: tuple[LocaleVerdict, ...]
    readings: Readings = field(default_factory=Readings)
    held: Snapshot | None = None  # dist/ file by file, when the caller has just hashed it (not hashed again)
    kept: KeptAnswers | None = None  # with ``held``: what bundles and pages judged before showed

    @cached_property
    def found(self) -> list[Found]:
        """What each edition's folder (dist/ itself, or each clinic's dist/<clinic>/) holds against its manifest."""
        dist = self.run.config.dist_dir
        if not dist.is_dir():
            return [Found("manifest", "", 0, "dist/ does not exist")]
        stylesheet = STYLESHEET.read_text(encoding="utf-8")
        found = []
        read_page = self.read_page
        for edition in self.run.config.editions():
            folder = dist / edition.prefix
            if not folder.is_dir():
                found.append(Found("manifest", edition.prefix, 0, "the edition's folder does not exist"))
                continue
            checked = check_folder(folder, stylesheet, None, read_page, self._held_in(edition.prefix), self.kept)
            found += [replace(f, path=edition.prefix + f.path) for f in checked]
        return found

    def _held_in(self, prefix: str) -> Snapshot | None:
        """The snapshot's files under one edition's folder, named from that folder."""
        if self.held is None:
            return None
        return {rel[len(prefix) :]: known for rel, known in self.held.items() if rel.startswith(prefix)}

    def read_page(self, data: bytes) -> tuple[tuple[int, str], ...]:
        """A page's ``visible`` problems, from the pages read back (the build read most of them already)."""
        return self.readings.page(data).problems

    def issues(self, kind: str) -> Iterator[Issue]:
        dist = self.run.config.dist_dir
        for found in self.found:
            if found.kind == kind:
                path = dist / found.path if found.path else dist
                yield Issue(self.run.config.relative(path), found.line, f"{found.message}: {REBUILD}")


def check_manifest(ctx: DistContext) -> Iterator[Issue]:
    yield from ctx.issues("manifest")
    for edition in ctx.run.config.editions():
        path = ctx.run.config.dist_dir / edition.prefix / MANIFEST_NAME
        try:
            recorded = read_manifest(path).data.get("locales", {})
        except ManifestError:
            continue  # reported above
        for verdict in ctx.verdicts:
            if recorded.get(verdict.locale) != verdict.as_dict():
                yield Issue(
                    ctx.run.config.relative(path),
                    0,
                    f"the manifest's verdict for {verdict.locale} is not this check's: {REBUILD}",
                )


def check_visible(ctx: DistContext) -> Iterator[Issue]:
    yield from ctx.issues("visible")
