"""One page from the verdict: a draft's content in its locale's frame, as HTML and as plain text.

A page walks down the floors: :mod:`carepages.assess` rendered its Markdown with
the locale's translations (a :class:`~carepages.render.body.Draft`); here it gets the
frame every page of the locale shares (:class:`Frame`: the interface strings, the
review notice, the shared disclaimers) and its language switcher, and leaves as
the two files a clinic downloads.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_percent
from jinja2 import Environment
from markupsafe import Markup

from carepages.config import Config
from carepages.pages import Page
from carepages.render.body import Draft
from carepages.render.html import (
    Alternate,
    PageView,
    language,
    long_date,
    make_environment,
    render_page,
    source_language_name,
    split_heading,
    text_labels,
)
from carepages.render.text import html_to_text
from carepages.review import REVIEWED, Review
from carepages.ui import UiTranslations


@dataclass
class Frame:
    """What every page of one locale shares: templates, interface strings, review, shared disclaimers."""

    config: Config
    locale: str
    review: Review
    env: Environment
    translations: UiTranslations
    labels: dict[str, str]
    disclaimers: Markup
    source: bool

    @classmethod
    def make(cls, config: Config, locale: str, review: Review, ui_mo: bytes, disclaimers: Draft) -> Frame:
        env = make_environment()
        source = locale == config.source_language
        translations = UiTranslations(None if source else ui_mo)
        labels = text_labels(env, translations)
        return cls(config, locale, review, env, translations, labels, Markup(disclaimers.body), source)


def render(frame: Frame, page: Page, draft: Draft, total: int, alternates: tuple[Alternate, ...]) -> tuple[str, str]:
    """One page as (HTML document, plain text); ``total`` is the number of the page's messages."""
    heading, rest = split_heading(draft.body, draft.title, page.meta.title_from_heading)
    reviewed = frame.review.status == REVIEWED
    share = draft.open_messages / total if total and not frame.source else 0.0
    view = PageView(
        lang=language(frame.locale),
        title=draft.title,
        description=draft.description,
        heading=heading,
        body=rest,
        disclaimers=frame.disclaimers,
        alternates=alternates,
        source_name=source_language_name(frame.config.source_language, frame.locale),
        draft=frame.review.is_draft,
        fallback=share > 0,
        open_share=format_percent(max(share, 0.01), locale=frame.locale) if share > 0 else "",
        last_reviewed=long_date(page.meta.last_reviewed, frame.locale),
        reviewer=frame.review.reviewer if reviewed else "",
        reviewed_on=long_date(frame.review.reviewed_on, frame.locale) if reviewed else "",
    )
    rendered = render_page(frame.env, frame.translations, view, track=not frame.source)
    text = html_to_text(rendered.fragment, frame.config.line_width, frame.labels)
    return rendered.document, text
