"""Python-Markdown's block parse of a page body, kept for the next conversion of the same body.

The build converts each page once per locale, and the blocks are the same in every
locale (translations go in afterwards, block by block, by the segment tree
processor of :mod:`carepages.markdown_ext`), so the block parser runs once per page
and each conversion gets its own copy of the tree.
"""

from __future__ import annotations

import copy
import functools
import xml.etree.ElementTree as etree
from collections.abc import Iterable

import markdown


class BlockCache:
    """Python-Markdown's block parse of a page body, kept for the next conversion of the same body.

    The build converts each page once per locale, and the blocks are the same in every
    locale (translations go in afterwards, block by block, by the segment tree
    processor), so the block parser runs once per page and each conversion gets its
    own copy of the tree. The block parser's one other effect, the link reference
    definitions it records, is kept with the tree.
    """

    def __init__(self, md: markdown.Markdown, size: int = 512) -> None:
        self.md = md
        self.parse = md.parser.parseDocument
        self.parsed = functools.lru_cache(maxsize=size)(self._parse)
        self.body = ""
        md.parser.parseDocument = self.parse_document  # type: ignore[method-assign]

    def _parse(self, body: str, lines: tuple[str, ...]) -> tuple[etree.ElementTree, dict[str, tuple[str, str]]]:
        return self.parse(lines), dict(self.md.references)

    def parse_document(self, lines: Iterable[str]) -> etree.ElementTree:
        """Python-Markdown's ``parseDocument``, from the cache when this body was parsed before.

        The key is the page body, not only the preprocessed lines: two bodies made only of
        an HTML block with Markdown inside have the same lines (one stash placeholder) but
        different elements in the stash, which the block parser puts into the tree.
        """
        tree, references = self.parsed(self.body, tuple(lines))
        self.md.references.update(references)
        return copy.deepcopy(tree)
