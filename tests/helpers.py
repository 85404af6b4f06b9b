"""Small helpers shared by the tests: run the CLI in-process and capture what it says."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from carepages import segments
from carepages.cli import main
from carepages.markdown_ext import PageParser
from carepages.pages import FrontMatter, Page
from carepages.render.body import Rendered, render_body
from carepages.translate import Lookup


@dataclass
class Result:
    status: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    """Run ``carepages ARGV`` in-process; return its exit status and output."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return Result(status, captured.out, captured.err)


def require_program(name: str) -> str:
    """The path of an external program, or skip the test when it is absent.

    CI sets ``CAREPAGES_REQUIRE_EXTERNAL=1`` after installing the programs, so there a
    missing program fails the test instead of skipping it silently.
    """
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CAREPAGES_REQUIRE_EXTERNAL"):
            pytest.fail(f"{name} is required in CI but not installed")
        pytest.skip(f"{name} is not installed")
    return path


def render_message(source: str, translation: str | None = None, definitions: str = "") -> Rendered:
    """What a message renders as in its block, the build's way: ``source`` as a page paragraph, put back translated.

    ``definitions`` are lines added to the page (reference link definitions, say).
    """
    body = f"{source}\n\n{definitions}\n" if definitions else f"{source}\n"
    page = Page("p", Path("p.md"), "p.md", FrontMatter(title="P"), body, 1)
    msgid = segments.normalize(source.lstrip("#").strip())
    lookup = None if translation is None else Lookup({msgid: translation})
    messages = render_body(_PARSER, page, lookup).messages
    return next(iter(messages.values()))  # the page's one block


_PARSER = PageParser(keep_blocks=True)
