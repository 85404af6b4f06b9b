"""The built output itself: every page of every locale shows every disclaimer it must carry.

The catalogs can be perfect and a page still lose a disclaimer: a template that
forgets a block, a sanitiser that strips an attribute, a text renderer that
drops an element. So this check reads ``dist/<lang>/<page>.html`` and
``dist/<lang>/<page>.txt`` as a reader gets them, and does not trust the
build's manifest. The contract with the build:

* the HTML has an element with ``data-disclaimer="<id>"`` for each disclaimer the
  page must carry, whose text content contains the rendered translation;
* the plain text contains that text (wrapped, so whitespace is ignored).

Texts are compared as the chunks between inline elements, in order, with all
whitespace and direction marks removed: the text renderer may number links
(``text [1]``) or wrap lines, but may not drop or change a word. A locale the
build left out has no folder; the finding says why that usually is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from carepages.checks.context import LocaleContext
from carepages.checks.registry import ERROR, Issue, register
from carepages.checks.render import squeeze
from carepages.extract import PageMessages
from carepages.segments import ALT_TEXT, IMAGE_TITLE, LINK_TITLE

#: Segments whose text ends up in an attribute, not in the page's text.
ATTRIBUTE_KINDS = frozenset({ALT_TEXT, IMAGE_TITLE, LINK_TITLE})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


@dataclass
class Marked:
    """The text of the elements marked as one disclaimer, and the line of the first."""

    line: int
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.texts)


class DisclaimerFinder(HTMLParser):
    """Collects the text content of every element with ``data-disclaimer`` (nested ones too)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, Marked] = {}
        self.stack: list[str] = []
        self.open: list[tuple[int, Marked]] = []  # (stack depth when opened, collector)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ids = [value or "" for name, value in attrs if name == "data-disclaimer"]
        ids += [part for name, value in attrs if name == "data-disclaimers" for part in (value or "").split()]
        if tag in VOID:
            return
        self.stack.append(tag)
        for disclaimer in ids:
            marked = self.found.setdefault(disclaimer, Marked(self.getpos()[0]))
            if all(other is not marked for _, other in self.open):  # not already inside one of its elements
                self.open.append((len(self.stack), marked))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack:
            closed = self.stack.pop()
            self.open = [(depth, marked) for depth, marked in self.open if depth <= len(self.stack)]
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, marked in self.open:
            marked.texts.append(data)


def contains_in_order(haystack: str, chunks: list[str], *, squeezed: bool = False) -> bool:
    """Whether every chunk occurs in ``haystack`` after the previous one (whitespace ignored).

    ``squeezed`` says the haystack already went through :func:`squeeze` (done once per page).
    """
    text = haystack if squeezed else squeeze(haystack)
    position = 0
    for chunk in map(squeeze, chunks):
        found = text.find(chunk, position)
        if found < 0:
            return False
        position = found + len(chunk)
    return True


@register(
    "built",
    ERROR,
    "The built output of a locale or page is missing from dist/ (fix: carepages build).",
    allowable=False,
)
def check_built(ctx: LocaleContext) -> Iterator[Issue]:
    folder = ctx.config.dist_dir / ctx.locale
    if not folder.is_dir():
        yield Issue(ctx.config.relative(folder), 0, missing_locale(ctx, folder))
        return
    for page in ctx.run.sources.pages:
        for path in page_files(ctx, page):
            if not path.is_file():
                yield Issue(ctx.config.relative(path), 0, "the built page is missing: run carepages build")


def missing_locale(ctx: LocaleContext, folder: Path) -> str:
    """Why a locale has no built folder, as far as the other checks can tell, and what to do."""
    dist = ctx.config.dist_dir
    if dist.is_dir():
        what = f"{ctx.config.relative(folder)}/ does not exist"
    else:
        what = f"nothing is built yet ({ctx.config.relative(dist)}/ does not exist)"
    errors = ctx.found["error"]
    if errors:
        return (
            f"{what}: the build leaves out a locale with errors, and {ctx.locale} has {errors} "
            "(reported with this one): fix them, then run carepages build"
        )
    if "threshold" in ctx.found_codes:
        return (
            f"{what}: the build leaves out a locale below the publishing threshold "
            f"(see the threshold warning): translate more of {ctx.locale}, then run carepages build"
        )
    return f"{what}: run carepages build"


def page_files(ctx: LocaleContext, page: PageMessages) -> tuple[Path, Path]:
    folder = ctx.config.dist_dir / ctx.locale
    return folder / f"{page.domain}.html", folder / f"{page.domain}.txt"


@register(
    "built-disclaimer",
    ERROR,
    "A disclaimer is absent from a built page's HTML (data-disclaimer element) or plain text.",
    allowable=False,
)
def check_built_disclaimers(ctx: LocaleContext) -> Iterator[Issue]:
    if not (ctx.config.dist_dir / ctx.locale).is_dir():
        return
    for page in ctx.run.sources.pages:
        html_path, text_path = page_files(ctx, page)
        if not html_path.is_file() or not text_path.is_file():
            continue  # the "built" check reports it
        finder = DisclaimerFinder()
        finder.feed(html_path.read_text(encoding="utf-8", errors="replace"))
        finder.close()
        text = squeeze(text_path.read_text(encoding="utf-8", errors="replace"))
        for disclaimer in page.disclaimers:
            yield from _check_page_disclaimer(ctx, page, disclaimer, finder.found.get(disclaimer), text)


def _check_page_disclaimer(
    ctx: LocaleContext, page: PageMessages, disclaimer: str, marked: Marked | None, text: str
) -> Iterator[Issue]:
    """Check one disclaimer on one built page; ``text`` is the page's plain text, already squeezed."""
    html_file, text_file = page_files(ctx, page)
    fix = "check the page template and the renderer, then run carepages build"
    if marked is None:
        missing = f"disclaimer {disclaimer!r} is missing: no data-disclaimer element: {fix}"
        yield Issue(ctx.config.relative(html_file), 0, missing)
        return
    wrong_html = wrong_text = False
    shown = squeeze(marked.text)
    for chunks in expected_chunks(ctx, page, disclaimer):
        wrong_html = wrong_html or not contains_in_order(shown, chunks, squeezed=True)
        wrong_text = wrong_text or not contains_in_order(text, chunks, squeezed=True)
    if wrong_html:
        yield Issue(
            ctx.config.relative(html_file),
            marked.line,
            f"disclaimer {disclaimer!r} does not show its {ctx.locale} translation: {fix}",
        )
    if wrong_text:
        yield Issue(
            ctx.config.relative(text_file), 0, f"disclaimer {disclaimer!r} is missing from the plain-text page: {fix}"
        )


def expected_chunks(ctx: LocaleContext, page: PageMessages, disclaimer: str) -> list[list[str]]:
    """The visible text chunks of each usable translation of the disclaimer's messages.

    An unusable one (missing, fuzzy, untranslated) is already an error of the
    ``disclaimer`` check; here only the presence of the element is required for it.
    """
    domain = ctx.run.disclaimer_domain(page, disclaimer)
    found = []
    for segment in ctx.run.disclaimer_segments(domain, disclaimer):
        entry = ctx.message(domain, segment.msgid)
        if segment.kind in ATTRIBUTE_KINDS or entry is None or not entry.translated or entry.plural:
            continue
        found.append(list(ctx.run.renderer.render(entry.strings[0]).chunks))
    return found
