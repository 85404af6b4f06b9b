"""Writes that leave unchanged files alone, also when the content comes a piece at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepages.errors import CarepagesError
from carepages.fsutil import _read_bounded, read_input, write_chunks_if_changed, write_if_changed


def test_unchanged_content_leaves_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "file.json"
    assert write_chunks_if_changed(path, [b'{"format": 7}\n', b'{"locale": "de"}\n'])
    before = path.stat()
    assert not write_chunks_if_changed(path, iter([b'{"format": 7}\n{"loc', b'ale": "de"}\n']))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in path.parent.iterdir()] == ["file.json"]  # no temporary file left


def test_changed_content_replaces_the_file(tmp_path: Path) -> None:
    path = tmp_path / "file.json"
    write_if_changed(path, b"old\n")
    assert write_chunks_if_changed(path, [b"new", b"\n"])
    assert path.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]


def test_a_failing_producer_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    path = tmp_path / "file.json"
    write_if_changed(path, b"kept\n")

    def chunks() -> Iterator[bytes]:
        yield b"half"
        raise RuntimeError("the producer failed")

    with pytest.raises(RuntimeError, match="producer failed"):
        write_chunks_if_changed(path, chunks())
    assert path.read_bytes() == b"kept\n"
    assert [p.name for p in tmp_path.iterdir()] == ["file.json"]


@settings(max_examples=50, deadline=None)
@given(old=st.binary(max_size=64), new=st.lists(st.binary(max_size=16), max_size=6))
def test_the_file_holds_the_chunks_and_is_written_only_when_they_differ(
    tmp_path_factory: pytest.TempPathFactory, old: bytes, new: list[bytes]
) -> None:
    folder = tmp_path_factory.mktemp("chunks")
    path = folder / "file"
    write_if_changed(path, old)
    assert write_chunks_if_changed(path, new) == (b"".join(new) != old)
    assert path.read_bytes() == b"".join(new)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(0, 40), grown=st.integers(0, 40), most=st.integers(0, 60))
def test_a_bounded_read_returns_the_file_up_to_one_byte_past_the_limit(
    tmp_path_factory: pytest.TempPathFactory, size: int, grown: int, most: int
) -> None:
    """Measured at ``size`` bytes, the file has ``size + grown`` when read (it grew meanwhile): the read
    gives all of it, or ``most + 1`` bytes when that is less (the caller refuses a file over ``most``)."""
    path = tmp_path_factory.mktemp("read") / "file.po"
    content = bytes(range(65, 65 + size + grown))
    path.write_bytes(content)
    with path.open("rb") as handle:
        data = _read_bounded(handle, min(size, most), most)
    assert data == content[: most + 1]


def test_read_input_refuses_a_file_over_its_limit_and_reads_one_at_it(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_bytes(b"x" * 10)
    assert read_input(path, "page.md", tmp_path, (10, "a page"), CarepagesError) == b"x" * 10
    with pytest.raises(CarepagesError, match="more than the 9 bytes accepted for a page"):
        read_input(path, "page.md", tmp_path, (9, "a page"), CarepagesError)
