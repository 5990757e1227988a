"""Running compiled rule expressions on one plan, cheaply: one Jinja context for all of a plan's
expressions instead of a new one per expression (a check runs about a thousand per plan), and a
rule's `let:` values computed on first use.

The environment (the sandbox with its checks) and the compiled code are the same as ever; only
the plumbing between them is shared. Imported on first use, so `import qunce.cli` stays free of
Jinja2.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Undefined
from jinja2.runtime import Context
from jinja2.utils import missing


class RuleContext(Context):
    """The names one rule sees on one item, reused item after item (`enter`) within one plan's
    evaluation and never shared between evaluations (or threads).

    A compiled expression resolves every name it reads before it computes anything, then stores
    its value as `result` and nothing else; `run` takes that value out again, so the next
    expression starts, as with a fresh context, from empty `vars`. A pending `let:` value is
    computed when an expression first asks for it: a message that reads it pays, a rule whose
    condition never names it does not."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment, {}, None, {})
        self.pending: dict[str, Any] = {}

    def enter(self, names: dict[str, Any], pending: dict[str, Any]) -> None:
        """Start one rule on one item: `names` is this item's own dict (let: values land in it)."""
        self.parent = names
        self.pending = pending
        self.vars.clear()

    def resolve_or_missing(self, key: str) -> Any:
        names = self.parent
        if key in names:
            return names[key]
        pending = self.pending
        if key in pending:
            value = names[key] = self.run(pending.pop(key))
            return value
        return missing

    def run(self, template: Any) -> Any:
        """A compiled expression's value (what jinja2's TemplateExpression gives, without copying
        the environment's globals for every call: they are already among the names)."""
        for _ in template.root_render_func(self):
            pass
        return self.vars.pop("result", None)

    def holds(self, template: Any) -> bool:
        """Whether a compiled `when:` holds; an undefined result does not."""
        result = self.run(template)
        return bool(result) and not isinstance(result, Undefined)

    def settled(self) -> dict[str, Any]:
        """Every name with every `let:` value computed, in `let:` order (a message may read any)."""
        for name in list(self.pending):
            self.resolve_or_missing(name)
        return self.parent
