"""Selling by volume (engine.rules.selling): runs a week, not list items, say what members get."""

from __future__ import annotations

from engine.rules.selling import weekly_runs

OUTPUT = [
    {"name": "整点秒杀", "kind": "promotion", "times": 4, "per": "day"},
    {"name": "兽医答疑", "kind": "qa", "cadence": "weekly"},
    {"name": "截单提醒", "kind": "notice", "cadence": "daily"},
    {"name": "年货节", "kind": "promotion"},
]


def test_runs_a_week_weigh_times_and_cadence() -> None:
    assert weekly_runs(OUTPUT, ["promotion"]) == round(28 + 7 / 30, 2)
    assert weekly_runs(OUTPUT, ["qa", "sharing"]) == 1
    assert weekly_runs(OUTPUT, None, ["notice"]) == round(29 + 7 / 30, 2)
    assert weekly_runs(OUTPUT) == round(36 + 7 / 30, 2)


def test_missing_or_odd_output_counts_nothing() -> None:
    assert weekly_runs(None, ["promotion"]) == 0
    assert weekly_runs(["整点秒杀", 3], ["promotion"]) == 0
    assert weekly_runs([{"kind": "promotion", "times": True, "per": "day"}], ["promotion"]) == round(7 / 30, 2)
