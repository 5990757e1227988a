"""Untrusted evaluation where it can be stopped for real: a forked worker, killed at its deadline.

A SIGALRM timer cannot interrupt one long C call (a huge join, a sort of a big list), cannot be
set outside the main thread (the local page's request handlers), and does nothing about memory.
A child process can be killed whatever it is doing, from any thread. So work that runs user rule
packs or templates is forked: the child lowers its address-space limit (RLIMIT_AS) to what it
inherited plus MEMORY_BYTES, runs the work, and sends back the pickled result or exception
through a pipe; the parent waits at most until the deadline, then kills it. Ctrl-C (or SIGTERM)
in the parent kills the child on the way out too, and the child itself dies of the terminal's
SIGINT by default, so nothing is left running.

The pickle comes from our own child, which ran the user's code only inside the sandbox, so it
holds plain data (results, documents, QunceErrors). Fork keeps start-up cheap (a few ms: the rule
packs are already compiled in the parent) and needs nothing pickled on the way in.
"""

from __future__ import annotations

import gc
import math
import os
import pickle
import selectors
import signal
import time
from typing import Any, Callable, TypeVar

from ..errors import QunceError

MEMORY_BYTES = 512 * 1024 * 1024  # address space a worker may add to what it inherits
T = TypeVar("T")
_inside = False  # True in a worker: nested bounds run in-process, under the worker's own bound


class BoundExceeded(QunceError):
    """User-supplied work passed one of its bounds (time or memory)."""


class TimeLimitExceeded(BoundExceeded):
    """User-supplied work ran past its time bound."""


class MemoryLimitExceeded(BoundExceeded):
    """User-supplied work asked for more memory than its bound."""


def available() -> bool:
    """Whether work can be isolated here (POSIX with fork and resource limits)."""
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return hasattr(os, "fork") and not _inside


def inside() -> bool:
    """Whether this process is an isolation worker."""
    return _inside


def run(fn: Callable[..., T], *args: Any, limit: float, what: str, memory: int = MEMORY_BYTES,
        **kwargs: Any) -> T:
    """`fn(*args, **kwargs)` in a forked worker: its result, or its exception raised here;
    TimeLimitExceeded when it runs past `limit` seconds (then it is killed), MemoryLimitExceeded
    when it dies for want of memory."""
    read_end, write_end = os.pipe()
    gc.freeze()  # the parent's objects out of the worker's collections: no copy-on-write of every page
    pid = -1
    try:
        pid = os.fork()
    finally:
        if pid != 0:
            gc.unfreeze()
    if pid == 0:  # the worker: never returns
        os.close(read_end)
        _work(write_end, memory, fn, args, kwargs)
    os.close(write_end)
    finished = False
    try:
        data = _read(read_end, limit)
        if data is None:
            raise TimeLimitExceeded("time-limit", {"what": what, "seconds": f"{limit:g}"})
        _, status = os.waitpid(pid, 0)
        finished = True
        return _outcome(data, status, what, memory)
    finally:
        os.close(read_end)
        if not finished:  # deadline, Ctrl-C, SIGTERM: the worker does not outlive its caller
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)


def _read(fd: int, limit: float) -> bytes | None:
    """Everything the worker writes until it closes the pipe, or None at the deadline."""
    deadline = time.monotonic() + limit if math.isfinite(limit) and limit > 0 else math.inf
    chunks = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if not selector.select(None if math.isinf(remaining) else remaining):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _outcome(data: bytes, status: int, what: str, memory: int) -> Any:
    """The worker's result, or its exception raised here."""
    try:
        ok, value = pickle.loads(data) if data else (False, None)
    except Exception:  # half a pickle: the worker died while writing it
        ok, value = False, None
    if ok:
        return value
    if isinstance(value, MemoryError) or value is None:  # no answer at all: killed for memory (or crashed)
        raise MemoryLimitExceeded("memory-limit", {"what": what, "mib": memory >> 20,
                                                   "status": _status(status)}) from None
    raise value


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}" if os.WIFEXITED(status) else str(status)


def _work(fd: int, memory: int, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """The worker's whole life: bound itself, run, answer, exit without the parent's clean-up."""
    global _inside
    code = 0
    try:
        _inside = True
        gc.disable()  # short-lived and memory-bounded: collecting would touch (and copy) the parent's pages
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)  # die at once: the parent cleans up and reports
        _limit_memory(memory)
        try:
            payload: tuple[bool, Any] = (True, fn(*args, **kwargs))
        except BaseException as err:  # sent to the parent, which raises it there
            payload = (False, err)
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps((False, MemoryError()))
        except Exception as err:  # an unpicklable result: say what, not a broken pipe
            data = pickle.dumps((False, QunceError("internal-error", {"error": f"{type(err).__name__}: {err}"})))
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BaseException:
        code = 70
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffered output twice


def _limit_memory(memory: int) -> None:
    """RLIMIT_AS = the address space inherited from the parent + `memory`, never above a hard limit."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        current = memory
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = current + memory
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
