"""Evaluations of earlier revisions, kept beside the build's cache: each is paid for once.

A commit never changes, so what a page of a locale was at a revision is decided once
and kept by ``(commit, locale, page)``, with what to render it from (and, once per
``(commit, locale)``, the frame around it). The file is keyed, as the build's cache
is, by the tool's code and the settings that shape a verdict or a page (the caller
gives the path and the key: :func:`carepages.builder.cache.pin_store`): another
version of carepages, or another threshold, judges again. It lives in the user's
cache folder like the build's cache (never in the project: a forged file could
claim that a translation passed), and anything unreadable only means judging again.
Only what the last run used is kept (and what it did not look at of other locales).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from carepages.fsutil import write_if_changed
from carepages.pinning.material import Evaluation, FrameSource, PinnedPage
from carepages.pinning.revision import Judged


class PinStore:
    """The evaluations the search reads and adds; saved once at the end of a run."""

    def __init__(self, path: Path | None, key: str) -> None:
        self.path = path  # None: keep nothing (a run that must not write the cache)
        self.key = key
        self.pages: dict[str, dict[str, Any]] = {}
        self.frames: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.locales: set[str] = set()  # the locales this run looked at (the others' entries are kept as they are)
        self._load()

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("key") == self.key:
                self.pages, self.frames = dict(data["pages"]), dict(data["frames"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.pages, self.frames = {}, {}

    def get(self, commit: str, locale: str, page: str) -> Evaluation | None:
        """The evaluation of a page at a commit, if one was made (by this run or an earlier one)."""
        self.locales.add(locale)
        name = _page_key(commit, locale, page)
        data = self.pages.get(name)
        if data is None:
            return None
        try:
            evaluation = Evaluation.from_dict(data)
        except (KeyError, TypeError, ValueError, IndexError):
            return None
        self.used.add(name)
        return evaluation

    def add(self, judged: Judged) -> None:
        self.locales.add(judged.locale)
        for page, evaluation in judged.pages.items():
            name = _page_key(judged.commit, judged.locale, page)
            self.pages[name] = evaluation.as_dict()
            self.used.add(name)
        if judged.frame is not None:
            self.frames[_frame_key(judged.commit, judged.locale)] = judged.frame.as_dict()

    def pinned(self, commit: str, locale: str, page: str) -> PinnedPage:
        """What to render a page from at a commit where it passed (the search found it here)."""
        found = self.find(commit, locale, page)
        assert found is not None
        return found

    def find(self, commit: str, locale: str, page: str) -> PinnedPage | None:
        """What to render a page from at a commit where it passed, if the store still has it."""
        evaluation = self.get(commit, locale, page)
        frame = self.frames.get(_frame_key(commit, locale))
        if evaluation is None or evaluation.source is None or frame is None:
            return None
        try:
            return PinnedPage(commit, evaluation.source, FrameSource.from_dict(frame))
        except (KeyError, TypeError, ValueError, IndexError):
            return None

    def save(self) -> None:
        """Keep what this run used, and everything of the locales it did not look at."""
        if self.path is None:
            return
        pages = {k: v for k, v in self.pages.items() if k in self.used or _locale_of(k) not in self.locales}
        frames = {_frame_key(*k.split(" ")[:2]) for k in pages}
        data = {"key": self.key, "pages": pages, "frames": {k: v for k, v in self.frames.items() if k in frames}}
        payload = (json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        with contextlib.suppress(OSError):
            write_if_changed(self.path, payload)


def _page_key(commit: str, locale: str, page: str) -> str:
    return f"{commit} {locale} {page}"


def _frame_key(commit: str, locale: str) -> str:
    return f"{commit} {locale}"


def _locale_of(key: str) -> str:
    return key.split(" ")[1]
