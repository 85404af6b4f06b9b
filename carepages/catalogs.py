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
from babel.messages.pofile import PoFileError, normalize, read_po, write_po

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
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # Windows and classic Mac line ends
    text = data.decode("utf-8")
    _check_string_literals(text, rel)
    _check_nplurals(text, rel)
    try:
        # Text, not bytes: Babel would decode by the header's charset, and a UTF-8 file (checked above)
        # whose header says ISO-8859-1 would publish "Ã¼" for "ü". The check reports the header.
        catalog = read_po(io.StringIO(text), locale=locale, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        raise CatalogError(
            f"cannot parse: {exc.args[0].rsplit(' on ', 1)[0]}: {exc.line.strip()!r}",
            path=rel,
            line=exc.lineno + 1,
            hint="fix the PO syntax, or restore the file from version control",
        ) from exc
    except (ValueError, LookupError) as exc:
        raise CatalogError(f"cannot parse: {exc}", path=rel, hint="check the catalog's header") from exc
    _restore_previous_ids(catalog, text)
    return catalog


def _restore_previous_ids(catalog: Catalog, text: str) -> None:
    """Give fuzzy messages back their previous msgids (``#|``), which Babel reads as comments.

    Babel keeps ``#|`` lines as translator comments (and drops repeated lines), so
    the next update would lose the previous source text translators rely on. polib
    reads them properly; it is only asked when the file has such lines.
    """
    if "\n#|" not in text:
        return
    previous = {
        (entry.msgctxt, entry.msgid): [entry.previous_msgid, *filter(None, [entry.previous_msgid_plural])]
        for entry in polib.pofile(text, wrapwidth=WIDTH)
        if entry.previous_msgid
    }
    for message in [*catalog, *catalog.obsolete.values()]:
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
        found = previous.get((message.context, msgid))
        if found:
            message.previous_id = found


_KEYWORD_LINE = re.compile(r"^(?:#~\s*|#\|\s*|#~\|\s*)?(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(.*)$")
_CONTINUATION = re.compile(r"^(?:#~\s*|#\|\s*|#~\|\s*)?(\".*)$")
_STRING_LITERAL = re.compile(r'^"(?:[^"\\]|\\.)*"$')

# A file made only of lines as PO writers lay them out: comments, and keyword or continuation
# lines whose string literal is well formed. Possessive (*+, ++), so it never backtracks.
_LITERAL = r'"(?:[^"\\\n]++|\\[^\n])*+"'
_KEYWORD = r"(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "
_LAID_OUT_LINE = rf"(?:#[^~|\n][^\n]*+|#|(?:#~ |#\| |#~\| )?(?:{_KEYWORD})?{_LITERAL}|)"
_WELL_FORMED = re.compile(rf"(?:{_LAID_OUT_LINE}\n)*+{_LAID_OUT_LINE}")


def _check_string_literals(text: str, rel: str) -> None:
    """Reject malformed quoted strings, which Babel and polib both accept silently.

    Given ``msgstr "Knie`` (no closing quote) Babel drops the last character and
    polib keeps going, so a broken catalog would publish a corrupted translation.
    This only validates the quoting of string lines; parsing stays with Babel.

    One regular expression accepts the usual layout of a whole file at once; only a
    file it does not accept (a broken one, or an unusual layout) is checked line by
    line, which took as long as parsing the file.
    """
    if not _WELL_FORMED.fullmatch(text):
        _check_each_line(text, rel)


def _check_each_line(text: str, rel: str) -> None:
    """:func:`_check_string_literals` one line at a time, naming the first malformed one."""
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


_NPLURALS = re.compile(r'"Plural-Forms:[^"\n]*?nplurals\s*=\s*([^;\s"\\]*)', re.IGNORECASE)


def _check_nplurals(text: str, rel: str) -> None:
    """Name the header line of a non-numeric ``nplurals``: Babel only fails at the next entry, vaguely."""
    match = _NPLURALS.search(text, max(text.find('"Plural-Forms:'), 0))
    if match and not match.group(1).isdigit():
        raise CatalogError(
            f"the Plural-Forms header's nplurals must be a number, not {match.group(1)!r}",
            path=rel,
            line=text.count("\n", 0, match.start()) + 1,
            hint="write the rule Babel has for the language, e.g. 'Plural-Forms: nplurals=2; plural=(n != 1);'",
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
    """The exact bytes of a catalog as carepages writes it (Babel's writer, fixed width).

    The previous msgids of fuzzy messages (``#|``) are written here, not by Babel: Babel
    wraps them as comment text, which cuts a long one's quoted string in two, and GNU
    msgfmt (and carepages) then reject the whole file.
    """
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=WIDTH,
        no_location=locations == "none",
        include_lineno=locations == "full",
        include_previous=False,
    )
    return _with_previous(buffer.getvalue().decode("utf-8"), catalog).encode("utf-8")


def _with_previous(text: str, catalog: Catalog) -> str:
    """Put each message's ``#| msgid`` lines right before its entry (its msgctxt or msgid line).

    Babel writes one ``msgid`` line per active message, in the catalog's order (the
    header first), so the n-th such line belongs to the n-th message.
    """
    messages = iter(catalog)
    out: list[str] = []
    for line in text.split("\n"):
        if line.startswith("msgid "):
            message = next(messages, None)
            if message is not None and message.previous_id:
                start = len(out)
                while start and (out[start - 1].startswith('"') or out[start - 1].startswith("msgctxt ")):
                    start -= 1
                out[start:start] = _previous_lines(message.previous_id)
        out.append(line)
    return "\n".join(out)


def _previous_lines(previous: list[str] | tuple[str, ...]) -> list[str]:
    """``#| msgid`` (and ``#| msgid_plural``) lines, each string quoted and wrapped as a msgid is."""
    lines = []
    for keyword, string in zip(("msgid", "msgid_plural"), previous, strict=False):
        first, *rest = normalize(string, width=WIDTH).split("\n")
        lines += [f"#| {keyword} {first}", *(f"#| {part}" for part in rest)]
    return lines


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
