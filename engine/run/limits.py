"""Wall-clock bounds for work driven by user input (rule packs, custom templates).

The sandbox bounds what one expression can build, but not how long nested loops in a custom
template run; a SIGALRM timer does. Where no timer can be set (Windows, a thread other than the
main one) the bound is skipped rather than failing; an outer bound already running is kept.
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from ..errors import QunceError

FILE_SECONDS = 10.0  # loading, validating and diagnosing one plan
RENDER_SECONDS = 10.0  # rendering one document


class TimeLimitExceeded(QunceError):
    """User-supplied work ran past its time bound."""


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
