"""The search: for each stale page of a locale, the newest revision at which the verdict published it.

A page depends on a handful of files (its source, template and catalog; the shared
disclaimers, interface strings and review record of its locale). One ``git log``
lists the first-parent commits that changed any file of the project's source and
locale folders; each page walks, newest first, the commits that changed one of its
own files (the states in between are the same for it). The newest such commit is
the working tree's state when those files are unchanged since (already judged: it
failed), so the walk starts below it. A commit the ``pin_after`` marker forbids is
passed over. A commit at which the page or its translation did not exist yet ends
the walk, and so does :data:`MAX_EVALUATED`.

Walks advance together, in rounds: every page that needs a commit judged asks for
it, the requests are grouped by (commit, locale) so that one assessment judges all
the pages that wait on it, and the groups run in the build's worker processes.
Judgements are kept (:class:`~carepages.pinning.store.PinStore`), so a later run
walks the same way without judging anything again.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from carepages.extract import Sources
from carepages.history import History, Revision
from carepages.parallel import Runner
from carepages.pinning.material import Evaluation
from carepages.pinning.revision import NOT_YET, Judged, Layout, Request, judge_task, prepare
from carepages.pinning.store import PinStore
from carepages.verdict import Pin

#: The most revisions judged for one page of one locale before the search gives up on it.
MAX_EVALUATED = 50

NONE_PASSED = "no earlier version of its translation passed every check"
SHALLOW = (
    "no earlier version of its translation is in this shallow clone: fetch the whole history "
    "(git fetch --unshallow; in GitHub Actions, actions/checkout with fetch-depth: 0)"
)
TOO_FAR = f"none of the {MAX_EVALUATED} latest versions of its translation passed every check"


def blocked_reason(threshold: dt.date | dt.datetime) -> str:
    return (
        f"the English page changed in a way that must not be served from an older translation "
        f"(pin_after: {threshold.isoformat()})"
    )


def allowed(revision: Revision, threshold: dt.date | dt.datetime | None) -> bool:
    """Whether ``pin_after`` lets a revision serve the page: only commits after that day (or that instant)."""
    if threshold is None:
        return True
    if isinstance(threshold, dt.datetime):
        instant = threshold if threshold.tzinfo else threshold.replace(tzinfo=dt.UTC)
        return revision.when > instant
    return revision.when.date() > threshold


def pin_after(sources: Sources, page: str) -> dt.date | dt.datetime | None:
    """The latest ``pin_after`` of the page and of the shared disclaimers (each page carries them)."""
    marks = [messages.page.meta.pin_after for messages in sources.all() if messages.domain == page]
    marks.append(sources.shared.page.meta.pin_after)  # the shared disclaimers are part of every page
    found = [_instant(mark) for mark in marks if mark is not None]
    return max(found, key=_instant_key) if found else None


def _instant(mark: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(mark, dt.datetime) and mark.tzinfo is None:
        return mark.replace(tzinfo=dt.UTC)
    return mark


def _instant_key(mark: dt.date | dt.datetime) -> dt.datetime:
    """Comparable: a day counts as its last instant (only commits after it are allowed), in UTC."""
    if isinstance(mark, dt.datetime):
        return mark
    return dt.datetime.combine(mark, dt.time.max, tzinfo=dt.UTC)


@dataclass
class Walk:
    """One page of one locale walking back through the commits that changed its files."""

    locale: str
    page: str
    revisions: list[Revision]
    threshold: dt.date | dt.datetime | None
    newer: Revision | None = None  # the last commit passed: where the page stopped being publishable
    index: int = 0
    judged: int = 0
    blocked: bool = False
    outcome: Pin | str | None = None
    reasons: list[str] = field(default_factory=list)

    def advance(self, store: PinStore, head_date: str) -> str | None:
        """Walk on through what is known; the commit to judge next, or None when the walk is over."""
        while self.index < len(self.revisions) and self.outcome is None:
            revision = self.revisions[self.index]
            if not allowed(revision, self.threshold):
                self.blocked = True
            else:
                if self.judged >= MAX_EVALUATED:
                    self.outcome = TOO_FAR
                    break
                known = store.get(revision.commit, self.locale, self.page)
                if known is None:
                    return revision.commit
                self.judged += 1
                if known.passed:
                    self.outcome = self.pin(revision, head_date)
                    break
                if known.ended:
                    break
            self.newer = revision
            self.index += 1
        if self.outcome is None:
            self.outcome = blocked_reason(self.threshold) if self.blocked and self.threshold else NONE_PASSED
        return None

    def pin(self, revision: Revision, head_date: str) -> Pin:
        """The pin at ``revision``: stale since the next commit that changed the page's files (or HEAD)."""
        since = self.newer.date if self.newer else head_date
        age = (dt.datetime.fromisoformat(head_date) - dt.datetime.fromisoformat(since)).days
        return Pin(revision.commit, revision.date, since, max(age, 0))


def plan_walks(layout: Layout, sources: Sources, history: History, candidates: Iterable[tuple[str, str]]) -> list[Walk]:
    """One walk per (locale, page), over the commits that changed its files."""
    log = history.log(layout.watched)
    dirty = history.dirty(layout.watched)
    walks = []
    for locale, page in candidates:
        files = layout.files(locale, page)
        revisions = [revision for revision in log if revision.changed & files]
        walk = Walk(locale, page, revisions, pin_after(sources, page))
        if revisions and not dirty & files:
            walk.newer, walk.index = revisions[0], 1  # the working tree's own state: judged already, it failed
        walks.append(walk)
    return walks


def walk_all(
    walks: list[Walk], layout: Layout, history: History, store: PinStore, runner: Callable[[], Runner]
) -> None:
    """Advance every walk to its outcome, judging the commits they wait on in rounds."""
    waiting = list(walks)
    asked: set[tuple[str, str, str]] = set()
    while waiting:
        requests: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for walk in waiting:
            commit = walk.advance(store, history.head_date)
            if commit is not None and (commit, walk.locale, walk.page) in asked:
                walk.outcome = NONE_PASSED  # judged, yet not kept: never ask twice
            elif commit is not None:
                asked.add((commit, walk.locale, walk.page))
                requests[commit][walk.locale].append(walk.page)
        if not requests:
            break
        with tempfile.TemporaryDirectory(prefix="carepages-pin-") as folder:
            for judged in judge_round(requests, Path(folder), layout, history, runner):
                store.add(judged)
        waiting = [walk for walk in waiting if walk.outcome is None]
    if history.shallow:
        for walk in walks:
            walk.outcome = SHALLOW if walk.outcome == NONE_PASSED else walk.outcome


def judge_round(
    requests: dict[str, dict[str, list[str]]],
    folder: Path,
    layout: Layout,
    history: History,
    runner: Callable[[], Runner],
) -> list[Judged]:
    """Write each commit's shared files once (below ``folder``), then judge every (commit, locale) in the workers."""
    done: list[Judged] = []
    tasks: list[Request] = []
    with history.reader() as reader:
        for number, (commit, locales) in enumerate(sorted(requests.items())):
            root = folder / str(number)
            absent = prepare(layout, reader, commit, root, {page for pages in locales.values() for page in pages})
            for locale, pages in sorted(locales.items()):
                gone = {page: Evaluation(False, (NOT_YET,), ended=True) for page in pages if page in absent}
                if gone:
                    done.append(Judged(commit, locale, gone, None))
                present = tuple(sorted(set(pages) - absent))
                if present:
                    tasks.append(Request(history, commit, root, locale, present))
    return done + list(runner().run(judge_task, tasks))
