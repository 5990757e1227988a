"""The words of leaders away and outputs lapsed (DOMAIN §7 无首, 无聊): the ways operators say the owner
is elsewhere, a helper leaves, nobody takes over, a recurring output stopped, must be read in
phrasings nobody here has written into a plan yet; and the innocent senses next to them must not."""

from __future__ import annotations

import pytest

from qunce.engine.rules.reading import mentions

from conftest import bundled_rules, checked


def _noted(platform: str, note: str) -> str:
    return f"version: 1\ncommunity: {{name: 示例社群}}\nstructure: {{platform: {platform}}}\n# {note}\n"


@pytest.mark.parametrize("note", [
    "群主前年搬去外地了，现在群基本都交给我们管理员",
    "群主只是挂名，实际上不怎么看群",
    "会长换了新工作，很少在群里说话",
    "群主最近忙生意，半个月没冒泡了",
    "负责人下个月开始休产假",
    "The founder relocated last spring and hardly posts now",
    "The host is busy with the day job and leaves it to me",
])
def test_owner_elsewhere_is_read(note: str) -> None:
    assert "leaderless.owner-away-noted" in checked(_noted("wechat_group", note))


@pytest.mark.parametrize("note", [
    "群主每天晚上八点答疑",
    "潜水的成员群主每月清理一次",  # members lurking, not the owner away
    "群主说大家工作都很忙，周末再聊",
    "The host posts the weekly prompt every Monday",
])
def test_owner_present_is_not_read_as_away(note: str) -> None:
    assert "leaderless.owner-away-noted" not in checked(_noted("wechat_group", note))


@pytest.mark.parametrize("note", [
    "助教小陈月底离职，答疑以后谁来还没定",
    "运营阿青下个月辞职，目前在物色人",
    "Our moderator handed in her notice; still looking for someone",
    "主持人明年卸任，之后怎么办大家还没商量",
])
def test_leaving_with_nobody_to_take_over_is_read(note: str) -> None:
    assert "leaderless.succession-noted" in checked(_noted("wechat_group", note))


@pytest.mark.parametrize("note", [
    "助教小陈月底离职，以后由小王负责答疑",
    "放手让群友自己组织活动",  # hands-off by design, nobody leaves
    "成员毕业后可以留在群里",  # members graduating
])
def test_a_solved_or_innocent_change_is_not_succession(note: str) -> None:
    assert "leaderless.succession-noted" not in checked(_noted("wechat_group", note))


@pytest.mark.parametrize("words, text", [
    ("lapsed", "周报改成不定期了"),
    ("lapsed", "读书会三个月没办了"),
    ("lapsed", "上次是三月份，之后断断续续"),
    ("lapsed", "The digest has been on hiatus since spring"),
    ("lapsed", "the newsletter petered out"),
    ("departed", "已辞职"),
    ("departed", "去年底去外地了"),
    ("departed", "stepped down in May"),
    ("unanswered", "有人提问，石沉大海"),
    ("unanswered", "asked twice and never heard back"),
    ("tired", "几个老志愿者都有点力不从心"),
    ("tired", "the mods are burned out"),
    ("worn_out", "心力交瘁，散了算了"),
    ("backers_withdrawn", "对接人离职后就没人出面了"),
    ("output_alone", "每周的提醒都是我来发"),
    ("gone_quiet", "这位管理员人间蒸发了"),
])
def test_family_phrasings_are_mentioned(words: str, text: str) -> None:
    assert mentions(text, bundled_rules().facts["keywords"][words]), (words, text)


@pytest.mark.parametrize("words, text", [
    ("lapsed", "每周一准时发，从不延期"),
    ("lapsed", "偶尔会多加一期"),  # an extra issue is no lapse
    ("departed", "he is quite busy"),  # quite is no quit
    ("departed", "离开群前请先打招呼"),
    ("output_alone", "福利群只有我们在发"),  # a team posting is not one person alone
    ("worn_out", "老群要不要解散、怎么迁移还没想好"),  # a migration, not giving up
    ("backers_withdrawn", "退款都退了"),
    ("gone_quiet", "晚上不回消息，第二天统一回复"),  # office hours
])
def test_innocent_senses_are_not_mentioned(words: str, text: str) -> None:
    assert not mentions(text, bundled_rules().facts["keywords"][words]), (words, text, mentions(text, bundled_rules().facts["keywords"][words]))
