"""The strategy read as notes too: operators with no other place tell the group's state there
("老成员嫌吵走了不少，现在大家都怕说话"), and the rules that read the operator's notes hear it the same
as a comment; a strategy that only states intentions raises nothing of the kind."""

from __future__ import annotations

import pytest

from qunce.engine.rules.evaluate import prose_notes

from conftest import fired_rules

CORE = "evaporation.core-leaving-noted"


def _plan(strategy: str) -> str:
    return ("version: 1\ncommunity: {name: 示例社群}\nstructure: {platform: wechat_group}\n"
            f"positioning: {{kind: interest, strategy: \"{strategy}\"}}\n")


def test_the_strategy_is_read_sentence_by_sentence() -> None:
    notes = prose_notes({"positioning": {"strategy": "每周三晚上分享。老成员嫌吵走了不少；现在都私聊我"}})
    assert [n["text"] for n in notes] == ["每周三晚上分享", "老成员嫌吵走了不少", "现在都私聊我"]
    assert {n["path"] for n in notes} == {"positioning.strategy"}
    assert all(n["prose"] for n in notes)


def test_each_sentence_carries_the_line_the_strategy_is_written_on() -> None:
    assert {n["line"] for n in prose_notes({"positioning": {"strategy": "一。二"}}, 7)} == {7}


def test_an_undecided_sentence_in_the_strategy_is_no_comment_cited_by_line(ruleset) -> None:
    """What the comments leave undecided is cited by their line; the strategy is a field, and its
    sentences are no comment (there was once a 第 0 行 here)."""
    undecided = "线下活动还没定下来"
    assert "completeness.placeholders" not in fired_rules(ruleset, _plan(undecided))
    assert "completeness.placeholders" in fired_rules(
        ruleset, "version: 1\ncommunity: {name: 示例社群}\n# " + undecided + "\n")


@pytest.mark.parametrize("data", [{}, {"positioning": "x"}, {"positioning": {"strategy": 3}}, {"positioning": {}}])
def test_no_strategy_no_notes(data: dict) -> None:
    assert prose_notes(data) == []


def test_members_leaving_told_in_the_strategy_is_heard(ruleset) -> None:
    assert CORE in fired_rules(ruleset, _plan("群里卖苗的一天发十几条，以前最活跃的几位老成员嫌吵都退了"))


@pytest.mark.parametrize("strategy", [
    "每月评选优秀成员，老成员带新人，防止冷场",
    "每周三晚上固定分享，周末线下约练",
])
def test_a_strategy_of_intentions_is_no_note_of_trouble(ruleset, strategy: str) -> None:
    assert CORE not in fired_rules(ruleset, _plan(strategy))


def _leaving(strategy: str) -> str:
    return (_plan(strategy) + "observed:\n  as_of: '2026-05-01'\n  group_age_days: 900\n"
            "  members: 400\n  left_30d: 80\n")


def test_departures_the_strategy_explains_are_no_churn_alarm(ruleset) -> None:
    """The strategy is read once by the departures judgement (with the rest of the positioning),
    not again among the notes; it still explains the figure."""
    leave = "evaporation.leave-rate-observed"
    assert leave in fired_rules(ruleset, _leaving("每周三晚上分享"))
    assert leave not in fired_rules(ruleset, _leaving("每年结营后一批学员退群，下一期三月开营"))
    assert leave in fired_rules(ruleset, _leaving("退群的人越来越多，可能是内容不行"))
