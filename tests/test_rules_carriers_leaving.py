"""The people who carry a group leaving, in the words of operators nobody here tuned on (issue 12):
a note on the team's own lines (hosts going off to study or home, a helper who stopped), members
walking out behind one who was removed, a number of them building a group of their own, guests
who opened their own place. A successor named, or one member's side chat, keeps it quiet."""

from __future__ import annotations

import pytest

from conftest import fired_rules
from qunce.engine.rules.beside import beside

RULE = "evaporation.core-leaving-noted"

TEAM = """version: 1
community: {{name: 示例社群, owner: 阿杰}}
structure:
  platform: {platform}
  team:
    - role: owner
      name: 阿杰
    - role: event_planner
      name: {name}
      # {note}
"""


@pytest.mark.parametrize("platform,name,note", [
    ("wechat_group", "主持人小鱼、阿北", "小鱼下个月去考研，阿北说年后回老家"),
    ("discord", "two helpers", "one stopped doing legit checks in Sept, queue is 30+ deep"),
    ("qq_group", "答疑老师两位", "王老师找了新工作，说月底就不带了"),
])
def test_a_note_on_the_team_that_its_people_are_going_is_heard(ruleset, platform, name, note):
    assert RULE in fired_rules(ruleset, TEAM.format(platform=platform, name=name, note=note))


@pytest.mark.parametrize("platform,name,note", [
    ("discord", "Lee", "stepped down in May; Kim has taken over the queue"),
    ("wechat_group", "小鱼", "每周六晚上固定带两场"),
])
def test_a_handover_or_a_plain_note_on_the_team_stays_quiet(ruleset, platform, name, note):
    assert RULE not in fired_rules(ruleset, TEAM.format(platform=platform, name=name, note=note))


@pytest.mark.parametrize("note", [
    "张姐上个月被移了，她那栋楼的七八家跟着退了",
    "after the ban, a few regulars followed her out",
    "听说有二十多家老板自己另建了一个群，没拉我们的人",
    "several of our members started their own group on Telegram",
    "两位嘉宾去年底都自己开星球了，今年没再更新",
    "最近退群的都是老粉",
])
def test_members_walking_out_together_are_heard(ruleset, note):
    assert RULE in fired_rules(ruleset, "version: 1\ncommunity: {name: 示例}\nstructure: {platform: wechat_group}\n# " + note + "\n")


@pytest.mark.parametrize("note", ["有个群友自己拉了个小群卖货，已经提醒过了", "嘉宾每月一篇复盘，都按时发了",
                                  "我们不退群，也不另建群"])
def test_one_side_chat_or_a_kept_promise_is_not_a_walkout(ruleset, note):
    assert RULE not in fired_rules(ruleset, "version: 1\ncommunity: {name: 示例}\nstructure: {platform: wechat_group}\n# " + note + "\n")


def test_beside_keeps_the_notes_on_the_list_and_its_entries_only():
    notes = [{"path": "structure.team", "text": "a"}, {"path": "structure.team[1].name", "text": "b"},
             {"path": "structure.teams", "text": "c"}, {"path": "output[0]", "text": "d"}]
    assert [c["text"] for c in beside(notes, "structure.team")] == ["a", "b"]
    assert beside(notes, None) == [] and beside("x", "structure.team") == []


LEAVER = """version: 1
community: {{name: 课题组, owner: 王老师}}
structure:
  platform: feishu
  team:
    - role: owner
      name: 王老师
    - role: admin
      name: 陈博
      leaving_on: 2025-07-01
      successor: {successor}
      # {note}
"""


@pytest.mark.parametrize("successor,note", [
    ("没定", "文献周报、仪器排班、新生带教，都是我一个人"),
    ("\"maybe Priya? haven't asked yet\"", "weekly digest and onboarding are all on me"),
])
def test_a_leaver_who_carries_it_alone_with_no_agreed_successor_is_heard(ruleset, successor, note):
    assert "leaderless.leaving-without-successor" in fired_rules(ruleset, LEAVER.format(successor=successor, note=note))


@pytest.mark.parametrize("successor,note", [
    ("李师妹（已交接）", "文献周报、仪器排班、新生带教，都是我一个人"),
    ("没定", "周报和排班已经分给了两个师弟"),
])
def test_a_leaver_with_a_successor_or_shared_duties_stays_quiet(ruleset, successor, note):
    assert "leaderless.leaving-without-successor" not in fired_rules(ruleset, LEAVER.format(successor=successor, note=note))
