"""The plan document and the diagnosis judge a plan with the same functions (rules.vocabulary), so
they cannot disagree: on plans at the edges of each judgement, what the document says matches
whether the rule that makes the same judgement fires."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from qunce.engine.api import CheckOptions, check_document
from qunce.engine.views import build_view

TODAY = date(2026, 11, 23)


def _run(tmp_path, ruleset, data):
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "community": {"name": "边界"}, **data}, allow_unicode=True),
                    encoding="utf-8")
    result, plan = check_document(str(path), ruleset, CheckOptions(today=TODAY))
    assert result.valid, result.errors
    return build_view(plan, result, ruleset, lang="zh", today=TODAY), {f.rule for f in result.findings}


@pytest.mark.parametrize("target,seeds", [(445, 44), (445, 45), (440, 44), (451, 45), (451, 46), (None, 49), (None, 50)])
def test_seed_users_document_and_rule_agree(tmp_path, ruleset, target, seeds):
    """445 members as a target need 45 seed users (a tenth, rounded up): the document's checklist
    and replication.few-seed-users give the same answer, at and around the edge."""
    structure = {"size": {"target": target}} if target else {}
    view, fired = _run(tmp_path, ruleset, {"structure": structure, "replication": {
        "mode": "clone", "readiness": {"staff": True, "budget": True, "materials": True, "seed_users": seeds,
                                       "subculture": "共读打卡"}}})
    document_ok = next(c for c in view["replication"]["checklist"] if c["key"] == "seed_users")["ok"]
    assert document_ok == ("replication.few-seed-users" not in fired)
    assert view["replication"]["ready"] == document_ok  # "ready to replicate" only when seeds suffice


@pytest.mark.parametrize("platform,members,over", [("wechat_group", 501, True), ("wechat_group", 500, False),
                                                    ("discord", 8000, False), ("zsxq", 3000, False),
                                                    (None, 900, False)])
def test_group_over_the_cap_document_and_rule_agree(tmp_path, ruleset, platform, members, over):
    """A group over the platform's cap is "over" in the document exactly when the rule fires; a
    platform with no cap (Discord, 知识星球) or no platform at all never borrows WeChat's 500."""
    structure = {"groups": [{"name": "一群", "members": members}]}
    if platform:
        structure["platform"] = platform
    view, fired = _run(tmp_path, ruleset, {"structure": structure})
    status = view["structure"]["groups"][0]["status"]
    from qunce.engine.i18n import t

    assert (status == t("plan:g-over", "zh")) == over
    assert ("structure.group-over-cap" in fired) == over


@pytest.mark.parametrize("positioning,commercial", [({"kind": "product"}, True), ({"kind": "interest"}, False),
                                                     ({"kind": "interest", "purposes": ["revenue"]}, True)])
def test_commercial_lifespan_document_and_rule_agree(tmp_path, ruleset, positioning, commercial):
    """The document's default lifespan (24 months commercial, 6 plain) is the one the lifespan
    rules assume: a plan stating 30 months is "long" for a plain community only."""
    view, fired = _run(tmp_path, ruleset, {"positioning": {**positioning, "lifespan_months": 30}})
    assert view["replication"]["lifecycle"]["stated"]
    view_default, _ = _run(tmp_path, ruleset, {"positioning": positioning})
    assert view_default["replication"]["lifecycle"]["total"] == ("24" if commercial else "6")
    assert ("launch.lifespan-long-plain" in fired) == (not commercial)
