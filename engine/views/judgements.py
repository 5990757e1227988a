"""The domain judgements the document makes about a plan: a group's status, whether the community
is commercial, how many seed users replication needs.

Rules make the same judgements in their `when:` expressions; these are kept in this one small
module so that swapping them for the shared vocabulary (engine.rules.vocabulary) is one change.
Each reads the playbooks' facts, so a pack that changes a threshold changes both.
"""

from __future__ import annotations

from typing import Any

from .values import dict_of, list_of, num_of


def structure_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """The packs' `structure` facts (thresholds for groups, seed users, lifespan, KPIs)."""
    return dict_of(dict_of(facts).get("structure"))


def group_status(members: int | None, capacity: int | None, split_at: int | None, tier: Any,
                 facts: dict[str, Any]) -> str:
    """"over" (more members than room), "split" (at the split point, VIP groups excepted),
    "near" (at the near-full share of capacity) or "ok"."""
    near = num_of(structure_facts(facts).get("near_full")) or 0.9
    fill = members / capacity if members is not None and capacity else None
    if members is not None and capacity and members > capacity:
        return "over"
    if members is not None and split_at and members >= split_at and tier != "vip":
        return "split"
    if fill is not None and fill >= near:
        return "near"
    return "ok"


def is_commercial(positioning: dict[str, Any], facts: dict[str, Any]) -> bool:
    """Commercial when the kind, a motive or a purpose is one the packs call commercial."""
    spec = dict_of(structure_facts(facts).get("commercial"))
    pos = dict_of(positioning)
    return (pos.get("kind") in list_of(spec.get("kinds"))
            or any(m in list_of(spec.get("motives")) for m in list_of(pos.get("motives")))
            or any(p in list_of(spec.get("purposes")) for p in list_of(pos.get("purposes"))))


def seed_users_needed(target: int | None, facts: dict[str, Any]) -> int:
    """The packs' minimum of seed users, or their share of the target group size when smaller."""
    seed_facts = dict_of(structure_facts(facts).get("seed_users"))
    need = int(seed_facts.get("min", 50))
    if target and num_of(seed_facts.get("share_of_target")):
        need = min(need, max(1, round(target * float(seed_facts["share_of_target"]))))
    return need
