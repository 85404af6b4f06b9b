"""The interface catalog: strings from the page templates, ui.pot and ui.po, gettext for the frame."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from carepages.catalog_paths import po_path, pot_path
from carepages.catalogs import read_catalog
from carepages.config import load_config
from carepages.extract import run_extract
from carepages.ui import UiTranslations, format_names, ui_messages, ui_mo_bytes, ui_template
from carepages.update import run_update

DATA = Path(__file__).parent / "data"


def test_ui_translations_track_fallbacks_and_skip_fuzzy_and_broken_placeholders() -> None:
    catalog = Catalog(locale="de")
    catalog.add("Languages", "Sprachen")
    catalog.add("References", "Verweise?", flags=["fuzzy"])
    catalog.add("Last reviewed: %(date)s", "Geprüft am %(datum)s")
    translations = UiTranslations(ui_mo_bytes("de", catalog))
    assert translations.ugettext("Languages") == "Sprachen"
    assert not translations.fell_back
    assert translations.ugettext("References") == "References"
    assert translations.ugettext("Last reviewed: %(date)s") == "Last reviewed: %(date)s"
    assert translations.fell_back


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Last reviewed: %(date)s", frozenset({"date"})),
        ("100 %% sure on %(date)s", frozenset({"date"})),
        ("100 % sure", None),
        ("%s", None),
        ("plain", frozenset()),
    ],
)
def test_format_names_are_what_percent_formatting_asks_for(text: str, names: frozenset[str] | None) -> None:
    assert format_names(text) == names


def test_ui_messages_come_from_the_templates_with_translator_comments() -> None:
    found = {msgid: (filename, comments) for msgid, filename, _, comments in ui_messages()}
    assert "This translation has not yet been reviewed by a medical translator." in found
    assert found["Languages"][0] == "templates/page.html"
    assert any(
        "source language" in comment
        for comment in found["%(share)s of this page is not yet translated and is shown in %(language)s."][1]
    )


def test_extract_writes_ui_pot_and_update_creates_ui_po(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    config = load_config(root)
    summary = run_extract(config)
    assert "locale/templates/ui.pot" in summary.created
    first = pot_path(config, "ui").read_bytes()
    assert run_extract(config).unchanged.count("locale/templates/ui.pot") == 1
    assert pot_path(config, "ui").read_bytes() == first
    assert b"POT-Creation-Date: 1970-01-01 00:00+0000" in first
    template = read_catalog(pot_path(config, "ui"), "ui.pot")
    assert {m.id for m in template if m.id} == {m.id for m in ui_template(config) if m.id}
    assert "python-format" in template["Last reviewed: %(date)s"].flags
    run_update(config)
    catalog = read_catalog(po_path(config, "de", "ui"), "ui.po", "de")
    assert {m.id for m in catalog if m.id} == {m.id for m in template if m.id}
