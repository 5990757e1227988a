"""Membership as the way in: people who already belong to something that admits them (a class's
parents, an association's or club's members, a coach's paying students, former colleagues, a
building's residents) need no separate door or screen, since belonging is both (DOMAIN §2 who the
members are, §3 joining principles). One judgement, so the joining and screening rules read the
same plan alike."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from ..model.plan import as_dict
from .reading import mentions, noting

ADMITTED_KINDS = ("class", "internal")  # communities whose members are given: a class, a company's staff


@pass_context
def admitted_by_membership(context: Any, plan: Any) -> bool:
    """`plan is admitted_by_membership`: a class or internal community, or a name, portrait, shared
    interest, joining channel or comment that says its members belong to something that admits them
    (facts.keywords.membership_given), or a name, portrait, interest or channel that says they are the
    business's own customers (customers_given: 老顾客群, 来店里修过的扫码; not comments)."""
    if not isinstance(plan, dict):
        return False
    positioning = as_dict(plan.get("positioning"))
    if positioning.get("kind") in ADMITTED_KINDS:
        return True
    keywords = as_dict(as_dict(context.get("facts")).get("keywords"))
    words, customers = keywords.get("membership_given"), keywords.get("customers_given")
    said = [as_dict(plan.get("community")).get("name"), as_dict(positioning.get("audience")).get("portrait"),
            positioning.get("shared_interest"), as_dict(as_dict(plan.get("structure")).get("joining")).get("channels")]
    if customers and mentions(said, customers):
        return True
    return bool(words and (mentions(said, words) or noting(context.get("comments"), words)))
