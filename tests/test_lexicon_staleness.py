"""The ways operators write that the same few do the talking, newcomers stay mute, or the talk
drifted off the positioning (DOMAIN §7 陈旧, 失焦): each phrasing, in words of our own, fires the
rule that reads it, and the near-misses (children taking part, a few newcomers who do introduce
themselves, a theme the positioning names) do not."""

from __future__ import annotations

import pytest

from conftest import fired_rules

FEW = "staleness.same-few-noted"
DRIFT = "focus.drift-noted"


def _plan(note: str, interest: str = "城市骑行") -> str:
    return (f"version: 1\ncommunity: {{name: 示例社群}}\npositioning: {{shared_interest: {interest}}}\n"
            f"structure: {{platform: qq_group}}\n# {note}\n")


@pytest.mark.parametrize("note", [
    "每次说话的就那么几个",
    "群里互动的来来去去就是同一批人",
    "周末骑行签到的也就零星几个",
    "新人大多不太敢发言",
    "萌新进群就潜水，一言不发",
    "老群友成了小团体，圈内梗新人听不懂",
    "the usual suspects do all the talking",
    "newbies are too shy to post",
    "the regulars are cliquish and newcomers feel left out",
])
def test_the_same_few_as_operators_write_it(ruleset, note: str) -> None:
    assert FEW in fired_rules(ruleset, _plan(note))


@pytest.mark.parametrize("note", [
    "家长在群里发孩子参加的比赛投票，一周能有五六个",
    "每周新来的两三人都会在新人帖里自我介绍",
    "we invite two or three members to co-host each quarter",
    "群里欢迎大家多互动",
])
def test_near_misses_are_no_same_few(ruleset, note: str) -> None:
    assert FEW not in fired_rules(ruleset, _plan(note))


@pytest.mark.parametrize("note", [
    "这半年群里全是拉票和砍一刀的链接",
    "聊着聊着就歪楼到国际形势上去了",
    "快变成养生群了",
    "the chat is now mostly sports betting and memes",
])
def test_drift_as_operators_write_it(ruleset, note: str) -> None:
    assert DRIFT in fired_rules(ruleset, _plan(note))


@pytest.mark.parametrize("note, interest", [
    ("群里全是骑行路线和装备", "城市骑行"),
    ("群里聊的基本是养生，这正是我们的主题", "中老年养生"),
    ("有人发拉票链接，我们不聊这个", "城市骑行"),
])
def test_near_misses_are_no_drift(ruleset, note: str, interest: str) -> None:
    assert DRIFT not in fired_rules(ruleset, _plan(note, interest))
