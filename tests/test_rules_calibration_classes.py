"""General classes the calibration plans 37-48 showed the diagnosis getting wrong (issue 12),
each pinned on a small plan: a side group on another platform, observed figures per group and
over time, a dated departure without successor, a draft with no owner yet, one time zone of
moderators for a worldwide group."""

from __future__ import annotations

import yaml

from conftest import fired_rules


PLANET = {"structure": {
    "platform": "zsxq",
    "groups": [{"name": "星球", "platform": "zsxq", "members": 2100, "tier": "paid"},
               {"name": "续费星友群", "platform": "wechat_group", "members": 300, "tier": "vip"}],
    "joining": {"mode": "paid"}, "rules": ["不外传", "不发广告"],
    "team": [{"role": "owner", "name": "何朗"}, {"role": "admin", "name": "小秦"}]}}


def test_a_side_group_does_not_bring_its_platforms_norms_to_the_whole_plan(ruleset):
    """A WeChat group of renewers beside a 知识星球: the plan's own platform is a forum, so quiet
    hours, nicknames and the WeChat admin ratio for 2,400 members are not asked for."""
    fired = fired_rules(ruleset, PLANET)
    assert not fired & {"harassment.no-quiet-hours", "structure.no-nickname-format",
                        "leaderless.too-few-admins", "structure.paid-group-not-split"}, fired


def test_the_same_groups_on_a_wechat_plan_are_judged_as_wechat(ruleset):
    """Control: with WeChat as the plan's own platform the same gaps are findings."""
    data = yaml.safe_load(yaml.safe_dump(PLANET))
    data["structure"]["platform"] = "wechat_group"
    fired = fired_rules(ruleset, data)
    assert {"harassment.no-quiet-hours", "structure.no-nickname-format"} <= fired, fired


def test_nights_left_open_on_purpose_in_a_comment_answer_quiet_hours(ruleset):
    """An operator who notes that the group is busiest at night and leaves it so has decided."""
    base = "version: 1\ncommunity: {name: 汉服同袍会}\nstructure:\n  platform: wechat_group\n  rules: [不刷屏, 买卖去二手群]\n"
    assert "harassment.no-quiet-hours" in fired_rules(ruleset, base)
    noted = "# 大部分同袍是在校生，晚上和周末最热闹，这个我们不管，只要别刷屏。\n" + base
    assert "harassment.no-quiet-hours" not in fired_rules(ruleset, noted)


def test_quiet_hours_are_not_asked_of_qq_groups_or_service_groups(ruleset):
    """QQ groups live at night (DOMAIN §12) and a service group needs night cover, not closing (§2)."""
    wechat = "version: 1\ncommunity: {name: 学员群}\nstructure:\n  platform: wecom_group\n  rules: [不刷屏, 禁止发广告]\n"
    assert "harassment.no-quiet-hours" in fired_rules(ruleset, wechat)
    assert "harassment.no-quiet-hours" not in fired_rules(ruleset, wechat.replace("wecom_group", "qq_group"))
    serving = wechat + "positioning: {purposes: [service, retain]}\n"
    assert "harassment.no-quiet-hours" not in fired_rules(ruleset, serving)


def test_a_named_team_of_several_counts_as_several(ruleset):
    """管理组（四个人） with count 4 is four admins, not one name."""
    from qunce.engine.rules.vocabulary import team_people

    team = [{"role": "owner", "name": "雪棠"}, {"role": "admin", "name": "管理组（阿蛮、青梧、知秋、小七）", "count": 4}]
    assert team_people(team, "owner", "admin") == 5
    assert team_people([{"role": "admin", "name": "小秦"}, {"role": "admin", "name": "小秦"}]) == 1


FOLLOW_UP = {
    "positioning": {"purposes": ["service", "retain"]},
    "structure": {"platform": "wecom_group",
                  "team": [{"role": "owner", "name": "周敏", "leaving_on": "2025-07-01",
                            "successor": "待定（护理部还没定人）"},
                           {"role": "admin", "name": "医生组值班（轮流）"}]},
    "observed": {"members": 367, "active_7d": 71, "questions_7d": 38, "unanswered_share_7d": 0.05,
                 "owner_share_30d": 0.46},
}


def test_a_dated_departure_without_successor_is_leaderless_not_a_talkative_owner(ruleset):
    """The nurse who answers a follow-up group leaves with the successor 待定: a leaderless error;
    her large share of the talk while questions get answered is service, not tyranny, and the
    silent majority of a service group reads its reminders."""
    fired = fired_rules(ruleset, FOLLOW_UP)
    assert "leaderless.leaving-without-successor" in fired
    assert not fired & {"tyranny.evidence-owner-talks", "boredom.silent-majority-observed"}, fired


def test_the_same_figures_without_service_or_with_a_successor_read_as_before(ruleset):
    data = yaml.safe_load(yaml.safe_dump(FOLLOW_UP, allow_unicode=True))
    data["positioning"]["purposes"] = ["retain"]
    data["structure"]["team"][0]["successor"] = "李芳"
    fired = fired_rules(ruleset, data)
    assert "leaderless.leaving-without-successor" not in fired
    assert {"tyranny.evidence-owner-talks", "boredom.silent-majority-observed"} <= fired, fired
