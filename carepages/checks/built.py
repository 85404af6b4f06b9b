"""The built output itself: dist/ holds exactly what the verdict publishes, disclaimers and all.

The catalogs can be perfect and a page still lose a disclaimer: a template that
forgets a block, a sanitiser that strips an attribute, a text renderer that drops
an element, or a hand edit of dist/ after the build. So these checks read
``dist/<lang>/<page>.html`` and ``.txt`` as a reader gets them, against the
verdict (:mod:`carepages.verdict`), not against the build's own records:

* ``built`` -- every page the verdict publishes is there in both formats, and no
  page it withholds is there at all (a leftover or planted page is a page online);
* ``built-disclaimer`` -- the HTML has an element with ``data-disclaimer="<id>"``
  for each disclaimer the page must carry, whose text shows the translation, and
  the plain text shows it too (whitespace and direction marks ignored).

Texts are compared as the chunks between inline elements, in order: the text
renderer may number links (``text [1]``) or wrap lines, but may not drop or change
a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from carepages.checks.context import OutputContext
from carepages.checks.model import Issue
from carepages.extract import PageMessages
from carepages.htmltree import Node, parse
from carepages.segments import squeeze


def disclaimers_shown(document: str) -> dict[str, tuple[int, str]]:
    """Per disclaimer id: the line of its first element and the text of all its elements.

    ``data-disclaimers="a b"`` (the shared section) marks several at once; an element
    inside another element of the same disclaimer is not counted twice.
    """
    found: dict[str, tuple[int, list[str]]] = {}

    def visit(node: Node, inside: frozenset[str]) -> None:
        ids = [node.attrs["data-disclaimer"]] if "data-disclaimer" in node.attrs else []
        ids += node.attrs.get("data-disclaimers", "").split()
        new = [disclaimer for disclaimer in ids if disclaimer not in inside]
        for disclaimer in new:
            found.setdefault(disclaimer, (node.line, []))[1].append(node.text())
        for child in node.children:
            if isinstance(child, Node):
                visit(child, inside | frozenset(new))

    visit(parse(document), frozenset())
    return {disclaimer: (line, "".join(texts)) for disclaimer, (line, texts) in found.items()}


def contains_in_order(haystack: str, chunks: list[str] | tuple[str, ...], *, squeezed: bool = False) -> bool:
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


def page_files(ctx: OutputContext, page: PageMessages) -> tuple[Path, Path]:
    folder = ctx.config.dist_dir / ctx.locale
    return folder / f"{page.domain}.html", folder / f"{page.domain}.txt"


def check_built(ctx: OutputContext) -> Iterator[Issue]:
    """The pages the verdict publishes are in dist/, and the pages it withholds are not."""
    verdict = ctx.verdict
    for page in ctx.run.sources.pages:
        published = verdict.publishes(page.domain)
        for path in page_files(ctx, page):
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
    for page in ctx.run.sources.pages:
        html_path, text_path = page_files(ctx, page)
        if not ctx.verdict.publishes(page.domain) or not html_path.is_file() or not text_path.is_file():
            continue  # the "built" check reports it
        shown = disclaimers_shown(html_path.read_text(encoding="utf-8", errors="replace"))
        text = squeeze(text_path.read_text(encoding="utf-8", errors="replace"))
        for disclaimer in page.disclaimers:
            yield from _check_page_disclaimer(ctx, page, disclaimer, shown.get(disclaimer), text)


def _check_page_disclaimer(
    ctx: OutputContext, page: PageMessages, disclaimer: str, shown: tuple[int, str] | None, text: str
) -> Iterator[Issue]:
    """Check one disclaimer on one built page; ``text`` is the page's plain text, already squeezed."""
    html_file, text_file = page_files(ctx, page)
    fix = "check the page template and the renderer, then run carepages build"
    if shown is None:
        missing = f"disclaimer {disclaimer!r} is missing: no data-disclaimer element: {fix}"
        yield Issue(ctx.config.relative(html_file), 0, missing, domain=page.domain)
        return
    line, shown_text = shown
    expected = ctx.expected_for(page.domain).get(ctx.run.disclaimer_domain(page, disclaimer), {}).get(disclaimer, [])
    squeezed = squeeze(shown_text)
    if any(not contains_in_order(squeezed, chunks, squeezed=True) for chunks in expected):
        message = f"disclaimer {disclaimer!r} does not show its {ctx.locale} translation: {fix}"
        yield Issue(ctx.config.relative(html_file), line, message, domain=page.domain)
    if any(not contains_in_order(text, chunks, squeezed=True) for chunks in expected):
        message = f"disclaimer {disclaimer!r} is missing from the plain-text page: {fix}"
        yield Issue(ctx.config.relative(text_file), 0, message, domain=page.domain)
