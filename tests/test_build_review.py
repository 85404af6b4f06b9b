"""``locale/<lang>/review.toml``: valid files, the draft default, and bad values reported with file and line."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from carepages.builder import run_build
from carepages.cli import main
from carepages.config import load_config
from carepages.errors import CarepagesError
from carepages.review import Review, load_review, parse_review

DATA = Path(__file__).parent / "data" / "build"
BAD = sorted((DATA / "review" / "bad").glob("*.toml"))
EXPECT = re.compile(r"^# expect (\d+): (.*)$")


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_review_file_is_reported_with_file_line_and_problem(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = EXPECT.match(text.split("\n")[0])
    assert match, f"{path.name}: first line must be '# expect LINE: message'"
    with pytest.raises(CarepagesError) as caught:
        parse_review(text, "locale/de/review.toml")
    error = caught.value
    assert match.group(2) in error.message
    assert (str(error.path), error.line) == ("locale/de/review.toml", int(match.group(1)))
    assert error.hint


def test_reviewed_file_with_toml_or_text_date() -> None:
    toml_date = parse_review('status = "reviewed"\nreviewer = "Dr.  A.  Name"\nreviewed_on = 2026-11-20\n', "r.toml")
    text_date = parse_review('status = "reviewed"\nreviewer = "Dr. A. Name"\nreviewed_on = "2026-11-20"\n', "r.toml")
    assert toml_date == text_date == Review("reviewed", "Dr. A. Name", dt.date(2026, 11, 20))


def test_missing_or_empty_file_means_draft(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.carepages]\nlocales = ["de"]\n', encoding="utf-8")
    (tmp_path / "source").mkdir()
    config = load_config(tmp_path)
    assert load_review(config, "de") == Review("draft")
    assert parse_review("", "r.toml").is_draft


def test_a_bad_review_file_withholds_its_locale_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "clinic"
    shutil.copytree(DATA / "project", root)
    (root / "locale" / "ar" / "review.toml").write_text('status = "done"\n', encoding="utf-8")
    summary = run_build(load_config(root), jobs=1)
    assert "ar" not in summary.published and "de" in summary.published
    assert not (root / "dist" / "ar").exists()
    assert main(["--project", str(root), "build", "--strict", "-j", "1"]) == 1
    assert main(["--project", str(root), "check", "-l", "ar"]) == 1
    out = capsys.readouterr().out
    assert "locale/ar/review.toml:1: error: [review] status must be" in out
