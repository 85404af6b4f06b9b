"""The one process pool: build and check run their per-locale (and per-page) work through it.

Each worker process is set up once by an initializer (it parses nothing twice: the
sources arrive with the initializer's arguments) and keeps its state in
:data:`STATE` for the tasks that follow. With one job, or one task, the work runs
in this process, with the same initializer, so the results are the same either way.

Worker processes die with the build: a pool whose parent is killed (``kill -9``)
notices that its parent is gone and exits instead of holding on to the build's
lock (see :func:`_watch_parent`).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from carepages.errors import CarepagesError, raise_all

#: The current process's worker state, set by the pool's initializer.
STATE: dict[str, Any] = {}


def available_cores() -> int:
    """The cores this process may run on (a container's or a CI runner's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Failure:
    """A task's input errors, as plain data (exceptions with extra fields do not pickle well)."""

    errors: list[tuple[str, str | None, int | None, str | None]]

    @classmethod
    def of(cls, exc: CarepagesError) -> Failure:
        found = getattr(exc, "errors", None) or [exc]
        return cls([(e.message, str(e.path) if e.path else None, e.line, e.hint) for e in found])

    def exceptions(self) -> list[CarepagesError]:
        return [CarepagesError(message, path, line, hint) for message, path, line, hint in self.errors]


def guarded(task: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Decorate a module-level task: its input errors come back as a :class:`Failure`, not a crashed pool.

    ``functools.wraps`` gives the wrapper the task's module and name, so the pool can
    pickle it by reference like the plain function.
    """

    @functools.wraps(task)
    def run(item: Any) -> Any:
        try:
            return task(item)
        except CarepagesError as exc:
            return Failure.of(exc)

    return run


class Runner:
    """Runs tasks across processes (``jobs`` of them), or in this process for ``jobs=1``."""

    def __init__(self, jobs: int, initializer: Callable[..., None], init_args: tuple[Any, ...]) -> None:
        self.jobs = jobs
        self.initializer = initializer
        self.init_args = init_args
        self.pool: ProcessPoolExecutor | None = None
        self.local = False

    def run(self, task: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        """Yield the tasks' results as they complete; input errors of all of them are raised together."""
        failures: list[CarepagesError] = []
        for result in self._results(task, items):
            if isinstance(result, Failure):
                failures.extend(result.exceptions())
            else:
                yield result
        raise_all(failures)

    def _results(self, task: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        if self.jobs <= 1 or (len(items) <= 1 and self.pool is None):
            self._start_local()
            yield from (task(item) for item in items)
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                self.jobs, initializer=_init_worker, initargs=(os.getpid(), self.initializer, self.init_args)
            )
        futures: list[Future[Any]] = [self.pool.submit(task, item) for item in items]
        for future in as_completed(futures):
            yield future.result()

    def _start_local(self) -> None:
        if not self.local:
            self.initializer(*self.init_args)
            self.local = True

    def start(self, task: Callable[[Any], Any], item: Any) -> Future[Any]:
        """Queue one more task behind those already running (run here, at once, without a pool)."""
        if self.pool is not None:
            return self.pool.submit(task, item)
        self._start_local()
        done: Future[Any] = Future()
        done.set_result(task(item))
        return done

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
        if self.local:
            STATE.clear()

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _init_worker(parent: int, initializer: Callable[..., None], init_args: tuple[Any, ...]) -> None:
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    initializer(*init_args)


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """Exit when the parent process is gone: a killed build must not leave workers holding its lock."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(interval)
