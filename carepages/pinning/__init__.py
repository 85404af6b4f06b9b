"""Pinned pages: a stale translation stays online, rendered whole from the last revision that passed.

When an English edit leaves a page's translation behind (a fuzzy disclaimer, an
outdated catalog, too little translated), the verdict withholds the page's current
translation, and marks it *stale* (:mod:`carepages.verdict`). This package finds,
for each stale page of each locale, the newest git revision at which the same
assessment and verdict published it (:mod:`~carepages.pinning.search`, judged by
:mod:`~carepages.pinning.revision`), and hands :func:`carepages.verdict.pin_locale`
the outcome. The build then renders the page from that revision alone (its body,
shared disclaimers and interface strings), with a notice that says so; the check
warns about it; the index and manifest record it.

Nothing is done, and git is not even asked, when no page is stale or the project
sets ``stale = "withhold"``. A project without git history cannot pin: its stale
pages are withheld, and the verdict says why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from carepages.checks.context import ExpectedDisclaimers, RunContext
from carepages.history import GitError, History
from carepages.parallel import Runner
from carepages.pinning.material import PinnedPage
from carepages.pinning.revision import Layout
from carepages.pinning.search import plan_walks, walk_all
from carepages.pinning.store import PinStore
from carepages.verdict import LocaleVerdict, Pin, pin_locale

NO_HISTORY = "no earlier version can be served: the project has no git history (a copy without .git)"

__all__ = ["NO_HISTORY", "PinStore", "PinnedPage", "Pinning", "resolve_pins"]


@dataclass(frozen=True)
class Pinning:
    """The verdicts with their stale pages pinned, and per locale what to render each pinned page from."""

    verdicts: dict[str, LocaleVerdict]
    pages: dict[str, dict[str, PinnedPage]]

    def expected(self, locale: str) -> dict[str, ExpectedDisclaimers]:
        """Per pinned page of ``locale``: what its disclaimers must show (its revision's translations)."""
        return {page: pinned.page.expected for page, pinned in self.pages.get(locale, {}).items()}


def resolve_pins(
    run: RunContext, verdicts: Mapping[str, LocaleVerdict], store: PinStore, runner: Callable[[], Runner]
) -> Pinning:
    """Pin the stale pages of ``verdicts`` (decided again from scratch on every run: history moves on)."""
    config = run.config
    plain = {code: verdict.unpinned_verdict() for code, verdict in verdicts.items()}
    candidates = [(code, page.page) for code, verdict in plain.items() for page in verdict.stale_pages]
    if config.stale != "pin" or not candidates:
        return Pinning(plain, {})
    outcomes: dict[str, dict[str, Pin | str]] = defaultdict(dict)
    history = History.open(config.root)
    try:
        if history is None:
            raise GitError(NO_HISTORY)
        layout = Layout.of(config)
        walks = plan_walks(layout, run.sources, history, candidates)
        walk_all(walks, layout, history, store, runner)
        for walk in walks:
            outcomes[walk.locale][walk.page] = walk.outcome or ""
    except GitError as exc:
        reason = NO_HISTORY if history is None else f"no earlier version can be served: git failed: {exc}"
        for code, page in candidates:
            outcomes[code][page] = reason
    final = {code: pin_locale(verdict, outcomes[code], config.max_stale_days) for code, verdict in plain.items()}
    pages = {
        code: {page.page: store.pinned(page.pin.revision, code, page.page) for page in verdict.pinned_pages if page.pin}
        for code, verdict in final.items()
    }
    store.save()
    return Pinning(final, pages)
