"""Many inputs at once: the same results in the same order as one by one, spread over processes.

The caller gives the work as a module-level function of one input (picklable), plus an
initializer that prepares what the work needs in each worker (compiled rule packs cannot be
pickled, so each worker builds them once, or inherits them where processes fork). Only inputs
and results cross process boundaries. Small batches stay in-process: starting workers costs more
than it saves.
"""

from __future__ import annotations

import os
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

    with ProcessPoolExecutor(max_workers=jobs, initializer=init, initargs=initargs) as pool:
        yield from pool.map(work, items, chunksize=CHUNK)
