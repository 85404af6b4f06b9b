"""Golden files that cannot be updated by accident.

``assert_golden(path, actual)`` compares with the file. With
``CAREPAGES_UPDATE_GOLDEN=1`` it rewrites every golden file that differs (or is
missing) and then fails that test, so an update run is never a green run: run once
with the variable, review the diff, run again without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UPDATE_VARIABLE = "CAREPAGES_UPDATE_GOLDEN"


def assert_golden(path: Path, actual: str) -> None:
    """``actual`` must equal the golden file at ``path`` (see the module doc for updating)."""
    expected = path.read_text(encoding="utf-8") if path.is_file() else None
    if os.environ.get(UPDATE_VARIABLE) and actual != expected:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        pytest.fail(f"{path} rewritten ({UPDATE_VARIABLE} is set): review the diff, then run the tests without it")
    assert expected is not None, f"no golden file {path}: run the tests once with {UPDATE_VARIABLE}=1"
    assert actual == expected, f"{path} differs: after an intended change run with {UPDATE_VARIABLE}=1"
