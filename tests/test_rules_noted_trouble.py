"""Trouble an operator writes down that health must weigh: members
taking the real talk to a group of their own (蒸发), and people in the group working members in
private to sell, recruit or cheat (骚扰). Each is pinned on a small plan, firing and not."""

from __future__ import annotations

import pytest

from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules

from conftest import TODAY

BASE = "version: 1\ncommunity: {name: 业主群, owner: 王姐}\nstructure:\n  platform: wechat_group\n"


def _fired(rule_id: str, note: str) -> list[str]:
    ruleset = load_rules()
    plan = load_plan_bytes((BASE + note + "\n").encode("utf-8"), "p.yaml")
    only = [r for r in ruleset.rules if r.id == rule_id]
    assert only, rule_id
    outcome = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY, only=only)
    assert not outcome.engine_errors, [e.message("zh") for e in outcome.engine_errors]
    return [f.text("zh").message for f in outcome.findings]


@pytest.mark.parametrize("note, fires", [
    ("# 有业主自己拉了一个群，两百多人了，我们的人进不去", True),
    ("# 真有事都在小群里说，这个群就是个广告墙", True),
    ("# members started their own group; the real conversation happens elsewhere", True),
    ("# 人多了以后按楼栋分了几个小群，每个群都有管理员", False),
    ("# 群里最近挺热闹", False),
])
def test_a_shadow_group_the_operator_notes_is_evaporation(note: str, fires: bool) -> None:
    found = _fired("evaporation.talk-moved-elsewhere-noted", note)
    assert bool(found) is fires
    if fires:
        assert note.lstrip("# ") in found[0]


@pytest.mark.parametrize("note, fires", [
    ("# 有“老师”私聊拉人进“内部群”，有群友交了会员费后被拉黑", True),
    ("# 业主一提问题，十几个业务员私聊他推销", True),
    ("# scam DMs every week, people keep losing wallets", True),
    ("# 老客户都是私聊我下单的", False),       # the operator's own sales, no one approached
    ("# 后来私聊她也没回我", False),            # a private message with no sale or loss
])
def test_members_approached_in_private_is_harassment(note: str, fires: bool) -> None:
    assert bool(_fired("harassment.members-approached-noted", note)) is fires
