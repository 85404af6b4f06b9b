"""Checks on the source pages themselves that stop nothing: what extraction warned about.

A front-matter field carepages does not know (``minutes: 5``) is kept out of every
catalog, so no translation depends on it; the page is still published. The warning
comes from :func:`carepages.pages.load_page` (``Sources.warnings``), with the file
and line of the field, and the check reports it so that CI shows it where authors
look, not only on the terminal of whoever ran ``carepages extract``.
"""

from __future__ import annotations

from collections.abc import Iterator

from carepages.checks.context import RunContext
from carepages.checks.model import Issue


def check_front_matter(run: RunContext) -> Iterator[Issue]:
    for warning in run.sources.warnings:
        yield Issue(warning.path, warning.line, warning.message)
