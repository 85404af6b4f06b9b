"""The built output itself: dist/ holds exactly what the verdict publishes, disclaimers and all.

The catalogs can be perfect and a page still lose a disclaimer: a template that
forgets a block, a sanitiser that strips an attribute, a text renderer that drops
an element, or a hand edit of dist/ after the build. So these checks read
``dist/<lang>/<page>.html`` and ``.txt`` as a reader gets them, against the
verdict (:mod:`carepages.verdict`), not against the build's own records:

* ``built`` -- in every edition (each clinic's ``dist/<clinic>/``, or dist/ itself), every
  page the verdict publishes is there as HTML and plain text, and as a PDF handout when
  the edition's manifest says handouts were made; no page it withholds is there at all
  (a leftover or planted page is a page online);
* ``built-disclaimer`` -- the HTML has an element with ``data-disclaimer="<id>"``
  for each disclaimer the page must carry, whose text shows the translation, and
  the plain text and the PDF's text (:mod:`carepages.pdftext`) show it too
  (whitespace and direction marks ignored; clinic fields filled in as the edition has them).

Texts are compared as the chunks between inline elements, in order: the text
renderer may number links (``text [1]``) or wrap lines, but may not drop or change
a word.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from carepages.checks.context import OutputContext
from carepages.checks.model import Issue
from carepages.clinics import Edition, fill
from carepages.extract import PageMessages
from carepages.layout import MANIFEST_NAME, page_suffixes
from carepages.memo import digest
from carepages.pdftext import find_in_order
from carepages.segments import FIELD, squeeze


def contains_in_order(haystack: str, chunks: list[str] | tuple[str, ...], *, squeezed: bool = False) -> bool:
    """Whether every chunk occurs in ``haystack`` after the previous one (whitespace ignored).

    ``squeezed`` says the haystack already went through :func:`squeeze` (done once per page).
    """
    return _in_order(haystack if squeezed else squeeze(haystack), [squeeze(chunk) for chunk in chunks])


def _in_order(text: str, chunks: list[str]) -> bool:
    """:func:`contains_in_order` of a squeezed text and squeezed chunks."""
    position = 0
    for chunk in chunks:
        found = text.find(chunk, position)
        if found < 0:
            return False
        position = found + len(chunk)
    return True


def page_files(ctx: OutputContext, edition: Edition, page: PageMessages, handouts: bool) -> list[Path]:
    """The page's files in one edition: HTML, plain text, and the PDF when the edition has handouts."""
    folder = ctx.config.dist_dir / edition.prefix / ctx.locale
    return [folder / f"{page.domain}.{suffix}" for suffix in page_suffixes(handouts)]


def handouts_made(ctx: OutputContext, edition: Edition) -> bool:
    """Whether the build made PDF handouts for this edition, as its manifest records it.

    Read once per check run (the run's memo), not once per locale: a manifest lists every file.
    """
    path = ctx.config.dist_dir / edition.prefix / MANIFEST_NAME
    memo = ctx.run.handouts_made
    if path not in memo:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        memo[path] = isinstance(manifest, dict) and manifest.get("handouts") is True
    return memo[path]


def check_built(ctx: OutputContext) -> Iterator[Issue]:
    """The pages the verdict publishes are in every edition, and the pages it withholds are not."""
    for edition in ctx.config.editions():
        yield from _check_edition(ctx, edition)


def _check_edition(ctx: OutputContext, edition: Edition) -> Iterator[Issue]:
    verdict = ctx.verdict
    handouts = handouts_made(ctx, edition)  # once per edition: the manifest lists every page
    for page in ctx.run.sources.pages:
        published = verdict.publishes(page.domain)
        folder = ctx.config.dist_dir / edition.prefix / ctx.locale
        present = [folder / f"{page.domain}.{suffix}" for suffix in page_suffixes(True)]
        for path in page_files(ctx, edition, page, handouts) if published else present:
            rel = ctx.config.relative(path)
            if published and not path.is_file():
                yield Issue(rel, 0, "the built page is missing: run carepages build", domain=page.domain)
            elif not published and path.exists():
                reasons = "; ".join(verdict.why(verdict.page(page.domain)))
                yield Issue(
                    rel,
                    0,
                    f"the page is in dist/, but the verdict withholds it ({reasons}): run carepages build "
                    "(never copy pages into dist/ by hand)",
                    domain=page.domain,
                )


def check_built_disclaimers(ctx: OutputContext) -> Iterator[Issue]:
    for edition in ctx.config.editions():
        values = _field_values(ctx, edition)
        handouts = handouts_made(ctx, edition)
        chunks: dict[tuple[str, str], Chunks] = {}  # the edition's: every page shows the shared disclaimers
        for page in ctx.run.sources.pages:
            files = page_files(ctx, edition, page, handouts)
            if not ctx.verdict.publishes(page.domain) or not all(path.is_file() for path in files):
                continue  # the "built" check reports it
            wanted = {
                disclaimer: expected_chunks(ctx, page, values, chunks, disclaimer) for disclaimer in page.disclaimers
            }
            yield from _page_issues(ctx, page, files, wanted)


def _page_issues(ctx: OutputContext, page: PageMessages, files: list[Path], wanted: dict[str, Chunks]) -> list[Issue]:
    """The issues of one built page with its disclaimers, kept under a hash of its files and what they must show.

    The key holds each file's path and sha256 (from the snapshot of dist/ the checks
    took), the locale and each disclaimer's chunks as filled in: the issues are a
    function of these alone (:class:`BuiltPage`). Without a snapshot the page is read.
    """
    rels = [ctx.config.relative(path) for path in files]
    shas = ctx.held_shas(files)
    what = [part for disclaimer, chunks in wanted.items() for part in (disclaimer, chunks.digest)]
    key = digest("built-disclaimers", ctx.locale, str(len(rels)), *rels, *shas, *what) if shas is not None else None

    def find() -> list[Any]:
        built = BuiltPage(ctx, page, files)
        return [[one.path, one.line, one.message] for d, chunks in wanted.items() for one in built.check(d, chunks)]

    def load(answers: list[Any]) -> list[Issue]:
        return [Issue(str(path), int(line), str(message), domain=page.domain) for path, line, message in answers]

    return ctx.kept.answer(key, find, load) if ctx.kept is not None else load(find())


def _field_values(ctx: OutputContext, edition: Edition) -> dict[str, str] | None:
    """The clinic's values of its fields in this locale (None for the neutral edition: not compared)."""
    return edition.clinic.values(ctx.locale) if edition.clinic else None


@dataclass(frozen=True)
class Chunks:
    """What one disclaimer must show, message by message: its chunks as filled in, and squeezed."""

    filled: list[list[str]]
    squeezed: list[list[str]]

    @cached_property
    def digest(self) -> str:
        """A hash of the filled chunks, for the key of a page's answer (made once: the shared disclaimers'
        chunks are every page's)."""
        return digest(json.dumps(self.filled, ensure_ascii=False))


def expected_chunks(
    ctx: OutputContext,
    page: PageMessages,
    values: dict[str, str] | None,
    chunks: dict[tuple[str, str], Chunks],
    disclaimer: str,
) -> Chunks:
    """What one of the page's disclaimers shows, with the clinic's ``values`` in place of its fields.

    ``chunks`` is the edition's memo of what each disclaimer must show (by its domain and
    id): the shared disclaimers are on every page, and are filled in and squeezed once.
    """
    domain = ctx.run.disclaimer_domain(page, disclaimer)
    pinned = page.domain in ctx.pinned  # it shows its revision's translations: not the memo's
    if not pinned and (domain, disclaimer) in chunks:
        return chunks[domain, disclaimer]
    found = ctx.expected_for(page.domain).get(domain, {}).get(disclaimer, [])
    if values is None:
        filled = [[FIELD.sub("", chunk) for chunk in pieces] for pieces in found]
    else:
        filled = [[fill(chunk, values, html=False) for chunk in pieces] for pieces in found]
    made = Chunks(filled, [[squeeze(chunk) for chunk in pieces] for pieces in filled])
    if not pinned:
        chunks[domain, disclaimer] = made
    return made


class BuiltPage:
    """One built page in its formats, read once, to be checked against the disclaimers it must carry."""

    FIX = "check the page template and the renderer, then run carepages build"

    def __init__(self, ctx: OutputContext, page: PageMessages, files: list[Path]):
        self.ctx = ctx
        self.page = page
        self.files = files
        self.rel = [ctx.config.relative(path) for path in files]
        # Read back through the memo: a page the build read back (same bytes) is not parsed again.
        self.shown = ctx.readings.page(files[0].read_bytes()).shown
        self.text = squeeze(files[1].read_text(encoding="utf-8", errors="replace"))
        self.pdf = ctx.readings.handout(files[2].read_bytes()) if len(files) > 2 else None

    def check(self, disclaimer: str, expected: Chunks) -> Iterator[Issue]:
        """Check one disclaimer (which must show ``expected``) in each format of the page."""
        rel = self.rel
        domain = self.page.domain
        shown = self.shown.get(disclaimer)
        if shown is None:
            missing = f"disclaimer {disclaimer!r} is missing: no data-disclaimer element: {self.FIX}"
            yield Issue(rel[0], 0, missing, domain=domain)
            return
        line, shown_text = shown
        squeezed = squeeze(shown_text)
        if any(not _in_order(squeezed, chunks) for chunks in expected.squeezed):
            message = f"disclaimer {disclaimer!r} does not show its {self.ctx.locale} translation: {self.FIX}"
            yield Issue(rel[0], line, message, domain=domain)
        if any(not _in_order(self.text, chunks) for chunks in expected.squeezed):
            message = f"disclaimer {disclaimer!r} is missing from the plain-text page: {self.FIX}"
            yield Issue(rel[1], 0, message, domain=domain)
        if self.pdf is not None and any(not find_in_order(self.pdf, chunks) for chunks in expected.filled):
            message = f"disclaimer {disclaimer!r} is missing from the PDF handout's text: {self.FIX}"
            yield Issue(rel[2], 0, message, domain=domain)
