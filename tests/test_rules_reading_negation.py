"""Negated keywords: what an operator says is NOT done (不删消息, we never delete) is no mention of it,
while a negator that belongs to another word, a prohibition to members, and a keyword holding its
own negator still read as written (engine.rules.reading.Negation, facts.negation)."""

from __future__ import annotations

import pytest

from qunce.engine.rules.pack import load_rules
from qunce.engine.rules.reading import Negation, mentions, negating

FACTS = load_rules().facts
KW = FACTS["keywords"]
NEG = Negation(FACTS["negation"], KW)
REMOVAL = KW["removal"] + KW["silencing"]

# (text, words, what `mentions` finds with negation)
TABLE = [
    # negated: the operator says it is not done
    ("当班策划师会在群里回复，不删消息", REMOVAL, []),
    ("客户批评产品，我们不踢人", REMOVAL, []),
    ("从不移出任何人", REMOVAL, []),
    ("绝不删帖", REMOVAL, []),
    ("不随便踢", REMOVAL, []),
    ("没有被删过帖", REMOVAL, []),
    ("不会被移出", REMOVAL, []),
    ("没人被踢过", REMOVAL, []),
    ("群里不卖课、不带货", KW["hard_selling"], []),
    ("不@所有人", KW["at_all"], []),
    ("我们不会因为提意见把人移出群", REMOVAL, []),   # the negator governs the 因为/把 phrase and the verb
    ("从不把老成员踢掉", REMOVAL, []),
    ("不因为一句抱怨就移出", REMOVAL, []),
    ("We never delete messages", REMOVAL, []),
    ("we don't remove anyone for asking", REMOVAL, []),
    ("No one gets kicked for criticism", REMOVAL, []),
    ("nobody has ever been removed", REMOVAL, []),
    ("We won’t ban you for a question", REMOVAL, []),
    ("posts will not be deleted", REMOVAL, []),
    # plain, or the negator belongs to another word
    ("发广告的直接踢", REMOVAL, ["踢"]),
    ("没有警告就踢人", REMOVAL, ["踢"]),
    ("把不说话的人移出", REMOVAL, ["移出"]),           # the 不 sits inside the 把 phrase: no scope over 移出
    ("因为发广告把人移出", REMOVAL, ["移出"]),
    ("七天不发言的移出", REMOVAL, ["移出"]),
    ("不得不删帖", REMOVAL, ["删帖"]),
    ("Spam = ban", REMOVAL, ["ban"]),
    ("Members who do not post for 30 days are removed", REMOVAL, ["removed"]),
    ("Inactive members not posting get kicked", REMOVAL, ["kicked"]),
    ("not on topic? removed", REMOVAL, ["removed"]),
    # a prohibition is a rule about what it names
    ("禁止发广告", KW["abuse"], ["发广告"]),
    ("不要发广告", KW["abuse"], ["发广告"]),
    ("不得质疑群主", KW["criticism"], ["质疑"]),
    ("不发广告、不刷屏", KW["flooding"], ["刷屏"]),
    ("群里不推销", KW["ad_rule"], ["推销"]),
    ("不吐槽，违者移出", KW["criticism"], ["吐槽"]),
    ("Don't spam", KW["flooding"], ["spam"]),
    ("No spam, no ads", KW["flooding"], ["spam"]),
    ("Please don't spam", KW["flooding"], ["spam"]),
    # ... but a statement that nobody did it is still a negation
    ("这个月没人投诉", KW["criticism"], []),
    # a keyword holding its own negator
    ("十分钟没人回复就提醒", ["没人回复"], ["没人回复"]),
    ("客服不回消息", ["不回消息"], ["不回消息"]),
    ("no reply after two days", ["no reply"], ["no reply"]),
]


@pytest.mark.parametrize(("text", "words", "found"), TABLE, ids=[row[0] for row in TABLE])
def test_negated_keywords_are_no_mention(text: str, words: list[str], found: list[str]) -> None:
    assert mentions(text, words, NEG) == found


def test_without_negation_every_hit_counts() -> None:
    assert mentions("不删消息", REMOVAL) == ["删消息"]
    with negating(NEG):
        assert mentions("不删消息", REMOVAL) == []
        assert mentions(["不删帖", "违规的删帖"], REMOVAL) == ["删帖"]  # a plain hit elsewhere still counts
    assert mentions("不删消息", REMOVAL) == ["删消息"]


def test_negators_are_data() -> None:
    bare = Negation({"zh": {"before": ["从不"]}, "en": {"before": ["never"]}})
    assert mentions("不删消息", REMOVAL, bare) == ["删消息"]
    assert mentions("从不删消息", REMOVAL, bare) == []
    assert mentions("we never delete", REMOVAL, bare) == []


def test_a_rule_set_compiles_its_negation_once_and_none_without_it() -> None:
    """RuleSet.negation: the facts' spec compiled once per rule set; a pack whose facts hold no
    `negation` mapping (a user pack loaded without the bundled facts) reads every hit."""
    from qunce.engine.rules.pack import RuleSet

    rules = load_rules()
    assert rules.negation is rules.negation and rules.negation.negated("不删消息", 1)
    assert RuleSet(rules=[], facts={}, packs=[]).negation is None
    assert RuleSet(rules=[], facts={"negation": ["不"]}, packs=[]).negation is None
    with negating(None):
        assert mentions("不删消息", REMOVAL) == ["删消息"]
