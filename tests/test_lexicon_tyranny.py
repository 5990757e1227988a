"""The tyranny and dissent lists (facts.keywords) read the ways operators say an owner's word is
final, dissent forbidden or punished, members afraid, complaints sent private or left unanswered,
and do not read innocent senses, negations or a refund named as a penalty (issue 12). The
sentences are written for this test, not taken from any plan."""

from __future__ import annotations

import pytest

from conftest import checked, said, with_group_rules


@pytest.mark.parametrize("text, lists", [
    ("群里的事由会长一人决定", ["domineering"]),
    ("规则怎么理解，以团长的解读为准", ["domineering"]),
    ("本群不接受任何议论", ["domineering"]),
    ("少在群里说三道四", ["domineering"]),
    ("看不惯的请自行离开", ["domineering"]),
    ("严禁在群内传播负能量", ["domineering"]),
    ("The owner has the final say; if you don't like it, leave", ["domineering"]),
    ("他在群里反驳了老师", ["criticism"]),
    ("有学员申请退费", ["criticism"]),
    ("有人来讨说法", ["criticism"]),
    ("She pushed back on the new fee", ["criticism"]),
    ("最近大家都不太敢发言", ["hushed"]),
    ("怕被点名批评，没人敢问", ["hushed"]),
    ("请勿在群里讨论扣款问题", ["hushed"]),
    ("members are afraid to speak now", ["hushed"]),
    ("对老师有意见的请私下沟通", ["opinions", "private_channel"]),
    ("提了意见第二天就不在群里了", ["removal"]),
    ("发言被删了，人也被禁言", ["silencing"]),
    ("一律移出，二话不说", ["unwarned"]),
    ("可在三天内申请复议", ["redress"]),
    ("不予复议", ["redress_refused"]),
    ("他当众质疑了群主", ["spoke_up"]),
    ("反馈了好几次都石沉大海，已读不回", ["unheeded"]),
    ("上周两边吵架了，后来开启禁言", ["heated", "closed_off"]),
    ("平台拖欠佣金", ["grievances"]),
    ("课程虚假宣传", ["faults"]),
])
def test_ways_of_saying_it_are_read(text: str, lists: list[str]) -> None:
    for name in lists:
        assert said(text, name), (text, name)


@pytest.mark.parametrize("text, name", [
    ("活动时间以群主通知为准", "domineering"),  # the owner's notice of a time, not a ruling on dissent
    ("最终解释权归本店所有", "domineering"),  # shop boilerplate
    ("不满意可申请退款", "domineering"),  # a refund offered, nobody shown the door
    ("违者移出，不退费", "criticism"),  # bare 退费 still reads; the penalty list excuses it (below)
    ("我们不敢保证每次都有名额", "hushed"),
    ("有意见私聊我或者群里直说都行", "private_channel"),
    ("这个时间和上课冲突", "heated"),
    ("还没处理完的报名表", "unheeded"),
    ("欢迎批评，我们从不踢人", "removal"),  # negated
])
def test_innocent_senses_are_not_read(text: str, name: str) -> None:
    if name == "criticism":
        assert said(text, "refund_penalty")
        return
    assert not said(text, name), (text, name)


@pytest.mark.parametrize("rules, rule", [
    (["要求退款的一律移出"], "tyranny.critics-removed"),
    (["对群主的决定有异议的，直接踢出"], "tyranny.critics-removed"),
    (["扣款的事不要在群里讨论"], "tyranny.criticism-silenced"),
    (["请勿在群内质疑课程安排"], "tyranny.criticism-silenced"),
    (["不同意的住户请私下找楼长沟通"], "tyranny.criticism-silenced"),  # disagreement said as such, sent to a private chat  # the verb of dissent itself, not 说/讨论
    (["一切由会长一人决定，不接受议论"], "tyranny.domineering-rules"),
])
def test_rules_fire(rules: list[str], rule: str) -> None:
    assert rule in checked(with_group_rules(rules))


@pytest.mark.parametrize("rules, rule", [
    (["禁止搬运资料，违者移出不退费"], "tyranny.critics-removed"),
    (["连续两周不打卡移出，不予退款"], "tyranny.critics-removed"),
    (["活动时间以群主通知为准"], "tyranny.domineering-rules"),
    (["吵架的提醒一次，不听再请出去，有异议找另一个管理员"], "tyranny.critics-removed"),  # a second admin hears it
])
def test_rules_do_not_fire(rules: list[str], rule: str) -> None:
    assert rule not in checked(with_group_rules(rules))
