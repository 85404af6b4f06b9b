"""One page from the verdict: a draft's content in its locale's frame, as HTML and as plain text.

A page walks down the floors: :mod:`carepages.assess` rendered its Markdown with
the locale's translations (a :class:`~carepages.render.body.Draft`); here it gets the
frame every page of the locale shares (:class:`Frame`: the interface strings, the
review notice, the shared disclaimers) and its language switcher, and leaves as
the two files a clinic downloads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.lists import format_list
from babel.numbers import format_percent
from jinja2 import Environment
from markupsafe import Markup

from carepages.config import Config
from carepages.pages import FrontMatter
from carepages.render.body import Draft
from carepages.render.html import (
    Alternate,
    PageView,
    alternates,
    language,
    long_date,
    make_environment,
    render_page,
    source_language_name,
    split_heading,
    text_labels,
)
from carepages.render.text import html_to_text
from carepages.reviewstate import REVIEWED, PageReview
from carepages.ui import UiTranslations


@dataclass
class Frame:
    """What every page of one locale shares: templates, interface strings, shared disclaimers."""

    config: Config
    locale: str
    env: Environment
    translations: UiTranslations
    labels: dict[str, str]
    disclaimers: Markup
    source: bool

    @classmethod
    def make(cls, config: Config, locale: str, ui_mo: bytes, disclaimers: Draft) -> Frame:
        env = make_environment()
        source = locale == config.source_language
        translations = UiTranslations(None if source else ui_mo)
        labels = text_labels(env, translations)
        return cls(config, locale, env, translations, labels, Markup(disclaimers.body), source)


def render(
    frame: Frame,
    meta: FrontMatter,
    draft: Draft,
    total: int,
    alternates: tuple[Alternate, ...],
    review: PageReview,
    pinned: dt.date | None = None,
) -> tuple[str, str]:
    """One page as (HTML document, plain text); ``total`` is the number of the page's messages.

    ``meta`` is the front matter of the page the draft was rendered from (its revision's,
    for a pinned page). ``review`` is the page's sign-off state from the verdict (its
    revision's, for a pinned page): the draft notice and the "reviewed by … on …" line
    follow it alone. ``pinned`` is the date of the source version a pinned page was
    translated from: the page then says so, and links to the current page in the source language.
    """
    heading, rest = split_heading(draft.body, draft.title, meta.title_from_heading)
    reviewed = review.status == REVIEWED
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
        draft=review.is_draft,
        fallback=share > 0,
        open_share=format_percent(max(share, 0.01), locale=frame.locale) if share > 0 else "",
        last_reviewed=long_date(meta.last_reviewed, frame.locale),
        reviewer=reviewer_names(review, frame.locale) if reviewed and frame.config.show_reviewers else "",
        reviewed_on=long_date(review.last_signed, frame.locale) if reviewed else "",
        pinned_on=long_date(pinned, frame.locale) if pinned else "",
        current=_current(frame.config, draft.page) if pinned else None,
    )
    rendered = render_page(frame.env, frame.translations, view, track=not frame.source)
    text = html_to_text(rendered.fragment, frame.config.line_width, frame.labels)
    return rendered.document, text


def reviewer_names(review: PageReview, locale: str) -> str:
    """Who signed the page's latest sign-offs, as the locale lists names ("A und B", "A 和 B")."""
    return format_list(list(review.reviewers), locale=locale) if review.reviewers else ""


def _current(config: Config, page: str) -> Alternate:
    """The page in the source language, as it is now (always published)."""
    return alternates(page, "", (config.source_language,))[0]
