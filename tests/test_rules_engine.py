"""The rule engine: broken packs are refused with a location, the sandbox holds, ignores are
counted, user packs add to the playbook, and the score formula is what docs/scoring.md says."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.errors import RulePackError
from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.model.report import Finding, FindingText
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules
from qunce.engine.model.plan import parse_path
from qunce.engine.model.report import health, risk

from conftest import FIXTURES

PACKS = FIXTURES / "packs"
MINIMAL = FIXTURES / "ok" / "minimal.yaml"

BROKEN = {
    "bad-yaml.yaml": ("yaml-syntax", 7, 10),
    "duplicate-id.yaml": ("duplicate-rule-id", 16, 5),
    "duplicate-of-bundled.yaml": ("duplicate-rule-id", 4, 5),
    "missing-field.yaml": ("pack-invalid", 4, 5),
    "syntax-error.yaml": ("bad-expression", 9, 5),
    "template-when.yaml": ("when-is-template", 9, 5),
    "unknown-sin.yaml": ("pack-invalid", 5, 10),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_pack_is_refused_with_location(name):
    code, line, column = BROKEN[name]
    with pytest.raises(RulePackError) as e:
        load_rules([PACKS / name])
    assert (e.value.code, e.value.line, e.value.column) == (code, line, column)
    assert e.value.file.endswith(name)
    result = CliRunner().invoke(cli, ["check", "--rules", str(PACKS / name), str(MINIMAL)])
    assert result.exit_code == 2
    assert f"{name}:{line}:{column}: error[{code}]" in result.output


def test_template_when_gets_a_hint():
    with pytest.raises(RulePackError) as e:
        load_rules([PACKS / "template-when.yaml"])
    assert "{{ }}" in e.value.message("zh") and "{{ }}" in e.value.message("en")


def test_missing_pack_path():
    with pytest.raises(RulePackError) as e:
        load_rules([PACKS / "nope.yaml"])
    assert e.value.code == "pack-not-found"


def test_user_pack_adds_to_the_playbook():
    """--rules adds; the bundled rules stay unless --no-default-rules."""
    bundled = load_rules()
    both = load_rules([PACKS / "good.yaml"])
    only = load_rules([PACKS / "good.yaml"], defaults=False)
    assert len(both.rules) == len(bundled.rules) + 1
    assert [r.id for r in only.rules] == ["custom.needs-owner-name"]
    assert both.facts == bundled.facts


def _plan(text: str):
    return load_plan_bytes(text.encode("utf-8"), "p.yaml")


def test_ssti_payloads_are_contained():
    """Known server-side template injection payloads raise SecurityError and reach nothing."""
    rules = load_rules([PACKS / "ssti.yaml"], defaults=False)
    plan = _plan("version: 1\ncommunity:\n  name: 原名\n")
    outcome = evaluate(rules, plan.data, plan.locator, plan.path, today=date(2026, 11, 23))
    failed = {e.message().split()[1] for e in outcome.engine_errors}
    assert failed == {"ssti.mro", "ssti.cycler", "ssti.mutate", "ssti.power", "ssti.repeat", "ssti.message"}
    assert all("SecurityError" in e.message() for e in outcome.engine_errors)
    assert plan.data["community"]["name"] == "原名"
    assert not outcome.findings


def test_runtime_error_is_an_engine_error_not_a_crash(tmp_path):
    pack = (PACKS / "good.yaml").read_text(encoding="utf-8").replace(
        "when: not (plan.community.owner is present)", "when: plan.community.name / 0")
    path = tmp_path / "p.yaml"
    path.write_text(pack, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-default-rules", "--rules", str(path), "--format", "json",
                                      str(MINIMAL)])
    assert result.exit_code == 2
    data = json.loads(result.output)
    assert data["files"][0]["engine_errors"][0]["code"] == "rule-failed"


def test_ignores_from_plan_and_cli_are_counted():
    rules = load_rules([PACKS / "good.yaml"], defaults=False)
    plan = _plan("version: 1\ncommunity:\n  name: x\ncheck:\n  ignore:\n"
                 "    - {rule: custom.needs-owner-name, reason: 群主轮值}\n")
    outcome = evaluate(rules, plan.data, plan.locator, plan.path)
    assert not outcome.findings
    assert outcome.suppressed == [{"rule": "custom.needs-owner-name", "reason": "群主轮值", "source": "plan",
                                   "line": 2, "path": "community.owner"}]
    plain = _plan("version: 1\ncommunity:\n  name: x\n")
    cli_ignored = evaluate(rules, plain.data, plain.locator, plain.path, ignore=["custom.needs-owner-name"])
    assert cli_ignored.suppressed[0]["source"] == "cli" and not cli_ignored.findings


def test_unknown_ignore_id_is_a_notice():
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(FIXTURES / "ignore-typo.yaml")])
    data = json.loads(result.output)
    assert [n["code"] for n in data["files"][0]["notices"]] == ["unknown-ignore"]


def test_each_rule_points_at_the_item():
    """An `each:` rule's finding points at the item's field (or the item when the field is missing)."""
    rules = load_rules([PACKS / "each.yaml"], defaults=False)
    text = ("version: 1\ncommunity:\n  name: x\nsessions:\n  - id: a\n    title: 甲\n    guest: {name: 王, bio: 十年}\n"
            "  - id: b\n    title: 乙\n    guest:\n      name: 李\n")
    plan = _plan(text)
    outcome = evaluate(rules, plan.data, plan.locator, plan.path, only=[rules.get("custom.session-needs-bio")])
    assert [(f.path, f.line) for f in outcome.findings] == [("sessions[1].guest.bio", 10)]


def test_parse_path():
    assert parse_path("structure.groups[0].members") == ("structure", "groups", 0, "members")
    with pytest.raises(ValueError):
        parse_path("structure..x")


_RULES = itertools.count()


def _finding(sin, weight):
    """A warning of its own rule (each call a different rule: one rule's findings count once in health)."""
    return Finding(f"r{next(_RULES)}", sin, "sin", "warning", {"zh": FindingText("t", "m", "", "")}, "f", 1, 1, "p", weight)


def test_score_formula():
    """risk = 100(1-Π(1-w/100)) per sin; health = 100·Π(1-w/100) over all counted findings."""
    findings = [_finding("focus", 30), _finding("focus", 30), _finding(None, 20)]
    r = risk(findings)
    assert r["focus"] == 51 and r["boredom"] == 0
    assert health(findings) == round(100 * 0.7 * 0.7 * 0.8)
    assert health([]) == 100 and risk([])["focus"] == 0
    assert risk([_finding("focus", 100)] * 3)["focus"] == 100
    assert 0 <= health([_finding("focus", 100)] * 50) <= 100


def test_only_substantive_findings_move_risk_and_health():
    """A gap in the plan (basis missing) and an info finding cost completeness, never health;
    an observed alarm weighs 1.5 times; a warning about a sin whose figures look healthy weighs
    half, an error never does (docs/scoring.md)."""
    from dataclasses import replace

    from qunce.engine.model.report import Scoring

    gap = replace(_finding("boredom", 20), basis="missing")
    info = replace(_finding("boredom", 20), severity="info")
    assert health([gap, info]) == 100 and risk([gap, info])["boredom"] == 0
    seen = replace(_finding("evaporation", 20), basis="observed")
    assert risk([seen])["evaporation"] == 30 and health([seen]) == 70
    calm = Scoring(reassured=frozenset({"boredom", "leaderless"}))
    assert risk([_finding("boredom", 20)], calm)["boredom"] == 10
    owner = replace(_finding("leaderless", 30), severity="error")
    assert risk([owner], calm)["leaderless"] == 30
    trip = replace(_finding(None, 20), category="session")
    assert health([trip], Scoring(category_weight=(("session", 0.5),))) == 90  # one activity, not the group


def test_a_clean_check_is_not_a_guarantee():
    """facts.scoring.unseen_risk takes the risk no rule sees off every health: nothing found
    gives 94, not 100, and a finding's cost multiplies it (docs/scoring.md)."""
    from qunce.engine.model.report import Scoring
    from qunce.engine.rules.scoring import scoring

    facts = load_rules().facts
    assert scoring({}, [], facts).unseen == 6
    assert health([], scoring({}, [], facts)) == 94
    assert health([_finding("focus", 20)], Scoring(unseen=5)) == 76
    assert health([], Scoring(unseen=500)) == 0 and health([], Scoring(unseen=-3)) == 100


def test_a_declared_warning_costs_health_less_than_evidence():
    """facts.scoring.declared_warning_health: a declared warning is the plan's own word and costs
    health 0.8 of its weight; an error and an observed figure cost their whole weight, and risk
    (hence the first sin) does not change (docs/scoring.md)."""
    from dataclasses import replace

    from qunce.engine.model.report import Scoring
    from qunce.engine.rules.scoring import scoring

    weights = scoring({}, [], load_rules().facts)
    assert weights.declared_health == 0.8
    gaps = [_finding("evaporation", 15), _finding("staleness", 10), _finding("leaderless", 15)]
    assert health(gaps, weights) == round(100 * (0.10 + 0.84 * 0.88 * 0.92 * 0.88))  # 70, not 65
    assert health(gaps, replace(weights, declared_health=1.0)) == 65
    assert risk(gaps, weights) == risk(gaps, replace(weights, declared_health=1.0))
    owner = replace(_finding("leaderless", 30), severity="error")
    seen = replace(_finding("evaporation", 20), basis="observed")
    plain = Scoring(unseen=6, unseen_strength=10)
    assert health([owner], weights) == health([owner], plain) == round(100 * (0.10 + 0.84 * 0.7))
    assert health([seen], weights) == health([seen], plain) == round(100 * (0.10 + 0.84 * 0.7))
    assert scoring({}, [], {"scoring": {"declared_warning_health": 3}}).declared_health == 1.0  # out of 0–1: ignored


def test_alarms_of_one_fact_cost_health_once():
    """facts.scoring.same_fact: observed figures that measure one underlying fact (the members went
    quiet: active share, silent share, core members, top speakers; nobody tends the chat: unanswered
    share, answer time, staff silence) cost health once, the heaviest; alarms of different facts
    each cost their weight, and risk (hence the first sin) does not change (docs/scoring.md)."""
    from dataclasses import replace

    from qunce.engine.rules.scoring import scoring

    weights = scoring({}, [], load_rules().facts)
    assert dict(weights.same_fact)["core_active"] == dict(weights.same_fact)["active_7d"] == "quiet"

    def seen(sin: str, weight: int, path: str):
        return replace(_finding(sin, weight), basis="observed", path=path)

    silent = seen("boredom", 20, "observed.active_7d")
    core = seen("evaporation", 20, "observed.core_active")
    top = replace(seen("evaporation", 30, "observed.top_decile_quiet"), severity="error")
    unanswered = seen("leaderless", 15, "observed.unanswered_share_7d")
    staff = seen("leaderless", 15, "observed.groups[1].days_since_staff_message")
    leaving = seen("evaporation", 20, "observed.left_30d")
    quiet = [silent, core, top]
    assert health(quiet, weights) == health([top], weights) == round(100 * (0.10 + 0.84 * 0.55))
    assert health([unanswered, staff], weights) == health([unanswered], weights)
    # different facts still add up: members leaving is not the chat going quiet
    assert health([top, leaving], weights) == round(100 * (0.10 + 0.84 * 0.55 * 0.7))
    assert health(quiet + [unanswered, staff, leaving], weights) == round(100 * (0.10 + 0.84 * 0.55 * 0.775 * 0.7))
    assert health(quiet, replace(weights, same_fact=())) < health(quiet, weights)
    assert risk(quiet, weights) == risk(quiet, replace(weights, same_fact=()))
    # declared findings are the plan's word, not figures: never folded
    assert health([_finding("boredom", 20), _finding("boredom", 20)], weights) < health([_finding("boredom", 20)], weights)
    assert scoring({}, [], {"scoring": {"same_fact": ["active_7d"]}}).same_fact == ()  # not a mapping: ignored


def test_one_rule_on_several_items_costs_health_once():
    """One rule's judgement of the plan on several of its items (every group over the scan-join
    cap) is one decision of the operator's: it costs health once, the heaviest; different rules on
    the same sin still add up, and risk does not change (docs/scoring.md)."""
    from dataclasses import replace

    from qunce.engine.rules.scoring import scoring

    weights = scoring({}, [], load_rules().facts)
    cap = [replace(_finding(None, 15), rule="structure.scan-join-cap", path=f"structure.groups[{i}].members")
           for i in range(3)]
    assert health(cap, weights) == health(cap[:1], weights) == round(100 * (0.10 + 0.84 * 0.88))  # 84, not 67
    other = replace(_finding(None, 15), rule="structure.group-over-cap")
    assert health(cap + [other], weights) == round(100 * (0.10 + 0.84 * 0.88 * 0.88))
    assert weights.rule_once and health(cap, replace(weights, rule_once=False)) == 67
    assert risk(cap, weights) == risk(cap, replace(weights, rule_once=False))
    spread = [replace(_finding("harassment", 20), rule=f"harassment.r{i}") for i in range(2)]
    assert health(spread, weights) < health(spread[:1], weights)


def test_health_keeps_off_zero_while_the_group_still_talks():
    """facts.scoring.unseen_strength is the other side of the unseen risk: however many alarms, a
    plan describes a group that still exists, so health bottoms out at 10; the floor goes when the
    figures say the group has stopped (no message in 7 days). Findings keep their order above it."""
    from dataclasses import replace

    from qunce.engine.model.report import Scoring
    from qunce.engine.rules.scoring import scoring

    facts = load_rules().facts
    both = scoring({}, [], facts)
    assert (both.unseen, both.unseen_strength) == (6, 10)
    alarms = [replace(_finding(s, 60), severity="error") for s in ("harassment", "leaderless", "evaporation")]
    assert health(alarms, Scoring(unseen=5)) == 6                     # 95 × 0.4³
    assert health(alarms, both) == 15                                  # 10 + 84 × 0.4³
    assert health(alarms[:1], both) > health(alarms[:2], both) > health(alarms, both) > 10
    assert health([], both) == 94                                      # the top is unchanged
    stopped = scoring({"observed": {"messages_7d": 0}}, [], facts)
    assert stopped.unseen_strength == 0 and health(alarms, stopped) == 6
    talking = scoring({"observed": {"messages_7d": 3}}, [], facts)
    assert talking.unseen_strength == 10
    assert health([], Scoring(unseen=95, unseen_strength=20)) == 5     # a floor never exceeds the top


def test_fail_on_controls_exit_code():
    """One info finding: exit 1 with --fail-on info, 0 with warning or never."""
    args = ["check", "--no-default-rules", "--rules", str(PACKS / "good.yaml"), str(MINIMAL)]
    assert CliRunner().invoke(cli, args + ["--fail-on", "warning"]).exit_code == 1
    assert CliRunner().invoke(cli, args + ["--fail-on", "error"]).exit_code == 0
    assert CliRunner().invoke(cli, args + ["--fail-on", "never"]).exit_code == 0
