"""The grown `observed:` block: optional figures per group and for the community, snapshots and a
source, all checked by the plan schema (a plan valid before stays valid)."""

from __future__ import annotations

import yaml

from qunce.engine.load.schema import validate_plan
from qunce.engine.load.yaml import load_plan_bytes


def _problems(observed: dict) -> list[str]:
    data = {"version": 1, "community": {"name": "读书会"}, "observed": observed}
    plan = load_plan_bytes(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), "p.yaml")
    return [p.message("en") for p in validate_plan(plan)]


FULL = {
    "as_of": "2026-06-30", "source": "qunce observe", "members": 120, "active_7d": 30, "dau_mau": 0.21,
    "owner_share_30d": 0.55, "unanswered_share_7d": 0.4, "median_answer_minutes": 37.5, "top_decile_quiet": 3,
    "groups": [{"name": "1群", "risk": 62.5, "members": 80, "new_30d": 2, "left_30d": 9, "active_7d": 12,
                "messages_7d": 300, "churn_30d": 0.11}],
    "history": [{"as_of": "2026-05-31", "members": 130, "active_7d": 44}],
}


def test_full_block_is_valid():
    """Every new figure, a group and a snapshot validate."""
    assert _problems(FULL) == []


def test_old_block_still_valid():
    """The figures an operator typed before this issue still validate unchanged."""
    assert _problems({"as_of": "2026-01-01", "members": 300, "left_30d": 12, "silent_7d": 200}) == []


def test_shares_are_bounded_and_unknown_keys_refused():
    """A share above 1, an unknown source, an unknown key in a group: each is an error."""
    assert _problems({"dau_mau": 1.5})
    assert _problems({"source": "guess"})
    assert _problems({"groups": [{"name": "1群", "mood": "bad"}]})
    assert _problems({"history": [{"as_of": "2026-01-01", "members": -1}]})
