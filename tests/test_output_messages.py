"""Bundled rule messages are plain text: their values come from the rule's `let:`, so a domain
expert reads the sentence and the reference shows where each value comes from; English counts
have real plural forms."""

from __future__ import annotations

import re

import pytest

from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate

from conftest import TODAY

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)(?:\.[a-z_][a-z0-9_]*|\[\d+\])*\s*(?:\|\s*join\('[^']*'\)\s*)?\}\}")


def _bundled(ruleset):
    return [r for r in ruleset.rules if r.pack.startswith("playbooks/")]


def test_no_bundled_message_carries_template_logic(ruleset):
    for rule in _bundled(ruleset):
        for lang, text in rule.message.items():
            assert "{%" not in text, f"{rule.id} ({lang}) has {{% %}} logic"


def test_rewritten_messages_use_only_names_and_joins(ruleset):
    """The rules rewritten for this: every placeholder is a name (or a path under one), at most joined."""
    ids = ["campaign.no-dates", "campaign.cash-reward", "campaign.funnel-weakest-stage", "session.task-in-quiet-hours",
           "session.prep-overdue", "focus.vague-shared-interest", "focus.revenue-unmet-observed",
           "leaderless.no-organizer", "harassment.ads-unchecked", "harassment.spam-not-handled",
           "boredom.no-participation", "evaporation.no-thinker", "staleness.few-new-observed",
           "structure.paid-group-not-split", "structure.rhythm-all-at-once", "senses.points-without-ways",
           "replication.no-staff", "replication.no-budget", "replication.no-materials"]
    for rid in ids:
        rule = ruleset.get(rid)
        for lang, text in rule.message.items():
            rest = PLACEHOLDER.sub("", text)
            assert "{{" not in rest and "}}" not in rest, f"{rid} ({lang}): {text}"
            names = {m.group(1) for m in PLACEHOLDER.finditer(text)}
            assert names <= set(rule.let_text) | {"item", "plan", "facts", "platform", "today"}, (rid, names)


def test_no_english_message_writes_a_plural_as_s_in_brackets(ruleset):
    for rule in _bundled(ruleset):
        assert "(s)" not in rule.message["en"], rule.id


def _messages(ruleset, rule_id: str, yaml_text: str) -> dict[str, list[str]]:
    plan = load_plan_bytes(("version: 1\ncommunity: {name: 示例}\n" + yaml_text).encode(), "t.yaml")
    o = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY, only=[ruleset.get(rule_id)])
    assert not o.engine_errors, [e.message("en") for e in o.engine_errors]
    return {lang: [f.text(lang).message for f in o.findings] for lang in ("zh", "en")}


@pytest.mark.parametrize("campaign,zh,en", [
    ("{id: c1}", "裂变活动 c1 没有开始时间，也没有结束时间。", "Campaign c1 has no start and no end."),
    ("{id: c1, end: '2026-12-27'}", "裂变活动 c1 没有开始时间。", "Campaign c1 has no start."),
    ("{id: c1, start: '2026-12-20'}", "裂变活动 c1 没有结束时间。", "Campaign c1 has no end."),
])
def test_a_conditional_phrase_comes_from_let(ruleset, campaign, zh, en):
    got = _messages(ruleset, "campaign.no-dates", f"campaigns: [{campaign}]\n")
    assert got == {"zh": [zh], "en": [en]}


@pytest.mark.parametrize("new,phrase", [(0, "Not one new member in 30 days; the 200 members"),
                                        (1, "Only 1 new member in 30 days, 0.5% of 200, under"),
                                        (3, "Only 3 new members in 30 days, 1.5% of 200, under")])
def test_english_counts_have_plural_forms(ruleset, new, phrase):
    got = _messages(ruleset, "staleness.few-new-observed", f"observed: {{members: 200, new_30d: {new}}}\n")
    assert got["en"] and got["en"][0].startswith(phrase), got
    assert len(got["zh"]) == 1 and got["zh"][0].startswith("近 30 天")


def test_cash_reward_names_the_kind_by_its_label_in_english(ruleset):
    got = _messages(ruleset, "campaign.cash-reward", "campaigns: [{id: c1, reward: 红包, reward_kind: cash}]\n")
    assert got["en"] == ["Campaign c1 rewards with cash (红包)."]
    assert "cash" not in got["zh"][0]
