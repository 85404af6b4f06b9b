"""Reading and writing gettext catalogs: the only module that touches PO syntax.

Babel's :class:`~babel.messages.catalog.Catalog` is the one catalog model every
stage consumes. This module is the one boundary to the PO format: polib parses
(it reports syntax errors and keeps ``#|`` previous msgids, both of which Babel's
reader gets wrong), the result becomes a Babel catalog, and Babel's writer writes.
Every command reads through :func:`read_catalog`, so a file that one command
refuses, every command refuses, for the same reason and on the same line.

What GNU ``msgfmt -c`` rejects, :func:`read_catalog` rejects with a
:class:`CatalogError` naming the file and the 1-based line: a byte sequence that is
not UTF-8, a malformed quoted string or escape sequence, a stray ``msgstr``, a
message defined twice, and (stricter than msgfmt, because the build needs it) a
catalog without a ``Language`` header.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import polib
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize, write_po

from carepages import limits
from carepages.config import Config
from carepages.errors import CatalogError
from carepages.fsutil import read_input
from carepages.po_syntax import FIX_SYNTAX, check_nplurals, check_pairs, check_string_literals, cut

#: Fixed wrapping, so catalogs do not change shape with the tool that last saved them.
WIDTH = 76
# Babel wraps a line by splitting it with a regular expression whose cost grows with the square
# of each run of non-space characters: 30,000 characters of '![' in one translation take it
# 20 s. Past this many squared characters in a catalog it is written unwrapped (width 0), which
# loses nothing, so that `update` and `extract` stay quick on any catalog the reader accepts.
WRAP_BUDGET = 20_000_000
_RUN = re.compile(r"\S+")
#: The shared disclaimers, written once in the source and translated once per locale.
DISCLAIMERS_DOMAIN = "disclaimers"
#: The interface strings of the page templates (see :mod:`carepages.ui`).
UI_DOMAIN = "ui"
RESERVED_DOMAINS = frozenset({DISCLAIMERS_DOMAIN, UI_DOMAIN})
#: The catalogs every page shows besides its own (its translations count towards each page's review).
SHARED_DOMAINS = (DISCLAIMERS_DOMAIN, UI_DOMAIN)

BOM = b"\xef\xbb\xbf"


def fixed_date() -> dt.datetime:
    """The header date written into new catalogs: ``SOURCE_DATE_EPOCH`` or the epoch.

    A real timestamp would change every catalog on every run; translators' tools
    set ``PO-Revision-Date`` themselves when a person saves a translation.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else 0
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


# -- reading ----------------------------------------------------------------------------------


def read_catalog(path: Path, rel: str, locale: str | None = None, root: Path | None = None) -> Catalog:
    """Read a PO or POT file strictly; any problem is a :class:`CatalogError` with file and line.

    ``locale`` is the catalog's folder; the catalog's own ``Language`` header is what
    the returned catalog says (the ``language-header`` check compares the two). With ``root``
    (the project), a link that leads out of it is refused.
    """
    return read_catalog_text(path, rel, locale, root)[0]


def read_catalog_text(path: Path, rel: str, locale: str | None = None, root: Path | None = None) -> tuple[Catalog, str]:
    """:func:`read_catalog`, with the file's text (the checks look up header lines in it)."""
    return parse_catalog_text(decode_catalog(path, rel, root), rel, locale, path.suffix)


def read_catalog_data(data: bytes, rel: str) -> Catalog:
    """:func:`read_catalog` of a file's bytes as git holds them at a revision (:mod:`carepages.carryover`).

    The same strict parse, within the same size limit, but a missing ``Language``
    header is let pass: an old revision is read for its messages, not judged.
    """
    size, what = limits.CATALOG_FILE
    if len(data) > size:
        raise CatalogError(f"is more than the {size} bytes accepted for {what}", path=rel, hint="split it up")
    return parse_catalog_text(decode_catalog_data(data, rel), rel, None, "")[0]


def parse_catalog_text(text: str, rel: str, locale: str | None, suffix: str) -> tuple[Catalog, str]:
    """The strict parse of a catalog's decoded text (``suffix``: ``.po`` needs a ``Language`` header)."""
    check_string_literals(text, rel)
    check_nplurals(text, rel)
    check_pairs(text, rel)
    lines = text.split("\n")
    entries, msgid_lines = _parse(text, lines, rel)
    catalog = _to_babel(entries, msgid_lines, lines, locale, rel)
    if suffix == ".po" and not entries.metadata.get("Language", "").strip():
        raise CatalogError(
            "the header has no Language field",
            path=rel,
            line=_header_line(lines),
            hint=f"add the header line 'Language: {locale or 'xx'}' (the language code of the folder)",
            code="language-header",
        )
    return catalog, text


def decode_catalog(path: Path, rel: str, root: Path | None = None) -> str:
    """A catalog file's text: UTF-8 (a byte-order mark is dropped), with ``\\n`` line ends."""
    try:
        data = read_input(path, rel, root, limits.CATALOG_FILE, CatalogError)
    except FileNotFoundError as exc:
        raise CatalogError("cannot read: no such file", path=rel, hint="run carepages update") from exc
    return decode_catalog_data(data, rel)


def decode_catalog_data(data: bytes, rel: str) -> str:
    """:func:`decode_catalog` of bytes already read."""
    data = data.removeprefix(BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            path=rel,
            line=data[: exc.start].count(b"\n") + 1,
            hint="save the catalog as UTF-8 with 'charset=UTF-8' in its Content-Type header",
            code="encoding",
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and classic Mac line ends


def _parse(text: str, lines: list[str], rel: str) -> tuple[polib.POFile, list[int]]:
    """polib's parse, its syntax errors as :class:`CatalogError`; a repeated message is one too.

    Also the line of each entry's msgid, in the entries' order (``lines`` is the text's).
    """
    if not text.strip():
        raise CatalogError("the file is empty", path=rel, line=1, hint="restore the file from version control")
    try:
        entries = polib.pofile(text if "\n" in text else text + "\n", wrapwidth=WIDTH)
    except (OSError, ValueError, IndexError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise CatalogError(
            "cannot parse: " + _polib_problem(exc),
            path=rel,
            line=int(found.group(1)) if found else None,
            hint=FIX_SYNTAX,
        ) from exc
    return entries, _refuse_duplicates(entries, lines, rel)


def _polib_problem(exc: Exception) -> str:
    """polib's message without its own line suffix (the error names the line itself)."""
    return re.sub(r"\s*\(line \d+\)", "", str(exc)).strip() or type(exc).__name__


def _refuse_duplicates(entries: polib.POFile, lines: list[str], rel: str) -> list[int]:
    """A message defined twice: gettext tools silently keep one of the two translations.

    Returns the line of each entry's msgid, which the Babel catalog records too.
    """
    seen: dict[tuple[str | None, str, bool], int] = {}
    found: list[int] = []
    for entry in entries:
        key = (entry.msgctxt, entry.msgid, bool(entry.obsolete))
        line = _msgid_line(lines, entry)
        found.append(line)
        if key in seen:
            raise CatalogError(
                f"message {entry.msgid[:60]!r} is defined twice (first on line {seen[key]})",
                path=rel,
                line=line,
                hint="keep the right translation in one entry and delete the other",
                code="duplicate",
            )
        seen[key] = line
    return found


def _msgid_line(lines: list[str], entry: polib.POEntry) -> int:
    """The 1-based line of an entry's msgid (polib records where the entry's comments start)."""
    index = max(int(entry.linenum or 1) - 1, 0)
    while index < len(lines) and not lines[index].lstrip("#~ ").startswith("msgid"):
        index += 1
    return index + 1 if index < len(lines) else int(entry.linenum or 1)


def _header_line(lines: list[str]) -> int:
    """The line of the header entry (``msgid ""``), where a missing header field belongs."""
    return next((number for number, line in enumerate(lines, start=1) if line.startswith('msgid ""')), 1)


def _to_babel(entries: polib.POFile, msgid_lines: list[int], lines: list[str], locale: str | None, rel: str) -> Catalog:
    """The Babel catalog of polib's entries (their msgids on ``msgid_lines``): the header first.

    The header sets the Language and the plural rule.
    """
    catalog = Catalog(locale=locale, charset="utf-8", fuzzy=False)
    header = "".join(f"{key}: {value}\n" for key, value in entries.ordered_metadata())
    header_comments = entries.header.split("\n") if entries.header else []
    flags = {"fuzzy"} if entries.metadata_is_fuzzy else set()
    try:
        catalog[""] = Message("", header, flags=flags, user_comments=header_comments)
    except (ValueError, LookupError) as exc:  # an unknown Language, a date Babel cannot read
        raise CatalogError(
            f"cannot read the header: {cut(str(exc))}",
            path=rel,
            line=_header_line(lines),
            hint="check the Language, Plural-Forms and date fields of the header",
        ) from exc
    for entry, line in zip(entries, msgid_lines, strict=True):
        message = _message(entry, line)
        if entry.obsolete:
            catalog.obsolete[_key(message)] = message
        else:
            catalog[message.id] = message
    return catalog


def _key(message: Message) -> str | tuple[str, str]:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (msgid, message.context) if message.context is not None else msgid


def _message(entry: polib.POEntry, line: int) -> Message:
    """One polib entry as a Babel message, with the line of its msgid."""
    if entry.msgid_plural:
        msgid: str | tuple[str, str] = (entry.msgid, entry.msgid_plural)
        string: str | tuple[str, ...] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    else:
        msgid, string = entry.msgid, entry.msgstr
    previous = [entry.previous_msgid, *filter(None, [entry.previous_msgid_plural])] if entry.previous_msgid else []
    return Message(
        msgid,
        string,
        locations=[(name, int(where) if where.isdigit() else None) for name, where in entry.occurrences],  # type: ignore[misc]
        flags=set(entry.flags),
        auto_comments=entry.comment.split("\n") if entry.comment else [],
        user_comments=entry.tcomment.split("\n") if entry.tcomment else [],
        previous_id=previous,
        lineno=line,
        context=entry.msgctxt,
    )


# -- writing ----------------------------------------------------------------------------------


def render_catalog(catalog: Catalog, locations: str = "full") -> bytes:
    """The exact bytes of a catalog as carepages writes it (Babel's writer, fixed width).

    The previous msgids of fuzzy messages (``#|``) are written here, not by Babel: Babel
    wraps them as comment text, which cuts a long one's quoted string in two, and GNU
    msgfmt (and carepages) then reject the whole file.
    """
    buffer = io.BytesIO()
    width = wrap_width(catalog)
    write_po(
        buffer,
        catalog,
        width=width,
        no_location=locations == "none",
        include_lineno=locations == "full",
        include_previous=False,
    )
    return _with_previous(buffer.getvalue().decode("utf-8"), catalog, width).encode("utf-8")


def same_content(one: Catalog, other: Catalog) -> bool:
    """Whether :func:`render_catalog` would write the two catalogs the same, known without writing them.

    Everything the writer reads is compared: the header comment and fields, each
    active and obsolete message in order with its context, texts, flags, comments,
    locations and previous msgid. Line numbers of the messages in the file read
    (``lineno``) are not written, and are not compared. Rendering is most of what an
    update costs when a catalog has not changed; a False here only means rendering it.
    """
    if (one.header_comment, one.fuzzy, one.mime_headers) != (other.header_comment, other.fuzzy, other.mime_headers):
        return False
    return all(
        [_written(m) for m in mine] == [_written(m) for m in theirs]
        for mine, theirs in ((list(one), list(other)), (list(one.obsolete.values()), list(other.obsolete.values())))
    )


def _written(message: Message) -> tuple[object, ...]:
    """What the writer writes of a message (its line in the file read is not)."""
    return (
        message.id,
        message.string,
        message.context,
        sorted(message.flags),
        message.auto_comments,
        message.user_comments,
        message.locations,
        message.previous_id,
    )


def wrap_width(catalog: Catalog) -> int:
    """The line width to write ``catalog`` at: ``WIDTH``, or 0 (unwrapped) when wrapping would cost
    more than ``WRAP_BUDGET`` (see there): only a hostile or broken catalog gets that far."""
    cost = 0
    for message in catalog:
        for value in (message.id, message.string, message.previous_id):
            for text in [value] if isinstance(value, str) else value or ():
                cost += sum((run.end() - run.start()) ** 2 for run in _RUN.finditer(text or ""))
        if cost > WRAP_BUDGET:
            return 0
    return WIDTH


def _with_previous(text: str, catalog: Catalog, width: int = WIDTH) -> str:
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
                out[start:start] = _previous_lines(message.previous_id, width)
        out.append(line)
    return "\n".join(out)


def _previous_lines(previous: list[str] | tuple[str, ...], width: int = WIDTH) -> list[str]:
    """``#| msgid`` (and ``#| msgid_plural``) lines, each string quoted and wrapped as a msgid is."""
    lines = []
    for keyword, string in zip(("msgid", "msgid_plural"), previous, strict=False):
        first, *rest = normalize(string, width=width).split("\n")
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


def msgids(catalog: Catalog) -> set[object]:
    """The keys of a catalog's active messages: a msgid, or (msgid, context) for one with a context.

    Plural messages count by their msgid pair. Templates and catalogs are compared by
    these sets, never by bytes, so another tool's line wrapping is not a change.
    """
    found: set[object] = set()
    for message in catalog:
        if message.id:
            msgid = message.id if isinstance(message.id, str) else tuple(message.id)
            found.add(msgid if message.context is None else (msgid, message.context))
    return found
