"""Extraction: source pages into gettext templates (``locale/templates/<domain>.pot``).

Each page is its own domain, so translators work page by page and fuzzy guesses
never cross pages; the shared disclaimers are the ``disclaimers`` domain, written
and translated once. :func:`extract_sources` is also what the build and the checks
call to learn which messages and disclaimers each page has: the list of
disclaimers a page must carry always comes from the source, never from a catalog.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from babel.messages.catalog import Catalog

from carepages import segments
from carepages.catalog_paths import find_templates, pot_path, remove_empty_folders
from carepages.catalogs import RESERVED_DOMAINS, UI_DOMAIN, new_template, render_catalog
from carepages.config import Config
from carepages.errors import CarepagesError, Problem, SourceError, raise_all
from carepages.fsutil import WriteSummary, write_if_changed
from carepages.markdown_ext import PageParser
from carepages.memo import cache_path, code_digest, digest, read_json, write_json
from carepages.pages import Page, load_disclaimers_page, load_page, page_paths
from carepages.segments import Segment
from carepages.ui import ui_template


@dataclass(frozen=True)
class PageMessages:
    """A page with its messages in document order and the disclaimers it must carry."""

    page: Page
    segments: tuple[Segment, ...]
    disclaimers: tuple[str, ...]

    @property
    def domain(self) -> str:
        return self.page.domain


@dataclass(frozen=True)
class Sources:
    """Everything extraction learns from ``source/``: the pages and the shared disclaimers.

    ``warnings`` are problems that stop nothing (an unknown front-matter field), in
    file and line order, for the command line or the check to report.
    """

    pages: tuple[PageMessages, ...]
    shared: PageMessages
    warnings: tuple[Problem, ...] = ()

    def all(self) -> tuple[PageMessages, ...]:
        """The shared disclaimers first, then the pages: every domain there is."""
        return (self.shared, *self.pages)

    def used_fields(self) -> dict[str, list[tuple[str, str, int]]]:
        """Each clinic field the source names, with where: ``(page, source file, line)``.

        A field in the shared disclaimers is used by every page (named after the first).
        """
        used: dict[str, list[tuple[str, str, int]]] = {}
        for messages in self.all():
            page = messages.domain if messages is not self.shared else (self.pages[0].domain if self.pages else "")
            for segment in messages.segments:
                for name in segments.field_tokens(segment.msgid)[0]:
                    used.setdefault(name, []).append((page, messages.page.rel, segment.line))
        return used


def page_segments(
    parser: PageParser, page: Page, memo: ParseMemo | None = None
) -> tuple[Page, list[Segment], list[str]]:
    """Parse one page; return it (titled), its segments (front matter first) and its disclaimer ids.

    A page without a front-matter title takes its first heading's: the title is then
    that heading's msgid (``meta.title_from_heading``) and no message of its own. The
    page comes back without the whole text of its file, which only the parse reads
    (for its messages' lines): every process of a build holds every page for the whole
    run, and the files' texts were 10 MB of it at 1000 pages.
    """
    found, disclaimers, errors = (memo or ParseMemo()).parse(parser, page)
    raise_all([*errors, *_odd_fields(page, found)])
    # Alt texts are found after inline parsing; the stable sort puts them back in document order.
    body = sorted(found, key=lambda segment: segment.line)
    page = replace(_titled(page, body), source="")
    return page, _front_segments(page) + body, disclaimers


class ParseMemo:
    """What parsing a page's body found, by its text: every command parses every page, and most are unchanged.

    Kept in the user's cache folder under the tool's code (``carepages.memo``), by a hash
    of the page's path, first body line and text; without a project root, for one run.
    A page whose parse has errors is never kept: its errors are reported every time.
    """

    def __init__(self, config: Config | None = None) -> None:
        self.path = cache_path(config.root, "parsed") if config is not None else None
        self.kept = read_json(self.path, code_digest()) if self.path else {}
        self.used: dict[str, Any] = {}

    def parse(self, parser: PageParser, page: Page) -> tuple[list[Segment], list[str], list[CarepagesError]]:
        key = digest(page.rel, str(page.body_line), page.source)
        try:
            found, disclaimers = self.kept[key]
            segments = [
                Segment(msgid, kind, line, disclaimer, tuple(notes)) for msgid, kind, line, disclaimer, notes in found
            ]
        except (KeyError, TypeError, ValueError):
            _, conversion = parser.convert(page.body, page.rel, page.body_line, page.source.split("\n"))
            if conversion.errors:
                return conversion.segments, conversion.disclaimers, list(conversion.errors)
            segments, disclaimers = conversion.segments, conversion.disclaimers
            found = [[s.msgid, s.kind, s.line, s.disclaimer, list(s.notes)] for s in segments]
        self.used[key] = [found, list(disclaimers)]
        return segments, list(disclaimers), []

    def save(self) -> None:
        if self.path is not None and self.used != self.kept:
            write_json(self.path, code_digest(), self.used)


def _titled(page: Page, body: list[Segment]) -> Page:
    """The page with its title: from the front matter, else from its first heading."""
    if page.meta.title:
        return page
    heading = next((segment for segment in body if segment.kind == segments.HEADING), None)
    if heading is None:
        raise SourceError(
            "page has no title",
            path=page.rel,
            line=1,
            hint="start it with a '# heading', or add front matter with 'title: ...'",
        )
    lines = (*page.meta.lines, ("title", heading.line))
    meta = replace(page.meta, title=heading.msgid, title_from_heading=True, lines=lines)
    return replace(page, meta=meta)


def _front_segments(page: Page) -> list[Segment]:
    """The messages of the front matter: title (unless it is the first heading's), description, declared fields."""
    meta = page.meta
    front: list[Segment] = []
    if meta.title and not meta.title_from_heading:
        front.append(Segment(meta.title, segments.PAGE_TITLE, meta.line_of("title")))
    if meta.description:
        front.append(Segment(meta.description, segments.PAGE_DESCRIPTION, meta.line_of("description")))
    for name, value in meta.translated:
        note = f"front-matter field '{name}'"
        front.append(Segment(value, segments.PAGE_FIELD, meta.line_of(name), notes=(note,)))
    return front


def _odd_fields(page: Page, found: list[Segment]) -> list[SourceError]:
    """A ``{{...}}`` that is not exactly a clinic field would reach every page as it is: an error."""
    errors = []
    for segment in found:
        for odd in segments.field_tokens(segment.msgid)[1]:
            name = odd.strip("{} ").removeprefix("clinic.").strip()
            close = difflib.get_close_matches(name, segments.FIELD_NAMES, n=1)
            hint = (
                f"did you mean '{{{{clinic.{close[0]}}}}}'?"
                if close
                else "fields: " + ", ".join(f"{{{{clinic.{field}}}}}" for field in segments.FIELD_NAMES)
            )
            errors.append(SourceError(f"{odd!r} is not a clinic field", path=page.rel, line=segment.line, hint=hint))
    return errors


def extract_sources(config: Config, parser: PageParser | None = None, *, memo: bool = False) -> Sources:
    """Parse every page and the shared disclaimers, collecting all problems before failing.

    ``memo`` keeps what each page's parse found for the next run (:class:`ParseMemo`).
    """
    parser = parser or PageParser()
    parsed = ParseMemo(config if memo else None)
    errors: list[CarepagesError] = []
    shared = _shared_disclaimers(config, parser, errors)
    pages: list[PageMessages] = []
    try:
        paths = page_paths(config)
    except CarepagesError as exc:
        errors.append(exc)
        paths = []
    for path in paths:
        try:
            page, found, own = page_segments(parser, load_page(config, path), parsed)
        except CarepagesError as exc:
            errors.append(exc)
            continue
        errors.extend(_reused_shared_ids(page, found, own, shared.disclaimers))
        pages.append(PageMessages(page, tuple(found), (*shared.disclaimers, *own)))
    raise_all(errors)
    parsed.save()
    warnings = tuple(sorted(warning for messages in pages for warning in messages.page.warnings))
    return Sources(tuple(pages), shared, warnings)


def _shared_disclaimers(config: Config, parser: PageParser, errors: list[CarepagesError]) -> PageMessages:
    """The shared disclaimers file, where every block must be a marked disclaimer."""
    page = load_disclaimers_page(config)
    source_lines = page.source.split("\n")
    _, conversion = parser.convert(page.body, page.rel, page.body_line, source_lines)
    raise_all(list(conversion.errors))
    found, ids = sorted(conversion.segments, key=lambda segment: segment.line), conversion.disclaimers
    hint = "put <!-- disclaimer: some-id --> on the line before it"
    for segment in found:
        if segment.disclaimer is None:
            message = "every block of the shared disclaimers file must be a disclaimer"
            errors.append(SourceError(message, path=page.rel, line=segment.line, hint=hint))
    if not ids:
        errors.append(SourceError("the shared disclaimers file marks no disclaimer", path=page.rel, hint=hint))
    return PageMessages(page, tuple(found), tuple(ids))


def _reused_shared_ids(page: Page, found: list[Segment], own: list[str], shared: tuple[str, ...]) -> list[SourceError]:
    """A page-local disclaimer may not reuse a shared id: the two texts would compete for one id."""
    return [
        SourceError(
            f"disclaimer {disclaimer!r} is already one of the shared disclaimers",
            path=page.rel,
            line=next((s.line for s in found if s.disclaimer == disclaimer), None),
            hint="choose another id, or rely on the shared one (every page carries it)",
        )
        for disclaimer in own
        if disclaimer in shared
    ]


def build_template(config: Config, messages: PageMessages) -> Catalog:
    """The template catalog of one domain."""
    catalog = new_template(config, messages.domain, messages.page.rel)
    add_segments(catalog, messages.segments, messages.page.rel)
    return catalog


def run_extract(config: Config) -> WriteSummary:
    """Write every domain's template, skip unchanged ones, and remove templates of deleted pages."""
    sources = extract_sources(config)
    templates = {messages.domain: build_template(config, messages) for messages in sources.all()}
    templates[UI_DOMAIN] = ui_template(config)
    summary = WriteSummary(warnings=list(sources.warnings))
    for domain, template in templates.items():
        path = pot_path(config, domain)
        existed = path.exists()
        data = render_catalog(template, config.locations)
        summary.record(config.relative(path), existed, write_if_changed(path, data))
    for domain, stale in find_templates(config).items():
        if domain not in templates and domain not in RESERVED_DOMAINS:
            stale.unlink()
            summary.removed.append(config.relative(stale))
    remove_empty_folders(config.templates_dir)
    return summary


def add_segments(catalog: Catalog, segments: Iterable[Segment], source_rel: str) -> None:
    """Add each segment as a message; a repeated msgid gains a location, not a second entry."""
    for segment in segments:
        catalog.add(
            segment.msgid,
            locations=[(source_rel, segment.line)],
            auto_comments=segment.comments(),
        )
