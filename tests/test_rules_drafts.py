"""A first draft whose answers are half 待定 reads as sparse, not as a finished plan: completeness,
an owner named 待定 and a value still asked as questions; and how much of the output one person
carries. Each pinned on a small plan."""

from __future__ import annotations

from engine.rules.reading import completeness


FACTS = {"placeholders": {"words": ["待定", "暂定", "TBD"]},
         "completeness": [{"paths": ["positioning.value"], "weight": 2},
                          {"paths": ["structure.rules"], "weight": 2}]}


def test_an_item_still_holding_a_pending_answer_counts_half() -> None:
    """Two rules written and the third TBD, a value 'TBD —— 周报？拼单？': decided halfway."""
    draft = {"positioning": {"value": "TBD —— 行情周报？同行拼单？"},
             "structure": {"rules": ["不发广告", "TBD"]}}
    assert completeness(draft, FACTS) == (50, [])


def test_a_decided_item_counts_whole_and_a_bare_placeholder_counts_none() -> None:
    plan = {"positioning": {"value": "每周行情周报"}, "structure": {"rules": ["待定"]}}
    assert completeness(plan, FACTS) == (50, ["structure.rules"])
    plan["structure"]["rules"] = ["不发广告"]
    assert completeness(plan, FACTS) == (100, [])


def test_output_load_weighs_a_daily_item_over_weekly_ones_and_leaves_offers_out() -> None:
    """A daily gig list outweighs a weekly thread seven to one; offers and notices are not value."""
    from engine.rules.vocabulary import output_load

    outputs = [{"name": "daily gigs", "kind": "resource_match", "cadence": "daily", "owner": "Priya"},
               {"name": "Friday thread", "kind": "discussion", "cadence": "weekly", "owner": "Tomás"},
               {"name": "offers", "kind": "promotion", "times": 2, "per": "day", "owner": "Sales"}]
    load = output_load(outputs, ["promotion", "notice"])
    assert [row[0] for row in load] == ["Priya", "Tomás"]
    assert abs(load[0][1] - 7 / 8) < 1e-9 and load[0][2] == 1
    assert output_load(outputs[2:], ["promotion"]) == []
