"""rules.departures: departures the plan explains (a yearly drop, a move, a clean-up) are no churn alarm."""
from __future__ import annotations

from jinja2 import Environment

from engine.rules.departures import explains_departures

KEYWORDS = {
    "departures_worried": ["变多", "可能是", "no idea why"],
    "members_left": ["退群", "离开", "left", "leaving"],
    "departure_calendar": ["每年", "结营", "迁到", "every year", "moved everyone", "planned"],
    "removed_by_team": ["清理", "踢了", "removed", "kicked"],
    "removed_accounts": ["僵尸号", "机器人", "unverified", "bots"],
    "not_expected": ["越来越", "worrying"],
}


def _explains(plan: dict, comments: list[str] = (), keywords: dict = KEYWORDS, path: str = "") -> bool:
    env = Environment()
    context = env.context_class(env, {"facts": {"keywords": keywords},
                                      "comments": [{"line": 1, "text": t, "path": path} for t in comments]}, None, {})
    return explains_departures(context, plan)


def test_a_recurring_or_planned_reason_beside_the_departures_explains_them() -> None:
    assert _explains({"positioning": {"mode": "After the spring race about 60 people left, which happens every year."}})
    assert _explains({}, ["本期结营后一批学员退群，下一期三月开营"])
    assert _explains({}, ["\"left\" is high: we moved everyone to the new server"])


def test_accounts_the_team_removed_explain_the_figure() -> None:
    assert _explains({}, ["上周清理了一批僵尸号"], path="observed")
    assert _explains({}, ["left is high: we kicked about 90 bots after the raid"])


def test_a_clean_up_noted_away_from_the_figures_does_not_speak_for_them() -> None:
    assert not _explains({}, ["最近有小号私聊卖东西，踢了几个，又来"], path="structure.moderation")


def test_worry_bots_driving_people_out_or_a_reason_in_another_sentence_explain_nothing() -> None:
    assert not _explains({}, ["退群的人越来越多，每年都说要改"])
    assert not _explains({}, ["lots of people left because of the spam bots"])
    assert not _explains({"positioning": {"mode": "We meet every year in May. Some members left."}})
    assert not _explains({}, ["上周清理了一批僵尸号"], {}, path="observed")


def test_a_guessed_or_rising_departure_explains_nothing() -> None:
    assert not _explains({}, ["九月开始退群的人变多，老板觉得可能是淡季，每年都这样"])
    assert not _explains({}, ["people keep leaving every year and we have no idea why"])
