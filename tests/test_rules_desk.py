"""rules.desk: a group the plan keeps as its customers' service desk, by purpose or in its own words."""
from __future__ import annotations

from engine.rules.desk import serves_customers

FACTS = {"keywords": {"service_desk": ["售后服务", "@客服", "退换货", "报修", "customer service"]}}


def test_service_purpose_is_a_desk() -> None:
    assert serves_customers({"positioning": {"purposes": ["service", "retain"]}}, FACTS)


def test_name_value_or_rules_saying_so_is_a_desk() -> None:
    assert serves_customers({"community": {"name": "青禾净水器 售后服务群"}}, FACTS)
    assert serves_customers({"structure": {"rules": ["退换货请在群里@客服，说明订单号"]}}, FACTS)
    assert serves_customers({"positioning": {"value": "Customer service for owners of our kettles"}}, FACTS)


def test_other_groups_are_not() -> None:
    assert not serves_customers({"community": {"name": "跑友会"}, "structure": {"rules": ["不发广告"]}}, FACTS)
    assert not serves_customers({"positioning": {"purposes": ["revenue"]}}, FACTS)
    assert not serves_customers({}, FACTS)
    assert not serves_customers({"community": {"name": "售后服务群"}}, {"keywords": {}})
