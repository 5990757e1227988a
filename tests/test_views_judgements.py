"""engine/views/judgements.py: the document's domain judgements read the packs' facts (thresholds
live in playbooks/00-facts.yaml, not in the code)."""

from __future__ import annotations

from qunce.engine.views.judgements import group_status, is_commercial, seed_users_needed


def test_group_status_over_split_near_ok(ruleset):
    """Over capacity beats the split point, which beats near-full; VIP groups are never split."""
    facts = ruleset.facts
    assert group_status(501, 500, 400, None, facts) == "over"
    assert group_status(400, 500, 400, None, facts) == "split"
    assert group_status(400, 500, 400, "vip", facts) == "ok"
    assert group_status(450, 500, None, None, facts) == "near"  # 90% of the cap (near_full: 0.9)
    assert group_status(449, 500, None, None, facts) == "ok"
    assert group_status(None, 500, 400, None, facts) == "ok"


def test_near_full_follows_the_facts(ruleset):
    """A pack that moves the threshold moves the document's judgement with it."""
    facts = {**ruleset.facts, "structure": {**ruleset.facts["structure"], "near_full": 0.5}}
    assert group_status(250, 500, None, None, facts) == "near"
    assert group_status(250, 500, None, None, ruleset.facts) == "ok"


def test_commercial_by_kind_motive_or_purpose(ruleset):
    facts = ruleset.facts
    assert is_commercial({"kind": "product"}, facts)
    assert is_commercial({"kind": "interest", "motives": ["sales"]}, facts)
    assert is_commercial({"kind": "interest", "purposes": ["revenue"]}, facts)
    assert not is_commercial({"kind": "interest", "motives": ["growth"], "purposes": []}, facts)
    assert not is_commercial("not a mapping", facts)


def test_seed_users_needed_is_the_minimum_or_a_tenth_of_the_target(ruleset):
    facts = ruleset.facts
    assert seed_users_needed(None, facts) == 50
    assert seed_users_needed(1000, facts) == 50
    assert seed_users_needed(300, facts) == 30
    assert seed_users_needed(5, facts) == 1  # never zero
