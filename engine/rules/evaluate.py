"""Rules on one plan: a rule's `let:` values are computed once per item, in order, then its
compiled `when:` runs in the sandbox over the plan's data and those values, and a rule that
holds becomes a Finding located at the plan line it points at (its message sees the values too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ..i18n import LANGS
from ..model.plan import Comment, Locator, dotted, get_path
from ..model.report import Finding, FindingText, Problem
from .pack import Rule, RuleSet
from ..model.platforms import group_profile, platform_profile
from .reading import placeholders, texts
from .scope import admits, group_platform, plan_platforms

@dataclass
class Outcome:
    """What the rules made of one plan."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    engine_errors: list[Problem] = field(default_factory=list)


def context(plan_data: dict, facts: dict, today: date, comments: Iterable[Comment] = ()) -> dict[str, Any]:
    """The names an expression sees: the plan, the facts, the plan's platform facts, today, the
    plan's comments as {line, text, path} (what the author noted beside the answers), and the
    placeholder test the `present` test reads."""
    return {"plan": plan_data, "facts": facts, "platform": platform_profile(plan_data, facts),
            "today": today.isoformat(), "_placeholder": placeholders(facts),
            "comments": [{"line": c.line, "text": c.text, "path": c.path} for c in comments]}


def ignore_list(plan_data: dict) -> list[tuple[str, str]]:
    check = plan_data.get("check") if isinstance(plan_data.get("check"), dict) else {}
    out = []
    for entry in check.get("ignore") or []:
        if isinstance(entry, str):
            out.append((entry, ""))
        elif isinstance(entry, dict) and isinstance(entry.get("rule"), str):
            out.append((entry["rule"], str(entry.get("reason") or "")))
    return out


def evaluate(rules: RuleSet, data: dict, locator: Locator, file: str, *,
             today: date | None = None, ignore: Iterable[str] = (), only: Iterable[Rule] | None = None) -> Outcome:
    """Run rules over one plan's data; a rule that fails to evaluate is an engine error, not a crash."""
    today = today or date.today()
    base = dict(rules.env_globals, **context(data, rules.facts, today, locator.comments))
    plan_ignores = {rid: reason for rid, reason in ignore_list(data)}
    run_ignores = set(ignore)
    outcome = Outcome()
    in_use = plan_platforms(data, rules.facts)
    kind = (data.get("positioning") or {}).get("kind") if isinstance(data.get("positioning"), dict) else None
    as_written = _starter_text_answered(base, data, rules.facts)
    for rule in (only if only is not None else rules.rules):
        if not admits(rule.platforms, rule.kinds, in_use, kind):
            continue
        per_group = rule.each == ("structure", "groups")
        items: list[tuple[tuple, Any]]
        if rule.each is not None:
            seq = get_path(data, rule.each)
            items = [(rule.each + (i,), item) for i, item in enumerate(seq)] if isinstance(seq, list) else []
        else:
            items = [((), None)]
        for prefix, item in items:
            ctx = _Scope(base, item=item, index=prefix[-1] if prefix else None)
            if per_group:  # each group is judged by its own platform's profile and scope
                if not admits(rule.platforms, None, frozenset({group_platform(item, data, rules.facts)}), kind):
                    continue
                ctx["platform"] = group_profile(item, data, rules.facts)
            try:
                ctx.pending = dict(rule.lets)
                fired = _holds(rule.condition, ctx)
                texts = _texts(rule, ctx.settled()) if fired else {}
                severity = rule.severity
                if fired and severity != "info" and as_written is not None:
                    again = _Scope(as_written, item=item, index=ctx["index"], platform=ctx["platform"])
                    again.pending = dict(rule.lets)
                    if not _holds(rule.condition, again):
                        severity = "info"  # only untouched starter text makes it hold: a sample not yet replaced
            except Exception as e:  # SecurityError, TypeError in a user expression, ...
                line, col = locator.value(prefix)
                outcome.engine_errors.append(Problem(
                    "rule-failed", _rule_failed(rule, e), file, line, col, dotted(prefix)))
                continue
            if not fired:
                continue
            path = _pick_path(rule, prefix, locator)
            line, col = _locate(locator, path)
            finding = Finding(rule.id, rule.sin, rule.category, severity, texts, file, line, col,
                              dotted(path), rule.weight, rule.basis)
            names = {rule.id, *rule.aliases}
            hit = next((n for n in names if n in plan_ignores), None)
            if hit is not None or names & run_ignores:
                source = "plan" if hit is not None else "cli"
                outcome.suppressed.append({"rule": rule.id, "reason": plan_ignores.get(hit, "") if hit else "",
                                           "source": source, "line": line, "path": dotted(path)})
                continue
            outcome.findings.append(finding)
    outcome.findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return outcome


def _starter_text_answered(base: dict[str, Any], data: dict, facts: dict) -> dict[str, Any] | None:
    """The names the rules see when the starter's sample text is read as an answer, for a plan that
    still holds some (None otherwise). A finding that holds only because a sample was not replaced
    yet is reported at info level: the operator has not answered, and the placeholder finding
    already lists where (issue 12: a fresh starter passes `check`)."""
    test = base["_placeholder"]
    if not test.starters or not any(test.is_starter(text) for text in texts(data)):
        return None
    return dict(base, _placeholder=placeholders(facts, starter_texts=False))


class _Scope(dict):
    """The names one rule sees on one item, its `let:` values computed on first use: a `when:`
    that fails early never pays for the named values it did not read. Jinja resolves a name by
    asking `name in scope` and then `scope[name]`, which is where a pending value is computed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: dict[str, Any] = {}

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self.pending

    def __missing__(self, key: str) -> Any:
        if key not in self.pending:
            raise KeyError(key)
        value = _value(self.pending.pop(key), self)
        self[key] = value
        return value

    def settled(self) -> dict[str, Any]:
        """Every value computed, in `let:` order (a message may read any of them)."""
        for name in list(self.pending):
            self[name]
        return self


def _value(template: Any, variables: dict[str, Any]) -> Any:
    """Run a compiled expression on one context. What jinja2's TemplateExpression does, minus
    copying the environment's globals for every call: they are already in `variables`."""
    context = template.new_context(variables, shared=True)
    for _ in template.root_render_func(context):
        pass
    return context.vars.get("result")


def _holds(template: Any, variables: dict[str, Any]) -> bool:
    """Whether a compiled `when:` holds; an undefined result does not."""
    from jinja2 import Undefined

    result = _value(template, variables)
    return bool(result) and not isinstance(result, Undefined)


def _pick_path(rule: Rule, prefix: tuple, locator: Locator) -> tuple:
    candidates = [prefix + at for at in rule.at]
    for path in candidates:
        if locator.has(path):
            return path
    return candidates[0]


def _locate(locator: Locator, path: tuple) -> tuple[int, int]:
    """The key's position for a field that exists; the nearest existing parent's otherwise."""
    return locator.key(locator.nearest(path))


def _rule_failed(rule: Rule, error: Exception) -> dict[str, str]:
    return {"id": rule.id, "error": f"{type(error).__name__}: {error}"}


def _texts(rule: Rule, values: dict[str, Any]) -> dict[str, FindingText]:
    """A fired rule's texts in every language, its message rendered here, in the sandbox and
    under the evaluation's bound (model.report.Finding says why not at output)."""
    return {lg: FindingText(rule.title[lg], rule.message_template(lg).render(**values).strip(),
                            rule.rationale[lg], rule.remedy[lg]) for lg in LANGS}
