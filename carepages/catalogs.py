"""Reading, writing and merging gettext catalogs: the only module that touches PO syntax.

Babel's :class:`~babel.messages.catalog.Catalog` is the one catalog model every
stage consumes; this module wraps Babel's PO reader and writer (and polib, for what
Babel does not report) once, turning their errors into :class:`CatalogError` with a
file and a 1-based line.

Merging uses Babel's own ``Catalog.update`` for exact and fuzzy matching, but runs it
once per *kind* of message (and per disclaimer), so a changed heading is only ever
guessed from another heading of the same page, never from a paragraph elsewhere.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polib
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from carepages.config import Config
from carepages.errors import CatalogError
from carepages.segments import Segment, disclaimer_of, kind_of

#: Fixed wrapping, so catalogs do not change shape with the tool that last saved them.
WIDTH = 76


def fixed_date() -> dt.datetime:
    """The header date written into new catalogs: ``SOURCE_DATE_EPOCH`` or the epoch.

    A real timestamp would change every catalog on every run; translators' tools
    set ``PO-Revision-Date`` themselves when a person saves a translation.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def read_catalog(path: Path, rel: str, locale: str | None = None) -> Catalog:
    """Read a PO or POT file strictly; any syntax problem is a :class:`CatalogError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path=rel) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            path=rel,
            line=line,
            hint="save the catalog as UTF-8 with 'charset=UTF-8' in its Content-Type header",
        ) from exc
    data = data.replace(b"\r\n", b"\n")
    _check_string_literals(data.decode("utf-8"), rel)
    try:
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        raise CatalogError(
            f"cannot parse: {exc.args[0].rsplit(' on ', 1)[0]}: {exc.line.strip()!r}",
            path=rel,
            line=exc.lineno + 1,
            hint="fix the PO syntax, or restore the file from version control",
        ) from exc
    except (ValueError, LookupError) as exc:
        raise CatalogError(f"cannot parse: {exc}", path=rel, hint="check the catalog's header") from exc


_KEYWORD_LINE = re.compile(r"^(?:#~\s*|#\|\s*|#~\|\s*)?(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(.*)$")
_CONTINUATION = re.compile(r"^(?:#~\s*|#\|\s*|#~\|\s*)?(\".*)$")
_STRING_LITERAL = re.compile(r'^"(?:[^"\\]|\\.)*"$')


def _check_string_literals(text: str, rel: str) -> None:
    """Reject malformed quoted strings, which Babel and polib both accept silently.

    Given ``msgstr "Knie`` (no closing quote) Babel drops the last character and
    polib keeps going, so a broken catalog would publish a corrupted translation.
    This only validates the quoting of string lines; parsing stays with Babel.
    """
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        match = _KEYWORD_LINE.match(stripped) or _CONTINUATION.match(stripped)
        if match and not _STRING_LITERAL.match(match.group(1).strip()):
            raise CatalogError(
                f"cannot parse: malformed quoted string {stripped!r}",
                path=rel,
                line=number,
                hint='every string must be in double quotes, with inner quotes written as \\"',
            )


def find_duplicates(path: Path) -> list[tuple[int, str]]:
    """Messages defined twice in one file, as ``(line, msgid)``: Babel silently keeps the last."""
    entries = polib.pofile(str(path), encoding="utf-8", wrapwidth=WIDTH)
    seen: set[tuple[str | None, str]] = set()
    duplicates: list[tuple[int, str]] = []
    for entry in entries:
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            duplicates.append((entry.linenum, entry.msgid))
        seen.add(key)
    return duplicates


def render_catalog(catalog: Catalog, locations: str = "full") -> bytes:
    """The exact bytes of a catalog as carepages writes it (Babel's writer, fixed width)."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=WIDTH,
        no_location=locations == "none",
        include_lineno=locations == "full",
        include_previous=True,
    )
    return buffer.getvalue()


def new_template(config: Config, domain: str, source_rel: str) -> Catalog:
    """An empty template with a stable header (no creation-date churn)."""
    return Catalog(
        domain=domain,
        header_comment=(
            f"# Translation template for {source_rel} ({config.project_name}).\n"
            f"# Written by 'carepages extract' from the source page: do not edit by hand."
        ),
        project=config.project_name,
        msgid_bugs_address=config.bugs_address or None,
        creation_date=fixed_date(),
        revision_date=fixed_date(),
        charset="utf-8",
        fuzzy=False,
    )


def add_segments(catalog: Catalog, segments: Iterable[Segment], source_rel: str) -> None:
    """Add each segment as a message; a repeated msgid gains a location, not a second entry."""
    for segment in segments:
        catalog.add(
            segment.msgid,
            locations=[(source_rel, segment.line)],
            auto_comments=segment.comments(),
        )


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


def _group(message: Message) -> tuple[str | None, str | None]:
    """Fuzzy guesses stay within one kind of message, and within one disclaimer."""
    comments = list(message.auto_comments)
    return kind_of(comments), disclaimer_of(comments)


Group = tuple[str | None, str | None]


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
    for new_messages, old_messages in _partition(old, template).values():
        part = Catalog(locale=locale, fuzzy=False)
        for message in old_messages:
            part[message.id] = message.clone()
        part_template = Catalog(locale=locale, fuzzy=False)
        for message in new_messages:
            part_template[message.id] = message
        part.update(part_template, update_creation_date=False)
        merged.update((m.id, m) for m in part if m.id)
        obsolete.update(part.obsolete)
    return merged, obsolete


def merge(old: Catalog, template: Catalog, locale: str) -> Catalog:
    """Bring ``old`` up to date with ``template``, losing no translation.

    Exact matches keep their translation; changed messages become fuzzy with the
    previous msgid kept (``#|``), guessed only within their own group; messages
    gone from the template stay as obsolete (``#~``); an obsolete message that
    comes back exactly is revived. Order follows the template, then the old file.
    """
    merged, newly_obsolete = _update_groups(old, template, locale)
    result = _empty_like(old, locale, old.header_comment)
    result.creation_date = template.creation_date
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


def po_path(config: Config, locale: str, domain: str) -> Path:
    """``locale/<lang>/LC_MESSAGES/<domain>.po``."""
    return config.locale_dir / locale / "LC_MESSAGES" / f"{domain}.po"


def pot_path(config: Config, domain: str) -> Path:
    """``locale/templates/<domain>.pot``."""
    return config.templates_dir / f"{domain}.pot"
