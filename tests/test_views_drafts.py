"""engine/views: the plan document agrees with the plan (issue 12, class 7). The month calendar
invents no dates, the removal notice names who really removes, the review sheet shows every
observed leave figure, and drafts members read never repeat a placeholder."""

from __future__ import annotations

from datetime import date

import pytest

from qunce.engine.api import CheckOptions, check_file
from qunce.engine.load.yaml import load_plan
from qunce.engine.views import build_view
from qunce.engine.views.placeholders import is_placeholder, scrub

TODAY = date(2026, 11, 23)  # next month is December 2026; its first Saturday is the 5th
BASE = "version: 1\ncommunity: {name: 城市读书会, owner: 小林}\n"


def _view(tmp_path, body: str, lang: str = "zh", ruleset=None):
    path = tmp_path / "plan.yaml"
    path.write_text(BASE + body, encoding="utf-8")
    result = check_file(str(path), ruleset, CheckOptions(lang=lang, today=TODAY))
    return build_view(load_plan(str(path)), result, ruleset, lang=lang, today=TODAY)


def _month_entries(view) -> dict[int, list[str]]:
    return {d["day"]: d["entries"] for week in view["output"]["month_weeks"] for d in week if d["day"] and d["entries"]}


# -- (b) the month calendar
def test_items_without_a_weekday_get_no_invented_date(ruleset, tmp_path):
    view = _view(tmp_path, "output:\n"
                 "  - {name: 线下沙龙, kind: salon, cadence: monthly}\n"
                 "  - {name: 季度复盘会, kind: sharing, cadence: quarterly}\n"
                 "  - {name: 双周共读, kind: sharing, cadence: biweekly}\n", ruleset=ruleset)
    rest = {r["name"]: r for r in view["output"]["rest"]}
    assert set(rest) == {"线下沙龙", "季度复盘会", "双周共读"}
    assert all(r["next"] is None for r in rest.values())
    assert _month_entries(view) == {}


def test_items_with_a_weekday_keep_their_conventional_dates(ruleset, tmp_path):
    view = _view(tmp_path, "output:\n"
                 "  - {name: 线下沙龙, kind: salon, cadence: monthly, weekday: 6}\n"
                 "  - {name: 双周共读, kind: sharing, cadence: biweekly, weekday: 3}\n", ruleset=ruleset)
    entries = _month_entries(view)
    assert entries[5] == ["线下沙龙"]          # the first Saturday of December 2026
    assert entries[2] == entries[16] == ["双周共读"]  # the first and third Wednesday
    assert all(r["next"] for r in view["output"]["rest"])


# -- (c) who removes members
@pytest.mark.parametrize("body,by", [
    ("structure: {team: [{name: 小林, role: owner}]}\n", "群主"),
    ("structure: {team: [{name: 小林, role: owner}, {name: 阿黄, role: admin}]}\n", "管理员"),
    ("structure: {team: [{name: 小林, role: owner}, {name: 阿黄, role: admin}], moderation: {removal: {by: owner}}}\n",
     "群主"),
    ("structure: {team: [{name: 小林, role: owner}], moderation: {removal: {by: admins}}}\n", "管理员"),
])
def test_the_removal_notice_names_who_really_removes(ruleset, tmp_path, body, by):
    scripts = {s["key"]: s for s in _view(tmp_path, body, ruleset=ruleset)["appendix"]["scripts"]}
    text = scripts["removal"]["text"]
    assert f"已由{by}移出" in text


def test_the_english_removal_notice_of_a_plan_without_admins_names_the_owner(ruleset, tmp_path):
    body = "  language: en\nstructure: {team: [{name: Lin, role: owner}]}\n"
    path = tmp_path / "plan.yaml"
    path.write_text("version: 1\ncommunity:\n  name: Book club\n  owner: Lin\n" + body, encoding="utf-8")
    result = check_file(str(path), ruleset, CheckOptions(lang="en", today=TODAY))
    view = build_view(load_plan(str(path)), result, ruleset, lang="en", today=TODAY)
    removal = next(s for s in view["appendix"]["scripts"] if s["key"] == "removal")["text"]
    assert "removed by the owner" in removal and "admin" not in removal


# -- (d) the review sheet
def test_the_review_sheet_shows_both_leave_figures(ruleset, tmp_path):
    rows = _view(tmp_path, "observed: {members: 200, left_30d: 12, left_7d: 3}\n",
                 ruleset=ruleset)["operations"]["review_rows"]
    left = next(r for r in rows if r["figure"] == "退出")
    assert left["seen"] == "3（7天）、12（30天）"


def test_the_review_sheet_shows_left_30d_alone(ruleset, tmp_path):
    rows = _view(tmp_path, "observed: {members: 200, left_30d: 12}\n", ruleset=ruleset)["operations"]["review_rows"]
    assert next(r for r in rows if r["figure"] == "退出")["seen"] == "12（30天）"


# -- (e) placeholders stay out of drafts members read
@pytest.mark.parametrize("text", ["暂定", "待定", "不定期", "TBD", "待补充", "xx", "…", "（待定）", "TBD…", "xxx待补充"])
def test_placeholder_texts_are_recognised(text):
    assert is_placeholder(text, {})


@pytest.mark.parametrize("text", ["每周三晚上八点共读", "读书会", "xx读书会", "暂定每月第一个周六下午线下见面", 42, None])
def test_answers_are_not_placeholders(text):
    assert not is_placeholder(text, {})


def test_the_playbook_word_list_and_starter_texts_are_used_when_present():
    facts = {"placeholders": {"words": ["回头再说"], "starter_texts": ["在这里写一句话的价值承诺"]}}
    assert is_placeholder("回头再说", facts) and is_placeholder("在这里写一句话的价值承诺", facts)
    assert not is_placeholder("待定", facts)  # the playbook's list replaces the default one
    assert scrub({"a": "回头再说", "b": ["x", "回头再说"], "c": 1}, facts) == {"b": ["x"], "c": 1}


PLACEHOLDER_PLAN = """positioning: {shared_interest: 每月共读一本书, value: 待定}
structure:
  nickname_format: 待补充
  quiet_hours: 23:00-07:00
  rules: [禁止广告, TBD, 暂定]
  team: [{name: 小林, role: owner}]
output:
  - {name: 待定, kind: sharing, cadence: weekly, weekday: 3, time: "20:00"}
  - {name: 周三共读, kind: sharing, cadence: weekly, weekday: 3, time: "20:00"}
sessions:
  - id: s1
    title: 暂定
    topic: 待定
    start: "2026-12-05T20:00:00+08:00"
    guest: {name: TBD, bio: 待补充}
    perks: 不定期
"""


def _drafts(view) -> list[str]:
    app = view["appendix"]
    texts = [s["text"] for s in app["scripts"] if s.get("text")]
    texts += [n["text"] for n in app["notices"] if n.get("text")]
    return texts


def test_no_placeholder_reaches_a_draft_members_read(ruleset, tmp_path):
    view = _view(tmp_path, PLACEHOLDER_PLAN, ruleset=ruleset)
    drafts = _drafts(view)
    assert len(drafts) == 4  # welcome, rules reminder, removal notice, one session notice
    for text in drafts:
        for word in ("待定", "暂定", "待补充", "TBD", "不定期"):
            assert word not in text, (word, text)
    reminder = next(s["text"] for s in view["appendix"]["scripts"] if s["key"] == "reminder")
    assert "1. 禁止广告" in reminder and "2." not in reminder
    welcome = next(s["text"] for s in view["appendix"]["scripts"] if s["key"] == "welcome")
    assert "周三共读" in welcome


def test_the_plan_itself_is_not_changed_by_the_drafts(ruleset, tmp_path):
    """The drafts leave placeholders out; the plan's own sections still show what was written."""
    view = _view(tmp_path, PLACEHOLDER_PLAN, ruleset=ruleset)
    assert [e["name"] for e in view["output"]["entries"]] == ["待定", "周三共读"]
