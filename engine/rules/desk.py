"""A service desk: a group the plan runs for its customers to bring a problem when they have one.

A group kept to serve customers (DOMAIN §2: after-sales, repairs, returns, a client's account) is
used when something goes wrong: most members read and stay silent in any week, and their problems
come at night as well as by day. The plan says so by its purposes (service) or in its own words,
its name, value or rules (用户服务群, 退换货请@客服, customer service). One judgement, so the
quiet-hours and silence rules read a service group alike.
"""

from __future__ import annotations

from typing import Any

from ..model.plan import as_dict
from .reading import mentions
from .vocabulary import listify


def serves_customers(plan: Any, facts: Any) -> bool:
    """`plan is service_desk(facts)`: service among the purposes, or the name, value or group
    rules calling the group a service desk (facts.keywords.service_desk)."""
    p = as_dict(plan)
    positioning = as_dict(p.get("positioning"))
    if "service" in listify(positioning.get("purposes")):
        return True
    words = as_dict(as_dict(facts).get("keywords")).get("service_desk")
    if not words:
        return False
    texts = [as_dict(p.get("community")).get("name"), positioning.get("value"), as_dict(p.get("structure")).get("rules")]
    return bool(mentions(texts, words))
