"""The pages a clinic shows patients first: the edition's index, and each language's own list of pages.

The index (``index.html`` of an edition) has the configured title and introduction
in the source language, then one section per published language, written in that
language (its name, the title and introduction translated through the ``ui``
catalog, its pages in the author's order with their text and PDF versions, its
bundle). Each language folder also gets ``index.html`` with its own section, so a
downloaded bundle, which holds one language, has a page to start from. Nothing here
names a file path, a check or a reason a page is missing: that is for the clinic's
staff, in ``REPORT.txt`` (:mod:`carepages.builder.report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from carepages.clinics import Edition, fill
from carepages.config import Config
from carepages.render.html import CSP, Language, language, make_environment, neutral_fields
from carepages.ui import UiTranslations


@dataclass(frozen=True)
class LandingPage:
    """One page in a language's list: its file name (without suffix) and its title in that language."""

    name: str
    title: str


@dataclass(frozen=True)
class Landing:
    """One language's section, every word in that language."""

    lang: Language
    title: str
    intro: str
    pages: tuple[LandingPage, ...]
    draft: bool
    bundle: str  # the bundle's path from the edition's folder, or ""
    handouts: bool


def make_landing(
    config: Config,
    edition: Edition,
    code: str,
    ui_mo: bytes,
    pages: Sequence[LandingPage],
    *,
    draft: bool,
    bundle: str,
    handouts: bool,
) -> tuple[Landing, UiTranslations]:
    """A language's section: the configured title and introduction translated, clinic fields filled in."""
    translations = UiTranslations(None if code == config.source_language else ui_mo)
    values = edition.clinic.values(code) if edition.clinic else neutral_fields(make_environment(), translations)

    def words(text: str) -> str:
        translated = Markup(translations.gettext(text)).unescape() if text else ""
        return fill(translated, values, html=False, where=config.relative(config.pyproject))

    title, intro = words(config.site.index_title), words(config.site.index_intro)
    return Landing(language(code), title, intro, tuple(pages), draft, bundle, handouts), translations


def render_section(section: Landing, translations: UiTranslations, prefix: str) -> Markup:
    """One language's section, in its words; ``prefix`` leads to the language's folder."""
    env = make_environment()
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return Markup(env.get_template("landing.html").render(section=section, prefix=prefix))


def render_edition_index(config: Config, edition: Edition, sections: list[tuple[Landing, UiTranslations]]) -> str:
    """``index.html`` of an edition: the title and introduction, then every language's section."""
    source = next((s for s, _ in sections if s.lang.code == config.source_language), None)
    rendered = [render_section(section, words, f"{section.lang.code}/") for section, words in sections]
    return (
        make_environment()
        .get_template("index.html")
        .render(
            csp=CSP,
            source=language(config.source_language),
            title=source.title if source else config.site.index_title,
            intro=source.intro if source else config.site.index_intro,
            clinic=_clinic(edition, config.source_language),
            sections=[section for section, _ in sections],
            rendered=rendered,
        )
    )


def render_language_index(config: Config, edition: Edition, section: Landing, translations: UiTranslations) -> str:
    """``<lang>/index.html``: one language's pages, the first page of a downloaded bundle."""
    env = make_environment()
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    # The bundle lies outside the language's folder: only its address online leads to it from here.
    section = replace(section, bundle=edition.address(section.bundle) if section.bundle else "")
    return env.get_template("language.html").render(
        csp=CSP,
        section=section,
        rendered=render_section(section, translations, ""),
        clinic=_clinic(edition, section.lang.code),
        home=edition.address("index.html"),
    )


@dataclass(frozen=True)
class _Brand:
    name: str
    logo: str


def _clinic(edition: Edition, code: str) -> _Brand | None:
    clinic = edition.clinic
    return _Brand(clinic.values(code)["name"], clinic.logo) if clinic else None
