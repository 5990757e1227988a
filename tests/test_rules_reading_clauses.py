"""The `clauses` reading: two words are read together only within one sentence or line."""
from __future__ import annotations

from engine.rules.reading import clauses, mentions


def test_clauses_split_prose_and_dash_lists() -> None:
    strategy = "- 早中晚三波推送\n- 差评在群里说的,私聊不回的直接移出。投诉当天回复;广告直接移出"
    assert clauses([strategy, None]) == ["早中晚三波推送", "差评在群里说的,私聊不回的直接移出", "投诉当天回复", "广告直接移出"]


def test_words_in_different_sentences_do_not_meet() -> None:
    parts = clauses("投诉当天回复。发广告的直接移出")
    assert not [p for p in parts if mentions(p, ["投诉"]) and mentions(p, ["移出"])]
