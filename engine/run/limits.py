"""Time and memory bounds for work driven by user input (plans, rule packs, custom templates).

The sandbox (run.sandbox) refuses single operations whose result would pass its caps; what is
left (nested loops, output built piece by piece) is bounded here, through ONE entry point,
`bounded()`, which engine.api applies to every call that runs user-supplied work:

- work that runs a user's rule packs or templates runs in a forked worker (run.isolate), killed
  at its deadline whatever it is doing, with its address space bounded (MEMORY_BYTES more than
  it inherits);
- trusted work (the bundled playbook and templates on plan data, itself capped by the loader)
  runs in-process under a SIGALRM timer, which keeps `qunce check` as fast as before;
- outside the main thread (the local page's request handlers) no timer can be set, so there
  every bounded call is isolated as well. Without fork (Windows) the timer is all there is.
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TypeVar

from .isolate import MEMORY_BYTES, BoundExceeded, MemoryLimitExceeded, TimeLimitExceeded

__all__ = ["FILE_SECONDS", "RENDER_SECONDS", "MEMORY_BYTES", "BoundExceeded", "TimeLimitExceeded",
           "MemoryLimitExceeded", "seconds", "time_limit", "bounded"]
T = TypeVar("T")

FILE_SECONDS = 10.0  # loading, validating and diagnosing one plan
RENDER_SECONDS = 10.0  # rendering one document


class _Alarm(BaseException):
    """What the timer raises inside the bounded work. Not an Exception, like KeyboardInterrupt:
    the work's own broad handlers (a rule that fails, a plan without a schedule, a library's
    `except Exception`) cannot swallow it; time_limit turns it into TimeLimitExceeded on the way out."""


def seconds(default: float) -> float:
    """QUNCE_TIME_LIMIT (seconds) overrides every bound, e.g. for a slow machine or a test."""
    try:
        return float(os.environ.get("QUNCE_TIME_LIMIT", default))
    except ValueError:
        return default


def bounded(fn: Callable[..., T], *args: Any, limit: float, what: str, untrusted: bool, **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` within `limit` seconds: in a killable, memory-bounded worker when it
    runs untrusted packs or templates (or when no timer can be set here), else in-process under
    the timer. Raises TimeLimitExceeded or MemoryLimitExceeded; inside a worker, nested bounds run
    in-process (the worker's own deadline still holds)."""
    from . import isolate

    on_main = threading.current_thread() is threading.main_thread()
    if isolate.available() and (untrusted or not on_main):
        return isolate.run(fn, *args, limit=limit, what=what, **kwargs)
    with time_limit(limit, what):
        return fn(*args, **kwargs)


@contextmanager
def time_limit(limit: float, what: str) -> Iterator[None]:
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and limit > 0 and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Alarm

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        try:
            yield
        finally:  # disarmed first, so an alarm can only arrive where the except below sees it
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Alarm:
        raise TimeLimitExceeded("time-limit", {"what": what, "seconds": f"{limit:g}"}) from None
    finally:
        signal.signal(signal.SIGALRM, previous)
