"""``carepages update``: create each locale's catalogs and merge template changes into them.

Merging uses Babel's own ``Catalog.update`` for exact and fuzzy matching, but runs it
once per *kind* of message (and per disclaimer), so a changed heading is only ever
guessed from another heading of the same page, never from a paragraph elsewhere.

Every catalog is read and merged before any is written, so a broken file stops the
run with its file and line and nothing half-done. A catalog whose content did not
change is left byte for byte as it was, even when another tool (Poedit, Weblate,
msgmerge) saved it with different line wrapping. The header's ``Plural-Forms`` is
always the running Babel's rule for the language.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message

from carepages.catalog_paths import domain_file, find_templates, po_path
from carepages.catalogs import read_catalog, render_catalog, same_content
from carepages.config import Config
from carepages.errors import CarepagesError, CatalogError, raise_all
from carepages.fsutil import WriteSummary, safe_join, write_if_changed
from carepages.pages import PAGE_NAME
from carepages.parallel import STATE, Failure, Runner, chunked, default_jobs
from carepages.segments import disclaimer_of, kind_of
from carepages.update_memo import UpdateMemo

Group = tuple[str | None, str | None]


@dataclass(frozen=True)
class PlannedWrite:
    locale: str
    domain: str
    path: Path
    data: bytes
    existed: bool
    unchanged: bool
    #: Messages no longer fuzzy whose previous msgid (``#|``) the merge drops (a translator removed the flag by hand).
    normalised: int = 0


def template_paths(config: Config) -> dict[str, Path]:
    """Every template under ``locale/templates`` (nested ones included), by domain, in name order.

    Names are checked here, contents when a template is read.
    """
    found = find_templates(config)
    if not found:
        raise CatalogError(
            "no templates found",
            path=config.relative(config.templates_dir),
            hint="run 'carepages extract' first",
        )
    errors: list[CarepagesError] = []
    paths: dict[str, Path] = {}
    for domain, path in found.items():
        if all(PAGE_NAME.match(part) for part in domain.split("/")):
            paths[domain] = path
        else:
            errors.append(CatalogError("template name is not a valid domain", path=config.relative(path)))
    raise_all(errors)
    return paths


def read_templates(config: Config, domains: Iterable[str] | None = None) -> dict[str, Catalog]:
    """The templates under ``locale/templates`` (only ``domains``, if given), by domain, in name order."""
    paths = template_paths(config)
    wanted = paths if domains is None else {domain: paths[domain] for domain in paths if domain in set(domains)}
    templates: dict[str, Catalog] = {}
    errors: list[CarepagesError] = []
    for domain, path in wanted.items():
        try:
            templates[domain] = read_catalog(path, config.relative(path), root=config.root)
        except CarepagesError as exc:
            errors.append(exc)
    raise_all(errors)
    return templates


def new_catalog(template: Catalog, locale: str) -> Catalog:
    """A locale's first catalog for a template: every message untranslated."""
    language = Locale.parse(locale).english_name
    source = next((loc[0] for m in template for loc in m.locations), template.domain)
    comment = (
        f"# {language} translation of {source} ({template.project}).\n"
        "# Created by 'carepages update'; translate with any PO editor."
    )
    catalog = _empty_like(template, locale, comment)
    catalog.last_translator = "none yet"
    catalog.language_team = f"{language}"
    for message in template:
        if message.id:
            catalog[message.id] = message.clone()
    return catalog


def _empty_like(header_from: Catalog, locale: str, header_comment: str | None) -> Catalog:
    """A catalog with the header fields of ``header_from`` but Language and Plural-Forms from Babel."""
    return Catalog(
        locale=locale,
        domain=header_from.domain,
        header_comment=header_comment,
        project=header_from.project,
        version=header_from.version,
        copyright_holder=header_from.copyright_holder,
        msgid_bugs_address=header_from.msgid_bugs_address,
        creation_date=header_from.creation_date,
        revision_date=header_from.revision_date,
        last_translator=header_from.last_translator,
        language_team=header_from.language_team,
        charset="utf-8",
        fuzzy=False,
    )


def _group(message: Message) -> Group:
    """Fuzzy guesses stay within one kind of message, and within one disclaimer."""
    comments = list(message.auto_comments)
    return kind_of(comments), disclaimer_of(comments)


def _partition(old: Catalog, template: Catalog) -> dict[Group, tuple[list[Message], list[Message]]]:
    """Split template and old messages into groups; an exact match joins its template group."""
    template_group = {m.id: _group(m) for m in template if m.id}
    groups: dict[Group, tuple[list[Message], list[Message]]] = defaultdict(lambda: ([], []))
    for message in template:
        if message.id:
            groups[template_group[message.id]][0].append(message)
    revivable = [m for m in old.obsolete.values() if m.id in template_group]
    for message in [m for m in old if m.id] + revivable:
        groups[template_group.get(message.id) or _group(message)][1].append(message)
    return groups


def _update_groups(old: Catalog, template: Catalog, locale: str) -> tuple[dict[Any, Message], dict[Any, Message]]:
    """Run Babel's ``Catalog.update`` once per group; return (merged, newly obsolete)."""
    merged: dict[Any, Message] = {}
    obsolete: dict[Any, Message] = {}
    parsed = _parsed(locale) or locale  # what Babel's Catalog(locale=locale) parses: once, not twice per group
    for new_messages, old_messages in _partition(old, template).values():
        part = Catalog(locale=parsed, fuzzy=False)
        for message in old_messages:
            part[message.id] = message.clone()
        part_template = Catalog(locale=parsed, fuzzy=False)
        for message in new_messages:
            part_template[message.id] = message
        part.update(part_template, update_creation_date=False)
        # The update leaves the template's messages: looked up, not iterated (each iteration of a
        # catalog makes its header anew, dates formatted, which was a tenth of an update).
        merged.update((m.id, found) for m in new_messages if (found := part.get(m.id, m.context)) is not None)
        obsolete.update(part.obsolete)
    return merged, obsolete


@functools.cache
def _parsed(locale: str) -> Locale | None:
    """Babel's Locale for a catalog's locale code, parsed once per process (None when Babel does not know it).

    Only for the catalogs a merge makes and throws away: a Locale object names itself in
    Babel's canonical form (``zh_Hans_CN`` for ``zh_CN``), which a written header must not.
    """
    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError, LookupError):
        return None


def merge(old: Catalog, template: Catalog, locale: str) -> Catalog:
    """Bring ``old`` up to date with ``template``, losing no translation.

    Exact matches keep their translation; changed messages become fuzzy with the
    previous msgid kept (``#|``), guessed only within their own group; messages
    gone from the template stay as obsolete (``#~``); an obsolete message that
    comes back exactly is revived. Order follows the template, then the old file.
    A message that is no longer fuzzy loses its ``#|`` lines (as msgmerge does).
    """
    merged, newly_obsolete = _update_groups(old, template, locale)
    result = _merged_header(old, template, locale)
    # Babel forgets the previous msgid of a message that is still fuzzy on the next run.
    previous = {m.id: m.previous_id for m in old if m.id and m.previous_id}
    template_ids = set()
    for message in template:
        if not message.id:
            continue
        template_ids.add(message.id)
        item = merged[message.id]
        if item.fuzzy and not item.previous_id:
            item.previous_id = previous.get(message.id, [])
        if not item.fuzzy:
            item.previous_id = []
        result[message.id] = item
    for key, message in [*newly_obsolete.items(), *old.obsolete.items()]:
        if key not in template_ids and key not in result.obsolete:
            result.obsolete[key] = message
    return result


def _merged_header(old: Catalog, template: Catalog, locale: str) -> Catalog:
    """The merge's catalog before any message: ``old``'s header, Babel's Language and Plural-Forms, the
    template's date."""
    result = _empty_like(old, locale, old.header_comment)
    result.creation_date = template.creation_date
    return result


def merge_keeps(old: Catalog, template: Catalog, locale: str) -> bool:
    """Whether :func:`merge` would give back ``old`` as it is (:func:`same_content`), known without merging.

    The common case, a template unchanged since the last update, costs a third of an
    update when merged (Babel clones every message, once per group). It is the identity
    when every template message has its exact match, in the same order, carrying the
    template's comments and locations, and nothing is left over to become obsolete or to
    be revived. Catalogs with contexts or plural forms, where Babel's update adds rules
    of its own, are always merged. A ``False`` only means merging: ``tests/test_update.py``
    checks by property that a ``True`` is never wrong.
    """
    messages = [m for m in old if m.id]
    wanted = [m for m in template if m.id]
    if len(messages) != len(wanted):
        return False
    ids = {m.id for m in wanted}
    if len(ids) != len(wanted) or any(m.id in ids for m in old.obsolete.values()):
        return False
    if not all(map(_kept_as_is, messages, wanted)):
        return False
    header = _merged_header(old, template, locale)
    return (header.header_comment, header.fuzzy, header.mime_headers) == (
        old.header_comment,
        old.fuzzy,
        old.mime_headers,
    )


def _kept_as_is(mine: Message, new: Message) -> bool:
    """Whether Babel's exact match of ``new`` with ``mine``, as :func:`merge` finishes it, is ``mine`` again."""
    if not (isinstance(new.id, str) and isinstance(mine.string, str)) or mine.context or new.context:
        return False
    fuzzy = "fuzzy" in mine.flags or "fuzzy" in new.flags
    previous = (new.previous_id or mine.previous_id) if fuzzy else []
    comments = list(dict.fromkeys(mine.user_comments)) if mine.user_comments else new.user_comments
    return (
        mine.id == new.id
        and new.flags <= mine.flags
        and new.auto_comments == mine.auto_comments
        and new.locations == mine.locations
        and comments == mine.user_comments
        and previous == mine.previous_id
    )


def plan_catalog(config: Config, locale: str, domain: str, template: Catalog) -> PlannedWrite:
    """Work out the new content of one catalog without writing it."""
    path = safe_join(config.locale_dir, config.locale_folder(locale), "LC_MESSAGES", *domain_file(domain, ".po").parts)
    assert path == po_path(config, locale, domain)
    if not path.exists():
        data = render_catalog(new_catalog(template, locale), config.locations)
        return PlannedWrite(locale, domain, path, data, False, False)
    old = read_catalog(path, config.relative(path), locale=locale, root=config.root)
    if merge_keeps(old, template, locale):
        return PlannedWrite(locale, domain, path, b"", True, True)
    merged = merge(old, template, locale)
    if same_content(merged, old):  # it would be written as the file read is written: nothing to render
        return PlannedWrite(locale, domain, path, b"", True, True)
    data = render_catalog(merged, config.locations)
    # Same content in another tool's wrapping is not a change: compare as we would write it
    # (when the file holds exactly what we would write, there is nothing to render to know it).
    unchanged = data == path.read_bytes() or data == render_catalog(old, config.locations)
    normalised = 0 if unchanged else unfuzzied_with_previous(old, template)
    return PlannedWrite(locale, domain, path, data, True, unchanged, normalised)


def unfuzzied_with_previous(old: Catalog, template: Catalog) -> int:
    """Messages whose fuzzy flag was removed by hand but whose ``#|`` lines were left: the merge drops those lines.

    As msgmerge does: a previous msgid only means something next to a fuzzy flag. The
    count is reported, so that a CI step that fails on changed catalogs says why.
    """
    wanted = {message.id for message in template if message.id}
    return sum(1 for m in old if m.id in wanted and m.previous_id and not m.fuzzy)


#: Catalogs to plan before a second process pays for itself (each takes a few milliseconds).
PARALLEL_FROM = 100


def plan_all(
    config: Config, templates: dict[str, Catalog], todo: list[tuple[str, str]], jobs: int | None = None
) -> list[PlannedWrite]:
    """Each catalog's :func:`plan_catalog`; every error of every catalog raised together, in ``todo``'s order."""
    workers = (jobs or default_jobs()) if len(todo) >= PARALLEL_FROM else 1
    batches = list(enumerate(chunked(todo, len(todo), workers)))
    with Runner(workers, _init_planner, (config, templates)) as runner:
        done = sorted(runner.run(_plan_batch, batches), key=lambda result: result[0])
    raise_all([error for _, _, failures in done for failure in failures for error in failure.exceptions()])
    return [plan for _, plans, _ in done for plan in plans]


def _init_planner(config: Config, templates: dict[str, Catalog]) -> None:
    STATE.clear()
    STATE.update(config=config, templates=templates)


def _plan_batch(batch: tuple[int, list[tuple[str, str]]]) -> tuple[int, list[PlannedWrite], list[Failure]]:
    """A pool task: plan some catalogs; their input errors come back as data, to be raised in order."""
    index, todo = batch
    config, templates = STATE["config"], STATE["templates"]
    plans: list[PlannedWrite] = []
    failures: list[Failure] = []
    for locale, domain in todo:
        try:
            plans.append(plan_catalog(config, locale, domain, templates[domain]))
        except CarepagesError as exc:
            failures.append(Failure.of(exc))
    return index, plans, failures


def run_update(config: Config, locales: list[str] | None = None, jobs: int | None = None) -> WriteSummary:
    """Create or merge the catalogs of ``locales`` (default: every configured locale).

    A catalog whose template and content are byte for byte those the last update left
    (:class:`~carepages.update_memo.UpdateMemo`) is not read at all: merging it again
    would give it back unchanged, so only what changed since costs anything. The others
    are read and merged by ``jobs`` processes (default: the idle cores) when there are
    enough of them to share; every file is written here, in one order, after all are planned.
    """
    selected = config.select_locales(locales)
    paths = template_paths(config)
    memo = UpdateMemo(config, paths)
    todo = [(locale, domain) for locale in selected for domain in paths if not memo.current(locale, domain)]
    templates = read_templates(config, {domain for _, domain in todo})
    planned = {(plan.locale, plan.domain): plan for plan in plan_all(config, templates, todo, jobs)}
    summary = WriteSummary()
    for key in ((locale, domain) for locale in selected for domain in paths):
        plan = planned.get(key)
        if plan is None:  # as the last update left it
            summary.record(config.relative(po_path(config, *key)), True, False)
            continue
        written = False if plan.unchanged else write_if_changed(plan.path, plan.data)
        summary.record(config.relative(plan.path), plan.existed, written)
        if written and plan.normalised:
            summary.normalised.append(
                f"{config.relative(plan.path)}: removed the previous English text (#|) of {plan.normalised} "
                f"message{'s' if plan.normalised != 1 else ''} no longer marked fuzzy (as msgmerge does): "
                "commit the catalog as update wrote it"
            )
    memo.save(todo)
    return summary
