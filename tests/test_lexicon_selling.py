"""The selling, ads, scams and compliance vocabulary (issue 12): the ways operators say a thing, not
the one phrasing a plan happened to use, and the innocent senses beside them that must stay quiet.
Sentences are written for these tests, in the styles operators write (notes, rules, bullet shorthand)."""

from __future__ import annotations

import pytest
import yaml

from qunce.engine.rules.reading import mentions

from conftest import ROOT, fired_rules

KEYWORDS = yaml.safe_load((ROOT / "playbooks" / "00-facts.yaml").read_text(encoding="utf-8"))["facts"]["keywords"]


def said(text: str, *lists: str) -> list[str]:
    """The words of the named lists the text mentions (all must hit for a reading that needs both)."""
    return [hit for name in lists for hit in mentions(text, KEYWORDS[name])]


def both(text: str, first: str, second: str) -> bool:
    return bool(mentions(text, KEYWORDS[first])) and bool(mentions(text, KEYWORDS[second]))


@pytest.mark.parametrize("text", [
    "顾问每天下午群发一次福利链接",
    "直播结束后私聊追单",
    "活动最后一天，手慢无",
    "every evening a flash sale post",
])
def test_hard_selling_in_other_words(text: str) -> None:
    assert said(text, "hard_selling")


@pytest.mark.parametrize("text, limits", [
    ("推广每周不超过两条", True),
    ("一天最多一条团购", True),
    ("顾问不群发、不骚扰成员", True),
    ("本群是福利群，只发优惠信息", False),  # what the group is for, not how often
    ("每晚统一发布次日信息", False),
])
def test_a_promotion_limit_is_a_count_not_a_purpose(text: str, limits: bool) -> None:
    assert bool(said(text, "promo_limit")) is limits


@pytest.mark.parametrize("text", ["按活动需要", "看情况，有新品就发", "TBD", "as needed"])
def test_a_limit_field_with_no_number_is_no_limit(text: str) -> None:
    assert said(text, "no_limit")


@pytest.mark.parametrize("text, hit", [("每晚八点＠所有人", True), ("艾特全体提醒上课", True), ("@小王 负责所有人的座位", True),
                                       ("所有人都可以报名", False)])
def test_at_all_typed_any_way(text: str, hit: bool) -> None:
    assert bool(said(text, "at_all")) is hit


@pytest.mark.parametrize("text, paid", [
    ("合作店家按成交给我们返点", True),
    ("品牌方给群主 10% 佣金", True),
    ("we take a brand deal each month", True),
    ("老学员推荐新学员成交返佣", False),  # a member's referral reward, not partners' money
])
def test_partner_money_in_other_words(text: str, paid: bool) -> None:
    assert bool(said(text, "partner_money")) is paid


@pytest.mark.parametrize("text", ["所有合作内容都会标注【合作】", "群公告里说明返佣比例", "每条推广写明广告"])
def test_interest_disclosed_in_other_words(text: str) -> None:
    assert said(text, "interest_disclosed")


@pytest.mark.parametrize("text, rule", [
    ("禁止营销和发二维码", True),
    ("不许发名片、招兼职", True),
    ("禁止私加群友", False),  # forbids approaches, not ads
])
def test_ad_rule_in_other_words(text: str, rule: bool) -> None:
    assert bool(said(text, "ad_rule")) is rule


@pytest.mark.parametrize("text, noted", [
    ("营销号天天发减肥茶", True),
    ("踢了三个广告号，第二天又有新号来刷", True),
    ("拼多多砍价链接屡禁不止", True),
    ("spammers keep posting referral links", True),
    ("群规禁止广告", False),
    ("每天早上群主发一条直播链接", False),  # the group's own post, not an ad
])
def test_ads_noted_in_other_words(text: str, noted: bool) -> None:
    assert both(text, "ads_posted", "keeps_coming") is noted


@pytest.mark.parametrize("text, noted", [
    ("最近有陌生人私信群友推理财，好几个人转账后失联", True),
    ("有人冒充管理员私聊新人收会员费", True),
    ("被人私聊推销保险，烦死了", True),
    ("someone impersonating an admin DMed members a phishing link", True),
    ("课程咨询请私聊助教，收费标准见公告", False),  # the staff's own channel
    ("老客户都是私聊我下单的", False),
    ("新学员由助教拉进班级群", False),  # staff bringing members in is no approach
])
def test_members_approached_in_other_words(text: str, noted: bool) -> None:
    assert both(text, "private_approach", "approach_harm") is noted


@pytest.mark.parametrize("text, pyramid", [
    ("你拉的人再拉人，你也有奖励", True),
    ("两级分佣：直推 20%，间推 5%", True),
    ("二级返佣", True),
    ("老会员推荐新会员，双方各得一张券", False),  # one level, rewarded once
])
def test_pyramid_rewards_described_in_prose(text: str, pyramid: bool) -> None:
    assert bool(said(text, "pyramid")) is pyramid


@pytest.mark.parametrize("text, fee", [("缴纳 3980 升级成为合伙人", True), ("先买代理资格才能分销", True),
                                      ("购买年卡成为会员", False)])
def test_entry_fee_to_become_a_seller(text: str, fee: bool) -> None:
    assert bool(said(text, "entry_fee")) is fee


@pytest.mark.parametrize("text, promise", [
    ("零风险理财，每月返息 2%", True),
    ("保本保息，到期还本", True),
    ("risk-free, guaranteed profit every month", True),
    ("零风险试听课，不满意全退", False),  # a course trial, not a return on money
    ("阅读量翻倍的写作技巧", False),
])
def test_fundraising_promises_in_other_words(text: str, promise: bool) -> None:
    assert bool(said(text, "fundraising")) is promise


@pytest.mark.parametrize("text, shares", [
    ("转发海报到朋友圈保留两小时，截图领资料", True),
    ("转发到3个群即可免费领取", True),
    ("每周在群里分享读书心得", False),  # members sharing content
    ("邀请好友进群，好友入群后你领书单", False),  # a reward that waits for the friend to take part (DOMAIN §9)
    ("活动海报转发给朋友，报名满 30 人开班", False),
])
def test_induced_sharing_in_other_words(text: str, shares: bool) -> None:
    assert bool(said(text, "induced_sharing")) is shares


@pytest.mark.parametrize("text, data", [
    ("进群请发身份证正反面", True),
    ("报名表填写病史和过敏史", True),
    ("请提供收入证明", True),
    ("App 认证车主后进群", False),
    ("Post once in #jobs with the salary range", False),  # a topic members talk about, not data asked of them
    ("大家可以聊聊薪资和跳槽", False),
])
def test_personal_data_in_other_words(text: str, data: bool) -> None:
    assert bool(said(text, "personal_data")) is data


FILTERED = """\
version: 1
community: {{name: 测试群}}
structure:
  platform: wechat_group
  moderation: {{keyword_filter: true, keywords: [{words}]}}
"""


@pytest.mark.parametrize("words, fires", [
    ("加微信, 跑路, 退钱", True),
    ("代开发票, 爆雷, 报警", True),
    ("rug pull, airdrop link", True),
    ("代开发票, 贷款, 兼职刷单", False),
])
def test_complaint_words_on_the_filter_are_read(words: str, fires: bool, ruleset) -> None:
    assert ("tyranny.complaints-filtered" in fired_rules(ruleset, FILTERED.format(words=words))) is fires


NOTE = """\
version: 1
community: {{name: 测试群}}
structure:
  platform: wechat_group
  # {note}
"""


@pytest.mark.parametrize("note, fires", [
    ("有人冒充客服私信群友，已经有人被骗了", True),
    ("有事私聊管理员", False),
])
def test_members_approached_note_through_the_engine(note: str, fires: bool, ruleset) -> None:
    assert ("harassment.members-approached-noted" in fired_rules(ruleset, NOTE.format(note=note))) is fires
