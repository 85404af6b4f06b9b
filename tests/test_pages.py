"""Pages: optional front matter, the project's own fields, nested folders and what their names map to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from helpers import run
from hypothesis import example, given, settings
from hypothesis import strategies as st

from carepages import pages
from carepages.catalog_paths import find_catalogs, find_templates, po_path, pot_path
from carepages.config import load_config
from carepages.errors import CarepagesError, ConfigError
from carepages.extract import extract_sources


def write(project: Path, rel: str, text: str) -> Path:
    path = project / "source" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def configure(project: Path, extra: str) -> None:
    (project / "pyproject.toml").write_text(f'[tool.carepages]\nlocales = ["de"]\n{extra}', encoding="utf-8")


def page_of(project: Path, name: str):  # type: ignore[no-untyped-def]
    return next(m for m in extract_sources(load_config(project)).pages if m.page.name == name)


# -- front matter --------------------------------------------------------------------------


def test_a_page_without_front_matter_takes_its_first_heading_as_title(project: Path) -> None:
    write(project, "plain.md", "Intro words.\n\n## Knee *pain* explained\n\nText.\n\n# Later heading\n")
    messages = page_of(project, "plain")
    assert messages.page.meta.title == "Knee *pain* explained"
    assert messages.page.meta.title_from_heading
    assert messages.page.meta.line_of("title") == 3
    # The title is the heading's message, not a second one.
    assert [(s.msgid, s.kind) for s in messages.segments][:2] == [
        ("Intro words.", "paragraph"),
        ("Knee *pain* explained", "heading"),
    ]


def test_a_front_matter_title_is_its_own_message(project: Path) -> None:
    messages = page_of(project, "sample")
    assert not messages.page.meta.title_from_heading
    assert (messages.segments[0].msgid, messages.segments[0].kind) == ("Sample page", "page title")


def test_a_page_with_neither_title_nor_heading_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "untitled.md", "Just words.\n")
    result = run(capsys, "extract")
    assert result.status == 2
    assert "source/untitled.md:1: error: page has no title (start it with a '# heading'" in result.err


def test_unknown_fields_are_warnings_and_stay_out_of_the_catalog(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, "hip.md", "---\ntitle: Hip\nminutes: 5\ntitel: Hip pain\n---\n\nHip words.\n")
    result = run(capsys, "extract")
    assert result.status == 0
    assert result.err.splitlines() == [
        "source/hip.md:3: warning: [front-matter] unknown front-matter field 'minutes' is not translated "
        "(declare it in tool.carepages.front_matter (translated or ignored) to silence this)",
        "source/hip.md:4: warning: [front-matter] unknown front-matter field 'titel' is not translated "
        "(did you mean 'title'? declare it in tool.carepages.front_matter (translated or ignored) to silence this)",
    ]
    template = (project / "locale/templates/hip.pot").read_text(encoding="utf-8")
    assert "Hip pain" not in template and "minutes" not in template
    sources = extract_sources(load_config(project))
    assert [(w.path, w.line, w.severity, w.code) for w in sources.warnings] == [
        ("source/hip.md", 3, "warning", "front-matter"),
        ("source/hip.md", 4, "warning", "front-matter"),
    ]


def test_declared_fields_are_translated_or_ignored_without_a_warning(project: Path) -> None:
    configure(project, '[tool.carepages.front_matter]\ntranslated = ["subtitle"]\nignored = ["minutes", "tags"]\n')
    text = "---\ntitle: Hip\nsubtitle: What  to\n  expect\nminutes: 5\ntags: [a, b]\norder: 20\n---\n\nHip words.\n"
    write(project, "hip.md", text)
    sources = extract_sources(load_config(project))
    hip = next(m for m in sources.pages if m.page.name == "hip")
    assert sources.warnings == ()
    assert hip.page.meta.translated == (("subtitle", "What to expect"),)
    assert hip.page.meta.other == (("minutes", 5), ("tags", ["a", "b"]))
    assert hip.page.meta.order == 20
    field = next(s for s in hip.segments if s.kind == "page field")
    assert (field.msgid, field.line, field.comments()) == (
        "What to expect",
        3,
        ["page field", "front-matter field 'subtitle'"],
    )


def test_a_translated_field_must_be_text(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(project, '[tool.carepages.front_matter]\ntranslated = ["subtitle"]\n')
    write(project, "hip.md", "---\ntitle: Hip\nsubtitle: 5\n---\n\nWords.\n")
    result = run(capsys, "extract")
    assert "source/hip.md:3: error: front-matter field 'subtitle' must be text" in result.err


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('front_matter = ["x"]', "tool.carepages.front_matter: must be a table"),
        ("front_matter = {translate = []}", "tool.carepages.front_matter.translate: unknown key (did you mean"),
        ('front_matter = {ignored = "tags"}', "tool.carepages.front_matter.ignored: must be a list of field names"),
        ('front_matter = {ignored = ["title"]}', "'title' is a built-in field"),
        ('front_matter = {ignored = ["a b"]}', "'a b' is not a field name"),
        ('front_matter = {ignored = ["x", "x"]}', "lists a field twice"),
        ('front_matter = {ignored = ["x"], translated = ["x"]}', "'x' is declared both translated and ignored"),
    ],
)
def test_front_matter_configuration_is_validated(project: Path, table: str, message: str) -> None:
    configure(project, table + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(project)
    assert message in info.value.format()


# -- nested folders ------------------------------------------------------------------------


def test_a_nested_page_mirrors_its_path_everywhere(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(project, "knee/exercises.md", "# Knee exercises\n\nDo them daily.\n")
    write(project, "knee/ui.md", "# A page called ui, below a folder\n")
    config = load_config(project)
    messages = page_of(project, "knee/exercises")
    assert (messages.page.name, messages.page.domain, messages.page.output_stem) == ("knee/exercises",) * 3
    assert messages.domain == "knee/exercises"
    assert pot_path(config, "knee/exercises") == config.templates_dir / "knee" / "exercises.pot"
    assert po_path(config, "de", "knee/exercises") == config.locale_dir / "de/LC_MESSAGES/knee/exercises.po"
    assert run(capsys, "extract").status == 0
    assert set(find_templates(config)) == {"disclaimers", "knee/exercises", "knee/ui", "sample", "ui"}
    assert run(capsys, "update", "-l", "de").status == 0
    assert (project / "locale/de/LC_MESSAGES/knee/exercises.po").is_file()
    assert list(find_catalogs(config, "de")) == ["disclaimers", "knee/exercises", "knee/ui", "sample", "ui"]
    assert "#: source/knee/exercises.md:1" in pot_path(config, "knee/exercises").read_text(encoding="utf-8")


def test_a_removed_nested_page_takes_its_template_and_folder_along(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = write(project, "knee/deep/exercises.md", "# Knee exercises\n")
    run(capsys, "extract")
    page.unlink()
    result = run(capsys, "extract")
    assert "removed: locale/templates/knee/deep/exercises.pot" in result.out
    assert not (project / "locale/templates/knee").exists()


def test_names_starting_with_an_underscore_or_a_dot_are_not_pages(project: Path) -> None:
    write(project, "_partials/part.md", "# Partial\n")
    write(project, "knee/_draft.md", "# Draft\n")
    write(project, ".obsidian/notes.md", "# Notes\n")
    write(project, "knee/real.md", "# Real\n")
    names = [m.page.name for m in extract_sources(load_config(project)).pages]
    assert names == ["knee/real", "sample"]


def test_pages_come_in_name_order_folders_included(project: Path) -> None:
    for rel in ("b.md", "a/z.md", "a-b.md", "a/b/c.md"):
        write(project, rel, "# Title\n")
    names = [m.page.name for m in extract_sources(load_config(project)).pages]
    assert names == ["a/b/c", "a/z", "a-b", "b", "sample"]


@pytest.mark.parametrize("folder", ["Knee", "knee stuff", "knée"])
def test_a_folder_name_that_cannot_be_a_path_is_refused(
    project: Path, folder: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, f"{folder}/page.md", "# Title\n")
    result = run(capsys, "extract")
    assert result.status == 2
    assert result.err.startswith(f"source/{folder}: error: folder name {folder!r} is not allowed")


def test_a_folder_linking_outside_the_source_folder_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n", encoding="utf-8")
    os.symlink(outside, project / "source" / "linked")
    result = run(capsys, "extract")
    assert result.status == 2
    assert "source/linked: error: folder is a link to a folder outside the source folder" in result.err


def test_a_folder_linking_inside_the_source_folder_is_not_followed(project: Path) -> None:
    write(project, "knee/real.md", "# Real\n")
    os.symlink(project / "source" / "knee", project / "source" / "again")
    names = [m.page.name for m in extract_sources(load_config(project)).pages]
    assert names == ["knee/real", "sample"]


def test_a_nested_page_link_leading_outside_is_refused(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n", encoding="utf-8")
    (project / "source" / "knee").mkdir()
    os.symlink(secret, project / "source" / "knee" / "evil.md")
    with pytest.raises(CarepagesError) as info:
        extract_sources(load_config(project))
    assert "source/knee/evil.md: error: page is a link to a file outside the source folder" in info.value.format()


_KEYS = st.sampled_from(["title", "description", "order", "last_reviewed", "tags", "x y", "'quoted'", "a:b"])
_VALUES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(["[a, b]", "[unclosed", "{k: v}", "2026-01-31", "'single'", '"double \\n"', "- x", "&a x", "*a"]),
    st.integers(-5, 10**6).map(str),
)


@settings(max_examples=600, deadline=None)
@example([("title", "\t", "")])  # libyaml reads it (a null title), PyYAML refuses the tab
@given(st.lists(st.tuples(_KEYS, _VALUES, st.sampled_from(["", " ", "  ", "\t"])), max_size=5))
def test_front_matter_reads_as_pyyaml_s_own_parser_reads_it(lines: list[tuple[str, str, str]]) -> None:
    """The C loader is only a faster parse: the same values and key lines, and the same error (message and
    line) exactly when PyYAML's own parser has one. (libyaml accepts a tab where PyYAML refuses it: a block
    with a tab is read the strict way, which this test found.)"""
    block = "\n".join(f"{indent}{key}: {value}" for key, value, indent in lines)
    outcomes = []
    for loader in (pages.YAML_LOADER, yaml.SafeLoader):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pages, "YAML_LOADER", loader)
            try:
                data, where = pages._read_yaml(block, "p.md")
            except CarepagesError as exc:
                outcomes.append(("error", exc.message, exc.line))
            else:
                outcomes.append(("read", repr(data), where))
    assert outcomes[0] == outcomes[1]
