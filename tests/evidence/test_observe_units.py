"""The pieces of observe that need no store: plan context, group matching, figures, risk, history."""

from __future__ import annotations

from datetime import date, datetime

from qunce.engine.evidence import observe as ob
from qunce.engine.rules.pack import load_rules


def test_plan_context_reads_team_topics_quiet_hours_and_events():
    """Staff by the plan's team names, topics from interest, outputs and sessions, quiet hours, events."""
    plan = {"community": {"name": "x", "timezone": "Europe/Berlin"},
            "positioning": {"shared_interest": "每月共读一本商业书，把方法用到工作中"},
            "structure": {"platform": "discord", "quiet_hours": "23:00-07:30",
                          "team": [{"role": "owner", "name": "老王"}, {"role": "admin", "name": "小李"},
                                   {"role": "service", "name": "客服"}],
                          "groups": [{"name": "1群"}, {"name": "2群"}]},
            "output": [{"name": "每周作者分享"}], "sessions": [{"title": "年度复盘", "start": "2026-03-01T20:00"}]}
    ctx = ob.plan_context(plan, topics=["AI"])
    assert ctx.tz == "Europe/Berlin" and ctx.quiet == ("23:00", "07:30")
    assert ctx.staff == {"老王": "owner", "小李": "admin"}
    assert {"AI", "每月共读一本商业书", "每周作者分享", "年度复盘"} <= set(ctx.topics)
    assert ctx.events == (date(2026, 3, 1),) and ctx.groups == ("1群", "2群") and ctx.platform == "discord"
    assert ob.plan_context(None).tz == "Asia/Shanghai" and ob.plan_context(None).quiet == ob.DEFAULT_QUIET


def test_match_group():
    """Forced name first, then equal name, then the one containing name, then the only group."""
    assert ob.match_group("读书会1群", ["读书会1群", "读书会2群"]) == "读书会1群"
    assert ob.match_group("【官方】读书会2群", ["读书会1群", "读书会2群"]) == "读书会2群"
    assert ob.match_group("别的群", ["读书会1群", "读书会2群"]) is None
    assert ob.match_group("别的群", ["读书会1群"]) == "读书会1群"
    assert ob.match_group("别的群", ["读书会1群", "读书会2群"], forced="读书会2群") == "读书会2群"


def test_figures_map_metrics_and_drop_unknowns():
    """Window metrics become observed keys, rounded; None (a layout without leave events) is left out."""
    entry = {"windows": {7: {"members_present": 100, "speakers": 20, "messages": 300, "leaves": None,
                             "silent_share": 0.8}, 30: {"speakers": 50, "joins": 0, "first_seen": 6,
                                                        "owner_share": 0.61234, "median_answer_min": 12.345}},
             "dau_mau": 0.1999, "top_prior": 10, "top_silent": 4, "days_since_event": None}
    extras = {"at_all_7d": 2, "has_staff": 1, "ads_by_staff_7d": 3, "member_links": 5, "member_messages": 50,
              "off_topic": 30, "topical": 60, "last_staff_ts": datetime(2026, 6, 20, 12)}
    figs = ob.figures(entry, extras, date(2026, 6, 30))
    assert figs["members"] == 100 and figs["silent_7d"] == 80 and figs["new_30d"] == 6
    assert figs["owner_share_30d"] == 0.612 and figs["median_answer_minutes"] == 12.3 and figs["dau_mau"] == 0.2
    assert figs["link_share_7d"] == 0.1 and figs["off_topic_share_7d"] == 0.5 and figs["days_since_staff_message"] == 10
    assert "left_7d" not in figs and "days_since_last_activity" not in figs


def test_risk_uses_the_platform_nature():
    """The same figures are riskier in a WeChat group than in a Discord server (owner share 0.3)."""
    facts = load_rules().facts
    figs = {"owner_share_30d": 0.3, "churn_30d": 0.02, "dau_mau": 0.5}
    assert ob.risk(figs, ob.thresholds(facts, "wechat_group")) == 0.0
    assert ob.risk(figs, ob.thresholds(facts, "discord")) > 0
    assert ob.risk({}, ob.thresholds(facts, "wechat_group")) == 0.0


def test_history_keeps_earlier_snapshots_one_per_day():
    """The previous block becomes a snapshot; the same day is not kept twice; groups stay out."""
    prev = {"as_of": "2026-05-01", "members": 90, "groups": [{"name": "1群"}], "source": "manual",
            "history": [{"as_of": "2026-04-01", "members": 80}]}
    new = ob.with_history(prev, {"as_of": "2026-06-01", "members": 100})
    assert new["history"] == [{"as_of": "2026-04-01", "members": 80}, {"as_of": "2026-05-01", "members": 90}]
    again = ob.with_history(new, {"as_of": "2026-06-01", "members": 101})
    assert [h["as_of"] for h in again["history"]] == ["2026-04-01", "2026-05-01"]
    assert "history" not in ob.with_history(None, {"as_of": "2026-06-01"})


def test_store_errors_have_catalog_text():
    """Every EvidenceError code the store raises reads as a sentence in both languages."""
    import re
    from pathlib import Path

    from qunce.engine.i18n import t

    source = (Path(ob.__file__).parent / "store.py").read_text("utf-8")
    codes = set(re.findall(r'EvidenceError\("(evidence-[a-z-]+)"', source))
    assert len(codes) == 10
    for code in codes:
        for lang in ("zh", "en"):
            assert t(code, lang, path="p", store="s", reason="r", lengths=[1], columns=["c"], table="x") != code
