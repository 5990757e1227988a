"""Trends from observed.history (issue 12) and the one-figure-counts-once rule of scoring."""

from __future__ import annotations

from qunce.engine.model.report import Finding, FindingText, Scoring, counted, health, risk
from qunce.engine.rules.trends import earlier, figure_now, rate_trend, trend

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


def _findings(ruleset, data: dict) -> list[Finding]:
    import yaml

    from qunce.engine.load.yaml import load_plan_bytes
    from qunce.engine.rules.evaluate import evaluate

    from conftest import TODAY

    data = dict(data, version=1, community={"name": "示例社群"})
    plan = load_plan_bytes(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), "t.yaml")
    outcome = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY)
    assert not outcome.engine_errors
    return outcome.findings


CHANNEL_AND_GROUP = {"structure": {"platform": "telegram", "groups": [
    {"name": "频道", "platform": "telegram_channel", "members": 14200},
    {"name": "讨论组", "platform": "telegram_group", "members": 5300}]}}


def test_each_groups_figures_are_judged_by_its_own_platform(ruleset) -> None:
    figures = {"messages_7d": 3900, "link_share_7d": 0.47, "ads_by_members_7d": 1450, "days_since_staff_message": 23}
    data = dict(CHANNEL_AND_GROUP, observed={"as_of": "2025-05-18", "members": 19500, "groups": [
        dict(figures, name="频道"), dict(figures, name="讨论组")]})
    found = [f for f in _findings(ruleset, data) if f.rule == "harassment.evidence-member-links"]
    assert len(found) == 1 and found[0].path == "observed.groups[1].link_share_7d"  # the channel is read, not talked in
    assert found[0].text("zh").message.startswith("「讨论组」")


def test_a_group_is_not_counted_again_where_the_totals_already_fire(ruleset) -> None:
    data = dict(CHANNEL_AND_GROUP, observed={"as_of": "2025-05-18", "members": 19500, "link_share_7d": 0.3,
                                             "groups": [{"name": "讨论组", "link_share_7d": 0.47}]})
    found = [f for f in _findings(ruleset, data) if f.rule == "harassment.evidence-member-links"]
    assert [f.path for f in found] == ["observed.link_share_7d"]


def test_group_counts_make_a_trend_when_the_top_level_has_none(ruleset) -> None:
    data = dict(CHANNEL_AND_GROUP, observed={"as_of": "2025-05-18", "groups": [
        {"name": "讨论组", "ads_by_members_7d": 1450}], "history": [{"as_of": "2025-01-18", "ads_by_members_7d": 240}]})
    assert "harassment.ads-rising-observed" in {f.rule for f in _findings(ruleset, data)}
    data["observed"]["history"][0]["ads_by_members_7d"] = 1000
    assert "harassment.ads-rising-observed" not in {f.rule for f in _findings(ruleset, data)}
