"""What a build publishes besides each page: the landing pages, the staff's report, the manifests.

All of them follow from the locales' entries (verdicts, pages written, bundles), so
:class:`Published` is made once the build knows its entries, and says too whether
dist/ already holds exactly this build (then the build does not touch it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from carepages.builder import dist as dist_folder
from carepages.builder.cache import FileInfo, LocaleEntry
from carepages.builder.editions import landing_documents, published_files
from carepages.builder.outputs import edition_manifests, index_order, source_titles
from carepages.builder.report import report_text
from carepages.clinics import Edition
from carepages.config import Config
from carepages.extract import Sources
from carepages.integrity import Snapshot
from carepages.layout import REPORT_NAME


@dataclass
class Published:
    """A build's entries, as what dist/ must hold: pages, bundles, landing pages, report, manifests."""

    config: Config
    order: list[str]
    editions: list[Edition]
    entries: dict[str, LocaleEntry]
    sources: Sources
    handouts: bool
    no_handouts: str

    def files(self) -> dict[str, FileInfo]:
        return published_files(self.editions, (entry for _, entry in self.published()))

    def published(self) -> Iterator[tuple[str, LocaleEntry]]:
        """Each locale with a published page, in configuration order, with its entry."""
        for code in self.order:
            entry = self.entries.get(code)
            if entry is not None and entry.assessment.verdict.published:
                yield code, entry

    def documents(self) -> dict[str, bytes]:
        """The landing pages of every edition and the staff's report (paths in dist/)."""
        documents: dict[str, bytes] = {}
        sources = self.sources
        place = index_order(sources)
        for edition in self.editions:
            documents.update(landing_documents(self.config, edition, self.order, self.entries, self.handouts, place))
        titles = source_titles(self.config, sources, self.entries)
        report = report_text(self.config, self.editions, self.order, self.entries, titles, self.no_handouts)
        documents[REPORT_NAME] = report
        return documents

    def manifests(self, documents: dict[str, bytes]) -> dict[str, bytes]:
        """Each edition's ``manifest.json``, listing the edition's files by their paths inside its folder."""
        # REPORT.txt is the neutral edition's (in dist/ itself); beside clinics' editions it is in none.
        every = {
            **self.files(),
            **{rel: dist_folder.file_info(data) for rel, data in documents.items()},
        }
        return edition_manifests(self.config, self.order, self.entries, self.editions, every, self.handouts)

    def unchanged(self, held: Snapshot | None) -> bool:
        """True when dist/ (``held``: its snapshot) already holds exactly this build, file for file."""
        if any(entry.bundle == {} for _, entry in self.published()):
            return False
        documents = self.documents()
        expected = {
            rel: dist_folder.file_info(data) for rel, data in {**documents, **self.manifests(documents)}.items()
        }
        return dist_folder.holds_exactly(held, {**expected, **self.files()})
