"""An assessment that keeps the unchanged pages of the last one decides what a full assessment decides.

:mod:`carepages.incremental` lets a locale's assessment render and check only the
pages whose inputs changed. These tests show that it does skip the others (an edit to
one catalog renders one page of one locale), and, over random sequences of the edits
translators and authors make (a changed number, a text repeated on two pages translated
differently, a fuzzy flag, an emptied translation, a translator's allowance, an edited
source page, a sentence of another page added to a page, an edited shared disclaimer),
that a build and check which keep their work publish the same bytes, report the same
findings and reach the same verdicts as a build and check from scratch.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import fill_every_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carepages import assess
from carepages.builder import run_build
from carepages.builder.cache import (
    cache_file,
    fetch,
    fetch_findings,
    findings_file,
    read_cache,
    rows_file,
    stash,
    write_cache,
)
from carepages.catalog_paths import po_path
from carepages.catalogs import read_catalog, render_catalog
from carepages.checks import context
from carepages.checks.model import Finding
from carepages.config import load_config
from carepages.errors import Problem, Severity
from carepages.extract import run_extract
from carepages.gate import collect
from carepages.markdown_ext import PageParser
from carepages.update import run_update

pytestmark = pytest.mark.usefixtures("pseudo_translations")

PAGES = ("alpha", "beta", "gamma")
LOCALES = ("de", "ar")
REPEATED = "Ask your doctor what the treatment costs in total."


def page_text(name: str) -> str:
    own = f"<!-- disclaimer: {name}-note -->\nThe {name} page cannot promise any result.\n\n" if name != "beta" else ""
    return (
        textwrap.dedent(f"""\
        # The {name} page

        The {name} treatment is still being studied in 3 trials, see [the register](https://example.org/{name}).

        ## What to ask

        {REPEATED}

        - Is it approved here?
        - How long does recovery take after {len(name)} weeks?

        """)
        + own
    )


def make_project(root: Path) -> None:
    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "incremental"\n\n[tool.carepages]\nlocales = ["de", "ar"]\nhandouts = false\n',
        encoding="utf-8",
    )
    disclaimers = "<!-- disclaimer: not-advice -->\nThese pages are not medical advice.\n"
    (root / "source" / "_disclaimers.md").write_text(disclaimers, encoding="utf-8")
    for name in PAGES:
        (root / "source" / f"{name}.md").write_text(page_text(name), encoding="utf-8")
    config = load_config(root)
    run_extract(config)
    run_update(config)
    fill_every_catalog(root)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "project"
    make_project(root)
    return root


# -- the edits ----------------------------------------------------------------------------------


def change_message(
    root: Path, locale: str, domain: str, pick: Callable[[str], bool], change: Callable[..., None]
) -> None:
    config = load_config(root)
    path = po_path(config, locale, domain)
    catalog = read_catalog(path, config.relative(path), locale)
    for message in catalog:
        if message.id and isinstance(message.id, str) and pick(message.id):
            change(message)
            break
    path.write_bytes(render_catalog(catalog, config.locations))


def _set(**values: object) -> Callable[..., None]:
    def apply(message: object) -> None:
        for name, value in values.items():
            if name == "fuzzy":
                flags = message.flags  # type: ignore[attr-defined]
                (flags.add if value else flags.discard)("fuzzy")
                message.previous_id = [] if not value else message.previous_id  # type: ignore[attr-defined]
            else:
                setattr(message, name, value)

    return apply


def edit(kind: str, locale: str, page: str) -> Callable[[Path], None]:
    """One edit a translator or an author makes, to one page in one locale."""

    def apply(root: Path) -> None:
        if kind == "number":
            change_message(root, locale, page, lambda m: "3 trials" in m, _set(string=f"[{locale}] 4 trials"))
        elif kind == "repeated":  # the same source text, another translation on this page: consistency
            change_message(root, locale, page, lambda m: m == REPEATED, _set(string=f"[{locale}] Frag nach {page}."))
        elif kind == "fuzzy":
            change_message(root, locale, page, lambda m: m.startswith("Is it"), _set(fuzzy=True))
        elif kind == "empty":
            change_message(root, locale, page, lambda m: m.startswith("How long"), _set(string=""))
        elif kind == "allow":
            reason = ["allow: consistency -- the page needs its own words"]
            change_message(root, locale, page, lambda m: m == REPEATED, _set(user_comments=reason))
        elif kind == "disclaimer":
            change_message(root, locale, "disclaimers", lambda m: True, _set(string=f"[{locale}] 5 Hinweise."))
        elif kind == "borrow":  # a sentence of the next page, translated otherwise: newly repeated across pages
            other = PAGES[(PAGES.index(page) + 1) % len(PAGES)]
            sentence = f"The {other} treatment is still being studied in 3 trials"
            path = root / "source" / f"{page}.md"
            text = path.read_text(encoding="utf-8")
            borrowed = next(line for line in page_text(other).splitlines() if line.startswith(sentence))
            if borrowed not in text:
                path.write_text(text + f"\n{borrowed}\n", encoding="utf-8")
                config = load_config(root)
                run_extract(config)
                run_update(config)
            change_message(
                root, locale, page, lambda m: m == borrowed, _set(string=f"[{locale}] 3 trials, {page}", fuzzy=False)
            )
        elif kind == "source":
            path = root / "source" / f"{page}.md"
            path.write_text(path.read_text(encoding="utf-8") + f"\nA paragraph added in {locale}.\n", "utf-8")
            config = load_config(root)
            run_extract(config)
            run_update(config)

    return apply


KINDS = ("number", "repeated", "fuzzy", "empty", "allow", "disclaimer", "borrow", "source")
edits = st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(LOCALES), st.sampled_from(PAGES)), max_size=4)


def outcome(root: Path) -> tuple[dict[str, bytes], list[str], object]:
    config = load_config(root)
    run_build(config, jobs=1)
    report = collect(config, jobs=1)
    dist = root / "dist"
    files = {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    return files, [finding.format() for finding in report.findings], report.verdicts


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=edits)
def test_kept_work_decides_what_fresh_work_decides(
    steps: list[tuple[str, str, str]], template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
    kept, fresh = base / "kept", base / "fresh"
    shutil.copytree(template, kept)
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(base / "cache-kept"))
    outcome(kept)  # the work to keep
    for number, (kind, locale, page) in enumerate(steps):
        edit(kind, locale, page)(kept)
        monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(base / "cache-kept"))
        with_kept = outcome(kept)
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(kept, fresh)
        shutil.rmtree(fresh / "dist")
        monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(base / f"cache-fresh-{number}"))
        assert outcome(fresh) == with_kept, (number, kind, locale, page)


def catalogs_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every catalog an assessment reads from now on (in this process), by its path in the project."""
    read: list[str] = []
    original = context.read_catalog_text

    def reading(path: Path, rel: str, *args: object, **options: object) -> object:
        read.append(rel)
        return original(path, rel, *args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(context, "read_catalog_text", reading)
    return read


@pytest.fixture
def built(template: Path, tmp_path: Path) -> Path:
    """A copy of the template project, built once (its cache holds the assessments to keep)."""
    root = tmp_path / "project"
    shutil.copytree(template, root)
    run_build(load_config(root), jobs=1)
    return root


def test_an_edit_to_one_catalog_renders_that_page_of_that_locale_alone(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = built
    rendered: list[str] = []
    original = assess.render_body

    def counting(parser: object, page: object, handler: object, **options: object) -> object:
        rendered.append(page.rel)  # type: ignore[attr-defined]
        return original(parser, page, handler, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(assess, "render_body", counting)
    read = catalogs_read(monkeypatch)
    edit("fuzzy", "de", "beta")(root)  # a warning: the page stays published, so no other page changes
    summary = run_build(load_config(root), jobs=1)
    # The changed page and the shared disclaimers (every page shows them), rendered in de; beta's source
    # page once (to compare with); nothing of alpha, gamma or ar.
    assert sorted(rendered) == ["source/_disclaimers.md", "source/_disclaimers.md", "source/beta.md", "source/beta.md"]
    assert summary.pages_rendered == 1
    # Read: beta's catalog and those every page shows; not alpha's or gamma's, whose repeated texts
    # (the heading, the question, the sentence on every page) are judged from their kept rows.
    de = "locale/de/LC_MESSAGES/"
    assert sorted(rel for rel in read if rel.startswith("locale/de/")) == [
        de + "beta.po",
        de + "disclaimers.po",
        de + "ui.po",
    ]
    fuzzy = [f for f in collect(load_config(root)).findings if f.code == "fuzzy"]
    assert [f.problem.path for f in fuzzy] == ["locale/de/LC_MESSAGES/beta.po"]


def test_a_text_newly_repeated_on_a_kept_page_has_that_page_read_and_judged(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = built
    edit("borrow", "de", "alpha")(root)  # alpha now has beta's sentence, translated otherwise
    read = catalogs_read(monkeypatch)
    kept = collect(load_config(root), jobs=1)
    assert "locale/de/LC_MESSAGES/beta.po" in read  # its row of that sentence was never kept: read
    assert "locale/de/LC_MESSAGES/gamma.po" not in read
    consistency = {f.problem.path for f in kept.findings if f.code == "consistency"}
    assert consistency & {"locale/de/LC_MESSAGES/alpha.po", "locale/de/LC_MESSAGES/beta.po"}
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert [f.format() for f in collect(load_config(root), jobs=1).findings] == [f.format() for f in kept.findings]


# -- where the kept rows and findings live ------------------------------------------------------


def test_the_rows_and_findings_live_beside_the_cache_and_the_cache_names_them(built: Path) -> None:
    config = load_config(built)
    edit("fuzzy", "de", "beta")(built)  # a warning
    edit("number", "de", "alpha")(built)  # an error
    run_build(config, jobs=1)
    entries = read_cache(config)
    assert set(entries) == {"en", *LOCALES}
    for entry in entries.values():  # what build and check gather holds no rows, no warnings: their digests
        assert entry.assessment.rows is None and entry.assessment.findings is None
        assert rows_file(config, entry.assessment.rows_digest).is_file()
        assert findings_file(config, entry.assessment.findings_digest).is_file()
    de = fetch(config, entries["de"].assessment)
    assert de is not None and de.rows is not None and de.findings is not None
    assert any(row.msgid == REPEATED for rows in de.rows.values() for row in rows)
    assert {"fuzzy", "numbers"} <= {f.code for f in de.findings}  # every finding is in the file
    errors = [f for f in de.findings if f.severity == Severity.ERROR]
    assert "numbers" in {f.code for f in errors} and "fuzzy" not in {f.code for f in errors}
    assert entries["de"].assessment.errors == errors  # the cache's line: the errors alone
    before = {(e.assessment.rows_digest, e.assessment.findings_digest) for e in entries.values()}
    edit("repeated", "de", "beta")(built)
    edit("empty", "ar", "gamma")(built)
    run_build(config, jobs=1)
    after = {(e.assessment.rows_digest, e.assessment.findings_digest) for e in read_cache(config).values()}
    assert after != before  # de's rows and ar's findings changed; the files of the old ones are gone
    for kind, named in (("rows", rows_file), ("findings", findings_file)):
        digests = [pair[0 if kind == "rows" else 1] for pair in after]
        assert {p.name for p in cache_file(config).parent.glob(f"*.{kind}-*.json")} == {
            named(config, digest).name for digest in digests
        }


def _damage(path: Path, damage: str) -> None:
    """Delete a stashed file, or change one text in it (still JSON: only its digest no longer matches)."""
    if damage == "delete":
        path.unlink()
        return
    text = path.read_text(encoding="utf-8")
    changed = (
        text.replace(REPEATED, "Something else.") if REPEATED in text else text.replace("LC_MESSAGES", "LC_MESSAGEZ", 1)
    )
    assert changed != text
    path.write_text(changed, encoding="utf-8")


@pytest.mark.parametrize("damage", ["delete", "corrupt"])
@pytest.mark.parametrize("kind", ["rows", "findings"])
def test_a_stash_gone_or_damaged_means_the_locale_is_assessed_whole(
    kind: str, damage: str, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(built)
    edit("fuzzy", "de", "gamma")(built)  # a finding to keep
    run_build(config, jobs=1)
    last = read_cache(config)["de"].assessment
    _damage(
        rows_file(config, last.rows_digest) if kind == "rows" else findings_file(config, last.findings_digest), damage
    )
    edit("repeated", "de", "beta")(built)  # judged against alpha's and gamma's texts: they must be read
    read = catalogs_read(monkeypatch)
    kept = outcome(built)
    assert {"locale/de/LC_MESSAGES/alpha.po", "locale/de/LC_MESSAGES/gamma.po"} <= set(read)
    fresh = tmp_path / "fresh"
    shutil.copytree(built, fresh)
    shutil.rmtree(fresh / "dist")
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert outcome(fresh) == kept
    assert any("consistency" in finding for finding in kept[1])


@pytest.mark.parametrize("damage", ["delete", "corrupt"])
def test_a_check_whose_findings_are_gone_reports_every_finding(
    damage: str, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed since the build, but de's findings file is gone: check assesses de again, never reports less."""
    config = load_config(built)
    edit("fuzzy", "de", "beta")(built)
    edit("number", "ar", "alpha")(built)
    run_build(config, jobs=1)
    _damage(findings_file(config, read_cache(config)["de"].assessment.findings_digest), damage)
    read = catalogs_read(monkeypatch)
    report = [f.format() for f in collect(config, jobs=1).findings]
    assert {"locale/de/LC_MESSAGES/alpha.po", "locale/de/LC_MESSAGES/beta.po"} <= set(read)  # de: read again
    assert not any(rel.startswith("locale/ar/") for rel in read)  # ar's findings were there: kept
    assert any("fuzzy" in f and "de/LC_MESSAGES/beta.po" in f for f in report)
    assert any("numbers" in f and "ar/LC_MESSAGES/alpha.po" in f for f in report)
    monkeypatch.setenv("CAREPAGES_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert [f.format() for f in collect(config, jobs=1).findings] == report


def test_an_assessment_refuses_a_last_one_whose_rows_were_not_read_back(built: Path) -> None:
    config = load_config(built)
    last = read_cache(config)["de"].assessment
    with pytest.raises(ValueError, match="rows were not read back"):
        assess.assess_locale(assess.load_run(config), "de", PageParser(keep_blocks=True), last=last)


def test_the_cache_keeps_any_text_a_finding_quotes(built: Path) -> None:
    """One JSON line per locale: an error (kept in the cache's line) and a warning (kept beside it) whose
    message has line breaks of every kind stay one line, and read back."""
    config = load_config(built)
    entries = read_cache(config)
    de = fetch_findings(config, entries["de"].assessment)
    assert de is not None and de.findings is not None
    odd = "a\nb\rc\r\nd\u2028e\u2029f\x85g\x1ch \u200b end"
    warning = Problem("locale/de/LC_MESSAGES/beta.po", 7, Severity.WARNING, "untranslated", odd)
    error = Problem("locale/de/LC_MESSAGES/beta.po", 8, Severity.ERROR, "numbers", odd + "!")
    added = [Finding("de", warning, domain="beta"), Finding("de", error, domain="beta")]
    entries["de"].assessment = replace(de, findings=[*added, *de.findings])
    write_cache(config, entries)
    lines = cache_file(config).read_bytes().split(b"\n")
    assert len(lines) == 1 + len(entries) + 1 and lines[-1] == b""  # the format, a line per locale
    again = read_cache(config)
    assert again["de"].assessment.errors[0].problem.message == odd + "!"
    back = fetch_findings(config, again["de"].assessment)
    assert back is not None and back.findings is not None
    assert [f.problem.message for f in back.findings[:2]] == [odd, odd + "!"]
    assert {code: e.assessment.kept() for code, e in again.items()} == {
        code: stash(config, e.assessment).kept() for code, e in entries.items()
    }


def test_drafting_the_source_pages_makes_the_renderings_the_locales_are_compared_with(
    template: Path, tmp_path: Path
) -> None:
    """The process that drafts the source language's pages keeps their renderings, as rendering them anew gives."""
    config = load_config(template)
    run = assess.load_run(config)
    assess.assess_locale(run, config.source_language, PageParser(keep_blocks=True), tmp_path / "drafts")
    assert set(run.source_renderings) == {messages.domain for messages in run.sources.all()}
    anew = assess.source_renderings(assess.load_run(config), PageParser(keep_blocks=True))
    assert run.source_renderings == anew
    assert any(rendered for rendered in anew.values())
