"""Links between pages (carepages/page_links.py): ``.md`` targets, rebasing, withheld pages."""

from __future__ import annotations

import pytest

from carepages.page_links import html_target, relink, split_target


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("knee/exercises.md", "knee/exercises.html"),
        ("../overview.md#warm-up", "../overview.html#warm-up"),
        ("faq.md?print=1#q2", "faq.html?print=1#q2"),
        ("https://example.org/readme.md", "https://example.org/readme.md"),  # another site's file
        ("mailto:clinic@example.org", "mailto:clinic@example.org"),
        ("#readme.md", "#readme.md"),
        ("notes.md.txt", "notes.md.txt"),
        ("overview.html", "overview.html"),
    ],
)
def test_md_targets_lead_to_the_built_pages(href: str, expected: str) -> None:
    assert html_target(href) == expected


def test_absolute_urls_and_fragments_are_not_links_between_pages() -> None:
    for href in ("https://example.org/x", "//cdn.example.org/x", "/x.html", "#top", "?q", "tel:112"):
        assert split_target(href) is None, href
    assert split_target("a/b.html#c") == ("a/b.html", "#c")


def link(href: str) -> str:
    return f'<p>See <a href="{href}" rel="noopener noreferrer">this</a>.</p>'


def test_shared_text_is_rebased_for_a_nested_page() -> None:
    assert relink(link("overview.html"), "disclaimers", "knee/exercises") == link("../overview.html")
    assert relink(link("knee/faq.html#q1"), "disclaimers", "knee/exercises") == link("faq.html#q1")
    assert relink(link("overview.html"), "disclaimers", "hip") == link("overview.html")  # same folder: as written
    assert relink(link("https://example.org/a"), "disclaimers", "knee/exercises") == link("https://example.org/a")


def test_a_link_to_a_withheld_page_leads_to_the_source_language() -> None:
    withheld = {"overview", "knee/faq"}
    assert relink(link("../overview.html"), "knee/exercises", "knee/exercises", withheld, "en") == link(
        "../../en/overview.html"
    )
    assert relink(link("faq.html#cost"), "knee/exercises", "knee/exercises", withheld, "en") == link(
        "../../en/knee/faq.html#cost"
    )
    assert relink(link("overview.html"), "disclaimers", "hip", withheld, "en") == link("../en/overview.html")
    assert relink(link("hip.html"), "overview", "overview", withheld, "en") == link("hip.html")  # published


def test_targets_are_read_and_written_as_html_attributes() -> None:
    body = link("../a&amp;b.html")
    assert relink(body, "knee/x", "knee/x", {"a&b"}, "en") == link("../../en/a&amp;b.html")
    assert relink("<p>No link.</p>", "disclaimers", "knee/x") == "<p>No link.</p>"
