"""engine/output/rule_docs: a rule's page and `rules explain` show what the rule reads (its let:
values with their definitions, before the condition) and, when the rule states them, its scope
and basis."""

from __future__ import annotations

import copy

from qunce.engine.output.rule_docs import explain, markdown
from qunce.engine.rules.pack import RuleSet


def _one(ruleset, rule_id: str, **extra) -> RuleSet:
    """A rule set of one copied rule, with extra attributes (scope:, basis:) set on the copy."""
    rule = copy.copy(ruleset.get(rule_id))
    for key, value in extra.items():
        setattr(rule, key, value)
    return RuleSet([rule], ruleset.facts, ruleset.packs)


def test_explain_lists_let_values_in_order_before_the_condition(ruleset):
    text = explain(ruleset, "focus.too-many-goals", "en")
    lines = text.splitlines()
    assert "let:" in lines
    m = lines.index("  m = plan.positioning.motives | listify")
    p = lines.index("  p = plan.positioning.purposes | listify")
    when = next(i for i, line in enumerate(lines) if line.startswith("when: "))
    assert lines.index("let:") < m < p < when


def test_every_let_value_is_in_the_rule_reference(ruleset):
    doc = markdown(ruleset)
    lets = [(r, name) for r in ruleset.rules for name in r.let_text]
    assert len(lets) > 20
    for rule, name in lets:
        section = doc.split(f"### `{rule.id}`", 1)[1].split("\n### ", 1)[0]
        assert f"  - `{name}` = `" in section, (rule.id, name)
        assert section.index("命名值 / let:") < section.index("条件 / when:")


def test_rule_without_let_shows_no_let_heading(ruleset):
    assert "let:" not in explain(ruleset, "launch.no-mode", "zh")


def test_scope_and_basis_are_shown_when_the_rule_has_them(ruleset):
    rs = _one(ruleset, "focus.no-shared-interest", scope={"platforms": ["chat", "qq"], "kinds": ["interest"]},
              basis="missing")
    text = explain(rs, "focus.no-shared-interest", "zh")
    assert "scope: platforms: chat, qq; kinds: interest" in text.splitlines()
    assert "basis: missing" in text.splitlines()
    doc = markdown(rs)
    assert "- 适用范围 / scope: `platforms: chat, qq; kinds: interest`" in doc
    assert "- 依据类型 / basis: `missing`" in doc
    neutral = explain(_one(ruleset, "focus.no-shared-interest", scope="any"), "focus.no-shared-interest", "en")
    assert "scope: any" in neutral.splitlines()


def test_scope_and_basis_are_absent_when_the_rule_has_none(ruleset):
    rs = _one(ruleset, "focus.no-shared-interest", scope=None, basis=None)
    assert "scope:" not in explain(rs, "focus.no-shared-interest", "en")
    assert "basis" not in markdown(rs)
