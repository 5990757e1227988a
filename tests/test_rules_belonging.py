"""engine.rules.belonging: membership as the way in, the one judgement structure.no-joining and
launch.no-screening share."""

from __future__ import annotations

import pytest

from qunce.engine.rules.environment import sandbox
from qunce.engine.rules.pack import load_rules

FACTS = load_rules().facts
TEST = sandbox().compile_expression("plan is admitted_by_membership")


@pytest.mark.parametrize("plan, comments, expected", [
    ({"positioning": {"kind": "class"}}, [], True),                       # a class's parents are given
    ({"positioning": {"kind": "internal"}}, [], True),                    # so is a company's staff
    ({"community": {"name": "三年二班家长群"}}, [], True),                  # the name says who belongs
    ({"positioning": {"audience": {"portrait": "协会的注册会员"}}}, [], True),
    ({}, [{"line": 3, "text": "购课后由助教拉进群", "path": ""}], True),   # an operator's note
    ({"structure": {"joining": {"channels": ["来店里修过机的顾客扫码"]}}}, [], True),  # the door is the shop
    ({"structure": {"joining": {"channels": ["existing customers get the link on the receipt"]}}}, [], True),
    ({"structure": {"joining": {"channels": ["朋友圈海报扫码", "公众号文章"]}}}, [], False),
    ({"positioning": {"kind": "interest", "shared_interest": "周末徒步"}}, [], False),
    ({"community": {"name": "城市跑团"}}, [{"line": 2, "text": "扫码进群", "path": ""}], False),
    ("not a plan", [], False),
])
def test_membership_is_the_way_in(plan, comments, expected):
    assert TEST(plan=plan, facts=FACTS, comments=comments) is expected


def test_without_the_word_list_only_the_kind_counts():
    """A pack without facts.keywords.membership_given still reads class and internal communities."""
    assert TEST(plan={"positioning": {"kind": "class"}}, facts={}, comments=[]) is True
    assert TEST(plan={"community": {"name": "三年二班家长群"}}, facts={}, comments=[]) is False
