"""A small clinic in a real git repository, for the pinning tests: translate, commit, edit, commit.

Commits carry fixed names and dates (``GIT_*`` variables), so the same steps give
the same commits, and the tests can assert exact revisions, dates and ages.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers import give_interface_safety_strings, require_program

from carepages.builder import BuildSummary, run_build
from carepages.catalog_paths import find_catalogs, po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.config import load_config
from carepages.extract import run_extract
from carepages.fsutil import write_if_changed
from carepages.gate import collect
from carepages.update import run_update

#: The shipped project's catalogs.
SHIPPED = Path(__file__).parent.parent / "locale"
PARAGRAPH = "Take 3 tablets with water."
RISK = "Injections can cause an infection."
SHARED = "This page is general information, not medical advice."
PAGE = """---
title: {title}
last_reviewed: 2026-11-20
---

# {title}

Take 3 tablets with water.

<!-- disclaimer: {name}-risk -->
Injections can cause an infection.

A second paragraph about the {name}.
"""


#: Pages online at BASE_URL (so a pinned page's notice can link the current English page); no PDF handouts.
BASE_URL = "https://clinic.example/pages/"
PYPROJECT = f'[tool.carepages]\nlocales = ["de"]\nbase_url = "{BASE_URL}"\nhandouts = false\n'


def german(msgid: str) -> str:
    """A faithful mechanical translation: every number and the Markdown kept."""
    return f"DE {msgid}"


def make_clinic(root: Path) -> Path:
    """Pages knee and hip, shared disclaimers, locale de translated in full; extracted, not committed."""
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / ".gitignore").write_text("dist/\n.dist-build.lock\n", encoding="utf-8")
    (root / "source" / "_disclaimers.md").write_text(f"<!-- disclaimer: advice -->\n{SHARED}\n", encoding="utf-8")
    for name in ("knee", "hip"):
        (root / "source" / f"{name}.md").write_text(PAGE.format(title=f"{name.title()} pain", name=name), "utf-8")
    refresh(root)
    translate_all(root)
    give_interface_safety_strings(root)
    return root


def refresh(root: Path) -> None:
    """What CI runs after an English edit: extract, then update."""
    config = load_config(root)
    run_extract(config)
    run_update(config)


def translate_all(root: Path, locale: str = "de") -> None:
    """Translate every open message of the locale (through Babel, never PO syntax by hand).

    Interface strings get the shipped project's translations, so that a page's notices read as a reader sees them.
    """
    config = load_config(root)
    shipped = read_catalog(SHIPPED / locale / "LC_MESSAGES" / "ui.po", "ui.po", locale)
    for domain, path in find_catalogs(config, locale).items():
        catalog = read_catalog(path, config.relative(path), locale)
        for message in catalog:
            if message.id and isinstance(message.id, str) and (message.fuzzy or not message.string):
                known = shipped.get(message.id) if domain == "ui" else None
                message.string = known.string if known is not None else german(message.id)
                message.flags.discard("fuzzy")
        write_if_changed(path, render_catalog(catalog, config.locations))


def set_translation(root: Path, domain: str, msgid: str, text: str, locale: str = "de") -> None:
    config = load_config(root)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    catalog[msgid].string = text
    write_if_changed(path, render_catalog(catalog, config.locations))


def edit_source(root: Path, name: str, old: str, new: str) -> None:
    path = root / "source" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def git(root: Path, *args: str, date: str = "2026-11-20T10:00:00+00:00") -> str:
    """Run git with a fixed identity and date, outside the user's configuration."""
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Translator",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "Translator",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(root: Path, message: str, day: str) -> str:
    """Commit everything as of ``day`` (YYYY-MM-DD, 10:00 UTC); return the commit's hash."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=f"{day}T10:00:00+00:00")
    return git(root, "rev-parse", "HEAD")


def init_repo(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")


def committed_clinic(root: Path) -> Path:
    """The clinic, translated and committed on 2026-11-20, in a git repository of its own (git required)."""
    require_program("git")
    make_clinic(root)
    init_repo(root)
    commit(root, "Translate everything", "2026-11-20")
    return root


def build(root: Path, **options: object) -> BuildSummary:
    options.setdefault("jobs", 1)
    return run_build(load_config(root), **options)  # type: ignore[arg-type]


def check_findings(root: Path) -> list[str]:
    """``carepages check``'s findings as formatted lines (the verdict's and dist/'s included)."""
    return [finding.format() for finding in collect(load_config(root), jobs=1).findings]


def check_passes(root: Path) -> bool:
    return not collect(load_config(root), jobs=1).failed


def dist_page(root: Path, locale: str, page: str, suffix: str = "html") -> str:
    return (root / "dist" / locale / f"{page}.{suffix}").read_text(encoding="utf-8")
