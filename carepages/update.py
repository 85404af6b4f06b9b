"""``carepages update``: create each locale's catalogs and merge template changes into them.

Every catalog is read and merged before any is written, so a broken file stops the
run with its file and line and nothing half-done. A catalog whose content did not
change is left byte for byte as it was, even when another tool (Poedit, Weblate,
msgmerge) saved it with different line wrapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from carepages.catalogs import find_duplicates, merge, new_catalog, po_path, read_catalog, render_catalog
from carepages.config import Config
from carepages.errors import CarepagesError, CatalogError, raise_all
from carepages.extract import WriteSummary
from carepages.fsutil import safe_join, write_if_changed
from carepages.pages import PAGE_NAME


@dataclass(frozen=True)
class PlannedWrite:
    path: Path
    data: bytes
    existed: bool
    unchanged: bool


def read_templates(config: Config) -> dict[str, Catalog]:
    """Every template under ``locale/templates``, by domain, in name order."""
    folder = config.templates_dir
    if not folder.is_dir() or not any(folder.glob("*.pot")):
        raise CatalogError(
            "no templates found",
            path=config.relative(folder),
            hint="run 'carepages extract' first",
        )
    templates: dict[str, Catalog] = {}
    errors: list[CarepagesError] = []
    for path in sorted(folder.glob("*.pot")):
        if not PAGE_NAME.match(path.stem):
            errors.append(CatalogError("template name is not a valid domain", path=config.relative(path)))
            continue
        try:
            templates[path.stem] = read_catalog(path, config.relative(path))
        except CarepagesError as exc:
            errors.append(exc)
    raise_all(errors)
    return templates


def plan_catalog(config: Config, locale: str, domain: str, template: Catalog) -> PlannedWrite:
    """Work out the new content of one catalog without writing it."""
    path = safe_join(config.locale_dir, locale, "LC_MESSAGES", f"{domain}.po")
    assert path == po_path(config, locale, domain)
    if not path.exists():
        return PlannedWrite(path, render_catalog(new_catalog(template, locale), config.locations), False, False)
    old = read_catalog(path, config.relative(path), locale=locale)
    refuse_duplicates(path, config.relative(path))
    data = render_catalog(merge(old, template, locale), config.locations)
    # Same content in another tool's wrapping is not a change: compare as we would write it.
    unchanged = data == render_catalog(old, config.locations)
    return PlannedWrite(path, data, True, unchanged)


def refuse_duplicates(path: Path, rel: str) -> None:
    """Stop before a merge would silently keep only one of two entries with the same msgid."""
    duplicates = find_duplicates(path)
    if duplicates:
        line, msgid = duplicates[0]
        raise CatalogError(
            f"message {msgid[:60]!r} is defined twice ({len(duplicates)} duplicate(s) in this file)",
            path=rel,
            line=line,
            hint="keep the right translation in one entry and delete the other, then run update again",
        )


def run_update(config: Config, locales: list[str] | None = None) -> WriteSummary:
    """Create or merge the catalogs of ``locales`` (default: every configured locale)."""
    selected = config.select_locales(locales)
    templates = read_templates(config)
    plans: list[PlannedWrite] = []
    errors: list[CarepagesError] = []
    for locale in selected:
        for domain, template in templates.items():
            try:
                plans.append(plan_catalog(config, locale, domain, template))
            except CarepagesError as exc:
                errors.append(exc)
    raise_all(errors)
    summary = WriteSummary()
    for plan in plans:
        written = False if plan.unchanged else write_if_changed(plan.path, plan.data)
        summary.record(config.relative(plan.path), plan.existed, written)
    return summary
