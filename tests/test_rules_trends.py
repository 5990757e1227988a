"""Trends from observed.history (issue 12) and the one-figure-counts-once rule of scoring."""

from __future__ import annotations

from engine.model.report import Finding, FindingText, Scoring, counted, health, risk
from engine.rules.trends import earlier, figure_now, rate_trend, trend

OBS = {"as_of": "2025-06-03", "members": 960, "left_30d": 118, "ads_by_staff_7d": 164,
       "history": [{"as_of": "2025-03-01", "members": 880, "left_30d": 39, "ads_by_staff_7d": 52},
                   {"as_of": "2024-12-01", "members": 800, "ads_by_staff_7d": 10},
                   {"as_of": "2025-07-01", "ads_by_staff_7d": 999}]}


def test_earlier_is_the_latest_snapshot_before_today() -> None:
    assert earlier(OBS, "ads_by_staff_7d") == (52, "2025-03-01")
    assert earlier(OBS, "renewal_rate") is None
    assert earlier({"ads_by_staff_7d": 3}, "ads_by_staff_7d") is None


def test_trend_ratio_and_difference() -> None:
    t = trend(OBS, "ads_by_staff_7d")
    assert t is not None and t["before"] == 52 and t["now"] == 164 and t["diff"] == 112
    assert abs(t["ratio"] - 164 / 52) < 1e-9
    assert trend({"as_of": "2025-01-01", "x": 3, "history": [{"as_of": "2024-01-01", "x": 0}]}, "x")["ratio"] is None


def test_counts_add_up_over_groups_but_shares_do_not() -> None:
    obs = {"groups": [{"ads_by_members_7d": 1000, "link_share_7d": 0.5}, {"ads_by_members_7d": 450}]}
    assert figure_now(obs, "ads_by_members_7d", ["ads_by_members_7d"]) == 1450
    assert figure_now(obs, "ads_by_members_7d") is None
    assert figure_now(obs, "link_share_7d", ["ads_by_members_7d"]) is None


def test_rate_trend_reads_a_count_per_member() -> None:
    t = rate_trend(OBS, "left_30d")
    assert t is not None and abs(t["now"] - 118 / 960) < 1e-9 and abs(t["before"] - 39 / 880) < 1e-9
    mixed = {"as_of": "2025-06-01", "members": 10, "left_30d": 2,
             "history": [{"as_of": "2025-01-01", "members": 10}, {"as_of": "2025-02-01", "left_30d": 1}]}
    assert rate_trend(mixed, "left_30d") is None  # count and base must come from one snapshot


def _f(rule: str, path: str, weight: int, sin: str = "harassment", basis: str = "observed") -> Finding:
    text = {lg: FindingText("t", "m", "r", "x") for lg in ("zh", "en")}
    return Finding(rule, sin, "sin", "warning", text, "p.yaml", 1, 1, path, weight, basis)


def test_one_observed_figure_counts_once() -> None:
    line = _f("a.line", "observed.left_30d", 20, "evaporation")
    trend_ = _f("a.trend", "observed.left_30d", 15, "evaporation")
    other = _f("b", "observed.link_share_7d", 15)
    kept = counted([line, trend_, other])
    assert kept == [line, other]
    assert risk([line, trend_]) == risk([line])
    assert health([line, trend_, other]) == health([line, other]) < health([other])
    declared = [_f("c", "structure.rules", 15, basis="declared")] * 2  # declarations are not deduplicated
    assert len(counted(declared, Scoring())) == 2
