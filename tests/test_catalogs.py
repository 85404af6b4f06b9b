"""The one catalog reader and writer: what msgfmt -c refuses is refused, and what is written reads back the same."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from hypothesis import given, settings
from hypothesis import strategies as st

from carepages.catalogs import WIDTH, read_catalog, render_catalog, same_content, wrap_width
from carepages.errors import CatalogError

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n\n'
ENTRY = '#. paragraph\n#: source/knee.md:3\nmsgid "Knee"\nmsgstr "Knie"\n'


def read(tmp_path: Path, text: str, name: str = "knee.po") -> Catalog:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_catalog(path, name, "de")


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        (HEADER + ENTRY + '\nmsgstr "stray"\n', "parse", 11),
        (HEADER + ENTRY + '\nmsgid "Dangling"\n', "parse", 11),
        (HEADER + 'msgid "A"\n\nmsgid "B"\nmsgstr "b"\n', "parse", 6),
        (HEADER + ENTRY.replace('"Knie"', '"Kn\\qie"'), "parse", 9),
        (HEADER + ENTRY.replace('"Knie"', '"Knie'), "parse", 9),
        (HEADER + ENTRY + "\n" + ENTRY.replace("Knie", "Noch ein Knie"), "duplicate", 13),
        (HEADER.replace('"Language: de\\n"\n', "") + ENTRY, "language-header", 1),
        (b"\xef\xbb\xbf".decode() + HEADER + ENTRY.replace("Knie", "Kn\udcfcie"), "encoding", 9),
        ("", "parse", 1),
    ],
    ids=["stray-msgstr", "msgid-at-end", "msgid-without-msgstr", "bad-escape", "unterminated", "duplicate",
         "no-language", "not-utf8", "empty"],
)  # fmt: skip
def test_what_msgfmt_refuses_is_refused_with_code_and_line(tmp_path: Path, text: str, code: str, line: int) -> None:
    path = tmp_path / "knee.po"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "knee.po", "de")
    assert (caught.value.code, caught.value.line) == (code, line), caught.value.format()
    assert "knee.po:" in caught.value.format()


def test_a_template_needs_no_language_and_a_context_entry_stays_apart(tmp_path: Path) -> None:
    template = read(tmp_path, HEADER.replace('"Language: de\\n"\n', "") + ENTRY, "knee.pot")
    assert [m.id for m in template if m.id] == ["Knee"]
    catalog = read(tmp_path, HEADER + ENTRY + '\nmsgctxt "x"\nmsgid "Knee"\nmsgstr "Planted"\n')
    assert catalog.get("Knee").string == "Knie"  # a context entry never answers a lookup by msgid
    assert catalog.get("Knee", context="x").string == "Planted"
    assert catalog.get("Knee").lineno == 8  # the line of the msgid, for findings


TEXT = st.text(alphabet=string.ascii_letters + ' "\\\t\n.,:%#é中ع', min_size=1, max_size=90).filter(str.strip)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    catalog = Catalog(locale="de", fuzzy=False, charset="utf-8")
    for index, msgid in enumerate(draw(st.lists(TEXT, min_size=1, max_size=6, unique=True))):
        fuzzy = draw(st.booleans())
        previous = [draw(TEXT)] if fuzzy and draw(st.booleans()) else []
        catalog[msgid] = Message(
            msgid,
            draw(st.one_of(st.just(""), TEXT)),
            locations=[(f"source/p{index}.md", index + 1)],
            flags={"fuzzy"} if fuzzy else set(),
            auto_comments=["paragraph", *draw(st.lists(st.sampled_from(["disclaimer: advice", "a note"]), max_size=1))],
            user_comments=draw(st.lists(st.sampled_from(["allow: numbers -- local", "checked"]), max_size=1)),
            previous_id=previous,
        )
    for msgid in draw(st.lists(TEXT, max_size=2, unique=True)):
        if msgid not in catalog:
            catalog.obsolete[msgid] = Message(msgid, draw(TEXT))
    return catalog


def fields(message: Message) -> tuple[object, ...]:
    return (
        message.id,
        message.string,
        message.fuzzy,
        list(message.previous_id),
        list(message.auto_comments),
        list(message.user_comments),
        list(message.locations),
    )


@settings(max_examples=60, deadline=None)
@given(catalogs())
def test_what_the_writer_writes_reads_back_the_same_previous_msgids_included(catalog: Catalog) -> None:
    """Babel's writer wraps ``#|`` lines as comments and cuts long quoted strings in two; ours does not."""
    import tempfile

    data = render_catalog(catalog)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.po"
        path.write_bytes(data)
        again = read_catalog(path, "x.po", "de")
    assert [fields(m) for m in again if m.id] == [fields(m) for m in catalog if m.id]
    assert sorted(again.obsolete) == sorted(catalog.obsolete)
    assert render_catalog(again) == data


def test_a_catalog_too_costly_to_wrap_is_written_unwrapped_and_reads_back(tmp_path: Path) -> None:
    """Babel's wrapping is quadratic in a run of non-space characters: a hostile translation
    would stall update and extract for minutes, so such a catalog is written at width 0."""
    hostile = "![" * 15000
    catalog = Catalog(locale="de", fuzzy=False)
    catalog.add("Ask how many injections you need.", "Fragen Sie, wie viele Spritzen Sie brauchen.")
    catalog.add("A long paragraph " * 20, "Ein langer Absatz " * 20)
    assert wrap_width(catalog) == WIDTH
    wrapped = render_catalog(catalog).decode("utf-8")
    assert max(len(line) for line in wrapped.splitlines()) <= WIDTH + 2

    catalog.add("Hostile", hostile)
    assert wrap_width(catalog) == 0
    text = render_catalog(catalog).decode("utf-8")
    assert f'msgstr "{hostile}"' in text
    path = tmp_path / "knee.po"
    path.write_text(text, encoding="utf-8")
    read = read_catalog(path, "knee.po", "de")
    assert read["Hostile"].string == hostile
    assert read["A long paragraph " * 20].string == "Ein langer Absatz " * 20


def _edited(catalog: Catalog, edit: str, value: str) -> Catalog:
    """A copy of ``catalog`` with one thing the writer writes changed (or, for "none", nothing)."""
    import copy

    other = copy.deepcopy(catalog)
    first = next(m for m in other if m.id)
    if edit == "string":
        first.string = value
    elif edit == "flag":
        first.flags ^= {"fuzzy"}
    elif edit == "previous":
        first.previous_id = [value]
    elif edit == "comment":
        first.user_comments = [*first.user_comments, value.replace("\n", " ")]
    elif edit == "location":
        first.locations = [("source/elsewhere.md", 7)]
    elif edit == "lineno":
        first.lineno = 999  # where it was read: not written
    elif edit == "obsolete":
        other.obsolete[value + " (gone)"] = Message(value + " (gone)", value)
    elif edit == "header":
        other.fuzzy = not other.fuzzy
    return other


@settings(max_examples=80, deadline=None)
@given(
    catalogs(),
    st.sampled_from(["none", "string", "flag", "previous", "comment", "location", "lineno", "obsolete", "header"]),
    TEXT,
)
def test_same_content_says_same_only_when_the_writer_writes_the_same(catalog: Catalog, edit: str, value: str) -> None:
    """``update`` skips writing a catalog out when :func:`same_content` holds: it must never hide a change."""
    other = _edited(catalog, edit, value)
    same = same_content(catalog, other)
    if same:
        assert render_catalog(catalog) == render_catalog(other)
    if edit in ("none", "lineno"):
        assert same
