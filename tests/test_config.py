"""Configuration: defaults, validation and the project search."""

from __future__ import annotations

from pathlib import Path

import pytest

from carepages.config import load_config
from carepages.errors import ConfigError


def test_defaults_and_folders(project: Path) -> None:
    config = load_config(project)
    assert config.source_language == "en"
    assert config.locales == ("de", "ar")
    assert config.source_dir == project.resolve() / "source"
    assert config.templates_dir == project.resolve() / "locale" / "templates"
    assert config.publish_threshold == 80
    assert config.project_name == "fixture-clinic"


def test_nearest_pyproject_without_table_is_skipped(project: Path) -> None:
    inner = project / "sub"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "unrelated"\n', encoding="utf-8")
    assert load_config(inner).root == project.resolve()


def test_source_language_cannot_be_a_target(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.carepages]\nlocales = ["en", "de"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="source language"):
        load_config(project)


def test_invalid_toml_names_the_line(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.carepages]\nlocales = [\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(project)
    assert "invalid TOML" in info.value.message
    assert info.value.line is not None
