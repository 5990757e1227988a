"""People fading, as operators write it in their notes (issue 12): volunteers burning out, support
shrinking to one, the team behind the group gone quiet, a channel locked after a heated thread,
feedback unanswered, the operator ready to close. Fine figures do not hide these; a handover
done or a successor named keeps the same notes quiet."""

from __future__ import annotations

from conftest import fired_rules

BASE = """version: 1
community: {name: Lumen Users, owner: Ana}
structure:
  platform: discord
  groups: [{name: "#help", members: 5200}]
  rules: [Be kind, No selling]
  team:
    - {role: owner, name: Ana}
    - {role: moderator, name: volunteer mods, count: 5}
  roles:
    challenger: "#feedback regulars; {challenger}"
observed: {as_of: 2025-11-01, members: 5200, new_30d: 300, left_30d: 90, active_7d: 900}
"""

TROUBLED = BASE.replace("{challenger}", "lots of frustration that their posts don't get a reply") + """\
# The volunteer mods who answer most of #help say they're burning out; two will step down in January.
# Support used to be four people; it's just Leo now.
# We locked #ideas after the pricing thread got heated.
# The last two office hours were cancelled because nobody from the dev team could attend.
# Honestly I'm exhausted and thinking of closing the server.
"""

SETTLED = BASE.replace("{challenger}", "we answer every post there within a week") + """\
# One volunteer mod stepped down in June; Sam has taken over the mod rota.
# Support is four people, one on each shift.
# The pricing thread got heated, so a mod asked both sides to keep it civil.
# The dev team holds office hours every other Friday.
"""

CLASS = {"evaporation.core-leaving-noted", "tyranny.criticism-silenced", "tyranny.criticism-unanswered",
         "leaderless.backers-gone-noted", "leaderless.worn-out-noted"}


def test_the_notes_of_a_group_whose_people_are_fading_are_each_heard(ruleset):
    fired = fired_rules(ruleset, TROUBLED)
    assert CLASS <= fired, CLASS - fired


def test_the_same_topics_settled_stay_quiet(ruleset):
    fired = fired_rules(ruleset, SETTLED)
    assert not fired & CLASS, fired & CLASS


def test_chinese_notes_of_the_same_class_are_heard(ruleset):
    plan = """version: 1
community: {name: 陪诊互助群, owner: 王姐}
structure:
  platform: wechat_group
  rules: [不发广告]
  team: [{role: owner, name: 王姐}, {role: admin, name: 小林}]
# 陪诊志愿者原来有九个，现在能来的就两三个
# 医院那边现在没有人在群里了
# 群友提的建议交上去都石沉大海了
# 说实话我有点心累
"""
    fired = fired_rules(ruleset, plan)
    assert {"evaporation.core-leaving-noted", "leaderless.backers-gone-noted",
            "tyranny.criticism-unanswered", "leaderless.worn-out-noted"} <= fired, fired
