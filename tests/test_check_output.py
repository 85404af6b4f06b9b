"""What ``carepages check`` prints and returns: the four formats (golden files), exit statuses,
--strict, --list, allowed findings and usage errors.

To accept a deliberate change of output, regenerate the golden files::

    CAREPAGES_UPDATE_GOLDEN=1 scripts/test tests/test_check_output.py

which rewrites the changed files and fails, so that an update never passes unseen.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from check_helpers import DATA, check, make_clinic, write_dist
from helpers import run

from carepages.checks.registry import BY_CODE
from carepages.config import load_config
from carepages.errors import EXIT_FAILED, EXIT_OK
from carepages.fsutil import write_if_changed
from carepages.gate import run_check

GOLDEN = DATA / "golden"
FORMAT_FILES = {"text": "report.txt", "json": "report.json", "github": "report.github.txt", "junit": "report.junit.xml"}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_clinic(tmp_path_factory.mktemp("output") / "clinic")
    write_dist(root)
    return root


@pytest.fixture
def clinic(prepared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "clinic"
    shutil.copytree(prepared, root)
    monkeypatch.chdir(root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def flawed(clinic: Path) -> Path:
    """One error, one allowed finding, one warning and one built-output error, in three locales."""
    knee = clinic / "locale/de/LC_MESSAGES/knee.po"
    edit(knee, "2,5 Jahre", "25 Jahre")
    edit(knee, 'msgstr "Fragen Sie, wie viele Injektionen Sie brauchen."', 'msgstr "Ask how many injections you need."')
    edit(
        knee,
        "#. list item\n#: source/knee.md:12\n",
        '# allow: identical -- kept in English: 50% of readers, "as is"\n#. list item\n#: source/knee.md:12\n',
    )
    edit(clinic / "locale/ar/LC_MESSAGES/knee.po", "التي تحتاجها.", "التي تحتاجها")
    edit(clinic / "dist/zh_CN/knee.html", 'data-disclaimer="emergency"', 'data-note="emergency"')
    for suffix in ("html", "txt"):  # the numbers error withholds the German page: a build removes it
        (clinic / f"dist/de/knee.{suffix}").unlink()
    return clinic


@pytest.mark.parametrize("output", sorted(FORMAT_FILES))
def test_formats_match_the_golden_files(flawed: Path, output: str, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", "--format", output)
    assert result.status == EXIT_FAILED
    golden = GOLDEN / FORMAT_FILES[output]
    if os.environ.get("CAREPAGES_UPDATE_GOLDEN") and write_if_changed(golden, result.out.encode("utf-8")):
        pytest.fail(f"rewrote {golden.name}: review the diff, then run again without CAREPAGES_UPDATE_GOLDEN")
    assert golden.is_file(), f"no golden file {golden.name}: run with CAREPAGES_UPDATE_GOLDEN=1"
    assert result.out == golden.read_text(encoding="utf-8")


def test_output_is_deterministic(flawed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = {run(capsys, "check", "--format", "junit").out for _ in range(2)}
    assert len(outputs) == 1


def test_text_lines_are_gnu_style_with_po_line_numbers(flawed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "check").out
    assert "locale/de/LC_MESSAGES/knee.po:31: error: [numbers] numbers differ from the source: 2.5 changed to 25" in out
    assert "locale/ar/LC_MESSAGES/knee.po:46: warning: [punctuation]" in out
    assert "dist/zh_CN/knee.html: error: [built-disclaimer] disclaimer 'emergency' is missing" in out
    assert (
        "de: 0 of 1 page publishable: withheld knee (a translation error must be fixed first); review: draft (1 error, "
        in out
    )
    assert "ar: 1 of 1 page publishable; review: draft (0 errors, 1 warning, 0 allowed)" in out


def test_allowed_findings_are_shown_and_counted_never_silent(flawed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "check", "-l", "de").out
    line = next(line for line in out.splitlines() if "[identical]" in line)
    assert line.startswith("locale/de/LC_MESSAGES/knee.po:46: allowed: [identical] the translation is identical")
    assert line.endswith('(allowed: kept in English: 50% of readers, "as is")')
    data = json.loads(run(capsys, "check", "-l", "de", "--format", "json").out)
    allowed = [f for f in data["findings"] if f["severity"] == "allowed"]
    assert [f["allowed_reason"] for f in allowed] == ['kept in English: 50% of readers, "as is"']
    assert data["summary"]["de"]["allowed"] == 1


def test_warnings_pass_unless_strict(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(clinic / "locale/ar/LC_MESSAGES/knee.po", "التي تحتاجها.", "التي تحتاجها")
    relaxed = run(capsys, "check")
    assert relaxed.status == EXIT_OK
    assert "warning: [punctuation]" in relaxed.out
    strict = run(capsys, "check", "--strict")
    assert strict.status == EXIT_FAILED
    assert "error: [punctuation]" in strict.out
    assert "failed (strict: warnings count as errors)" in strict.out


def test_a_clean_project_exits_zero_in_every_format(clinic: Path) -> None:
    config = load_config(clinic)
    for output in FORMAT_FILES:
        stream = io.StringIO()
        assert run_check(config, None, output=output, stream=stream) == EXIT_OK
        assert stream.getvalue()


def test_locales_can_be_selected(flawed: Path) -> None:
    report = check(flawed, "ar")
    assert report.scopes == ("templates", "ar", "dist")
    assert {f.scope for f in report.findings} == {"ar", "dist"}  # the fixture edited a page of dist/ by hand


def test_an_unconfigured_locale_is_a_usage_error(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", "-l", "fr")
    assert result.status == 2
    assert "locale 'fr' is not configured" in result.err
    assert "Traceback" not in result.err


def test_a_broken_source_page_is_a_usage_error(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (clinic / "source" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    result = run(capsys, "check")
    assert result.status == 2
    assert "source/broken.md:2: error:" in result.err


def test_list_names_every_check(clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", "--list")
    assert result.status == EXIT_OK
    lines = result.out.splitlines()
    for code, registered in BY_CODE.items():
        line = next(line for line in lines if line.split()[:1] == [code])
        assert registered.severity in line and registered.explanation in line
    assert "# allow: CODE[, CODE...] -- reason" in result.out


def test_junit_has_one_case_per_check_and_locale(flawed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = etree.fromstring(run(capsys, "check", "--format", "junit").out.encode("utf-8"))
    suites = {suite.get("name"): suite for suite in root}
    assert list(suites) == [f"carepages check: {scope}" for scope in ("templates", "de", "ar", "zh_CN", "dist")]
    de = suites["carepages check: de"]
    failing = [case.get("name") for case in de if case.find("failure") is not None]
    assert failing == ["numbers"]
    assert int(root.get("failures", "0")) == 3  # numbers in de, built-disclaimer in zh_CN, manifest


def test_github_annotations(flawed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "check", "--format", "github").out
    assert "::error file=locale/de/LC_MESSAGES/knee.po,line=31,title=carepages [numbers]::numbers differ" in out
    assert "::notice file=locale/de/LC_MESSAGES/knee.po,line=46,title=carepages [identical]::allowed (kept" in out
    assert "50%25 of readers" in out  # '%' is escaped as GitHub requires
    assert "::error file=dist/zh_CN/knee.html,title=carepages [built-disclaimer]::" in out


def test_the_pre_commit_hook_runs_the_check_on_catalog_and_page_changes() -> None:
    import re

    import yaml

    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [hook for hook in hooks if hook["id"] == "carepages-check"]
    assert hook["entry"] == "carepages check --skip built --skip built-disclaimer --skip manifest --skip visible"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("locale/de/LC_MESSAGES/knee.po", "locale/templates/knee.pot", "source/a.md"))
    assert not any(files.search(p) for p in ("carepages/cli.py", "notes.mdx", "dist/de/knee.html"))
