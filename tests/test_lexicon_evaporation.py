"""The ways operators write that valuable members are leaving, going quiet, or taking the talk to a
group of their own (DOMAIN §7 蒸发): each phrasing, in words of our own, fires the rule that reads
it, and the near-misses (a renewal discount, a group the staff are in, a policy) do not."""

from __future__ import annotations

import pytest

from conftest import fired_rules

CORE = "evaporation.core-leaving-noted"
MOVED = "evaporation.talk-moved-elsewhere-noted"


def _plan(note: str, platform: str = "wechat_group") -> str:
    return f"version: 1\ncommunity: {{name: 示例社群}}\nstructure: {{platform: {platform}}}\n# {note}\n"


@pytest.mark.parametrize("note", [
    "群里的老人最近不太回了",
    "以前最活跃的几位老成员都潜水了",
    "去年那批铁粉一半都没续费",
    "几个中坚这半年销声匿迹",
    "跟她好的几个也退了",
    "那次吵完，走了一波老群友",
    "周六的观影会来的人越来越少",
    "夜跑以前每次三四十人，现在也就七八个",
    "报名人数比去年少了一半",
    "值班的管理原来有六个，现在就我一个",
    "讲师团只剩我们俩还在撑",
    "the old-timers went silent after the rule change",
    "most of our regulars didn't renew this year",
    "a few of the old guard left along with him",
    "hardly anyone shows up to the Sunday call now",
])
def test_members_leaving_as_operators_write_it(ruleset, note: str) -> None:
    assert CORE in fired_rules(ruleset, _plan(note))


@pytest.mark.parametrize("note", [
    "老会员续费打八折，名额有限",
    "老人群每天早上发养生知识",
    "骨干们这个月都很积极",
    "报名人数比去年多了一倍",
    "以前群里只有几个人，现在三百多人了",
    "the regulars host the Friday game night",
    "attendance is up since we moved the call to Sunday",
])
def test_near_misses_are_no_departure(ruleset, note: str) -> None:
    assert CORE not in fired_rules(ruleset, _plan(note))


@pytest.mark.parametrize("note", [
    "几个学员自己又拉了一个群，有事都在那边说",
    "家长们背着我们另开了个群",
    "听说大家都去另一个群聊了，这边没人说话",
    "业主私下建了个新群，物业进不去",
    "some members started their own Discord and the real talk happens there",
])
def test_a_group_of_their_own_as_operators_write_it(ruleset, note: str) -> None:
    assert MOVED in fired_rules(ruleset, _plan(note))


@pytest.mark.parametrize("note", [
    "几个老学员自己又拉了一个聚餐群，我们也在里面",
    "学员多了以后我们按班级分了几个小群",
    "家长们建了个拼车群，拉了我们的老师进去",
    "we keep a separate group for announcements",
])
def test_a_group_the_staff_are_in_is_no_shadow_group(ruleset, note: str) -> None:
    assert MOVED not in fired_rules(ruleset, _plan(note))
