"""The process pool: its workers start with the heap they inherit frozen, and the parent's heap is not left so."""

from __future__ import annotations

import gc
import sys

import pytest

from carepages.parallel import STATE, Runner, guarded

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def _setup(marker: str) -> None:
    STATE["marker"] = marker


@guarded
def _frozen_in_worker(_item: int) -> tuple[str, int]:
    """What a worker holds: its initializer's state, and how many inherited objects its collections skip."""
    return STATE["marker"], gc.get_freeze_count()


def test_workers_inherit_a_frozen_heap_and_the_parent_unfreezes() -> None:
    assert gc.get_freeze_count() == 0
    with Runner(2, _setup, ("set up",)) as runner:
        results = list(runner.run(_frozen_in_worker, [1, 2, 3, 4]))
        assert gc.get_freeze_count() == 0  # the parent's own heap is collected as before
    assert {marker for marker, _ in results} == {"set up"}
    assert all(frozen > 1000 for _, frozen in results)  # the parent's heap, out of the workers' collections


def test_a_heap_the_caller_froze_stays_frozen() -> None:
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with Runner(2, _setup, ("set up",)) as runner:
            list(runner.run(_frozen_in_worker, [1, 2]))
        assert gc.get_freeze_count() == before
    finally:
        gc.unfreeze()
