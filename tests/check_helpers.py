"""Helpers for the ``carepages check`` tests: a fully translated project, and dist/ files made to contract.

``tests/data/check/project`` is a small clinic site (one page, a page-local and two
shared disclaimers) with German, Arabic and Chinese translations that pass every
check. Its templates and interface catalogs (``ui``) are made at test time with
``carepages extract`` and ``update``, so the tests do not depend on the exact
interface strings of the page templates; the interface messages get a mechanical
translation, but for the ones with safety meaning, which get a real one, signed off.

:func:`write_dist` writes built pages following the build's contract (the shipped
stylesheet; an element with ``data-disclaimer`` holding the rendered translation; a
wrapped plain text; a manifest of every file and each locale's verdict),
so the built-output checks are tested without depending on the build itself.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import re
import shutil
import textwrap
from pathlib import Path

import markdown
from helpers import give_interface_safety_strings

from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.checks.report import Report
from carepages.config import Config, load_config
from carepages.extract import Sources, extract_sources, run_extract
from carepages.gate import collect
from carepages.markdown_ext import MARKDOWN_EXTENSIONS
from carepages.readback import STYLESHEET
from carepages.segments import to_markdown
from carepages.update import run_update

DATA = Path(__file__).parent / "data" / "check"


def make_clinic(target: Path) -> Path:
    """Copy the clinic project to ``target``, extract, update, and translate the interface strings.

    The interface strings get the real translations the golden build fixture uses
    (tests/data/build/make_fixture.py), so the clinic is clean under every check,
    the ``language`` check included.
    """
    shutil.copytree(DATA / "project", target)
    config = load_config(target)
    run_extract(config)
    run_update(config)
    for locale in config.locales:
        path = po_path(config, locale, "ui")
        catalog = read_catalog(path, config.relative(path), locale)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                message.string = UI_TRANSLATIONS[locale][message.id]
        path.write_bytes(render_catalog(catalog, config.locations))
    give_interface_safety_strings(target)
    return target


def _ui_translations() -> dict[str, dict[str, str]]:
    """The interface strings' translations of the golden build fixture, for every locale it has."""
    spec = importlib.util.spec_from_file_location("make_fixture", DATA.parent / "build" / "make_fixture.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.UI)


UI_TRANSLATIONS = _ui_translations()


def check(root: Path, *locales: str, strict: bool = False) -> Report:
    """Run every check on the project at ``root`` and return the report."""
    return collect(load_config(root), list(locales) or None, strict=strict)


def codes(report: Report, path: str | None = None) -> set[str]:
    """The codes of the findings (of one file) that are errors or warnings."""
    return {
        f.problem.code
        for f in report.findings
        if f.problem.severity in {"error", "warning"} and (path is None or f.problem.path == path)
    }


def visible_text(fragment: str) -> str:
    """The text a reader sees in an HTML fragment (a test stand-in for the build's text renderer)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def write_dist(root: Path, text_width: int = 72) -> Config:
    """Write dist/<lang>/<page>.html and .txt for every locale, as the build's contract describes."""
    config = load_config(root)
    sources = extract_sources(config)
    for locale in config.locales:
        for page in sources.pages:
            blocks = []
            for disclaimer in page.disclaimers:
                domain = "disclaimers" if disclaimer in sources.shared.disclaimers else page.domain
                text = disclaimer_translation(config, locale, domain, disclaimer, sources)
                blocks.append((disclaimer, markdown.markdown(to_markdown(text), extensions=list(MARKDOWN_EXTENSIONS))))
            folder = config.dist_dir / locale
            folder.mkdir(parents=True, exist_ok=True)
            body = "\n".join(f'<div data-disclaimer="{d}">{fragment}</div>' for d, fragment in blocks)
            (folder / f"{page.domain}.html").write_text(
                f'<!DOCTYPE html>\n<html lang="{locale}"><head><style>\n{STYLESHEET.read_text(encoding="utf-8")}'
                f"</style></head><body><main>\n<h1>{page.page.meta.title}</h1>\n"
                f"<p>Body text<br>with a break.</p>\n<section>\n{body}\n</section>\n</main></body></html>\n",
                encoding="utf-8",
            )
            plain = "\n\n".join(textwrap.fill(visible_text(fragment), text_width) for _, fragment in blocks)
            (folder / f"{page.domain}.txt").write_text(f"{page.page.meta.title}\n\n{plain}\n", encoding="utf-8")
    write_manifest(config)
    return config


def write_manifest(config: Config) -> None:
    """dist/manifest.json as the build writes it: every file with size and sha256, each locale's verdict."""
    report = collect(config, skip=frozenset({"built", "built-disclaimer", "manifest", "visible"}))
    files = {
        path.relative_to(config.dist_dir).as_posix(): {
            "size": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        for path in sorted(config.dist_dir.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }
    data = {"locales": {verdict.locale: verdict.as_dict() for verdict in report.verdicts}, "files": files}
    (config.dist_dir / "manifest.json").write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


def disclaimer_translation(config: Config, locale: str, domain: str, disclaimer: str, sources: Sources) -> str:
    """The msgstr of a disclaimer's (first) message in a locale's catalog."""
    messages = next(m for m in sources.all() if m.domain == domain)
    msgid = next(s.msgid for s in messages.segments if s.disclaimer == disclaimer)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    message = catalog.get(msgid)
    assert message is not None and isinstance(message.string, str)
    return message.string
