"""Directives: the author's HTML comments that say what the next block is (a disclaimer, not to
be translated, a note for translators).

Python-Markdown stashes HTML comments early, so directives are read from the raw lines
before that (see :mod:`carepages.markdown_ext`), each replaced by a marker paragraph that
shows which block it precedes. Code (by :func:`carepages.fences.find_fences`, the one fence
rule) is never searched. A comment that reads like a misspelt directive is an error with a
suggestion; a comment of prose stays allowed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from carepages.fences import find_fences

DISCLAIMER_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DIRECTIVE_NAMES = ("translators", "notranslate", "disclaimer")
#: What may stand before a directive on its line: indentation (a list item's block) and the quote markers
#: of a block quote (``> <!-- disclaimer: fever -->`` marks the quoted block after it).
_LEAD = r"^((?:[ \t]*>)*[ \t]*)"
DIRECTIVE_START = re.compile(_LEAD + r"<!--\s*(translators|notranslate|disclaimer)\b(.*)$", re.IGNORECASE)
#: A comment whose first word is followed by ':' or '=' reads as a directive, whatever the word.
_DIRECTIVE_LIKE = re.compile(_LEAD + r"<!--\s*([A-Za-z][\w-]*)\s*([:=])")
_FIRST_WORD = re.compile(_LEAD + r"<!--\s*([A-Za-z][\w-]*)")
#: A directive anywhere on a line (one after other text would mark nothing: see :meth:`DirectiveReader.run`).
_DIRECTIVE_INSIDE = re.compile(r"<!--\s*(?:translators|notranslate|disclaimer)\b", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+).*?\1")
#: A comment opened alone on its line, and a next line that starts with a directive's name: the comment's text
#: would be read as a plain comment ("<!--", "disclaimer: fever", "-->" marks nothing).
_OPENER_ALONE = re.compile(_LEAD + r"<!--\s*$")
_NAME_FIRST = re.compile(r"^(?:[ \t]*>)*[ \t]*(translators|notranslate|disclaimer)\b\s*(?::|-->|$)", re.IGNORECASE)
#: The quote markers at the start of a continuation line, however spaced ("> >" and ">>" alike).
_QUOTE_MARKERS = re.compile(r"^(?:[ \t]*>)+[ \t]?")
MARKER = "\ue000carepages-directive-{}\ue000"
MARKER_RE = re.compile("^\ue000carepages-directive-(\\d+)\ue000$")

#: Where a problem goes: (message, 1-based line, hint).
ErrorSink = Callable[[str, int, "str | None"], None]


@dataclass(frozen=True)
class Directive:
    """An author's instruction about the next block."""

    name: str  # "translators" | "notranslate" | "disclaimer"
    value: str
    line: int


class DirectiveReader:
    """Turn directive comments into marker paragraphs, recording their lines; report misuse to ``error``."""

    def __init__(self, first_line: int, error: ErrorSink) -> None:
        self.first_line = first_line
        self.error = error
        self.directives: list[Directive] = []

    def run(self, lines: list[str]) -> list[str]:
        """The lines with each directive comment replaced by a marker paragraph (code left alone)."""
        out: list[str] = []
        code = {index for fence in find_fences(lines) for index in range(fence.start, fence.end)}
        i = 0
        while i < len(lines):
            line = lines[i]
            match = DIRECTIVE_START.match(line) if i not in code else None
            if match is None:
                if i not in code and "<!--" in line:
                    self._refuse_lookalike(line, self.first_line + i)
                    if _DIRECTIVE_INSIDE.search(_CODE_SPAN.sub("", line)):  # quoted in `code`: an example
                        self.error(
                            "a directive comment after other text on its line is not read",
                            self.first_line + i,
                            "put it on a line of its own, before the block it is about",
                        )
                    elif _OPENER_ALONE.match(line) and (
                        named := _NAME_FIRST.match(lines[i + 1] if i + 1 < len(lines) else "")
                    ):
                        name = named.group(1).lower()
                        example = "<!-- notranslate -->" if name == "notranslate" else f"<!-- {name}: ... -->"
                        self.error(
                            f"a '{name}' directive on the line after '<!--' is not read",
                            self.first_line + i,
                            f"start the comment with its name: {example}",
                        )
                out.append(line)
                i += 1
                continue
            start = i
            lead = match.group(1)
            quote = lead.rstrip()  # the quote markers, "" outside a quote
            text = match.group(3)
            while "-->" not in text and i + 1 < len(lines):
                i += 1
                more = lines[i]
                text += "\n" + (_QUOTE_MARKERS.sub("", more) if quote else more)
            source_line = self.first_line + start
            if "-->" not in text:
                self.error("directive comment is never closed", source_line, "end it with '-->'")
                return out
            body, _, after = text.partition("-->")
            directive = self._parse(match.group(2).lower(), body, source_line)
            if directive is not None and not after.strip():
                self.directives.append(directive)
                # Blank lines inside a quote keep its markers, or the quote would end at the marker.
                out.extend([quote, lead + MARKER.format(len(self.directives) - 1), quote])
            elif directive is not None:
                self.error("put a directive comment on lines of its own", source_line, None)
            i += 1
        return out

    def _refuse_lookalike(self, line: str, number: int) -> None:
        """A comment that reads like a misspelt directive is an error: its block would lose its meaning.

        ``<!-- disclaimr: side-effects -->`` would otherwise leave the block after it an
        ordinary paragraph, unprotected, without a word. A comment of prose stays allowed.
        """
        word = _FIRST_WORD.match(line)
        if word is None:
            return
        close = difflib.get_close_matches(word.group(2).lower(), DIRECTIVE_NAMES, n=1, cutoff=0.75)
        if close:
            self.error(
                f"unknown directive {word.group(2)!r}",
                number,
                f"did you mean {close[0]!r}? Directives are " + ", ".join(DIRECTIVE_NAMES),
            )
        elif _DIRECTIVE_LIKE.match(line):
            self.error(
                f"unknown directive {word.group(2)!r}",
                number,
                "directives are " + ", ".join(DIRECTIVE_NAMES) + "; write a plain comment without 'word:' at its start",
            )

    def _parse(self, name: str, body: str, line: int) -> Directive | None:
        value = " ".join(body.split())
        if value.startswith(":"):
            value = value[1:].strip()
        elif value and name != "notranslate":
            self.error(f"'{name}' needs a ':' before its value", line, f"write <!-- {name}: {value} -->")
            return None
        if name == "notranslate":
            if value:
                self.error("'notranslate' takes no value", line, "write <!-- notranslate -->")
                return None
        elif name == "disclaimer":
            if not DISCLAIMER_ID.match(value):
                self.error(
                    f"disclaimer id {value!r} is not valid",
                    line,
                    "write <!-- disclaimer: some-id --> with lowercase letters, digits and '-'",
                )
                return None
        elif not value:
            self.error("empty note for translators", line, "write <!-- translators: your note -->")
            return None
        return Directive(name, value, line)
