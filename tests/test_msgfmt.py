"""GNU gettext's own validator accepts every catalog the tool writes (and every shipped one)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import require_program, run

REPO = Path(__file__).resolve().parent.parent


def msgfmt(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_program("msgfmt"), "-c", "--check-format", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_written_templates_and_catalogs_pass_msgfmt(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "extract")
    run(capsys, "update")
    files = sorted((project / "locale").rglob("*.po*"))
    assert len(files) == 9
    for path in files:
        result = msgfmt(path)
        assert result.returncode == 0, f"{path}: {result.stderr}"


SHIPPED = sorted((REPO / "locale").rglob("*.po*"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(REPO).as_posix() for p in SHIPPED])
def test_shipped_catalogs_pass_msgfmt(path: Path) -> None:
    result = msgfmt(path)
    assert result.returncode == 0, result.stderr
