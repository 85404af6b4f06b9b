"""Small helpers shared by the tests: run the CLI in-process and capture what it says."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from carepages import segments
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.checks.legible import DEFAULT_DENSITY, DENSITY, locale_scripts
from carepages.cli import main
from carepages.config import load_config
from carepages.markdown_ext import PageParser
from carepages.pages import FrontMatter, Page
from carepages.render.body import Rendered, render_body
from carepages.translate import Lookup
from carepages.ui import ui_disclaimers
from carepages.waivers import signoff_record, waivers_path


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


def _fixture_ui() -> dict[str, dict[str, str]]:
    """The real interface translations of tests/data/build/make_fixture.py, for every shipped locale."""
    spec = importlib.util.spec_from_file_location("make_fixture", Path(__file__).parent / "data/build/make_fixture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.UI  # type: ignore[no-any-return]


#: Real translations of the interface strings, per locale (the safety ones must be real text of the script).
UI = _fixture_ui()


def give_interface_safety_strings(root: Path, locales: Iterable[str] | None = None) -> None:
    """Translate the interface strings with safety meaning for real, and sign them off as a reviewer would.

    The draft notice and the disclaimer heading are disclaimers: a mechanical translation
    ("[ar] About this translation") has no letters of the script, and no translation is
    published without a reviewer's sign-off (``waivers.toml``).
    """
    config = load_config(root)
    for locale in locales or config.locales:
        path = po_path(config, locale, "ui")
        catalog = read_catalog(path, config.relative(path), locale)
        for msgid in ui_disclaimers():
            if msgid in catalog:
                catalog[msgid].string = UI[locale][msgid]
                catalog[msgid].flags.discard("fuzzy")
        path.write_bytes(render_catalog(catalog, config.locations))
    sign_interface(root, locales)


def sign_interface(root: Path, locales: Iterable[str] | None = None) -> None:
    """Write each locale's waivers.toml with a sign-off of every interface safety string as now translated."""
    config = load_config(root)
    for locale in locales or config.locales:
        path = po_path(config, locale, "ui")
        catalog = read_catalog(path, config.relative(path), locale)
        records = [
            signoff_record(msgid, catalog[msgid].string, "Test Reviewer", dt.date(2026, 11, 30))
            for msgid in ui_disclaimers()
            if msgid in catalog and isinstance(catalog[msgid].string, str) and catalog[msgid].string
        ]
        waivers_path(config, locale).write_text("\n".join(records), encoding="utf-8")


#: A letter of each script, for mechanical translations that must still be text of the locale's script.
SCRIPT_LETTERS = {"Latn": "", "Arab": "\u0628", "Han": "\u5b57", "Hebr": "\u05e9", "Cyrl": "\u0431"}


def pseudo(locale: str, msgid: str) -> str:
    """A mechanical translation that keeps markup, links and numbers: ``[ar] بببب msgid``.

    In a locale of another script than the source's, enough letters of that script come
    first for the ``disclaimer-text`` check (a disclaimer must be text of the script).
    """
    script = locale_scripts(locale)[0]
    letters = sum(char.isalpha() for char in msgid)
    filler = SCRIPT_LETTERS[script] * max(1, int(letters * DENSITY.get(script, DEFAULT_DENSITY)) + 1)
    tag = f"[{locale.replace('_', '-')}]"
    return f"{tag} {msgid}" if script == "Latn" else f"{tag} {filler} {msgid}"


def fill_every_catalog(root: Path) -> None:
    """A mechanical translation of every message (:func:`helpers.pseudo`), markup and numbers kept."""
    config = load_config(root)
    for path in sorted(config.locale_dir.glob("*/LC_MESSAGES/*.po")):
        locale = path.parent.parent.name
        catalog = read_catalog(path, config.relative(path), locale)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = pseudo(locale, message.id)
        path.write_bytes(render_catalog(catalog, config.locations))
    give_interface_safety_strings(root)
