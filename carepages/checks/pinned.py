"""The verdict's pinned pages, reported: which page is served from which revision, and how far behind.

A stale page (see :mod:`carepages.verdict`) reaches readers from the last revision
whose translation passed every check, with a notice in its language. That is no
error, but it is work for the translators, so each such page is one warning naming
the page, the locale, the revision and how long the English page has been ahead.
A stale page that cannot be served that way (no git history, a ``pin_after``
marker, too old) is withheld by the findings that made it stale, which stay errors;
why no earlier version serves it is part of the verdict's reasons (the summary, the
build's report, REPORT.txt and the manifest say it), not a finding of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from carepages.catalog_paths import po_path
from carepages.checks.context import OutputContext
from carepages.checks.model import Issue


def check_pinned(ctx: OutputContext) -> Iterator[Issue]:
    for page in ctx.verdict.stale_pages:
        rel = ctx.config.relative(po_path(ctx.config, ctx.locale, page.page))
        pin = page.pin
        if pin is None:
            continue
        yield Issue(
            rel,
            0,
            f"{page.page} is served in {ctx.locale} from revision {pin.short} of {pin.day.isoformat()} (pinned): "
            f"the English page has changed since, {pin.age_days} day(s) ago: translate the changes "
            f"(carepages diff -l {ctx.locale} {page.page}), then run carepages build",
            domain=page.page,
        )
