"""The one process pool: build and check run their per-locale (and per-page) work through it.

Each worker process is set up once by an initializer (it parses nothing twice: the
sources arrive with the initializer's arguments) and keeps its state in
:data:`STATE` for the tasks that follow. With one job, or one task, the work runs
in this process, with the same initializer, so the results are the same either way.

Worker processes die with the build: on Linux the kernel kills them the moment
the build dies (``PR_SET_PDEATHSIG``), and everywhere a thread in each worker
exits it within half a second of noticing its parent is gone (:func:`_watch_parent`),
so a killed build's workers never hold on to its lock. A write that fails in a
worker (a full disk) comes back as one error, like an input error.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from carepages.errors import CarepagesError, DiskError, raise_all, write_error

#: The current process's worker state, set by the pool's initializer.
STATE: dict[str, Any] = {}
_PR_SET_PDEATHSIG = 1


def available_cores() -> int:
    """The cores this process may run on (a container's or a CI runner's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


#: Tasks per worker: enough that none idles at the end, few enough to stay cheap.
TASKS_PER_WORKER = 4
T = TypeVar("T")


def chunked(items: list[T], total: int, jobs: int) -> Iterator[list[T]]:
    """``items`` in tasks sized so that ``total`` items over ``jobs`` workers keep every worker busy to
    the end; in one process (``jobs`` 1), one task."""
    size = max(1, -(-total // (TASKS_PER_WORKER * jobs))) if jobs > 1 else max(len(items), 1)
    return (items[start : start + size] for start in range(0, len(items), size))


def default_jobs() -> int:
    """Worker processes when none are asked for: the available cores that other work keeps busy now.

    On a machine already busy, more processes than idle cores only compete with each
    other and with what runs there (a build with two workers was measured slower than
    one on a loaded machine). "Now" is the kernel's count of runnable processes, not the
    one-minute load average: that still counts the step that has just finished (the
    extract and update before a build, a benchmark's previous run), and on two cores it
    made every such build run with one worker. One job runs in this process. Outputs do
    not depend on it.
    """
    cores = available_cores()
    busy = _busy_elsewhere()
    return cores if busy is None else max(1, min(cores, cores - busy))


def _busy_elsewhere(loadavg: Path = Path("/proc/loadavg"), readings: int = 5, pause: float = 0.02) -> int | None:
    """Processes runnable right now besides this one (Linux's /proc/loadavg), else the rounded
    one-minute load average; None where the platform has neither.

    The fewest of up to ``readings`` readings ``pause`` seconds apart (only a busy first reading
    is repeated): a process that runs for an instant (a kernel thread writing back a folder
    just copied or removed, a short-lived command) is runnable in one reading, and that one
    reading made a 14-minute build at 1000 pages x 20 locales run with one worker of two.
    """
    fewest: int | None = None
    for reading in range(readings):
        with contextlib.suppress(OSError, IndexError, ValueError):
            running = max(0, int(loadavg.read_text(encoding="ascii").split()[3].split("/")[0]) - 1)
            fewest = running if fewest is None else min(fewest, running)
        if not fewest or reading == readings - 1:  # idle, or no /proc/loadavg: nothing to read again
            break
        time.sleep(pause)
    if fewest is not None:
        return fewest
    try:
        return round(os.getloadavg()[0])
    except (AttributeError, OSError):
        return None


@dataclass(frozen=True)
class Failure:
    """A task's input errors, as plain data (exceptions with extra fields do not pickle well)."""

    errors: list[tuple[str, str | None, int | None, str | None]]
    disk: bool = False  # a write failed (a full disk): one error is enough, however many tasks met it

    @classmethod
    def of(cls, exc: CarepagesError) -> Failure:
        found = getattr(exc, "errors", None) or [exc]
        errors = [(e.message, str(e.path) if e.path else None, e.line, e.hint) for e in found]
        return cls(errors, isinstance(exc, DiskError))

    def exceptions(self) -> list[CarepagesError]:
        kind = DiskError if self.disk else CarepagesError
        return [kind(message, path, line, hint) for message, path, line, hint in self.errors]


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
        except OSError as exc:  # a full disk while writing the staging or work folder
            return Failure.of(write_error(exc))

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
        disk: list[CarepagesError] = [failure for failure in failures if isinstance(failure, DiskError)]
        raise_all(disk[:1] or failures)  # a full disk: one error, not one per worker

    def _results(self, task: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        if self.jobs <= 1 or (len(items) <= 1 and self.pool is None):
            self._start_local()
            yield from (task(item) for item in items)
            return
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                self.jobs,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(os.getpid(), self.initializer, self.init_args),
            )
        futures = self._submit_forking(self.pool, task, items)
        for future in as_completed(futures):
            yield future.result()

    @staticmethod
    def _submit_forking(pool: ProcessPoolExecutor, task: Callable[[Any], Any], items: list[Any]) -> list[Future[Any]]:
        """Submit ``items``; a pool's first submission forks every worker, with this process's heap frozen.

        Objects alive at the fork (the parsed sources, the run's context) then stay out of
        the workers' cyclic collections, which would walk them all and free nothing: the
        pattern Python's ``gc.freeze`` documentation gives for ``fork``. This process
        unfreezes its heap at once (unless its caller had frozen some: that is left as it
        was). A 200 x 10 build, paired: 0.98 of the user time.
        """
        mine = gc.get_freeze_count() == 0
        if mine:
            gc.freeze()
        try:
            return [pool.submit(task, item) for item in items]
        finally:
            if mine:
                gc.unfreeze()

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


def _context() -> multiprocessing.context.BaseContext:
    """``fork`` on Linux (whatever the Python version's default): workers are children of the build itself.

    Python 3.14 makes ``forkserver`` the default there, whose workers are the server's
    children; the parent checks below (and the inherited state) assume the build's.
    Elsewhere the platform's default (``spawn``), whose workers are the build's children too.
    """
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


class LazyRunner:
    """A :class:`Runner` started on first use, if any work needs one (a context manager that closes it)."""

    def __init__(self, jobs: int, initializer: Callable[..., None], init_args: tuple[Any, ...]) -> None:
        self.jobs = jobs
        self.setup = (initializer, init_args)
        self.runner: Runner | None = None

    def __call__(self, tasks: int | None = None) -> Runner:
        """The runner; the first call sizes it (no more workers than ``tasks``, when known)."""
        if self.runner is None:
            self.runner = Runner(min(self.jobs, tasks or self.jobs), *self.setup)
        return self.runner

    def __enter__(self) -> LazyRunner:
        return self

    def __exit__(self, *_: object) -> None:
        if self.runner is not None:
            self.runner.close()


def _init_worker(parent: int, initializer: Callable[..., None], init_args: tuple[Any, ...]) -> None:
    _die_with_parent()
    if os.getppid() != parent:  # the build died before this worker got here
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    initializer(*init_args)


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker the moment the build dies (``PR_SET_PDEATHSIG``).

    The parent watcher below does the same everywhere within half a second; this leaves
    no moment at all in which a killed build's workers hold its lock.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """Exit when the parent process is gone: a killed build must not leave workers holding its lock."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(interval)
