"""The ways operators write the context that explains an alarming figure (DOMAIN §6 seasons, §7, §12
platform norms, §13 evidence): a quiet season, departures with a recurring or planned reason, a
group read rather than talked in, a service desk, a group the members run themselves. Each phrasing,
in words of our own, keeps the figure's rule quiet; the near-misses (a worried or guessing note, a
rule sending after-sales out of the group, a removal of a few accounts) leave it firing."""

from __future__ import annotations

import pytest

from conftest import fired_rules

LEAVE = "evaporation.leave-rate-observed"
SILENT = "boredom.silent-majority-observed"
IDLE = "leaderless.idle-observed"
FEW_NEW = "staleness.few-new-observed"

_HEAD = "version: 1\ncommunity: {name: 示例社群}\nstructure:\n  platform: wechat_group\n"


def _observed(note: str, figures: str) -> str:
    return f"{_HEAD}# {note}\nobserved:\n  as_of: '2026-05-01'\n  group_age_days: 900\n{figures}"


def _leaving(note: str) -> str:
    return _observed(note, "  members: 400\n  left_30d: 80\n")


def _silent(note: str, group: str = "") -> str:
    return _observed(note, f"  members: 400\n  active_7d: 20\n  silent_7d: 380\n{group}")


def _idle(note: str) -> str:
    return _observed(note, "  members: 400\n  days_since_last_activity: 60\n")


def test_the_figures_alone_fire(ruleset) -> None:
    """The baseline the rest lean on: with no note, each figure is over its line."""
    assert LEAVE in fired_rules(ruleset, _leaving("备注"))
    assert SILENT in fired_rules(ruleset, _silent("备注"))
    assert IDLE in fired_rules(ruleset, _idle("备注"))


@pytest.mark.parametrize("note", [
    "春节期间大家都回老家，群里一向这样",
    "考试周，打卡暂停两周",
    "禁渔期到六月，钓点都封了",
    "每年春节前后群里都比较安静",
    "一到农忙季节就没人说话",
    "暑假那几周人少，正常",
    "开学后就会回来的",
    "新赛季开始大家自然又活跃起来",
    "quiet during exams, as every term",
    "the club is in its offseason until March",
    "it always picks up again after the holidays",
])
def test_quiet_seasons_as_operators_write_them(ruleset, note: str) -> None:
    assert IDLE not in fired_rules(ruleset, _idle(note))


@pytest.mark.parametrize("note", [
    "过年后就冷清了，一直没恢复",
    "春节搞了一次线上联欢",
    "最近一个多月没组织活动，说不上原因",
    "we ran a Christmas quiz last year",
])
def test_no_season_in_these_notes(ruleset, note: str) -> None:
    assert IDLE in fired_rules(ruleset, _idle(note))


@pytest.mark.parametrize("note", [
    "退群的基本是毕业季走的，每学期都有",
    "训练营结束后学员陆续退出",
    "这个月把大家迁到新群了，旧群的人数下降是搬家",
    "换届后上一届的干事退出了",
    "会员到期不续的自然退了",
    "left after graduation, the same every term",
    "many left when the memberships expired, as planned",
])
def test_departures_with_their_reason(ruleset, note: str) -> None:
    assert LEAVE not in fired_rules(ruleset, _leaving(note))


@pytest.mark.parametrize("note", [
    "退群的人越来越多，不知道原因",
    "最近掉了一批人，会不会是推送太多了",
    "走了一批老会员，有点担心，好像是换了群主",
    "踢了几个小号，又来了",
    "people keep leaving, could be the season",
    "lots of members left, unexplained",
])
def test_worried_or_guessing_notes_explain_nothing(ruleset, note: str) -> None:
    assert LEAVE in fired_rules(ruleset, _leaving(note))


@pytest.mark.parametrize("note", [
    "群里没什么人说话，这很正常，大家有需要才来",
    "老客户群一向只看不说，属正常",
    "话不多是预期之内的",
    "the group is mostly read, as intended",
    "hardly anyone posts and that's okay",
])
def test_quiet_noted_as_expected(ruleset, note: str) -> None:
    assert SILENT not in fired_rules(ruleset, _silent(note))


@pytest.mark.parametrize("note", [
    "群里静悄悄的，以前很活跃，有点担心",
    "互动少了很多，突然冷清，不正常",
    "not much chatter lately, it used to be busy",
])
def test_quiet_noted_with_worry(ruleset, note: str) -> None:
    assert SILENT in fired_rules(ruleset, _silent(note))


def _group_plan(purpose: str, rules: str = "") -> str:
    rules_line = f"  rules: [{rules}]\n" if rules else ""
    return (f"{_HEAD}  groups:\n    - name: 一群\n      members: 400\n      purpose: {purpose}\n{rules_line}"
            "observed:\n  as_of: '2026-05-01'\n  name: 一群\n  group_age_days: 900\n  members: 400\n"
            "  active_7d: 20\n  silent_7d: 380\n")


@pytest.mark.parametrize("purpose", [
    "全员禁言，只用于通知",
    "仅管理员可以发言，发活动安排",
    "read-only announcements for members",
    "老学员自己建的群，我们只是普通成员",
    "家长自发组织的群，官方不干预",
    "members set it up, we stay out",
])
def test_read_only_and_members_own_groups(ruleset, purpose: str) -> None:
    assert SILENT not in fired_rules(ruleset, _group_plan(purpose))


@pytest.mark.parametrize("purpose", [
    "日常交流，不限话题",
    "我们组织的读书会，大家轮流分享",
])
def test_talking_groups_stay_read(ruleset, purpose: str) -> None:
    assert SILENT in fired_rules(ruleset, _group_plan(purpose))


@pytest.mark.parametrize("name", ["XX净水器技术支持群", "打印机 help desk"])
def test_service_desk_by_name(ruleset, name: str) -> None:
    plan = _silent("备注").replace("示例社群", name)
    assert SILENT not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("rule", ["售后问题请私聊客服，群里不处理", "退货问题私聊店员"])
def test_after_sales_sent_out_of_the_group_is_no_desk(rule: str) -> None:
    from qunce.engine.rules.desk import serves_customers
    from qunce.engine.rules.pack import load_rules

    facts = load_rules().facts
    plan = {"community": {"name": "福利群"}, "structure": {"rules": [rule]}}
    assert not serves_customers(plan, facts)
