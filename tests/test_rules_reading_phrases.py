"""Phrases of parts in keyword lists ("不许|不准…质疑|反驳"): any word of each part, in order,
close together inside one sentence; the hit quotes what the operator wrote."""

from __future__ import annotations

import pytest

from qunce.engine.rules.patterns import THEN_GAP
from qunce.engine.rules.reading import mentions

WORDS = ["不许|不准|不接受…质疑|反驳|议论", "团长|群主…说了算|决定"]


@pytest.mark.parametrize("text, hit", [
    ("比赛上谁跳领舞由团长决定，不接受议论。", ["团长决定", "不接受议论"]),
    ("不许在群里质疑管理", ["不许在群里质疑"]),
    ("一切由群主一个人说了算", ["群主一个人说了算"]),
    ("不准反驳", ["不准反驳"]),
])
def test_parts_in_order_inside_one_sentence_match(text: str, hit: list[str]) -> None:
    assert mentions(text, WORDS) == hit


@pytest.mark.parametrize("text", [
    "大家可以质疑，不许人身攻击",  # the parts in the other order
    "不许发广告。质疑请私聊管理员",  # two sentences
    "团长\n决定",  # two lines
    "不许" + "啊" * (THEN_GAP + 1) + "质疑",  # too far apart
    "欢迎质疑和反驳",  # only the second part
])
def test_parts_apart_or_out_of_order_do_not_match(text: str) -> None:
    assert mentions(text, WORDS) == []


def test_a_negated_phrase_is_no_mention() -> None:
    assert mentions("我们从不因为质疑踢人", ["踢|移出"]) == []


def test_plain_words_and_phrases_mix_in_one_list() -> None:
    assert mentions("禁止质疑；群主说了算", ["禁止质疑", "群主…说了算"]) == ["禁止质疑", "群主说了算"]


def test_regex_characters_in_parts_are_literal() -> None:
    assert mentions("a.b c+d", ["a.b…c+d"]) == ["a.b c+d"]
    assert mentions("axb cd", ["a.b…c+d"]) == []


def test_the_trie_finds_what_the_plain_alternation_finds() -> None:
    """Every bundled list, over every bundled example and calibration plan's text: the same hits, at
    the same places, as the alternation of its words longest first."""
    import re
    from pathlib import Path

    import yaml

    from qunce.engine.rules.patterns import THEN, keyword_pattern

    root = Path(__file__).resolve().parents[1]
    lists = yaml.safe_load((root / "playbooks" / "00-facts.yaml").read_text(encoding="utf-8"))["facts"]["keywords"]
    text = "\x00".join(p.read_text(encoding="utf-8").lower()
                       for p in sorted((root / "tests" / "calibration" / "plans").rglob("*.yaml"))
                       + sorted((root / "examples").glob("*.yaml")))
    compared = 0
    for words in lists.values():
        plain = sorted({w.lower() for w in words if isinstance(w, str) and w.strip() and THEN not in w}, key=len, reverse=True)
        if not plain:
            continue
        reference = re.compile("|".join(re.escape(w) for w in plain))
        trie, _ = keyword_pattern(tuple(plain))
        assert [(m.start(), m.group(0)) for m in trie.finditer(text)] == \
               [(m.start(), m.group(0)) for m in reference.finditer(text)]
        compared += 1
    assert compared > 150


def test_no_bundled_list_holds_a_word_twice() -> None:
    """Lists widened from two sides are joined, not stacked: a word twice is noise for the next
    reader of the list (the search itself treats a list as a set)."""
    from collections import Counter
    from pathlib import Path

    import yaml

    lists = yaml.safe_load((Path(__file__).resolve().parents[1] / "playbooks" / "00-facts.yaml")
                           .read_text(encoding="utf-8"))["facts"]["keywords"]
    twice = {name: [w for w, n in Counter(words).items() if n > 1] for name, words in lists.items()}
    assert {name: words for name, words in twice.items() if words} == {}


@pytest.mark.parametrize("empty", ["…", "|…|", " … "])
def test_a_phrase_with_no_word_in_any_part_matches_nothing(empty: str) -> None:
    assert mentions("随便什么文字", [empty]) == []
    assert mentions("不许在群里质疑", [empty, "不许…质疑"]) == ["不许在群里质疑"]


def test_a_very_long_word_or_a_deep_list_is_still_searched() -> None:
    """A pack's list may hold a word longer than the trie nests, or a chain of words each one longer
    than the last: the list is then searched as a plain alternation, with the same hits."""
    long_word = "长" * 5000
    assert mentions("前" + long_word + "后", [long_word, "前"]) == ["前", long_word]
    chain = ["a" * n for n in range(1, 700)]
    assert mentions("x " + "a" * 650 + " y", chain) == ["a" * 650]
