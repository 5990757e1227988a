"""Help on demand (engine.rules.demand): quick answering exempts silence and low intake, a slow one does not."""

from __future__ import annotations

from engine.rules.demand import answers_on_demand

FACTS = {"observed": {"on_demand": {"unanswered_share_max": 0.1, "answer_minutes_max": 60}}}


def test_questions_answered_within_the_hour_is_help_on_demand() -> None:
    assert answers_on_demand({"questions_7d": 11, "unanswered_share_7d": 0, "median_answer_minutes": 12}, FACTS)


def test_slow_or_unanswered_or_no_questions_is_not() -> None:
    assert not answers_on_demand({"questions_7d": 11, "unanswered_share_7d": 0, "median_answer_minutes": 240}, FACTS)
    assert not answers_on_demand({"questions_7d": 11, "unanswered_share_7d": 0.4, "median_answer_minutes": 12}, FACTS)
    assert not answers_on_demand({"questions_7d": 0, "unanswered_share_7d": 0, "median_answer_minutes": 12}, FACTS)
    assert not answers_on_demand({"unanswered_share_7d": 0, "median_answer_minutes": 12}, FACTS)
    assert not answers_on_demand({"questions_7d": 5, "unanswered_share_7d": True, "median_answer_minutes": 12}, FACTS)
    assert not answers_on_demand(None, FACTS)
