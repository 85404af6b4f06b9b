"""The real-world fixture project, translated: the correct translations, the planted defects.

``tests/data/realworld/project`` is a small documentation project written the way
real ones are (nested folders, pages without front matter, ``<details>`` FAQs,
reference links, fences with options). ``translations/<lang>.yaml`` holds a correct
translation of every page into each shipped locale, written as a translator would
(reordered links, relabelled reference links, the locale's own number formats,
Arabic-Indic digits, full-width punctuation); the interface strings come from the
shipped catalogs of this repository. ``defects.yaml`` lists defects of every kind a
check looks for, each planted in one message, with the check codes that must
report it.

:func:`translated_project` makes the project in a folder (extract, update, translate),
:func:`plant` applies defects, and :func:`locate` says where each defect's message
stands in its catalog, so a test can compare the findings with the defects exactly.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from carepages.catalog_paths import find_catalogs, po_path
from carepages.catalogs import UI_DOMAIN, read_catalog, render_catalog
from carepages.config import Config, load_config
from carepages.extract import run_extract
from carepages.fsutil import write_if_changed
from carepages.update import run_update
from carepages.waivers import waivers_path

REPO = Path(__file__).resolve().parent.parent
REALWORLD = Path(__file__).parent / "data" / "realworld"
#: The shipped locales, in the configuration's order.
LOCALES = ("es", "fr", "de", "pt_BR", "ar", "zh_CN")


@dataclass(frozen=True)
class Defect:
    """One planted defect: which message of which catalog, what it becomes, which checks must say so."""

    name: str
    locale: str
    domain: str
    msgid: str
    expect: tuple[str, ...]
    translation: str | None = None  # None: keep the correct translation (with ``fuzzy``)
    fuzzy: bool = False
    comment: str = ""  # a translator comment to add (a reviewer's allowance)
    what: str = ""


def load_defects() -> list[Defect]:
    """Every defect of ``defects.yaml``, in file order."""
    data = yaml.safe_load((REALWORLD / "defects.yaml").read_text(encoding="utf-8"))
    return [
        Defect(
            name=item["name"],
            locale=item["locale"],
            domain=item["domain"],
            msgid=item["msgid"],
            expect=tuple(item["expect"]),
            translation=item.get("translation"),
            fuzzy=bool(item.get("fuzzy", False)),
            comment=item.get("comment", ""),
            what=item.get("what", ""),
        )
        for item in data
    ]


def translations(locale: str) -> dict[str, dict[str, str]]:
    """The correct translation of the fixture project into ``locale``: domain -> msgid -> msgstr."""
    data = yaml.safe_load((REALWORLD / "translations" / f"{locale}.yaml").read_text(encoding="utf-8"))
    return {domain: dict(messages) for domain, messages in data.items()}


def translated_project(root: Path) -> Config:
    """The fixture project in ``root``, extracted, updated and translated into every shipped locale.

    Two locales live in BCP 47 folders (``locale/pt-BR/``, ``locale/zh-CN/``), as a
    project that uses Weblate or Crowdin has them.
    """
    shutil.copytree(REALWORLD / "project", root)
    for folder in ("pt-BR", "zh-CN"):
        (root / "locale" / folder).mkdir(parents=True)
    config = load_config(root)
    run_extract(config)
    run_update(config)
    for locale in LOCALES:
        texts = translations(locale)
        texts[UI_DOMAIN] = _shipped_ui(locale)
        for domain, path in find_catalogs(config, locale).items():
            catalog = read_catalog(path, config.relative(path), locale)
            for message in catalog:
                if message.id:
                    message.string = texts[domain][message.id]
            write_if_changed(path, render_catalog(catalog, config.locations))
        # the reviewer's sign-off of the interface strings with safety meaning, as shipped with them
        shutil.copy(REPO / "locale" / locale / "waivers.toml", waivers_path(config, locale))
    return config


def _shipped_ui(locale: str) -> dict[str, str]:
    """The interface strings of this repository's own catalogs (the page templates are the same)."""
    path = REPO / "locale" / locale / "LC_MESSAGES" / "ui.po"
    return {str(m.id): str(m.string) for m in read_catalog(path, path.name, locale) if m.id}


def plant(config: Config, defects: list[Defect]) -> None:
    """Put each defect into its catalog (every other message keeps its correct translation)."""
    for defect in defects:
        path = po_path(config, defect.locale, defect.domain)
        catalog = read_catalog(path, config.relative(path), defect.locale)
        message = catalog[defect.msgid]
        if defect.translation is not None:
            message.string = defect.translation
        if defect.fuzzy:
            message.flags.add("fuzzy")
        if defect.comment:
            message.user_comments.append(defect.comment)
        write_if_changed(path, render_catalog(catalog, config.locations))


def locate(config: Config, defect: Defect) -> tuple[str, int]:
    """Where a defect's message stands: its catalog (relative to the project) and the msgid's line."""
    path = po_path(config, defect.locale, defect.domain)
    catalog = read_catalog(path, config.relative(path), defect.locale)
    return config.relative(path), catalog[defect.msgid].lineno or 0
