"""The sandbox every user-supplied expression and template runs in.

Rule packs and templates may come from anyone, so they run in Jinja2's immutable sandbox (no
attribute tricks, no mutation of the plan) with arithmetic bounded so that `10**10**10` or
`'x' * 10**9` cannot hang or exhaust the machine. Rules (rules.vocabulary), SOP task texts
(schedule) and documents (output.templating) all build on this one class.
"""

from __future__ import annotations

import operator
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_POWER = 64
MAX_SEQUENCE = 100_000


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with `*` and `**` bounded (Jinja2 leaves them unbounded)."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_POWER:
                raise SecurityError(f"exponent {right} is over the limit of {MAX_POWER}")
            return operator.pow(left, right)
        if operator_name == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_SEQUENCE:
                    raise SecurityError(f"a repeated sequence over {MAX_SEQUENCE} items")
            return operator.mul(left, right)
        return super().call_binop(context, operator_name, left, right)
