"""Rules on one plan: a rule's `let:` values are computed once per item, on first use, and its
compiled `when:` runs in the sandbox over the plan's data and those values, and a rule that
holds becomes a Finding located at the plan line it points at (its message sees the values too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from ..i18n import LANGS
from ..model.plan import Comment, Locator, dotted, get_path
from ..model.report import Finding, FindingText, Problem
from .pack import Rule, RuleSet
from ..model.platforms import group_profile, platform_profile
from .reading import all_text, clauses, negating, placeholders
from .notes import joined
from .scope import admits, group_platform, main_platforms, plan_platforms

if TYPE_CHECKING:
    from .expression import RuleContext


@dataclass
class Outcome:
    """What the rules made of one plan."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    engine_errors: list[Problem] = field(default_factory=list)


def context(plan_data: dict, facts: dict, today: date, comments: Iterable[Comment] = (),
            prose_line: int = 0) -> dict[str, Any]:
    """The names an expression sees: the plan, the facts, the plan's platform facts, today, the
    plan's comments as {line, text, path} (what the author noted beside the answers) followed by the
    strategy's sentences (`prose_notes`, written at `prose_line`), and the placeholder test the
    `present` test reads."""
    return {"plan": plan_data, "facts": facts, "platform": platform_profile(plan_data, facts),
            "today": today.isoformat(), "_placeholder": placeholders(facts),
            "comments": joined(comments) + prose_notes(plan_data, prose_line)}


PROSE = ("positioning", "strategy")  # where operators write the group's story when a plan has no other place


def prose_notes(plan_data: dict, line: int = 0) -> list[dict[str, Any]]:
    """The sentences of the strategy, read as notes too: an operator who writes "老成员嫌吵走了不少，现在
    大家都怕说话" there tells the group's state as plainly as in a comment. Each is marked `prose`,
    so a rule about the comments themselves (what they leave undecided, on which line) can skip it."""
    section = plan_data.get(PROSE[0]) if isinstance(plan_data, dict) else None
    text = section.get(PROSE[1]) if isinstance(section, dict) else None
    if not isinstance(text, str):
        return []
    return [{"line": line, "text": part, "path": ".".join(PROSE), "prose": True} for part in clauses(text)]


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
    from ..run.memo import remembering

    # the plan does not change while its rules run: pure filters answer once; keyword readers skip
    # what the operator negated (不删消息), by the rule set's facts.negation
    with remembering(), negating(rules.negation):
        return _evaluate(rules, data, locator, file, today, ignore, only)


def _evaluate(rules: RuleSet, data: dict, locator: Locator, file: str, today: date | None,
              ignore: Iterable[str], only: Iterable[Rule] | None) -> Outcome:
    from .expression import RuleContext

    today = today or date.today()
    prose_line = locator.value(PROSE)[0] if locator.has(PROSE) else 0
    base = dict(rules.env_globals, **context(data, rules.facts, today, locator.comments, prose_line))
    plan_ignores = {rid: reason for rid, reason in ignore_list(data)}
    run_ignores = set(ignore)
    outcome = Outcome()
    ctx: RuleContext | None = None  # one for the whole plan (rules.expression)
    again: RuleContext | None = None  # the same, for the plan read with its starter text as answers
    groups: dict[int, tuple[frozenset, dict]] = {}  # each group's platform and profile
    in_use = plan_platforms(data, rules.facts)  # for rules about each group
    main = main_platforms(data, rules.facts)  # for rules about the whole plan
    kind = (data.get("positioning") or {}).get("kind") if isinstance(data.get("positioning"), dict) else None
    as_written = _starter_text_answered(base, data, rules.facts)
    for rule in (only if only is not None else rules.rules):
        per_group = rule.each == ("structure", "groups")
        if not admits(rule.platforms, rule.kinds, in_use if per_group else main, kind):
            continue
        items: list[tuple[tuple, Any]]
        if rule.each is not None:
            seq = get_path(data, rule.each)
            items = [(rule.each + (i,), item) for i, item in enumerate(seq)] if isinstance(seq, list) else []
        else:
            items = [((), None)]
        if rule.basis == "observed" and rule.each is None:  # then each group's own figures, if the whole did not fire
            items += [(("observed", "groups", i), _Figures(g, data)) for i, g in enumerate(observed_groups(data))]
        known: dict[str, Any] = {}  # this rule's let: values that are the same for every item
        for prefix, item in items:
            if isinstance(item, _Figures):
                if any(f.rule == rule.id for f in outcome.findings) or not admits(
                        rule.platforms, None, frozenset({group_platform(item.spec, data, rules.facts)}), kind):
                    continue
                scope = dict(base, item=None, index=None, plan=item.plan,
                             platform=group_profile(item.spec, data, rules.facts))
                ctx = RuleContext(rule.condition.environment)
                try:
                    ctx.enter(scope, dict(rule.lets))
                    fired = _holds(ctx, rule.condition)
                    values = ctx.settled() if fired else {}
                    found = _texts(rule, values, item.name) if fired else {}
                except Exception as e:
                    line, col = locator.value(prefix)
                    outcome.engine_errors.append(Problem("rule-failed", _rule_failed(rule, e), file, line, col,
                                                         dotted(prefix)))
                    continue
                if fired:
                    _add(outcome, rule, rule.severity, found, locator, file, prefix, plan_ignores, run_ignores)
                continue
            scope = dict(base, item=item, index=prefix[-1] if prefix else None)
            if per_group:  # each group is judged by its own platform's profile and scope
                if prefix[-1] not in groups:  # worked out once per group, not once per group rule
                    groups[prefix[-1]] = (frozenset({group_platform(item, data, rules.facts)}),
                                          group_profile(item, data, rules.facts))
                platform, profile = groups[prefix[-1]]
                if not admits(rule.platforms, None, platform, kind):
                    continue
                scope["platform"] = profile
            if ctx is None or ctx.environment is not rule.condition.environment:
                ctx = RuleContext(rule.condition.environment)
            try:
                if known:
                    scope.update(known)
                    ctx.enter(scope, {name: code for name, code in rule.lets if name not in known})
                else:
                    ctx.enter(scope, dict(rule.lets))
                fired = _holds(ctx, rule.condition)
                values = ctx.settled() if fired else {}
                found = _texts(rule, values) if fired else {}
                if rule.plan_lets:
                    known.update((name, scope[name]) for name in rule.plan_lets if name in scope)
                severity = rule.severity
                if fired and severity != "info" and as_written is not None:
                    if again is None or again.environment is not rule.condition.environment:
                        again = RuleContext(rule.condition.environment)
                    again.enter(dict(as_written, item=item, index=scope["index"], platform=scope["platform"]),
                                dict(rule.lets))
                    if not _holds(again, rule.condition):
                        severity = "info"  # only untouched starter text makes it hold: a sample not yet replaced
            except Exception as e:  # SecurityError, TypeError in a user expression, ...
                line, col = locator.value(prefix)
                outcome.engine_errors.append(Problem(
                    "rule-failed", _rule_failed(rule, e), file, line, col, dotted(prefix)))
                continue
            if fired:
                _add(outcome, rule, severity, found, locator, file, prefix, plan_ignores, run_ignores)
    outcome.findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return outcome


def _add(outcome: Outcome, rule: Rule, severity: str, found: dict[str, FindingText], locator: Locator, file: str,
         prefix: tuple, plan_ignores: dict[str, str], run_ignores: set[str]) -> None:
    """A fired rule's finding, located at the plan line it points at, or its suppression."""
    if prefix[:2] == ("observed", "groups"):  # a group's figures: observed.x is the group's x
        at = [prefix + a[1:] for a in rule.at if a[:1] == ("observed",)] + [prefix]
        path = next((a for a in at if locator.has(a)), at[0])
    else:
        path = _pick_path(rule, prefix, locator)
    line, col = _locate(locator, path)
    names = {rule.id, *rule.aliases}
    hit = next((n for n in names if n in plan_ignores), None)
    if hit is not None or names & run_ignores:
        source = "plan" if hit is not None else "cli"
        outcome.suppressed.append({"rule": rule.id, "reason": plan_ignores.get(hit, "") if hit else "",
                                   "source": source, "line": line, "path": dotted(path)})
        return
    outcome.findings.append(Finding(rule.id, rule.sin, rule.category, severity, found, file, line, col,
                                    dotted(path), rule.weight, rule.basis))


def observed_groups(data: dict) -> list[dict]:
    """observed.groups: the figures of each group, where the plan gives them per group."""
    groups = (data.get("observed") or {}).get("groups") if isinstance(data.get("observed"), dict) else None
    return [g for g in groups if isinstance(g, dict)] if isinstance(groups, list) else []


class _Figures:
    """One group's observed figures, judged as the plan's own (issue 12): a rule about the observed
    figures reads `plan.observed` as that group's, by that group's platform profile (the structure
    group of the same name), so a Telegram channel's discussion group is judged by a group's lines
    and a WeChat side group by WeChat's. Only where the whole plan's figures did not fire the rule:
    one trouble is counted once, at the group that shows it when the totals hide it."""

    def __init__(self, figures: dict, data: dict) -> None:
        self.name = str(figures.get("name") or "")
        groups = (data.get("structure") or {}).get("groups") if isinstance(data.get("structure"), dict) else None
        named = [g for g in groups if isinstance(g, dict) and g.get("name") == self.name] if isinstance(groups, list) else []
        self.spec: dict = named[0] if named else {}  # the structure group of that name: its platform
        top = data.get("observed") if isinstance(data.get("observed"), dict) else {}
        own = dict(figures)
        own.setdefault("as_of", top.get("as_of"))
        self.plan = dict(data, observed=own)


def _starter_text_answered(base: dict[str, Any], data: dict, facts: dict) -> dict[str, Any] | None:
    """The names the rules see when the starter's sample text is read as an answer, for a plan that
    still holds some (None otherwise). A finding that holds only because a sample was not replaced
    yet is reported at info level: the operator has not answered, and the placeholder finding
    already lists where (issue 12: a fresh starter passes `check`)."""
    test = base["_placeholder"]
    if not test.starters or not any(test.is_starter(text) for text in all_text(data)[0]):
        return None
    return dict(base, _placeholder=placeholders(facts, starter_texts=False))


def _holds(ctx: RuleContext, condition: Any) -> bool:
    """Whether a rule's compiled `when:` holds on the item `ctx` has entered."""
    return ctx.holds(condition)


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


def _texts(rule: Rule, values: dict[str, Any], group: str = "") -> dict[str, FindingText]:
    """A fired rule's texts in every language, its message rendered here, in the sandbox and
    under the evaluation's bound (model.report.Finding says why not at output); a group's own
    figures are named by the group."""
    lead = f"「{group}」" if group else ""
    return {lg: FindingText(rule.title[lg], lead + rule.message_template(lg).render(**values).strip(),
                            rule.rationale[lg], rule.remedy[lg]) for lg in LANGS}
