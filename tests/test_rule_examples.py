"""Every bundled rule's own pass and fail examples, run through the real engine.

Parametrised from the packs, so a new rule brings its cases with it, and a rule whose `fail`
examples do not fire (or whose `pass` examples do) fails here.
"""

from __future__ import annotations

import copy

import pytest

from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules
from qunce.engine.load.schema import validate_plan

from conftest import TODAY

RULES = load_rules().rules


def _plan(fragment: dict):
    """A fragment becomes a whole plan: version and a community name are added when absent."""
    import yaml

    data = copy.deepcopy(fragment)
    data.setdefault("version", 1)
    data.setdefault("community", {"name": "示例社群"})
    if isinstance(data["community"], dict):
        data["community"].setdefault("name", "示例社群")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return load_plan_bytes(text.encode("utf-8"), "example.yaml")


CASES = [(rule, kind, i, fragment) for rule in RULES for kind in ("fail", "pass")
         for i, fragment in enumerate(rule.examples[kind])]


@pytest.mark.parametrize("rule,kind,i,fragment", CASES,
                         ids=[f"{r.id}-{k}{i}" for r, k, i, _ in CASES])
def test_rule_example(rule, kind, i, fragment, ruleset):
    """A fail example fires the rule (with a located, non-empty message); a pass example does not."""
    plan = _plan(fragment)
    problems = validate_plan(plan, "en")
    assert not problems, f"{rule.id} {kind}[{i}] is not a valid plan: {[p.message for p in problems]}"
    for lang in ("zh", "en"):
        outcome = evaluate(ruleset, plan.data, plan.locator, plan.path, lang=lang, today=TODAY, only=[rule])
        assert not outcome.engine_errors, [e.message for e in outcome.engine_errors]
        hits = [f for f in outcome.findings if f.rule == rule.id]
        if kind == "fail":
            assert hits, f"{rule.id} did not fire on fail example {i}"
            for f in hits:
                assert f.message and "Undefined" not in f.message and f.line >= 1
        else:
            assert not hits, f"{rule.id} fired on pass example {i}: {hits[0].message}"


def test_every_rule_has_both_kinds_of_example():
    """The rule schema demands them; this guards the bundled packs against a schema slip."""
    for rule in RULES:
        assert rule.examples["fail"] and rule.examples["pass"], rule.id
