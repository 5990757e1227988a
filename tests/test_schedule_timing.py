"""Timing and wording of the schedule engine (engine/schedule/timing.py, playbook.py and the
catalog's schedule entries): English durations have real plurals, Chinese ones none, and every
word the schedule writes comes from the catalog."""

from __future__ import annotations

import ast
import re
from datetime import datetime, timedelta

import pytest

from qunce.engine.i18n import t
from qunce.engine.i18n.schedule import MESSAGES
from qunce.engine.schedule.timing import expand, parse_moment, span, wall, zone

from conftest import ROOT


@pytest.mark.parametrize("delta,zh,en", [
    (timedelta(days=1), "1天", "1 day"),
    (timedelta(days=7), "7天", "7 days"),
    (timedelta(hours=1), "1小时", "1 hour"),
    (timedelta(hours=2), "2小时", "2 hours"),
    (timedelta(minutes=1), "1分钟", "1 minute"),
    (timedelta(minutes=90), "90分钟", "90 minutes"),
    (timedelta(minutes=-10), "10分钟", "10 minutes"),
    (timedelta(0), "0分钟", "0 minutes"),
])
def test_spans_in_both_languages(delta, zh, en):
    """The largest whole unit, singular only for one in English."""
    assert span(delta, "zh") == zh and span(delta, "en") == en


def test_lead_and_countdown_wording_of_an_english_session(ruleset):
    """An English session's notices say "(1 day before)", "(7 days before)", never "day(s)"."""
    from qunce.engine.api import adhoc_session

    schedule = adhoc_session("Night reading", "2026-12-05T20:00", lang="en", rules=ruleset)
    titles = {task.key: task.title for task in schedule.tasks}
    assert "1 day before" in titles["notify-1d"] and "7 days before" in titles["notify-7d"]
    assert "1 hour before" in titles["notify-1h"]
    assert not any("(s)" in (task.title + (task.message or "")) for task in schedule.tasks)
    zh = adhoc_session("夜读会", "2026-12-05T20:00", rules=ruleset)
    assert "提前1天" in {task.key: task.title for task in zh.tasks}["notify-1d"]


def test_this_group_and_groups_ready_come_from_the_catalog(ruleset):
    """Defaults the schedule fills in itself read right in both languages."""
    from qunce.engine.load.yaml import load_plan_bytes
    from qunce.engine.schedule.campaigns import campaign_schedule
    from qunce.engine.schedule.sessions import adhoc_session

    assert t("schedule:this-group", "en") == "this group" and t("schedule:this-group", "zh") == "本群"
    text = ("version: 1\ncommunity: {name: 读书会}\nstructure: {platform: wechat_group}\n"
            "campaigns:\n  - {id: c1, start: 2026-12-01, end: 2026-12-03, target: 1200, groups_ready: 2}\n")
    plan = load_plan_bytes(text.encode("utf-8"), "c.yaml")
    for lang, detail in (("zh", "已备 2 个，需要 3 个"), ("en", "2 ready, 3 needed")):
        groups = campaign_schedule(plan, None, facts=ruleset.facts, lang=lang).checklist[0]
        assert groups["detail"] == detail and groups["ok"] is False
    unknown = load_plan_bytes(text.replace(", groups_ready: 2", "").encode("utf-8"), "c.yaml")
    assert campaign_schedule(unknown, None, facts=ruleset.facts, lang="en").checklist[0]["detail"] == \
        "? ready, 3 needed"
    session = adhoc_session("Talk", "2026-12-05T20:00", facts=ruleset.facts, lang="en")
    assert session.details["group"] is None  # not stated: the drafts say "this group"
    assert any("this group" in (task.message or "") + task.title for task in session.tasks)


def test_owner_names_are_joined_by_the_catalog_separator(ruleset):
    """Two admins own the notices: 小周、阿光 in Chinese, "Amy, Bo" in English."""
    from qunce.engine.load.yaml import load_plan_bytes
    from qunce.engine.schedule.sessions import session_schedule

    text = ("version: 1\ncommunity: {name: Readers}\nstructure:\n  team:\n    - {role: admin, name: Amy}\n"
            "    - {role: admin, name: Bo}\nsessions:\n  - {id: s, title: T, start: '2026-12-05T20:00'}\n")
    plan = load_plan_bytes(text.encode("utf-8"), "s.yaml")
    owners = {lang: {task.key: task.owner for task in session_schedule(plan, facts=ruleset.facts, lang=lang).tasks}
              for lang in ("zh", "en")}
    assert owners["zh"]["notify-7d"] == "Amy、Bo" and owners["en"]["notify-7d"] == "Amy, Bo"


def test_catalog_entries_have_both_languages_and_plural_forms():
    """Every schedule entry has zh and en; English durations have both plural forms."""
    for code, entry in MESSAGES.items():
        assert code.startswith("schedule:") and {"zh", "en"} <= set(entry), code
    for unit in ("days", "hours", "minutes"):
        assert set(MESSAGES[f"schedule:{unit}"]["en"]) == {"one", "other"}


def test_no_language_branches_or_upward_imports_in_the_schedule_engine():
    """Wording lives in the catalog, and the schedule sits below rules, views and output."""
    for path in sorted((ROOT / "engine" / "schedule").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"lang\s*[!=]=", source), path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                assert not re.match(r"\.\.(rules|output|views|api|web|reporters|evidence)\b", module), \
                    f"{path.name} imports {module}"
    for path in (ROOT / "engine" / "model" / "schedule.py", ROOT / "engine" / "schedule" / "timing.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400


def test_moments_and_wall_clock():
    """A bare date only where allowed; naive times are local; wall-clock difference ignores DST."""
    tz = zone("America/Los_Angeles")
    assert parse_moment("2027-03-14", tz) is None
    day, is_date = parse_moment("2027-03-14", tz, date_only_ok=True)
    assert is_date and day.hour == 0 and day.utcoffset() == timedelta(hours=-8)
    assert parse_moment("2027-02-30", tz, date_only_ok=True) is None
    before = datetime(2027, 3, 13, 9, 0, tzinfo=tz)
    after = datetime(2027, 3, 14, 9, 0, tzinfo=tz)
    assert wall(after, before) == timedelta(days=1)
    assert (after.astimezone(zone("UTC")) - before.astimezone(zone("UTC"))) == timedelta(hours=23)


def test_daily_repeats_are_capped():
    """A daily task over a very long campaign stops at max_repeats."""
    tz = zone("Asia/Shanghai")
    start = datetime(2027, 1, 1, tzinfo=tz)
    anchors = {"start": start, "end": start + timedelta(days=1000)}
    slots = expand([{"key": "watch", "offset": "+0m@10:00", "through": "end@10:00", "repeat": "daily"}],
                   anchors, {}, [], 5)
    assert [s.key for s in slots] == [f"watch-2027-01-0{d}" for d in range(1, 6)]
