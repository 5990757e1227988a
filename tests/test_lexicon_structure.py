"""The ways operators write about a community's structure and its ways in (DOMAIN §3 capacity,
splitting, naming, tiers; §11 caps and joining; §12 platforms): each phrasing, in words of our own,
fires the rule that reads it, or keeps one quiet that it answers, and the near-misses do not."""

from __future__ import annotations

import pytest

from conftest import fired_rules

FULL = "structure.full-noted"
PLATFORMS = "structure.platforms-unclear"
OVER_CAP = "structure.group-over-cap"
NAMING = "replication.no-naming"
QR = "structure.group-qr-expires"
VIP = "evaporation.no-vip-tier"
REFERRAL = "staleness.no-referral"


def _noted(note: str) -> str:
    return ("version: 1\ncommunity: {name: 示例社群}\n"
            "structure: {platform: wechat_group, groups: [{name: 读书会, members: 300}]}\n"
            f"# {note}\n")


@pytest.mark.parametrize("note", [
    "群里人快满了，开不开二群还在考虑",
    "群人数接近500人，新群怎么开还没决定",
    "已经拉不进人了，下一个群待定",
    "快到五百人上限，分不分群拿不准",
    "the group is maxed out and we haven't decided on a second one",
    "close to the limit; still deciding whether to open group 2",
])
def test_a_full_group_left_open(ruleset, note: str) -> None:
    assert FULL in fired_rules(ruleset, _noted(note))


@pytest.mark.parametrize("note", [
    "活动报名接近500，还在考虑加不加场",     # not the group
    "群还没满，暂时不考虑开新群",            # not full
    "群里快满了，满450就开二群",              # decided
    "报名人数接近上限",                        # no open question
])
def test_not_a_full_group_left_open(ruleset, note: str) -> None:
    assert FULL not in fired_rules(ruleset, _noted(note))


@pytest.mark.parametrize("note", [
    "原来的微信群要不要搬到企业微信，还在考虑",
    "老QQ群迁到Discord的事还没决定",
    "之前那个群弃用不弃用，再看看",
    "现在的微信群全部拉过去？没想好",
    "the old WeChat group: not sure yet about moving to Discord",
    "the old chat: still deciding when to switch to Telegram",
])
def test_a_move_between_platforms_left_open(ruleset, note: str) -> None:
    assert PLATFORMS in fired_rules(ruleset, _noted(note))


@pytest.mark.parametrize("note", [
    "原来的微信群已经搬到企业微信，老群只发通知",   # done, not open
    "还在考虑周末活动放在哪里",                     # no old group, no move
    "老会员群要不要加一场分享，还在考虑",            # no move
])
def test_not_a_move_left_open(ruleset, note: str) -> None:
    assert PLATFORMS not in fired_rules(ruleset, _noted(note))


def _groups(*groups: dict, platform: str = "wechat_group") -> dict:
    return {"structure": {"platform": platform, "groups": list(groups)}}


@pytest.mark.parametrize("name", ["各片区业主群", "各楼栋住户群", "按城市分的车友群", "regional chapters", "城市分群（12个）"])
def test_a_group_family_is_not_one_group_over_the_cap(ruleset, name: str) -> None:
    assert OVER_CAP not in fired_rules(ruleset, _groups({"name": name, "members": 2400}))


@pytest.mark.parametrize("name", ["业主群", "车友会大群", "Riders"])
def test_one_group_over_the_cap_still_fires(ruleset, name: str) -> None:
    assert OVER_CAP in fired_rules(ruleset, _groups({"name": name, "members": 2400}))


@pytest.mark.parametrize("names", [
    ["晨跑1号群", "晨跑2号群", "晨跑3号群"],
    ["第一期学员", "第二期学员", "第三期学员"],
    ["Runners Group A", "Runners Group B", "Runners Group C"],
    ["考研一班", "考研二班", "答疑区"],
])
def test_a_numbering_in_words_is_a_naming_scheme(ruleset, names: list[str]) -> None:
    assert NAMING not in fired_rules(ruleset, _groups(*({"name": n, "members": 100} for n in names)))


def test_groups_named_at_random_have_no_scheme(ruleset) -> None:
    names = ["晨跑", "读书角", "周末徒步"]
    assert NAMING in fired_rules(ruleset, _groups(*({"name": n, "members": 100} for n in names)))


def _joined(channels: list[str]) -> dict:
    return {"structure": {"platform": "wechat_group", "joining": {"mode": "open", "channels": channels},
                          "groups": [{"name": "花友群", "members": 200}]}}


@pytest.mark.parametrize("channels", [["门店海报扫一扫进群"], ["公众号文章里长按识别进群"], ["小红书笔记里的入群码"]])
def test_a_posted_group_code_expires(ruleset, channels: list[str]) -> None:
    assert QR in fired_rules(ruleset, _joined(channels))


@pytest.mark.parametrize("channels", [
    ["门店海报扫码，满了自动切换下一个群"],
    ["公众号菜单扫码（永久二维码）"],
    ["扫码进群，码不会过期"],
])
def test_a_code_that_does_not_run_out(ruleset, channels: list[str]) -> None:
    assert QR not in fired_rules(ruleset, _joined(channels))


def _big(strategy: str | None = None) -> dict:
    plan = _groups({"name": "宝妈交流群", "members": 420}, {"name": "宝妈交流二群", "members": 380})
    if strategy:
        plan["positioning"] = {"strategy": strategy}
    return plan


@pytest.mark.parametrize("strategy", [
    "按活跃度分层运营",
    "用企业微信给客户打标签，分开跟进",
    "会员等级：发言和打卡升级",
    "根据消费金额把会员分级",
    "member tiers by contribution",
])
def test_members_tiered_in_words(ruleset, strategy: str) -> None:
    assert VIP not in fired_rules(ruleset, _big(strategy))


@pytest.mark.parametrize("name", ["铁粉群", "共创群", "品牌大使群", "Inner Circle"])
def test_an_inner_circle_by_another_name(ruleset, name: str) -> None:
    plan = _groups({"name": "宝妈交流群", "members": 420}, {"name": name, "members": 30})
    assert VIP not in fired_rules(ruleset, plan)


def test_no_tier_still_fires(ruleset) -> None:
    assert VIP in fired_rules(ruleset, _big("每周一次育儿分享，按时间分批答疑"))


def _sources(sources: list[str]) -> dict:
    return {"positioning": {"shared_interest": "周末骑行", "audience": {"sources": sources}},
            "structure": {"platform": "wechat_group", "groups": [{"name": "骑行群", "members": 120}]}}


@pytest.mark.parametrize("sources", [
    ["骑友叫上朋友一起进群"],
    ["熟人介绍"],
    ["邀请有礼：拉新送骑行手套"],
    ["老客户介绍来的同事"],
    ["members bring a friend to the Sunday ride"],
])
def test_members_bringing_people_in_words(ruleset, sources: list[str]) -> None:
    assert REFERRAL not in fired_rules(ruleset, _sources(sources))


@pytest.mark.parametrize("sources", [
    ["公众号文章"],
    ["新成员进群先做自我介绍"],        # an introduction, not a referral
    ["车店门口的海报"],
])
def test_no_referral_still_fires(ruleset, sources: list[str]) -> None:
    assert REFERRAL in fired_rules(ruleset, _sources(sources))
