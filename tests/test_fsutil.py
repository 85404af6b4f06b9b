"""Writes that leave unchanged files alone, also when the content comes a piece at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carepages.fsutil import write_chunks_if_changed, write_if_changed


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
