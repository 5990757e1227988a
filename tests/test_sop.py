"""SOP schedules (issue 5): dated tasks for a sharing session's nine steps and a referral
campaign's flow, rendered as a Markdown checklist, HTML, ICS and the JSON contract.

Every date here is pinned: a session at 20:00 Asia/Shanghai (the shared reading-club plan) and
one at 09:00 America/Los_Angeles whose early tasks fall before the 2027-03-14 DST switch.
`today` is fixed (conftest.TODAY = 2026-11-23) so date rules are deterministic.

Golden file: the Markdown checklist of reading-club's session is compared with
tests/golden/sop-reading-club-session.zh.md. After an intended change, refresh it with
    QUNCE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_sop.py -k golden
(the test then writes the file instead of comparing) and review the diff before committing.
"""

from __future__ import annotations

import difflib

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from qunce.engine.errors import TemplateError, UsageError
from qunce.engine.load.yaml import load_plan, load_plan_bytes
from qunce.engine.output.write import write_atomic
from qunce.engine.model.report import Finding, FindingText
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.load.schema import validate_plan
from qunce.engine.api import adhoc_session, campaign_schedule, session_schedule
from qunce.engine.schedule.timing import apply_offset, parse_offset, zone
from qunce.engine.output.sop_document import render_schedule

from conftest import REFERENCE, TODAY

GOLDEN = Path(__file__).resolve().parent / "golden" / "sop-reading-club-session.zh.md"

# reading-club's author-talk-dec: 2026-12-05 20:00 Asia/Shanghai, 60 minutes, default notices.
SHANGHAI_TASKS = [
    ("prepare-topic", 1, "2026-11-25T20:00:00+08:00", "小周"),
    ("prepare-bio", 1, "2026-11-27T20:00:00+08:00", "内容编辑"),
    ("notify-7d", 2, "2026-11-28T20:00:00+08:00", "小周、阿光"),
    ("prepare-material", 1, "2026-12-02T20:00:00+08:00", "王老师"),
    ("notify-3d", 2, "2026-12-02T20:00:00+08:00", "小周、阿光"),
    ("prepare-rehearsal", 1, "2026-12-03T20:00:00+08:00", "小周"),
    ("notify-1d", 2, "2026-12-04T20:00:00+08:00", "小周、阿光"),
    ("notify-1h", 2, "2026-12-05T19:00:00+08:00", "小周、阿光"),
    ("rules", 3, "2026-12-05T19:30:00+08:00", "小周、阿光"),
    ("warmup", 4, "2026-12-05T19:50:00+08:00", "小周"),
    ("intro", 5, "2026-12-05T20:00:00+08:00", "小周"),
    ("control", 7, "2026-12-05T20:00:00+08:00", "小周、阿光"),
    ("interact", 6, "2026-12-05T20:15:00+08:00", "小周"),
    ("summary", 8, "2026-12-05T20:55:00+08:00", "小周"),
    ("perks", 9, "2026-12-05T21:00:00+08:00", "小周、阿光"),
    ("digest", 8, "2026-12-06T20:00:00+08:00", "内容编辑"),
]

LA_PLAN = {
    "version": 1,
    "community": {"name": "Bay Area Readers", "timezone": "America/Los_Angeles"},
    "structure": {"platform": "telegram", "quiet_hours": "23:00-07:00",
                  "team": [{"role": "admin", "name": "Amy"}, {"role": "content_editor", "name": "Bo"}]},
    "sessions": [{
        "id": "la-morning", "title": "Morning author talk", "guest": {"name": "Dana", "bio": "Novelist"},
        "host": "Lee", "start": "2027-03-15T09:00", "duration_minutes": 60, "perks": "Signed copies",
    }],
}
# 09:00 local throughout; PST (-08:00) until the switch on Sunday 2027-03-14, PDT (-07:00) after.
LA_TASKS = [
    ("prepare-topic", "2027-03-05T09:00:00-08:00"),
    ("prepare-bio", "2027-03-07T09:00:00-08:00"),
    ("notify-7d", "2027-03-08T09:00:00-08:00"),
    ("prepare-material", "2027-03-12T09:00:00-08:00"),
    ("notify-3d", "2027-03-12T09:00:00-08:00"),
    ("prepare-rehearsal", "2027-03-13T09:00:00-08:00"),
    ("notify-1d", "2027-03-14T09:00:00-07:00"),
    ("notify-1h", "2027-03-15T08:00:00-07:00"),
    ("rules", "2027-03-15T08:30:00-07:00"),
    ("warmup", "2027-03-15T08:50:00-07:00"),
    ("intro", "2027-03-15T09:00:00-07:00"),
    ("control", "2027-03-15T09:00:00-07:00"),
    ("interact", "2027-03-15T09:15:00-07:00"),
    ("summary", "2027-03-15T09:55:00-07:00"),
    ("perks", "2027-03-15T10:00:00-07:00"),
    ("digest", "2027-03-16T09:00:00-07:00"),
]


def _plan(data: dict, name: str = "plan.yaml"):
    """A plan document from data, checked against the plan schema so fixtures stay honest."""
    doc = load_plan_bytes(yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8"), name)
    assert not validate_plan(doc), [p.message("en") for p in validate_plan(doc)]
    return doc


@pytest.fixture(scope="module")
def reading_club():
    return load_plan(REFERENCE)


@pytest.fixture(scope="module")
def club_session(reading_club, ruleset):
    return session_schedule(reading_club, "author-talk-dec", rules=ruleset, today=TODAY)


@pytest.fixture(scope="module")
def club_campaign(reading_club, ruleset):
    return campaign_schedule(reading_club, "new-year-fission", rules=ruleset, today=TODAY)


# ---- dates ---------------------------------------------------------------------------------------


def test_every_task_of_a_shanghai_evening_session_is_pinned(club_session):
    """All sixteen tasks of the 20:00 Asia/Shanghai session land on the expected local times,
    in time order, with the owners the team provides, covering all nine steps."""
    got = [(t.key, t.step, t.at.isoformat(), t.owner) for t in club_session.tasks]
    assert got == SHANGHAI_TASKS
    assert club_session.timezone == "Asia/Shanghai"
    assert {t.step for t in club_session.tasks} == set(range(1, 10))
    control = next(t for t in club_session.tasks if t.key == "control")
    assert control.end.isoformat() == "2026-12-05T21:00:00+08:00"


def test_every_task_of_a_los_angeles_morning_session_is_pinned_across_dst():
    """A 09:00 America/Los_Angeles session: day offsets keep the wall clock (09:00 PST before the
    DST switch, 09:00 PDT after), the "-1h" notice is an hour before in elapsed time."""
    schedule = session_schedule(_plan(LA_PLAN), None, today=TODAY, lang="en")
    assert [(t.key, t.at.isoformat()) for t in schedule.tasks] == LA_TASKS
    assert schedule.start.isoformat() == "2027-03-15T09:00:00-07:00"
    owners = {t.key: t.owner for t in schedule.tasks}
    assert owners["notify-7d"] == "Amy" and owners["digest"] == "Bo" and owners["prepare-material"] == "Dana"


def test_start_with_an_offset_is_converted_into_the_community_zone():
    """A start written in UTC is shown in the community's zone; the date may change with it."""
    data = json.loads(json.dumps(LA_PLAN))
    data["sessions"][0]["start"] = "2027-03-15T16:00:00Z"
    schedule = session_schedule(_plan(data), "la-morning", today=TODAY)
    assert schedule.start.isoformat() == "2027-03-15T09:00:00-07:00"


def test_offset_grammar():
    """The playbook's offsets: anchors, calendar days, @clock, elapsed hours across a DST gap."""
    tz = zone("America/Los_Angeles")
    start = datetime(2027, 3, 14, 3, 30, tzinfo=tz)  # 03:30 PDT, just after the 02:00 jump
    end = start + timedelta(hours=1)
    anchors = {"start": start, "end": end}
    assert apply_offset(parse_offset("-1h"), anchors).isoformat() == "2027-03-14T01:30:00-08:00"
    assert apply_offset(parse_offset("-1d"), anchors).isoformat() == "2027-03-13T03:30:00-08:00"
    assert apply_offset(parse_offset("end+1d@10:00"), anchors).isoformat() == "2027-03-15T10:00:00-07:00"
    assert apply_offset(parse_offset("start-14d@10:00"), anchors).isoformat() == "2027-02-28T10:00:00-08:00"
    assert apply_offset(parse_offset("end-5m"), anchors).isoformat() == "2027-03-14T04:25:00-07:00"
    assert apply_offset(parse_offset("+0m"), anchors) == start
    for bad in ("", "7d", "-7x", "end+", "@25:00", "soon"):
        with pytest.raises(ValueError):
            parse_offset(bad)


def test_per_session_overrides_move_steps_and_notices():
    """sessions[].offsets moves a step's first task (the others keep their offsets);
    sessions[].notices replaces the default notices, and offsets.notify moves the first one."""
    data = json.loads(json.dumps(LA_PLAN))
    data["sessions"][0].update({"notices": ["-5d", "-2h"],
                                "offsets": {"prepare": "-14d", "summary": "+50m", "notify": "-6d",
                                            "digest": "+26h"}})
    at = {t.key: t.at.isoformat() for t in session_schedule(_plan(data), None, today=TODAY).tasks}
    assert at["prepare-topic"] == "2027-03-01T09:00:00-08:00"  # moved: -14d
    assert at["prepare-bio"] == "2027-03-07T09:00:00-08:00"  # unchanged: -8d
    assert at["notify-6d"] == "2027-03-09T09:00:00-08:00"  # the first notice (-5d), moved to -6d
    assert at["notify-2h"] == "2027-03-15T07:00:00-07:00"
    assert {k for k in at if k.startswith("notify")} == {"notify-6d", "notify-2h"}
    assert at["summary"] == "2027-03-15T09:50:00-07:00"
    assert at["digest"] == "2027-03-16T11:00:00-07:00"


def test_adhoc_session_without_a_plan():
    """`--title/--start` without a plan: local start in the given zone, defaults filled in, and
    findings (no perks, no bio) reported without file positions."""
    schedule = adhoc_session("夜读会", "2026-12-05T20:00", guest="王老师", host="小周", duration=90,
                             timezone="Asia/Shanghai", today=TODAY)
    at = {t.key: t.at.isoformat() for t in schedule.tasks}
    assert at["intro"] == "2026-12-05T20:00:00+08:00"
    assert at["perks"] == "2026-12-05T21:30:00+08:00"
    assert at["notify-7d"] == "2026-11-28T20:00:00+08:00"
    rules = {f.rule for f in schedule.findings}
    assert {"session.no-perks", "session.guest-no-bio"} <= rules
    assert all(f.line is None for f in schedule.findings)
    owners = {t.key: t.owner for t in schedule.tasks}
    assert owners["warmup"] == "小周" and owners["prepare-material"] == "王老师"
    assert owners["notify-7d"] == "小周"  # no admins known: the host posts the notices
    utc = adhoc_session("夜读会", "2026-12-05T12:00:00Z", timezone="Asia/Shanghai", today=TODAY)
    assert utc.start.isoformat() == "2026-12-05T20:00:00+08:00"
    assert adhoc_session("夜读会", "2026-12-05T20:00", today=TODAY).id == schedule.id  # stable id


@pytest.mark.parametrize("kwargs,code", [
    ({"start": "tomorrow"}, "sop-bad-start"),
    ({"start": "2026-12-05"}, "sop-bad-start"),
    ({"timezone": "Mars/Olympus"}, "sop-unknown-timezone"),
    ({"timezone": "../../etc/passwd"}, "sop-unknown-timezone"),
    ({"duration": 0}, "sop-bad-duration"),
    ({"title": "  "}, "sop-no-title"),
])
def test_adhoc_session_rejects_bad_input(kwargs, code):
    """Bad ad-hoc options are usage errors with a stable code, never tracebacks."""
    args = {"title": "夜读会", "start": "2026-12-05T20:00"} | kwargs
    with pytest.raises(UsageError) as err:
        adhoc_session(args.pop("title"), args.pop("start"), today=TODAY, **args)
    assert err.value.code == code
    assert err.value.message("zh") != code and err.value.message("en") != code


def test_unknown_and_ambiguous_session_ids_are_usage_errors(reading_club):
    """One session: the id may be left out; several: it must be given; an unknown id names the known ones."""
    assert session_schedule(reading_club, None, today=TODAY).id == "author-talk-dec"
    with pytest.raises(UsageError) as err:
        session_schedule(reading_club, "nope", today=TODAY)
    assert err.value.code == "sop-unknown-session" and "author-talk-dec" in err.value.message("en")
    two = json.loads(json.dumps(LA_PLAN))
    two["sessions"].append(dict(two["sessions"][0], id="la-evening"))
    with pytest.raises(UsageError) as err:
        session_schedule(_plan(two), None, today=TODAY)
    assert err.value.code == "sop-choose-session"
    assert "la-morning" in err.value.message("zh") and "la-evening" in err.value.message("zh")
    with pytest.raises(UsageError) as err:
        session_schedule(_plan({"version": 1, "community": {"name": "空"}}), None, today=TODAY)
    assert err.value.code == "sop-no-sessions"
    with pytest.raises(UsageError) as err:
        campaign_schedule(_plan({"version": 1, "community": {"name": "空"}}), None, today=TODAY)
    assert err.value.code == "sop-no-campaigns"
    with pytest.raises(UsageError) as err:
        campaign_schedule(reading_club, "nope", today=TODAY)
    assert err.value.code == "sop-unknown-campaign"


def test_a_session_without_start_is_a_located_usage_error():
    """No start, no schedule: the error points at the session in the plan file."""
    plan = _plan({"version": 1, "community": {"name": "读书会"}, "sessions": [{"id": "s1", "title": "分享"}]})
    with pytest.raises(UsageError) as err:
        session_schedule(plan, "s1", today=TODAY)
    assert err.value.code == "sop-no-start" and err.value.line is not None and err.value.file == "plan.yaml"


# ---- findings ------------------------------------------------------------------------------------


def test_findings_are_the_check_findings_of_that_session(ruleset):
    """Scheduling problems are rules: the schedule carries exactly the findings `check` reports
    under sessions[i], and they serialise like check findings."""
    data = {"version": 1, "community": {"name": "晨读会", "timezone": "Asia/Shanghai"},
            "structure": {"quiet_hours": "23:30-07:00"},
            "sessions": [
                {"id": "ok", "title": "晚间分享", "guest": {"name": "王老师", "bio": "作者"}, "host": "小周",
                 "start": "2026-12-20T20:00:00+08:00", "perks": "书单"},
                {"id": "dawn", "title": "清晨分享", "start": "2026-11-26T07:30:00+08:00", "duration_minutes": 150},
            ]}
    plan = _plan(data)
    schedule = session_schedule(plan, "dawn", rules=ruleset, today=TODAY)
    rules = {f.rule for f in schedule.findings}
    assert {"session.no-guest", "session.no-host", "session.no-perks", "session.too-long",
            "session.notice-lead-too-short", "session.task-in-quiet-hours"} <= rules
    assert all(f.path.startswith("sessions[1]") for f in schedule.findings)
    checked = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY).findings
    assert sorted(f.rule for f in checked if f.path.startswith("sessions[1]")) == sorted(f.rule for f in schedule.findings)
    assert session_schedule(plan, "ok", rules=ruleset, today=TODAY).findings == []
    past = session_schedule(plan, "ok", rules=ruleset, today=TODAY.replace(year=2027))
    assert [f.rule for f in past.findings] == ["session.start-in-past"]


def test_check_and_sop_agree_on_task_times(club_session, reading_club, ruleset):
    """The `sop_tasks` filter rules use gives the same times the schedule shows."""
    from qunce.engine.rules.environment import sandbox

    expr = sandbox().compile_expression("item | sop_tasks(plan, facts) | map(attribute='at') | list")
    times = expr(item=reading_club.data["sessions"][0], plan=reading_club.data, facts=ruleset.facts)
    assert times == [t.at.isoformat() for t in club_session.tasks]


def test_first_notice_rule_counts_days_on_the_wall_clock(ruleset):
    """A "-3d" notice that crosses a DST switch is still three days ahead (no false finding)."""
    data = json.loads(json.dumps(LA_PLAN))
    data["sessions"][0]["notices"] = ["-3d", "-1h"]
    data["sessions"][0]["start"] = "2027-03-16T09:00"
    schedule = session_schedule(_plan(data), None, rules=ruleset, today=TODAY)
    assert "session.first-notice-late" not in {f.rule for f in schedule.findings}


def test_expressions_module_stays_light():
    """Importing the expression sandbox does not pull in the SOP engine (any module of
    engine.schedule) or icalendar."""
    code = ("import sys, qunce.engine.rules.vocabulary; "
            "print(','.join(m for m in sys.modules if m == 'icalendar' or m.startswith('qunce.engine.schedule.')"
            "))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


# ---- JSON contract -------------------------------------------------------------------------------


def test_session_json_contract(club_session):
    """`--format json`: version 1, the session id, the zone, tasks with step 1..9, an ISO time
    with offset, owner, title and message, findings shaped like Finding.to_dict()."""
    data = json.loads(render_schedule(club_session, "json"))
    assert data["version"] == 1 and data["session"] == "author-talk-dec" and data["timezone"] == "Asia/Shanghai"
    assert len(data["tasks"]) == len(SHANGHAI_TASKS)
    for task in data["tasks"]:
        assert {"step", "at", "owner", "title", "message"} <= set(task)
        assert 1 <= task["step"] <= 9
        assert datetime.fromisoformat(task["at"]).utcoffset() == timedelta(hours=8)
        assert task["owner"] and task["title"]
        assert task["message"] is None or isinstance(task["message"], str)
    assert data["findings"] == []


def test_json_findings_have_the_check_shape():
    """A finding in the JSON is exactly what `qunce check` emits for it."""
    schedule = adhoc_session("夜读会", "2026-12-05T20:00", today=TODAY)
    data = schedule.to_dict()
    assert data["findings"]
    keys = set(Finding("r", None, "session", "info", {"zh": FindingText("", "", "", "")}, "", 1, 1, "").to_dict())
    assert all(set(f) == keys for f in data["findings"])


def test_campaign_json_contract_names_the_weakest_stage(club_campaign):
    """Campaign JSON: poster element -> present, the four scripts, the funnel stages with their
    conversions, and the weakest stage: completions (210 of 480 joins, 43.8%)."""
    data = json.loads(render_schedule(club_campaign, "json"))
    assert data["version"] == 1 and data["campaign"] == "new-year-fission"
    assert data["poster"] == {"title": True, "subtitle": True, "selling_point": True, "endorsement": True,
                              "call_to_action": True, "live_code": True}
    assert set(data["scripts"]) == {"join", "review", "reminder", "removal"} and all(data["scripts"].values())
    stages = data["funnel"]["stages"]
    assert [(s["name"], s["count"], s["conversion"]) for s in stages] == [
        ("launches", 1000, None), ("scans", 620, 0.62), ("joins", 480, 0.7742), ("completions", 210, 0.4375)]
    assert data["funnel"]["weakest"] == "completions"
    assert {c["key"]: c["ok"] for c in data["checklist"]} == {"groups": True, "live_code": True, "tested": True,
                                                              "own_people": None}
    finding = next(f for f in data["findings"] if f["rule"] == "campaign.funnel-weakest-stage")
    assert "完成任务" in finding["message"] and "43.8%" in finding["message"]


def test_campaign_flow_is_dated_around_start_and_end(club_campaign):
    """Plan, poster, scripts, tools and self-test before the launch; a data watch every day of the
    campaign; hand-over and review after the last day."""
    at = {t.key: t.at.isoformat() for t in club_campaign.tasks}
    assert at["plan"] == "2026-12-06T10:00:00+08:00"
    assert at["self-test"] == "2026-12-18T10:00:00+08:00"
    assert at["launch"] == "2026-12-20T10:00:00+08:00"
    watches = sorted(k for k in at if k.startswith("watch-"))
    assert watches == [f"watch-2026-12-{d}" for d in range(20, 28)]
    assert at["handover"] == "2026-12-28T10:00:00+08:00"
    assert at["review"] == "2026-12-30T10:00:00+08:00"
    assert [t.step for t in club_campaign.tasks] == sorted(t.step for t in club_campaign.tasks)
    assert club_campaign.end.isoformat() == "2026-12-28T00:00:00+08:00"  # through the whole last day


def test_campaign_poster_scripts_and_missing_elements(ruleset):
    """Missing poster elements and scripts are shown as missing and named in the findings;
    a long campaign without a live code is an error."""
    plan = _plan({"version": 1, "community": {"name": "咖啡粉丝会"}, "structure": {"platform": "wechat_group"},
                  "campaigns": [{"id": "c1", "goal": "拉新", "target": 300, "start": "2026-12-01",
                                 "end": "2026-12-20", "poster": {"title": "冬季新品", "live_code": False},
                                 "scripts": {"join": "欢迎"}, "groups_ready": 1}]})
    schedule = campaign_schedule(plan, "c1", rules=ruleset, today=TODAY)
    assert schedule.poster == {"title": True, "subtitle": False, "selling_point": False, "endorsement": False,
                               "call_to_action": False, "live_code": False}
    assert schedule.scripts == {"join": "欢迎", "review": None, "reminder": None, "removal": None}
    by_rule = {f.rule: f for f in schedule.findings}
    assert "副标题" in by_rule["campaign.poster-missing-elements"].text("zh").message
    assert "审核话术" in by_rule["campaign.scripts-missing"].text("zh").message
    assert by_rule["campaign.no-live-code"].severity == "error"
    assert schedule.funnel is None
    md = render_schedule(schedule, "md")
    assert "| 副标题 | ✗ 缺 |" in md and "还没有漏斗数据" in md


@pytest.mark.parametrize("funnel,weakest", [
    ({"launches": 0, "scans": 0, "joins": 0, "completions": 0}, None),
    ({"launches": 1000, "scans": 0, "joins": 0, "completions": 0}, "scans"),
    ({"launches": 500, "scans": 400}, "scans"),
])
def test_zero_and_partial_funnels(funnel, weakest, ruleset):
    """Zero counts give no conversion (never a division by zero) and name a weakest stage only
    when a conversion exists; HTML still renders a funnel chart."""
    plan = _plan({"version": 1, "community": {"name": "读书会"},
                  "campaigns": [{"id": "c1", "start": "2026-12-01", "end": "2026-12-03", "funnel": funnel}]})
    schedule = campaign_schedule(plan, None, rules=ruleset, today=TODAY)
    assert schedule.funnel["weakest"] == weakest
    assert ("campaign.funnel-weakest-stage" in {f.rule for f in schedule.findings}) == (weakest is not None)
    if weakest is None:
        assert all(s["conversion"] is None for s in schedule.funnel["stages"])
    html = render_schedule(schedule, "html")
    assert "qc-funnel" in html


# ---- Markdown, HTML ------------------------------------------------------------------------------


def test_markdown_checklist_matches_the_golden_file(club_session):
    """The zh Markdown checklist of reading-club's session, byte for byte
    (QUNCE_UPDATE_GOLDEN=1 rewrites the golden file instead)."""
    text = render_schedule(club_session, "md", "zh")
    if os.environ.get("QUNCE_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    if text != expected:
        diff = list(difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "rendered", n=1,
                                         lineterm=""))
        pytest.fail(f"{GOLDEN.name} differs:\n" + "\n".join(diff[:30]) +
                    "\nIf intended, refresh it: QUNCE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_sop.py -k golden"
                    " (or: make golden)", pytrace=False)
    assert text.count("- [ ] ") == len(SHANGHAI_TASKS)


def test_markdown_is_a_task_list_with_fenced_drafts(club_session, club_campaign):
    """Every task is a `- [ ]` line; drafts are fenced, so they paste verbatim; the campaign
    checklist names the weakest stage in a table."""
    md = render_schedule(club_session, "md", "en")
    assert "# Session checklist: " in md and md.count("```text") == sum(1 for t in club_session.tasks if t.message)
    cmd = render_schedule(club_campaign, "md")
    assert "| **完成任务** | 210 | 43.8% |" in cmd
    assert "最弱的一步：**完成任务**" in cmd
    assert cmd.count("- [ ] ") + cmd.count("- [x] ") == len(club_campaign.tasks) + 4


def test_a_draft_cannot_break_out_of_its_fence():
    """A message draft containing a code fence gets a longer fence around it."""
    from qunce.engine.output.templating import fence

    assert fence("plain") == "```" and fence("a ``` b") == "````" and fence("`````") == "``````"


def test_html_escapes_plan_text_and_is_self_contained(ruleset):
    """A hostile session title is escaped in HTML (and neutralised in Markdown); the page loads
    nothing from outside."""
    evil = "<script>alert(1)</script>"
    schedule = adhoc_session(evil, "2026-12-05T20:00", guest="<b>g</b>", rules=ruleset, today=TODAY)
    html = render_schedule(schedule, "html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>g</b>" not in html
    for outside in ("<script", "<link", "src=", "@import", "url("):
        assert outside not in html
    assert "\\<script\\>" in render_schedule(schedule, "md")


def test_user_templates_win_and_errors_name_file_and_line(club_session, tmp_path):
    """A template in the user's folder replaces the bundled one; its errors carry file and line."""
    (tmp_path / "sop_session.md.j2").write_text("# {{ title }}\n", encoding="utf-8")
    assert render_schedule(club_session, "md", user_dir=str(tmp_path)) == "# 《从零到一》读书分享\n"
    (tmp_path / "sop_session.md.j2").write_text("ok\n\n{{ no_such_name }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        render_schedule(club_session, "md", user_dir=str(tmp_path))
    assert err.value.line == 3 and "sop_session.md.j2" in err.value.file
    (tmp_path / "sop_session.md.j2").write_text("{% for %}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        render_schedule(club_session, "md", user_dir=str(tmp_path))
    assert err.value.line == 1
    with pytest.raises(UsageError):
        render_schedule(club_session, "pdf")


# ---- ICS -----------------------------------------------------------------------------------------


def _calendar(data: bytes):
    from icalendar import Calendar

    return Calendar.from_ical(data)


def test_ics_round_trip(club_session, tmp_path):
    """The ICS written to disk parses back: one event per task at the task's time (TZID of the
    community), a display alarm in every event, a VTIMEZONE, PRODID and METHOD:PUBLISH."""
    path = write_atomic(tmp_path / "s.ics", render_schedule(club_session, "ics"))
    cal = _calendar(path.read_bytes())
    assert str(cal["PRODID"]) and str(cal["VERSION"]) == "2.0" and str(cal["METHOD"]) == "PUBLISH"
    events = cal.events
    assert len(events) == len(club_session.tasks)
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Shanghai"] and not cal.get_missing_tzids()
    for event, task in zip(events, club_session.tasks):
        start = event.decoded("DTSTART")
        assert start == task.at and start.utcoffset() == timedelta(hours=8)
        assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
        assert event.decoded("DTEND") > start
        assert event["UID"] and event["DTSTAMP"]
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0].decoded("TRIGGER") == timedelta(minutes=-15)
        if task.message:
            assert task.message.splitlines()[0] in str(event["DESCRIPTION"])
    control = events[[t.key for t in club_session.tasks].index("control")]
    assert control.decoded("DTEND").isoformat() == "2026-12-05T21:00:00+08:00"


def test_ics_uids_are_stable_and_unique(reading_club, ruleset):
    """Two separate runs give the same bytes and UIDs (re-import updates, never duplicates);
    UIDs are unique within the file and differ between sessions and campaigns."""
    one = render_schedule(session_schedule(reading_club, None, rules=ruleset, today=TODAY), "ics")
    two = render_schedule(session_schedule(reading_club, None, rules=ruleset, today=TODAY.replace(day=24)), "ics")
    assert one == two
    uids = [str(e["UID"]) for e in _calendar(one).events]
    assert len(uids) == len(set(uids))
    campaign = render_schedule(campaign_schedule(reading_club, None, rules=ruleset, today=TODAY), "ics")
    assert not set(uids) & {str(e["UID"]) for e in _calendar(campaign).events}


def test_ics_across_dst_has_both_offsets():
    """The Los Angeles calendar carries standard and daylight rules, and the events keep their
    local 09:00 on both sides of the switch."""
    schedule = session_schedule(_plan(LA_PLAN), None, today=TODAY)
    cal = _calendar(render_schedule(schedule, "ics"))
    tz = cal.timezones[0]
    assert tz.tz_name == "America/Los_Angeles"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    starts = {str(e["UID"]): e.decoded("DTSTART") for e in cal.events}
    by_key = {t.key: schedule.uid(t) for t in schedule.tasks}
    assert starts[by_key["notify-7d"]].utcoffset() == timedelta(hours=-8)
    assert starts[by_key["notify-1d"]].utcoffset() == timedelta(hours=-7)
    assert starts[by_key["notify-7d"]].hour == starts[by_key["notify-1d"]].hour == 9


def test_an_unknown_plan_time_zone_points_at_community_timezone():
    """A zone name the schema allows but no database knows is a usage error at community.timezone."""
    data = json.loads(json.dumps(LA_PLAN))
    data["community"]["timezone"] = "Mars/Olympus"
    plan = _plan(data)
    with pytest.raises(UsageError) as err:
        session_schedule(plan, None, today=TODAY)
    assert err.value.code == "sop-unknown-timezone"
    assert (err.value.line, err.value.column) == plan.locator.value(("community", "timezone"))
