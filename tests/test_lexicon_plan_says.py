"""What a plan already says in its own words (the precision side of issue 12): a nickname format
asked for in a group rule, in the ways operators write it, keeps structure.no-nickname-format quiet;
a sign-up's 接龙 format, a friend request's note or the group's own name does not (DOMAIN §3, §6)."""

from __future__ import annotations

import pytest

from conftest import fired_rules

NICK = "structure.no-nickname-format"


def _rules_plan(rule: str) -> dict:
    return {"structure": {"platform": "wechat_group", "rules": [rule, "不发广告"],
                          "groups": [{"name": "一群", "members": 360}]}}


@pytest.mark.parametrize("rule", [
    "新人进群后请把名字改为“小区+姓氏”",
    "群内统一名字格式：城市-行业-名字",
    "进群请备注：地区+真实姓名",
    "群里请实名，方便线下对接",
    "麻烦大家改一下名字，按区县加名字",
    "请更改群内称呼为 公司+姓名",
    "On joining, please set your name as First name + company",
    "Use your real name in the server",
])
def test_nickname_rule_in_other_words(ruleset, rule: str) -> None:
    assert NICK not in fired_rules(ruleset, _rules_plan(rule))


@pytest.mark.parametrize("rule", [
    "接龙请按格式：楼号+姓名+数量",        # a group-buy sign-up, not the shown name
    "报名写真名+电话尾号，方便买保险",      # an event's insurance list
    "加管理员好友请备注来意",              # a friend request's note
    "群名统一为“读书会+编号”",             # the group's own name in a matrix (DOMAIN §6)
    "活动改期的话姓名不变，不用重新报",
])
def test_near_misses_are_no_nickname_rule(ruleset, rule: str) -> None:
    assert NICK in fired_rules(ruleset, _rules_plan(rule))


PLATFORMS = "structure.platforms-unclear"


def _two_platforms(note: str = "", side: str = "会员群") -> str:
    return ("version: 1\ncommunity: {name: 示例社群}\nstructure:\n  platform: zsxq\n  groups:\n"
            f"    - {{name: 星球, platform: zsxq}}\n    - {{name: {side}, platform: wechat_group}}\n"
            + (f"# {note}\n" if note else ""))


@pytest.mark.parametrize("note", [
    "干货都沉淀在星球，微信群里只闲聊和发提醒",
    "知识星球发内容和作业，群里答疑",
    "通知统一发两边，老群保留到年底",
    "the planet is where content lives; the WeChat group is for chat",
])
def test_platform_division_noted(ruleset, note: str) -> None:
    assert PLATFORMS not in fired_rules(ruleset, _two_platforms(note))


@pytest.mark.parametrize("side", ["会员答疑群", "续费提醒群", "星友闲聊群"])
def test_side_group_named_for_its_job(ruleset, side: str) -> None:
    assert PLATFORMS not in fired_rules(ruleset, _two_platforms(side=side))


@pytest.mark.parametrize("note", [
    "",
    "两个地方都有人，还没想好怎么分",
    "星球的人比群里少很多",
])
def test_platform_split_left_open(ruleset, note: str) -> None:
    assert PLATFORMS in fired_rules(ruleset, _two_platforms(note))


SCREEN = "launch.no-screening"
JOINING = "structure.no-joining"
OPEN = "harassment.open-without-threshold"


@pytest.mark.parametrize("rule", [
    "进群前需私聊群主说明来意",
    "入群需管理员审核，资料不全的不通过",
    "付款后发群码",
    "老会员推荐才能进，推荐人负责",
    "填完入群问卷，审核通过后拉进群",
    "本群实行邀请制",
    "Invite only: a member must vouch for you",
])
def test_door_said_in_a_rule(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule, "不发广告"]}}
    fired = fired_rules(ruleset, plan)
    assert SCREEN not in fired and JOINING not in fired


@pytest.mark.parametrize("rule", [
    "进群后请先自我介绍",          # a welcome, not a door
    "拉人不用审，欢迎大家拉朋友",  # the door stands open
    "每天精选审核过的兼职信息",    # content checked, not members
])
def test_near_misses_leave_the_door_open(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule, "不发广告"]}}
    fired = fired_rules(ruleset, plan)
    assert SCREEN in fired and JOINING in fired


def test_open_mode_with_a_checked_door_in_the_rules(ruleset) -> None:
    plan = {"structure": {"platform": "wechat_group", "joining": {"mode": "open"},
                          "rules": ["进群需回答三个问题，管理员核实后通过"]}}
    assert OPEN not in fired_rules(ruleset, plan)


def test_undecided_door_in_a_note_is_no_screen(ruleset) -> None:
    plan = "version: 1\ncommunity: {name: 示例社群}\nstructure: {platform: wechat_group}\n# 入群要不要审核？待定\n"
    fired = fired_rules(ruleset, plan)
    assert SCREEN in fired and JOINING in fired


REVENUE = "launch.revenue-model-unstated"


def _revenue_plan(note: str = "", value: str = "") -> str:
    positioning = "{kind: product, motives: [growth]" + (f", value: {value}" if value else "") + "}"
    return (f"version: 1\ncommunity: {{name: 示例社群}}\npositioning: {positioning}\n"
            + (f"# {note}\n" if note else ""))


@pytest.mark.parametrize("note", [
    "年费会员制，一年 299",
    "主要靠训练营课程转化",
    "不盈利，场地费大家AA",
    "茶歇和奖品由合作书店赞助",
    "开支由公司市场部预算承担",
    "sponsored by the local bike shop; no fees for members",
])
def test_revenue_said_in_a_note(ruleset, note: str) -> None:
    assert REVENUE not in fired_rules(ruleset, _revenue_plan(note))


def test_revenue_said_in_the_value(ruleset) -> None:
    assert REVENUE not in fired_rules(ruleset, _revenue_plan(value="会员费覆盖讲师课酬"))


@pytest.mark.parametrize("note", [
    "",
    "场地费还没着落",                 # a cost, nobody carrying it
    "以后可能收会员费，待定",          # undecided
    "成员大多是做服务行业的",
])
def test_revenue_left_open(ruleset, note: str) -> None:
    assert REVENUE in fired_rules(ruleset, _revenue_plan(note))


ADS = "harassment.ads-unchecked"
SPAM = "harassment.spam-not-handled"
FILTER = "harassment.keyword-filter-off"


@pytest.mark.parametrize("rule", [
    "禁止打广告、发软文",
    "不要在群里挖人、拉人去别的群",
    "发商品链接、店铺链接的直接移出",
    "只聊摄影，与主题无关的内容不要发",
    "想发广告的先发红包",
    "No advertising or affiliate links",
    "Please stay on topic",
])
def test_ad_rule_in_other_words(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule, "文明交流"]}}
    assert ADS not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("rule", ["禁止私加群友", "文明交流，互相尊重", "每周五晚上线上分享"])
def test_no_ad_rule_is_read_in_these(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule, "文明交流"]}}
    assert ADS in fired_rules(ruleset, plan)


@pytest.mark.parametrize("rule", [
    "连续发语音条的，提醒一次后禁言",
    "早安图、鸡汤文别发，违者发红包认罚",
    "霸屏三次就清出",
    "Chain messages get one strike, three strikes and you are out",
])
def test_spam_policy_in_a_rule(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule], "moderation": {"ads": "forbidden"}}}
    assert SPAM not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("rule", ["少发早安图", "刷屏的太多了大家克制一下"])
def test_flood_named_without_what_follows(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule], "moderation": {"ads": "forbidden"}}}
    assert SPAM in fired_rules(ruleset, plan)


@pytest.mark.parametrize("bots", ["GroupBot：敏感词自动撤回，广告号自动踢", "a bot that auto-deletes links and auto-mutes new accounts"])
def test_filtering_tool_in_its_own_words(ruleset, bots: str) -> None:
    plan = {"structure": {"platform": "telegram_group", "moderation": {"ads": "forbidden", "spam": "warn", "bots": bots}}}
    assert FILTER not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("bots", ["Combot for stats and welcome messages", "Carl-bot（身份组和欢迎语）"])
def test_a_bot_named_for_other_jobs_filters_nothing(ruleset, bots: str) -> None:
    plan = {"structure": {"platform": "telegram_group", "moderation": {"ads": "forbidden", "spam": "warn", "bots": bots}}}
    assert FILTER in fired_rules(ruleset, plan)


PARTICIPATION = "boredom.no-participation"


def _participation_plan(output: str = "", rule: str = "文明交流", value: str = "") -> dict:
    plan: dict = {"structure": {"platform": "wechat_group", "rules": [rule]}}
    if output:
        plan["output"] = [{"name": output, "cadence": "weekly"}]
    if value:
        plan["positioning"] = {"value": value}
    return plan


@pytest.mark.parametrize("output", ["月度晒作品", "每周共读一章", "周日开放麦", "季度 demo day", "Show-and-tell Friday"])
def test_members_doing_it_in_an_output_name(ruleset, output: str) -> None:
    assert PARTICIPATION not in fired_rules(ruleset, _participation_plan(output=output))


@pytest.mark.parametrize("rule", ["有问题大胆提问，踊跃发言", "欢迎讨论，畅所欲言", "Don't be shy, chime in anytime"])
def test_members_urged_to_speak_in_a_rule(ruleset, rule: str) -> None:
    assert PARTICIPATION not in fired_rules(ruleset, _participation_plan(rule=rule))


@pytest.mark.parametrize("value", ["群友轮流主持每周话题", "每人每周交作业，成员互相点评", "member-led workshops every month"])
def test_members_named_as_the_hands(ruleset, value: str) -> None:
    assert PARTICIPATION not in fired_rules(ruleset, _participation_plan(value=value))


@pytest.mark.parametrize("output,value", [
    ("每日接龙下单", ""),          # an order chain is buying
    ("晒单返现", ""),              # a buyer's show for cashback
    ("周末排班接龙", ""),          # a roster
    ("", "往期学员经验分享，由顾问挑选"),
    ("", "球友答疑，教练每天回复"),
])
def test_buying_rostering_and_staff_output_are_no_participation(ruleset, output: str, value: str) -> None:
    assert PARTICIPATION in fired_rules(ruleset, _participation_plan(output=output, value=value))


PORTRAIT = "focus.no-audience-portrait"


def _interest_plan(note: str = "", sources: str = "") -> str:
    audience = f"\n  audience: {{sources: [{sources}]}}" if sources else ""
    return (f"version: 1\ncommunity: {{name: 示例社群}}\npositioning:\n  shared_interest: 周末一起爬山{audience}\n"
            + (f"# {note}\n" if note else ""))


@pytest.mark.parametrize("note", [
    "成员大多是附近小区的宝妈",
    "以在校大学生为主，也有刚工作的",
    "群友基本都是30多岁的上班族",
    "mostly retirees from the east side",
    "members are in their 30s, working in tech",
])
def test_portrait_said_in_a_note(ruleset, note: str) -> None:
    assert PORTRAIT not in fired_rules(ruleset, _interest_plan(note))


@pytest.mark.parametrize("note", [
    "",
    "成员大多不说话，主要是老师在讲",  # how they act and who talks, not who they are
    "以后想多拉一些大学生进来，待定",  # undecided
    "members are mostly quiet on weekdays",
])
def test_no_portrait_in_these(ruleset, note: str) -> None:
    assert PORTRAIT in fired_rules(ruleset, _interest_plan(note))


@pytest.mark.parametrize("rule", ["老群友手把手教小白入门", "资深会员给新朋友答疑", "坚持传帮带", "We run a buddy system for first-timers"])
def test_mentoring_said_in_a_rule_is_a_way_in(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule]}}
    assert JOINING not in fired_rules(ruleset, plan)


@pytest.mark.parametrize("rule", ["老会员续费打八折", "新人进群先看群公告"])
def test_old_and_new_named_apart_are_no_mentoring(ruleset, rule: str) -> None:
    plan = {"structure": {"platform": "wechat_group", "rules": [rule]}}
    assert JOINING in fired_rules(ruleset, plan)
