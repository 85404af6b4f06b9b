"""``dist/REPORT.txt``: what the build left out and why, for the clinic's staff (never for patients).

The index shows patients what they can read; the reasons a page or a language is
missing (a translation error to fix, a disclaimer not yet translated, a locale below
the threshold), the pages served pinned from an earlier revision (the page itself says
so to patients), the editions made and whether handouts could be printed are staff
matters, written here in plain words. ``carepages check`` names each finding with its
file and line; this report says where to look.
"""

from __future__ import annotations

from collections.abc import Sequence

from carepages.builder.cache import LocaleEntry
from carepages.builder.summary import NOT_BUILT
from carepages.clinics import Edition
from carepages.config import Config
from carepages.render.html import language
from carepages.verdict import Pin


def report_text(
    config: Config,
    editions: Sequence[Edition],
    order: Sequence[str],
    entries: dict[str, LocaleEntry],
    titles: dict[str, str],
    handouts_note: str,
) -> bytes:
    """The report: editions, then per language what is published and what is left out, with the reasons."""
    lines = [f"{config.site.index_title}: build report for the clinic's staff", ""]
    lines.append("Editions:")
    for edition in editions:
        name = edition.clinic.values(config.source_language)["name"] if edition.clinic else "neutral (no clinic)"
        online = edition.base_url or "no base URL: pages have no language switcher"
        lines.append(f"  {name}: {edition.prefix or './'} ({online})")
    lines += ["", f"PDF handouts: {handouts_note or 'made for every published page'}"]
    lines.append(
        f"A page is published when at least {config.publish_threshold:g} % of it is translated, every disclaimer "
        "it carries is translated and up to date, and its translation passes every check."
    )
    for code in order:
        lines += ["", *_locale_lines(code, entries.get(code), titles)]
    lines += ["", "Run 'carepages check' to see every problem with its file and line."]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _locale_lines(code: str, entry: LocaleEntry | None, titles: dict[str, str]) -> list[str]:
    head = f"{language(code).name} ({code})"
    if entry is None:
        return [f"{head}: {NOT_BUILT}"]
    verdict = entry.assessment.verdict
    if not verdict.published:
        unpinned = sorted({page.unpinned for page in verdict.pages if page.unpinned})
        reasons = (*verdict.reasons, *unpinned) or ("no page is ready yet",)
        return [f"{head}: not published", *(f"  - {reason}" for reason in reasons)]
    lines = [f"{head}: {len(verdict.published_pages)} of {len(verdict.pages)} page(s) published, "
             f"{verdict.counts.percent:.1f} % translated, review: {verdict.review_status}"]  # fmt: skip
    for page in verdict.pinned_pages:
        lines.append(f"  - {_pinned_line(titles.get(page.page, page.page), page.pin)}")
    for page in verdict.withheld_pages:
        lines.append(f"  - not published: {titles.get(page.page, page.page)}: {'; '.join(verdict.why(page))}")
    return lines


def _pinned_line(title: str, pin: Pin | None) -> str:
    """A page served from an earlier revision: which one, and how long the English page has been ahead."""
    assert pin is not None
    return (
        f"pinned: {title}: translated from the English version of {pin.day.isoformat()}; the English page has "
        f"changed since ({pin.age_days} day(s) ago; served from revision {pin.short}): translate the changes"
    )
