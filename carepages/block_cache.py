"""Python-Markdown's block parse of a page body, kept for the next conversion of the same body.

The build converts each page once per locale, and the blocks are the same in every
locale (translations go in afterwards, block by block, by the segment tree
processor of :mod:`carepages.markdown_ext`), so the block parser runs once per page
and each conversion gets its own copy of the tree.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as etree
from collections.abc import Iterable

import markdown

from carepages.memo import digest

#: How much page text (in characters) a worker keeps the block parses of: a parse holds about
#: three times its page's text (26 KB for a page of 1,240 words), so about 50 MB at most.
BUDGET = 16 * 2**20


class BlockCache:
    """Python-Markdown's block parse of a page body, kept for the next conversion of the same body.

    The build converts each page once per locale, and the blocks are the same in every
    locale (translations go in afterwards, block by block, by the segment tree
    processor), so the block parser runs once per page and each conversion gets its
    own copy of the tree. The block parser's one other effect, the link reference
    definitions it records, is kept with the tree.

    A parse, once kept, stays: a worker converts the pages in the same order in every
    locale, so a cache that dropped the least recently used parse to make room would
    drop each page just before it comes round again and never be of use (an LRU cache
    of 512 pages did exactly that at 1000 pages, and held 512 parses for nothing). Past
    ``budget`` characters of page text, the pages not yet kept are parsed each time.
    """

    def __init__(self, md: markdown.Markdown, budget: int | None = None) -> None:
        self.md = md
        self.parse = md.parser.parseDocument
        self.kept: dict[str, tuple[etree.ElementTree, dict[str, tuple[str, str]]]] = {}
        self.room = BUDGET if budget is None else budget
        self.body = ""
        md.parser.parseDocument = self.parse_document  # type: ignore[method-assign]

    def parse_document(self, lines: Iterable[str]) -> etree.ElementTree:
        """Python-Markdown's ``parseDocument``, from the cache when this body was parsed before.

        The key is the page body, not only the preprocessed lines: two bodies made only of
        an HTML block with Markdown inside have the same lines (one stash placeholder) but
        different elements in the stash, which the block parser puts into the tree. It is
        their digest, so the cache holds no copy of either.
        """
        lines = list(lines)
        key = digest(self.body, *lines)
        kept = self.kept.get(key)
        if kept is not None:
            tree, references = kept
            self.md.references.update(references)
            return copy.deepcopy(tree)
        tree = self.parse(lines)
        if len(self.body) > self.room:
            return tree
        self.room -= len(self.body)
        self.kept[key] = (tree, dict(self.md.references))
        return copy.deepcopy(tree)
