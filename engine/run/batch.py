"""Many inputs at once: the same results in the same order as one by one, spread over processes.

The caller gives the work as a module-level function of one input (picklable), plus an
initializer that prepares what the work needs in each worker (compiled rule packs cannot be
pickled, so each worker builds them once, or inherits them where processes fork). Only inputs
and results cross process boundaries. Small batches stay in-process: starting workers costs more
than it saves.

Interrupts: a terminal's Ctrl-C reaches the whole process group. Workers ignore SIGINT (their
parent decides), die at once on SIGTERM and SIGHUP, and are forked with those signals blocked, so
none can print a traceback half-started. When the parent is interrupted (or its consumer stops
early) it kills its workers and returns without waiting for them: no hang, no stray process.
"""

from __future__ import annotations

import os
import signal
from typing import Any, Callable, Iterator, Sequence, TypeVar

SERIAL_BELOW = 24  # inputs; below this a pool is slower than a loop
CHUNK = 16

T = TypeVar("T")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def run(items: Sequence[str], work: Callable[[str], T], *, jobs: int = 1,
        init: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> Iterator[T]:
    """`work(item)` for every item, yielded in input order."""
    if jobs <= 1 or len(items) < SERIAL_BELOW:
        if init is not None:
            init(*initargs)
        for item in items:
            yield work(item)
        return
    from concurrent.futures import ProcessPoolExecutor  # only batches pay for multiprocessing's import

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_start, initargs=(init, initargs))
    try:
        with _signals_blocked():  # the workers are forked here, inheriting the block
            results = pool.map(work, items, chunksize=CHUNK)
        yield from results
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


_STOPPING = (signal.SIGINT, signal.SIGTERM) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ())


class _signals_blocked:
    """Hold SIGINT, SIGTERM and SIGHUP while workers are forked (delivered right after)."""

    def __enter__(self) -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)

    def __exit__(self, *exc: object) -> None:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


def _worker_start(init: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """In each worker: leave Ctrl-C to the parent, die quietly on SIGTERM/SIGHUP, then prepare."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in _STOPPING[1:]:
        signal.signal(sig, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    if init is not None:
        init(*initargs)


def _stop(pool: Any) -> None:
    """Kill the workers and let the pool go without waiting for work that will never finish."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=2)
