"""General classes the calibration plans 49-60 showed the diagnosis getting wrong (issue 12),
each pinned on a small plan: tyranny read from what is done to critics, not only from what
the rules say about the owner."""

from __future__ import annotations

import yaml

from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate

from conftest import TODAY


def _fired(ruleset, data: dict) -> set[str]:
    data = dict(data, version=1, community=data.get("community") or {"name": "示例社群"})
    plan = load_plan_bytes(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), "t.yaml")
    outcome = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY)
    assert not outcome.engine_errors, [e.message("en") for e in outcome.engine_errors]
    return {f.rule for f in outcome.findings}


def _group(rules: list[str], bots: list[str] | None = None, platform: str = "wechat_group") -> dict:
    moderation = {"ads": "forbidden", "spam": "warn_then_remove", "removal": {"warnings": 2, "by": "admins"},
                  "appeal": True}
    if bots:
        moderation["bots"] = bots
    return {"structure": {"platform": platform, "rules": rules, "moderation": moderation,
                          "team": [{"role": "owner", "name": "老周"}, {"role": "admin", "name": "小李"}]}}


def test_removing_those_who_question_the_accounts_is_tyranny_even_with_fair_procedures(ruleset):
    """Warnings and an appeal on paper do not help a member removed for asking where the money went."""
    fired = _fired(ruleset, _group(["只讨论筹备事项", "质疑筹备组账目的，一律直接移出"]))
    assert "tyranny.critics-removed" in fired, fired


def test_a_bot_deleting_refund_talk_is_read_as_suppression_and_as_keyword_tooling(ruleset):
    """A Telegram bot set to delete every message with 'refund': criticism wiped out, and the
    keyword filter is on (it is misused, not missing)."""
    fired = _fired(ruleset, _group(["Stay positive."], ["Combot, deletes messages with the word refund"],
                                   platform="telegram_group"))
    assert "tyranny.critics-removed" in fired, fired
    assert "harassment.keyword-filter-off" not in fired, fired


def test_removing_abuse_and_ads_is_ordinary_moderation(ruleset):
    """Control: rumours, attacks and spam links are not criticism; a refund rule without removal is no threat."""
    fired = _fired(ruleset, _group(["恶意差评、造谣的移出", "退款问题请私聊客服", "发广告直接移出"]))
    assert "tyranny.critics-removed" not in fired, fired
    fired = _fired(ruleset, _group(["No spam or scam links; spammers are banned"], platform="telegram_group"))
    assert "tyranny.critics-removed" not in fired, fired
