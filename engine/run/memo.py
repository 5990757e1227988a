"""What one plan's evaluation has already asked its pure filters: dozens of rules (and each of
a plan's hundreds of sessions) ask `plan.structure.groups | pluck('name')` or `item |
sop_tasks(plan, facts)` again, and each answer depends on its arguments only.

The memo lives exactly as long as one `evaluate()` call (`remembering`) and belongs to the
thread or worker running it (a context variable): nothing carries over to another plan, another
thread or a later run, and outside an evaluation a filter is simply called. The plan does not
change while its rules run (the sandbox is immutable), so a record or a list argument is known
by its identity; the memo holds every argument it keyed by identity, so no other object can take
that identity while the answer is remembered. Arguments of any other kind than plain data (an
undefined name, a generator) are not remembered at all.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, Callable, Iterator

_memo: ContextVar[dict | None] = ContextVar("qunce_rule_memo", default=None)
_SCALARS = frozenset({str, int, float, bool, type(None)})


@contextmanager
def remembering() -> Iterator[None]:
    """Pure filters remember their answers inside this block (one plan's evaluation)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` (pure: its answer depends on its positional arguments only, and it changes none of
    them) answering from the current evaluation's memo when it has been asked the same before."""

    @wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        memo = _memo.get()
        if memo is None or kwargs:
            return fn(*args, **kwargs)
        key: list[Any] = [call]
        for arg in args:
            kind = type(arg)
            if kind is dict or kind is list:
                key.append(id(arg))
            elif kind in _SCALARS:
                key.append((kind, arg))  # 1, 1.0 and True stay apart; never equal to an id
            else:
                return fn(*args)
        frozen = tuple(key)
        hit = memo.get(frozen)
        if hit is not None:
            return hit[1]
        value = fn(*args)
        memo[frozen] = (args, value)  # holding the arguments keeps their identities theirs
        return value

    return call
