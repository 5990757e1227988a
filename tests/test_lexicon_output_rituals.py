"""The ways operators write what members do, how newcomers are greeted, who shares an output, what
is chicken soup and what is a digest (DOMAIN §4 output, §5 the four senses, §7 无聊): each phrasing,
in words of our own, changes the rule that reads it, and the near-misses (orders by chain reply,
a forbidden team, staff rotas, a greeting in front of real content) do not."""

from __future__ import annotations

import pytest

from conftest import fired_rules

NO_PART = "boredom.no-participation"
NO_RITUAL = "senses.no-ritual"
SINGLE = "boredom.single-owner-output"
SOUP = "focus.chicken-soup-as-value"
DIGEST = "boredom.digest-lapsed"


def _rules_plan(rules: list[str], value: str = "交流养猫经验") -> dict:
    return {"positioning": {"value": value}, "structure": {"platform": "wechat_group", "rules": rules}}


@pytest.mark.parametrize("rule", [
    "有问题随时问，老群友都会帮忙",
    "鼓励大家晒自家猫的日常",
    "踊跃发言，畅所欲言",
    "群友互相解惑，别替人下结论",
    "feel free to ask anything, don't be shy",
    "each week members take turns presenting their cat's story",
])
def test_members_invited_to_take_part(ruleset, rule: str) -> None:
    assert NO_PART not in fired_rules(ruleset, _rules_plan([rule]))


@pytest.mark.parametrize("rule", [
    "每周五接龙下单，周六统一配送",
    "不准私下另组队伍",
    "禁止发广告",
])
def test_orders_and_prohibitions_are_no_participation(ruleset, rule: str) -> None:
    assert NO_PART in fired_rules(ruleset, _rules_plan([rule], value="每周上新"))


@pytest.mark.parametrize("name", ["季度摄影大赛", "月度征文", "每月作品展", "Monthly game jam"])
def test_recurring_entries_are_participation(ruleset, name: str) -> None:
    plan = {"structure": {"platform": "qq_group"}, "output": [{"name": name, "kind": "offline", "cadence": "monthly", "owner": "小周"}]}
    assert NO_PART not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("rule", [
    "新人进群先打个招呼，说说养了几只猫",
    "进群后请简单介绍一下自己",
    "新成员请到报到帖报到",
    "Please say hi in the intro thread when you join",
])
def test_welcome_as_operators_write_it(ruleset, rule: str) -> None:
    plan = {"operations": {"senses": {"participation": ["每日打卡"]}}, "structure": {"platform": "wechat_group", "rules": [rule]}}
    assert NO_RITUAL not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("owner", ["王老师、李老师", "几位老师轮流", "值班管理员轮班", "每周换一位群友", "mods rotate", "co-hosts"])
def test_shared_owners_are_no_single_owner(ruleset, owner: str) -> None:
    plan = {"output": [{"name": "每周分享", "kind": "sharing", "cadence": "weekly", "owner": owner},
                       {"name": "每日答疑", "kind": "qa", "cadence": "daily", "owner": owner}]}
    assert SINGLE not in fired_rules(ruleset, plan)


def test_one_person_running_everything_still_fires(ruleset) -> None:
    plan = {"output": [{"name": "每周分享", "kind": "sharing", "cadence": "weekly", "owner": "王老师"},
                       {"name": "每日答疑", "kind": "qa", "cadence": "daily", "owner": "王老师"}]}
    assert SINGLE in fired_rules(ruleset, plan)


def test_the_owners_one_output_beside_a_teams_is_not_all_the_supply(ruleset) -> None:
    plan = {"community": {"owner": "王老师"},
            "output": [{"name": "月度直播", "kind": "live", "cadence": "monthly", "owner": "王老师"},
                       {"name": "每日答疑", "kind": "qa", "cadence": "daily", "owner": "助教组轮班"}]}
    assert SINGLE not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("name", ["每日箴言", "早安日签", "每周名人名言", "人生感悟分享", "Quote of the day", "Daily affirmations"])
def test_chicken_soup_by_its_other_names(ruleset, name: str) -> None:
    plan = {"output": [{"name": name, "kind": "sharing", "cadence": "daily"}]}
    assert SOUP in fired_rules(ruleset, plan)


@pytest.mark.parametrize("name", ["早安选题技巧", "每日一道真题解析", "Weekly code review"])
def test_real_content_is_no_chicken_soup(ruleset, name: str) -> None:
    plan = {"output": [{"name": name, "kind": "sharing", "cadence": "daily"}]}
    assert SOUP not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("note", [
    "每周精选停更两个月了",
    "答疑整理自从小林走后就没人整理了",
    "群聊回顾已经好几个月没发了",
    "the weekly recap was discontinued",
])
def test_digest_stopped_as_operators_write_it(ruleset, note: str) -> None:
    text = f"version: 1\ncommunity: {{name: 示例社群}}\nstructure: {{platform: zsxq}}\n# {note}\n"
    assert DIGEST in fired_rules(ruleset, text)


@pytest.mark.parametrize("note", ["每周精选照常更新", "直播停了一个月，暑假休息"])
def test_digest_running_or_other_output_stopped(ruleset, note: str) -> None:
    text = f"version: 1\ncommunity: {{name: 示例社群}}\nstructure: {{platform: zsxq}}\n# {note}\n"
    assert DIGEST not in fired_rules(ruleset, text)
