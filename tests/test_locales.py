"""Locale codes: BCP 47 (``pt-BR``) and POSIX (``pt_BR``) alike, one canonical form inside, one folder per locale."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run

from carepages.catalog_paths import po_path
from carepages.config import load_config
from carepages.errors import ConfigError
from carepages.locales import canonical_locale
from carepages.review import review_path


def configure(project: Path, locales: str, extra: str = "") -> None:
    (project / "pyproject.toml").write_text(f"[tool.carepages]\nlocales = {locales}\n{extra}", encoding="utf-8")


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("pt-BR", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("pt-br", "pt_BR"),
        ("PT_br", "pt_BR"),
        ("zh-Hant-TW", "zh_Hant_TW"),
        ("zh-hant-tw", "zh_Hant_TW"),
        ("zh_CN", "zh_CN"),  # the spelling changes, never the locale: no script is added
        ("es-419", "es_419"),
        ("sr-Latn", "sr_Latn"),
        ("de", "de"),
    ],
)
def test_every_spelling_has_one_canonical_form(code: str, canonical: str) -> None:
    assert canonical_locale(code) == canonical


@pytest.mark.parametrize("code", ["pt-BR_x", "pt--BR", "pt_", "p", "de\n", "../de", "dé", "pt-BR-"])
def test_what_is_no_locale_code(code: str) -> None:
    with pytest.raises(ValueError):
        canonical_locale(code)


def test_configuration_takes_either_form(project: Path) -> None:
    configure(project, '["pt-BR", "zh-Hant-TW", "de"]', 'source_language = "en-US"\n')
    config = load_config(project)
    assert config.locales == ("pt_BR", "zh_Hant_TW", "de")
    assert config.source_language == "en_US"


@pytest.mark.parametrize("locales", ['["pt-BR", "pt_BR"]', '["zh_CN", "zh-Hans-CN"]'])
def test_one_locale_listed_in_two_spellings_is_refused(project: Path, locales: str) -> None:
    configure(project, locales)
    with pytest.raises(ConfigError, match="lists a locale twice"):
        load_config(project)


def test_the_command_line_takes_either_form(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, '["pt_BR", "de"]')
    assert run(capsys, "extract").status == 0
    assert run(capsys, "update", "-l", "pt-BR").status == 0
    assert (project / "locale/pt_BR/LC_MESSAGES/sample.po").is_file()
    assert not (project / "locale/de").exists()
    config = load_config(project)
    assert config.select_locales(["pt-br", "de"]) == ["pt_BR", "de"]
    stats = run(capsys, "stats", "-l", "pt-BR", "--format", "json")
    assert stats.status == 0 and '"pt_BR"' in stats.out and '"de"' not in stats.out


def test_a_bcp47_folder_is_the_locale_s_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, '["pt_BR"]')
    (project / "locale" / "pt-BR").mkdir(parents=True)
    config = load_config(project)
    assert config.locale_folders == (("pt_BR", "pt-BR"),)
    assert (
        po_path(config, "pt_BR", "knee/exercises") == project.resolve() / "locale/pt-BR/LC_MESSAGES/knee/exercises.po"
    )
    assert review_path(config, "pt_BR") == project.resolve() / "locale/pt-BR/review.toml"
    assert run(capsys, "extract").status == 0
    assert run(capsys, "update").status == 0
    assert (project / "locale/pt-BR/LC_MESSAGES/sample.po").is_file()
    assert not (project / "locale/pt_BR").exists()


@pytest.mark.parametrize("folders", [("pt-BR", "pt_BR"), ("zh_CN", "zh_Hans_CN")])
def test_two_folders_for_one_locale_are_an_error(
    project: Path, folders: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, '["pt_BR", "zh_CN"]')
    for folder in folders:
        (project / "locale" / folder / "LC_MESSAGES").mkdir(parents=True)
    result = run(capsys, "stats")
    assert result.status == 2
    first, second = sorted(folders)
    assert result.err.startswith(f"locale: error: the locale folders {first!r} and {second!r} hold the same locale")


def test_folders_that_are_no_locale_are_not_locales(project: Path) -> None:
    for folder in ("templates", "notes", "xx_QQ"):
        (project / "locale" / folder).mkdir(parents=True)
    (project / "locale" / "README.md").write_text("notes\n", encoding="utf-8")
    assert load_config(project).locale_folders == ()


def test_a_folder_in_another_spelling_of_the_configured_locale_is_found(project: Path) -> None:
    configure(project, '["zh_CN"]')
    (project / "locale" / "zh-Hans-CN").mkdir(parents=True)
    config = load_config(project)
    assert config.locale_path("zh_CN") == project.resolve() / "locale/zh-Hans-CN"


def test_a_language_header_in_another_spelling_matches_its_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(project, '["pt_BR", "zh_CN"]')
    assert run(capsys, "extract").status == 0
    assert run(capsys, "update").status == 0
    for locale, header in (("pt_BR", "pt-BR"), ("zh_CN", "zh_Hans_CN")):
        path = project / "locale" / locale / "LC_MESSAGES" / "sample.po"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f'"Language: {locale}\\n"', f'"Language: {header}\\n"'), encoding="utf-8")
        assert f"Language: {header}" in path.read_text(encoding="utf-8")
    result = run(capsys, "check", "--skip", "built", "--skip", "built-disclaimer")
    assert "[language]" not in result.out
