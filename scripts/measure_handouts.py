"""Measure PDF handouts of the built pages in dist/: time per page, size, and what their text keeps.

Run after ``scripts/run``: ``.venv/bin/python scripts/measure_handouts.py [--repeat 3] [--out DIR]``.
Every ``dist/<lang>/<page>.html`` is printed on A4 and on Letter (each the best of
``--repeat`` runs in CPU seconds, after one warm-up render), then read back with
:func:`carepages.pdftext.extract_text`; for each page the script counts how many of
its blocks (headings, paragraphs, list items, table cells) and of its disclaimers
are found in the PDF's text, with :func:`carepages.pdftext.find_in_order`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from carepages.pdftext import extract_text, find_in_order
from carepages.readback import disclaimers_shown
from carepages.render.pdf import PAPER_SIZES, Handout, load_weasyprint, render_pdf

BLOCKS = frozenset({"h1", "h2", "h3", "h4", "p", "li", "td", "th"})
HIDDEN = frozenset({"head", "nav"})  # not printed


class BlockTexts(HTMLParser):
    """The text chunks (between inline tags) of every printed block, as the check compares them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []
        self.current: list[str] | None = None
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in HIDDEN
        if tag in BLOCKS and not self.hidden:
            self.current = []
            self.blocks.append(self.current)
        elif self.current is not None:
            self.current.append("")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in HIDDEN
        if tag in BLOCKS:
            self.current = None
        elif self.current is not None:
            self.current.append("")

    def handle_data(self, data: str) -> None:
        if self.current is not None and not self.hidden:
            if not self.current:
                self.current.append("")
            self.current[-1] += data


def measure(dist: Path, repeat: int, out: Path | None) -> None:
    load_weasyprint()
    pages = sorted(dist.glob("*/*.html"))
    render_pdf(pages[0].read_text(encoding="utf-8"), Handout())  # warm-up: fonts, caches
    rows = []
    for html_path in pages:
        html = html_path.read_text(encoding="utf-8")
        lang, page = html_path.parent.name, html_path.stem
        for paper in PAPER_SIZES:
            handout = Handout(paper=paper, address=f"https://clinic.example/{lang}/{page}.html", reviewed="reviewed")
            seconds = []
            for _ in range(repeat):
                start = time.process_time()  # CPU time: other processes on the machine do not count
                rendered = render_pdf(html, handout)
                seconds.append(time.process_time() - start)
            if out:
                out.mkdir(parents=True, exist_ok=True)
                (out / f"{lang}-{page}-{paper}.pdf").write_bytes(rendered.data)
            rows.append((lang, paper, min(seconds), len(rendered.data), rendered.missing_glyphs, html, rendered.data))
    print("lang   paper   median CPU s   median KiB  max KiB  missing  blocks found  disclaimers found")
    for lang in sorted({row[0] for row in rows}):
        for paper in PAPER_SIZES:
            mine = [row for row in rows if row[0] == lang and row[1] == paper]
            found = [_found(row[5], row[6]) for row in mine]
            print(
                f"{lang:6} {paper:7} {statistics.median(r[2] for r in mine):12.3f} "
                f"{statistics.median(r[3] for r in mine) / 1024:11.0f} {max(r[3] for r in mine) / 1024:8.0f} "
                f"{len({g for r in mine for g in r[4]}):8} "
                f"{sum(f[0] for f in found):6}/{sum(f[1] for f in found):<6} "
                f"{sum(f[2] for f in found):8}/{sum(f[3] for f in found)}"
            )
    all_seconds = [row[2] for row in rows]
    print(f"all pages, both papers: median {statistics.median(all_seconds):.3f} CPU s, max {max(all_seconds):.3f}")


def _found(html: str, pdf: bytes) -> tuple[int, int, int, int]:
    blocks = BlockTexts()
    blocks.feed(html)
    text = extract_text(pdf)
    chunks = [block for block in blocks.blocks if "".join(block).strip()]
    marked = [[words] for _, words in disclaimers_shown(html).values()]
    return (
        sum(find_in_order(text, block) for block in chunks),
        len(chunks),
        sum(find_in_order(text, texts) for texts in marked),
        len(marked),
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the PDFs here")
    args = parser.parse_args(argv)
    measure(args.dist, args.repeat, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
