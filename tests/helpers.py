"""Small helpers shared by the tests: run the CLI in-process and capture what it says."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest

from carepages.cli import main


@dataclass
class Result:
    status: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    """Run ``carepages ARGV`` in-process; return its exit status and output."""
    status = main(list(argv))
    captured = capsys.readouterr()
    return Result(status, captured.out, captured.err)


def require_program(name: str) -> str:
    """The path of an external program, or skip the test when it is absent.

    CI sets ``CAREPAGES_REQUIRE_EXTERNAL=1`` after installing the programs, so there a
    missing program fails the test instead of skipping it silently.
    """
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CAREPAGES_REQUIRE_EXTERNAL"):
            pytest.fail(f"{name} is required in CI but not installed")
        pytest.skip(f"{name} is not installed")
    return path
