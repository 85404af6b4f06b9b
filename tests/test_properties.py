"""Property tests for the promises extraction and updating make, on generated pages."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config
from carepages.extract import run_extract
from carepages.fsutil import write_if_changed
from carepages.update import run_update

DATA = Path(__file__).parent / "data" / "project"

WORDS = st.sampled_from(
    ["knee", "joint", "pain", "cells", "Arzt", "douleur", "عيادة", "关节", "疼痛", "**strong**", "*soft*", "`x`", "3.5"]
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["p", "h", "ul", "ol", "quote", "table"]))
    if kind == "h":
        return "## " + draw(SENTENCE)
    if kind in {"ul", "ol"}:
        items = draw(st.lists(SENTENCE, min_size=1, max_size=4))
        return "\n".join(("- " if kind == "ul" else f"{i}. ") + item for i, item in enumerate(items, 1))
    if kind == "quote":
        return "> " + draw(SENTENCE)
    if kind == "table":
        cells = draw(st.lists(SENTENCE, min_size=2, max_size=2))
        return f"| A | B |\n|---|---|\n| {cells[0]} | {cells[1]} |"
    # A paragraph, sometimes wrapped over two lines.
    first, second = draw(SENTENCE), draw(SENTENCE)
    return f"{first}\n{second}" if draw(st.booleans()) else f"{first} {second}"


PAGES = st.lists(blocks(), min_size=1, max_size=8).map(lambda bs: "---\ntitle: Page\n---\n\n" + "\n\n".join(bs) + "\n")


def make_project(root: Path, body: str) -> Path:
    shutil.copytree(DATA, root, dirs_exist_ok=True)
    (root / "source" / "sample.md").write_text(body, encoding="utf-8")
    return root


def catalog_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "locale").rglob("*.po*"))}


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(page=PAGES)
def test_extract_and_update_are_idempotent(page: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "p", page)
        config = load_config(root)
        run_extract(config)
        run_update(config)
        first = catalog_bytes(root)
        assert run_extract(config).unchanged and not run_extract(config).updated
        summary = run_update(config)
        assert not summary.updated and not summary.created
        assert catalog_bytes(root) == first


@pytest.mark.slow
@SETTINGS
@given(before=PAGES, after=PAGES)
def test_update_never_drops_a_translation(before: str, after: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "p", before)
        config = load_config(root)
        run_extract(config)
        run_update(config, ["de"])
        path = po_path(config, "de", "sample")
        catalog = read_catalog(path, "x")
        translations = {}
        for message in catalog:
            if message.id:
                message.string = f"DE[{message.id}]"
                translations[message.id] = message.string
        write_if_changed(path, render_catalog(catalog))

        (root / "source" / "sample.md").write_text(after, encoding="utf-8")
        run_extract(config)
        run_update(config, ["de"])
        updated = read_catalog(path, "x")
        kept = {m.string for m in updated if m.id} | {m.string for m in updated.obsolete.values()}
        for msgid, string in translations.items():
            assert string in kept, f"translation of {msgid!r} was lost"
            if msgid in updated:
                assert updated[msgid].string == string
