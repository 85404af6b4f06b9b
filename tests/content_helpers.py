"""What the content tests measure on the shipped English pages: their prose, its reading grade, their sources.

The prose of a page is what a reader reads in its body: every message that
extraction finds (headings, paragraphs, list items, table cells, notes), taken
from the same :func:`carepages.extract.extract_sources` that writes the
templates, up to the ``Sources`` heading. The front matter, the reference list,
URLs and citation markers such as ``[3, 4]`` are not prose: a long journal title
or a web address would make a plain page look hard to read.

The grade is the Flesch-Kincaid grade level as textstat computes it, the usual
"reading grade" of patient-information guidance. :data:`GRADES` keeps each
page's measured grade so the summary hook in ``conftest.py`` can print them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import textstat

from carepages import segments
from carepages.config import load_config
from carepages.extract import PageMessages, extract_sources

REPO = Path(__file__).resolve().parent.parent
SOURCES_HEADING = "Sources"
MAX_GRADE = 8.0

#: Pages on which an injection is discussed: they must carry the warning signs.
INJECTION_PAGES = ("stem-cell-therapy", "knee", "hip", "shoulder", "back-and-neck")
WARNING_SIGNS_PAGE = "warning-signs"
WARNING_DISCLAIMER = "injection-warning-signs"
GLOSSARY_PAGE = "advertising-terms"

#: Names from advertisements: a page that uses one links to the glossary that explains it.
PRODUCT_NAMES = re.compile(
    r"\b(BMAC|SVF|stromal vascular|exosomes?|amniotic|Wharton|umbilical cord|PRP|platelet-rich)\b", re.IGNORECASE
)

#: Claims of the kind clinics advertise with and a careful page never makes.
BANNED_PHRASES = (
    r"regenerates? (new )?cartilage",
    r"regrows? cartilage",
    r"minimal risk",
    r"risk[- ]free",
    r"no side effects",
    r"miracle",
    r"breakthrough",
    r"guaranteed (results|cure|relief)",
    r"reverses? (your )?arthritis",
    r"fountain of youth",
)

#: British spellings: the English pages are written in American English.
BRITISH_SPELLINGS = (
    r"anaesthe",
    r"physiotherap",
    r"tumour",
    r"centre",
    r"colour",
    r"behaviour",
    r"programme",
    r"haemat",
    r"oedema",
    r"(organ|recogn|minim|special|standard|util|summar)is(e|ed|es|ing|ation)",
)

PROSE_KINDS = frozenset(
    {
        segments.HEADING,
        segments.PARAGRAPH,
        segments.LIST_ITEM,
        segments.TABLE_HEADER,
        segments.TABLE_CELL,
        segments.QUOTE,
        segments.NOTE_TITLE,
        segments.NOTE,
    }
)

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<[a-z][a-z0-9+.-]*:[^>\s]*>", re.IGNORECASE)
_BARE_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_CITATION = re.compile("\\s*\\[\\d+(?:\\s*[,\u2013-]\\s*\\d+)*\\]")
_MARKUP = re.compile(r"[*_`]")

#: The grade measured for each page in this run, for the terminal summary.
GRADES: dict[str, tuple[float, int]] = {}


@dataclass(frozen=True)
class ShippedPage:
    """One English page as the content tests see it."""

    name: str
    path: Path
    messages: PageMessages

    @property
    def body(self) -> str:
        return self.messages.page.body


def shipped_pages(root: Path = REPO) -> list[ShippedPage]:
    """Every page in the project's source folder, extracted exactly as ``carepages extract`` does."""
    config = load_config(root)
    return [ShippedPage(m.page.name, m.page.path, m) for m in extract_sources(config).pages]


def plain_text(markdown_text: str) -> str:
    """Inline Markdown as a reader reads it: link texts kept, URLs, citation markers and markup dropped."""
    text = _LINK.sub(r"\1", markdown_text)
    text = _AUTOLINK.sub(" ", text)
    text = _BARE_URL.sub(" ", text)
    text = _CITATION.sub("", text)
    text = _MARKUP.sub("", text)
    return " ".join(text.split())


def as_sentence(text: str) -> str:
    """A heading or list item counts as a sentence of its own, not as the start of the next one."""
    return text if text[-1:] in ".!?:" else text + "."


def prose(messages: PageMessages) -> list[str]:
    """The body's readable messages in document order, as plain sentences, up to the Sources heading."""
    found: list[str] = []
    for segment in messages.segments:
        if segment.kind not in PROSE_KINDS:
            continue
        if segment.kind == segments.HEADING and segment.msgid == SOURCES_HEADING:
            break
        text = plain_text(segment.msgid)
        if text:
            found.append(as_sentence(text))
    return found


def reading_grade(sentences: list[str]) -> float:
    """The Flesch-Kincaid grade level of a page's prose."""
    return float(textstat.flesch_kincaid_grade(" ".join(sentences)))


def word_count(sentences: list[str]) -> int:
    return int(textstat.lexicon_count(" ".join(sentences)))


def sources_section(body: str) -> tuple[list[str], list[str]]:
    """Split a body at its ``## Sources`` heading: (the text before it, the numbered references after it)."""
    match = re.search(rf"^## {SOURCES_HEADING}\s*$", body, re.MULTILINE)
    if match is None:
        return body.splitlines(), []
    references = [line for line in body[match.end() :].splitlines() if re.match(r"^\d+\.\s+\S", line)]
    return body[: match.start()].splitlines(), references


def cited_numbers(lines: list[str]) -> set[int]:
    """Every reference number cited in the text, from markers such as ``[3]`` or ``[3, 4]``."""
    numbers: set[int] = set()
    for marker in re.findall(r"\[(\d+(?:\s*,\s*\d+)*)\](?!\()", "\n".join(lines)):
        numbers.update(int(n) for n in marker.split(","))
    return numbers


def links(body: str) -> set[str]:
    """The link targets of a body's inline links."""
    return {target for target in re.findall(r"\]\(([^)\s]+)\)", body)}


def matches_any(patterns: tuple[str, ...], text: str) -> list[str]:
    """The patterns that occur in the text (case-insensitive)."""
    return [pattern for pattern in patterns if re.search(pattern, text, re.IGNORECASE)]
