"""One page from the verdict: a draft's content in its locale's frame, as HTML and as plain text.

A page walks down the floors: :mod:`carepages.assess` rendered its Markdown with
the locale's translations (a :class:`~carepages.render.body.Draft`); here it gets the
frame every page of the locale shares in one edition (:class:`Frame`: the interface
strings, the review notice, the shared disclaimers, the clinic's details and the
values of its ``{{clinic.…}}`` fields) and its language switcher, and leaves as the
files a clinic downloads.

Links between pages stay relative when the target is published in the same language
(so they work inside a downloaded bundle, which holds one language); a link to a page
withheld in this language leads to the source-language page at its absolute address,
or, without a base URL, is left as text. The plain text lists every link at its
absolute address when the edition has a base URL.

A pinned page (served from an earlier revision, see :mod:`carepages.pinning`) is made
the same way from that revision's draft, front matter, sign-offs and frame, with the
clinic's values filled in as for any page; its notice links to the current
source-language page at its absolute address (without a base URL it names no link,
which would leave a downloaded bundle).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from babel.lists import format_list
from babel.numbers import format_percent
from jinja2 import Environment
from markupsafe import Markup

from carepages.clinics import Edition, fill
from carepages.config import Config
from carepages.htmltree import Node, parse
from carepages.pages import Page
from carepages.render.body import Draft
from carepages.render.html import (
    Alternate,
    ClinicView,
    PageView,
    alternates,
    language,
    long_date,
    make_environment,
    neutral_fields,
    render_page,
    source_language_name,
    split_heading,
    text_labels,
)
from carepages.render.pdf import Handout
from carepages.render.text import tree_to_text
from carepages.reviewstate import REVIEWED, PageReview
from carepages.ui import UiTranslations


@functools.cache
def _other_language(depth: int, codes: tuple[str, ...]) -> re.Pattern[str]:
    """A link from a page ``depth`` folders below its language's folder into a language's folder, as nh3
    and relink write it (attributes double-quoted, no nested links)."""
    up = re.escape("../" * (depth + 1))
    languages = "|".join(map(re.escape, codes))
    return re.compile(
        rf'<a href="{up}(?P<language>{languages})/(?P<path>[^"]*)"(?P<rest>[^>]*)>(?P<text>.*?)</a>', re.DOTALL
    )


REVIEWED_LINE = "Last reviewed: %(date)s"


@dataclass
class Frame:
    """What every page of one locale shares in one edition: templates, words, shared disclaimers, clinic."""

    config: Config
    locale: str
    env: Environment
    translations: UiTranslations
    labels: dict[str, str]
    disclaimers: Markup
    source: bool
    edition: Edition
    fields: dict[str, str]
    clinic: ClinicView | None

    @classmethod
    def make(cls, config: Config, locale: str, ui_mo: bytes, disclaimers: Draft, edition: Edition) -> Frame:
        env = make_environment()
        source = locale == config.source_language
        translations = UiTranslations(None if source else ui_mo)
        labels = text_labels(env, translations)
        clinic = edition.clinic
        fields = clinic.values(locale) if clinic else neutral_fields(env, translations)
        view = None
        if clinic is not None:
            details = {name: fields.get(name, "") for name in ("address", "phone", "website", "emergency")}
            view = ClinicView(fields["name"], logo=clinic.logo, **details)
        shared = Markup(fill(disclaimers.body, fields, html=True, where=config.relative(config.disclaimers_file)))
        return cls(config, locale, env, translations, labels, shared, source, edition, fields, view)

    def reviewed_line(self, page: Page) -> str:
        """The page's "Last reviewed: …" line in the locale's words, for a handout's running footer."""
        day = long_date(page.meta.last_reviewed, self.locale)
        return Markup(self.translations.gettext(REVIEWED_LINE)).unescape() % {"date": day} if day else ""


@dataclass(frozen=True)
class PageFiles:
    """One page in its formats: the HTML document, the plain text, and what its handout prints besides.

    ``tree`` is the document parsed (:func:`carepages.htmltree.parse`): the plain text was
    made from it, and the build reads the page back from it (:mod:`carepages.readback`).
    """

    title: str
    document: str
    text: str
    handout: Handout
    tree: Node = field(compare=False, repr=False)


def render(
    frame: Frame,
    page: Page,
    draft: Draft,
    total: int,
    alternates: tuple[Alternate, ...],
    review: PageReview,
    pinned: dt.date | None = None,
) -> PageFiles:
    """One page; ``total`` is the number of the page's messages.

    ``page.meta`` is the front matter of the page the draft was rendered from (its
    revision's, for a pinned page). ``review`` is the page's sign-off state from the
    verdict (its revision's, for a pinned page): the draft notice and the "reviewed by …
    on …" line follow it alone. ``pinned`` is the date of the source version a pinned
    page was translated from: the page then says so, and links to the current page in
    the source language.
    """
    where = frame.config.relative(page.path)
    body = _offline_links(fill(draft.body, frame.fields, html=True, where=where), frame, page)
    title = fill(draft.title, frame.fields, html=False, where=where)
    heading, rest = split_heading(body, title, page.meta.title_from_heading)
    reviewed = review.status == REVIEWED
    share = draft.open_messages / total if total and not frame.source else 0.0
    view = PageView(
        lang=language(frame.locale),
        title=title,
        description=fill(draft.description, frame.fields, html=False, where=where),
        heading=heading,
        body=rest,
        disclaimers=Markup(_offline_links(str(frame.disclaimers), frame, page)),
        alternates=alternates,
        home="../" * page.name.count("/") + "index.html",
        source_name=source_language_name(frame.config.source_language, frame.locale),
        draft=review.is_draft,
        fallback=share > 0,
        open_share=format_percent(max(share, 0.01), locale=frame.locale) if share > 0 else "",
        last_reviewed=long_date(page.meta.last_reviewed, frame.locale),
        reviewer=reviewer_names(review, frame.locale) if reviewed and frame.config.show_reviewers else "",
        reviewed_on=long_date(review.last_signed, frame.locale) if reviewed else "",
        clinic=frame.clinic,
        pinned_on=long_date(pinned, frame.locale) if pinned else "",
        current=_current(frame, page.name) if pinned else None,
    )
    document = render_page(frame.env, frame.translations, view, track=not frame.source)
    address = frame.edition.address(f"{frame.locale}/{page.name}.html")
    tree = parse(document)
    text = tree_to_text(main_of(tree), frame.config.line_width, frame.labels, base_url=address or None)
    handout = Handout(frame.edition.paper, address, frame.reviewed_line(page), frame.labels["online"])
    return PageFiles(title, document, text, handout, tree)


def main_of(tree: Node) -> Node:
    """The page's ``<main>``: its content (heading, notice, body, disclaimers, clinic, review dates),
    which is what the plain text holds; the ``<head>`` and the language switcher stay out."""
    found = next((node for node in tree.iter() if node.tag == "main"), None)
    if found is None:  # the shipped page template always has one
        raise AssertionError("the page template made a page without <main>")
    return found


def reviewer_names(review: PageReview, locale: str) -> str:
    """Who signed the page's latest sign-offs, as the locale lists names ("A und B", "A 和 B")."""
    return format_list(list(review.reviewers), locale=locale) if review.reviewers else ""


def _current(frame: Frame, page: str) -> Alternate | None:
    """The page in the source language as it is now (always published), at its absolute address:
    a relative link would leave a downloaded bundle, which holds one language."""
    found = alternates(page, frame.config.source_language, (frame.config.source_language,), frame.edition.base_url)
    return found[0] if frame.edition.base_url else None


def _offline_links(body: str, frame: Frame, page: Page) -> str:
    """Links to another language's folder (a page withheld here, sent to the source language's page by
    :func:`carepages.page_links.relink`) leave a downloaded bundle: they go to that page's address
    online, or, without a base URL, stay as their text."""
    if frame.source or 'href="../' not in body:
        return body

    def resolve(match: re.Match[str]) -> str:
        if match.group("language") == frame.locale:
            return match.group(0)
        address = frame.edition.address(f"{match.group('language')}/{match.group('path')}")
        return f'<a href="{address}"{match.group("rest")}>{match.group("text")}</a>' if address else match["text"]

    codes = (frame.config.source_language, *frame.config.locales)
    return _other_language(page.name.count("/"), codes).sub(resolve, body)
