"""facts.scoring.sin_signals names every figure the evidence rules judge, under the rule's sin, and
the scoring reassures about a sin only while its observed figures raise no alarm."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from qunce.engine import api
from qunce.engine.rules.pack import load_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()
SIGNALS = RULES.facts["scoring"]["sin_signals"]
OBSERVED = json.loads((ROOT / "schemas" / "plan.schema.json").read_text("utf-8"))["properties"]["observed"]


def test_every_signal_is_an_observed_figure():
    """No typo: each named figure is a property of the observed block (a number, not structure)."""
    for sin, figures in SIGNALS.items():
        for key in figures:
            assert OBSERVED["properties"].get(key, {}).get("type") in ("integer", "number"), (sin, key)


def test_every_observed_rule_reads_figures_its_sin_lists():
    """Each evidence rule's figure (its `at:`) speaks for the rule's sin: otherwise a healthy value
    of it could never reassure, and an alarming one would sit beside a reassured sin."""
    for rule in RULES.rules:
        if rule.basis != "observed" or rule.pack != "evidence":
            continue
        for path in rule.at:
            assert path[0] == "observed" and path[1] in SIGNALS[rule.sin], (rule.id, path)


def _check(tmp_path: Path, observed: dict) -> dict:
    plan = tmp_path / "p.yaml"
    plan.write_text(yaml.safe_dump({"version": 1, "community": {"name": "例"},
                                    "structure": {"platform": "wechat_group"}, "observed": observed},
                                   allow_unicode=True), "utf-8")
    return api.check_file(str(plan), RULES).to_dict()


HEALTHY = {"members": 200, "active_7d": 70, "silent_7d": 130, "messages_7d": 900, "left_30d": 4,
           "new_30d": 15, "off_topic_share_7d": 0.3, "unanswered_share_7d": 0.1, "questions_7d": 30,
           "owner_share_30d": 0.08, "link_share_7d": 0.02, "at_all_7d": 1, "dau_mau": 0.35, "churn_30d": 0.02,
           "top_decile_total": 12, "top_decile_quiet": 1, "absence_factor_30d": 9, "active_30d": 110}
ALARMING = {**HEALTHY, "owner_share_30d": 0.65, "link_share_7d": 0.3, "churn_30d": 0.3, "top_decile_quiet": 9}


def test_a_healthy_block_reassures_every_sin(tmp_path):
    """Figures under every line: each sin is reassured, and no observed finding is raised."""
    result = _check(tmp_path, HEALTHY)
    assert not [f for f in result["findings"] if f["basis"] == "observed"]
    assert set(result["reassured"]) == set(SIGNALS)


def test_an_alarming_block_does_not_reassure_the_alarmed_sins(tmp_path):
    """Owner share, members' links, churn and silent top speakers past their lines: tyranny,
    harassment and evaporation are not reassured; the sins whose figures stay healthy still are."""
    result = _check(tmp_path, ALARMING)
    alarmed = {f["sin"] for f in result["findings"] if f["basis"] == "observed"}
    assert {"tyranny", "harassment", "evaporation"} <= alarmed
    assert not alarmed & set(result["reassured"])
    assert {"focus", "leaderless", "staleness"} <= set(result["reassured"])
