"""Normalisation: UTC times, text features, stable hashes, de-duplication, columnar batches."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from qunce.engine.evidence.message import COLUMNS, Message
from qunce.engine.evidence.normalise import (
    COLUMN_NAMES, Deduper, Normaliser, is_question, normalise, normalise_rows, question_words,
    text_hash,
)
from qunce.engine.evidence.readers import GroupDay, read_export

FIX = Path(__file__).parent / "fixtures"
UTC = timezone.utc


def msg(text: str = "", ts: datetime = datetime(2026, 3, 7, 20, 0), **kw) -> Message:
    base = dict(platform="wechat", source="test", group_id="g", group_name="G", message_id=None,
                ts=ts, sender_id="u1", sender_name="甲", kind="text", text=text)
    base.update(kw)
    return Message(**base)


def one(m: Message, **settings) -> dict:
    (row,) = list(normalise_rows([m], **settings))
    return dict(zip(COLUMN_NAMES, row))


def test_naive_local_times_are_placed_in_the_community_zone_aware_ones_converted():
    """20:00 in Shanghai is 12:00 UTC; in New York (winter) 01:00 next day; aware stays put."""
    assert one(msg())["ts"] == datetime(2026, 3, 7, 12, 0)
    assert one(msg(), tz="America/New_York")["ts"] == datetime(2026, 3, 8, 1, 0)
    aware = datetime(2026, 3, 7, 20, 0, tzinfo=timezone(timedelta(hours=8)))
    assert one(msg(ts=aware), tz="Europe/London")["ts"] == datetime(2026, 3, 7, 12, 0)
    assert one(msg(ts=datetime(2026, 3, 7, 12, tzinfo=UTC)))["ts"] == datetime(2026, 3, 7, 12)


@pytest.mark.parametrize(("text", "expected"), [
    ("今天读第三章吗", True), ("请问群文件在哪里", True), ("有没有人一起去", True),
    ("这个怎么弄呢。", True), ("How do I join?", True), ("how do I join", True),
    ("What time works", True), ("这样如何", True), ("today is fine", False),
    ("收到，谢谢", False), ("whatever you say", False), ("", False), ("真的？", True),
])
def test_questions_by_mark_or_word_at_start_or_end(text, expected):
    """The word lists live in questions.yaml; punctuation after a final particle is ignored."""
    assert is_question(text) is expected


def test_question_words_are_data_loaded_once():
    """questions.yaml is read once per process (the cache returns the same object)."""
    assert question_words() is question_words()
    assert "请问" in question_words().start


def test_text_features_links_mentions_and_topics():
    """URLs and link cards count as links; @所有人 and @everyone are mentions of all;
    on_topic is None without topics and keyword-based with them."""
    r = one(msg("@所有人 周六活动 https://x.example/a @林一帆\u2005看下"), topics=["活动"])
    assert (r["has_link"], r["mentions_all"], r["mentions"], r["on_topic"]) == (True, True, 1, True)
    r = one(msg("@everyone meeting at www.example.com"))
    assert (r["has_link"], r["mentions_all"], r["mentions"], r["on_topic"]) == (True, True, 0, None)
    r = one(msg("", kind="link"), topics=["活动"])
    assert (r["has_link"], r["on_topic"], r["text_len"], r["text_hash"]) == (True, False, 0, None)
    r = one(msg("mail me: someone@example.com"))
    assert r["mentions"] == 0
    r = one(msg("hi", mentions=3))
    assert r["mentions"] == 3


def test_text_hash_is_stable_unsigned_64_bit_and_ignores_case_and_spacing():
    """Stable across runs (blake2b, not Python's salted hash), fits DuckDB's UBIGINT."""
    h = text_hash("Hello  World")
    assert h == text_hash(" hello world ") == 9765549648086544720  # fixed forever: history
    assert 0 <= h < 2**64
    assert text_hash("") is None and text_hash("   ") is None
    assert text_hash("a") != text_hash("b")


def test_text_is_kept_only_on_request():
    """Metrics never need the text; it is stored only with keep_text=True."""
    assert one(msg("秘密"))["text"] is None
    assert one(msg("秘密"), keep_text=True)["text"] == "秘密"
    assert one(msg("秘密"))["text_len"] == 2


def test_batches_are_columns_in_table_order_and_bounded():
    """Each batch is {column: list} in COLUMNS order with at most batch_rows rows."""
    msgs = [msg(f"第{i}条", ts=datetime(2026, 3, 7, 20, 0, i), message_id=str(i))
            for i in range(7)]
    batches = list(normalise(msgs, batch_rows=3))
    assert [len(b["ts"]) for b in batches] == [3, 3, 1]
    assert list(batches[0]) == [name for name, _ in COLUMNS]
    assert batches[2]["message_id"] == ["6"]


def test_group_days_go_to_their_own_callback():
    """Aggregate statistics are not messages: they are handed on, not turned into rows."""
    other: list = []
    recs = list(read_export([str(FIX / "wecom"), str(FIX / "qq/周末徒步群.txt")]))
    rows = sum(len(b["ts"]) for b in normalise(recs, on_other=other.append))
    assert rows == 8 and len(other) == 3 and all(isinstance(o, GroupDay) for o in other)


def test_overlapping_exports_with_ids_are_deduplicated_by_message_id():
    """The later WeChat export repeats messages 7-9: 10 + 4 records, 11 distinct rows.
    Two joins from one invitation share an id and are both kept (the member is in the key)."""
    recs = list(read_export([str(FIX / "wechatmsg")]))
    assert len(recs) == 14
    batches = list(normalise(recs))
    assert sorted(batches[0]["message_id"], key=int) == \
        ["1", "2", "2", "3", "4", "5", "6", "7", "8", "9", "10"]


def test_overlapping_exports_without_ids_are_deduplicated_by_time_sender_text():
    """QQ TXT has no ids. The second export repeats the recall and one red packet and adds a
    second red packet sent in the same second: that one is a new message, not a duplicate."""
    recs = list(read_export([str(FIX / "qq/周末徒步群.txt"), str(FIX / "qq/周末徒步群_续.txt")]))
    assert len(recs) == 8 + 3
    (batch,) = list(normalise(recs))
    assert len(batch["ts"]) == 9
    assert batch["kind"].count("red_packet") == 2


def test_dedup_can_be_switched_off_and_its_memory_is_bounded():
    """dedup=False keeps everything; past max_keys new keys are not remembered (reported once)."""
    twice = [msg("x", message_id="1"), msg("x", message_id="1")]
    assert len(list(normalise_rows(twice, dedup=False))) == 2
    assert len(list(normalise_rows(twice))) == 1
    full: list[int] = []
    d = Deduper(max_keys=2, on_full=full.append)
    n = Normaliser(deduper=d)
    rows = [n.row(msg("x", message_id=str(i))) for i in (1, 2, 3, 3, 1)]
    assert [r is not None for r in rows] == [True, True, True, True, False]
    assert full == [2] and len(d.seen) == 2


def test_a_full_deduper_stores_the_same_rows(tmp_path):
    """Past its key limit the in-run de-duplication lets repeats through, and the store drops them:
    what is stored is the same as with room for every key."""
    from qunce.engine.evidence.store import EvidenceStore

    recs = list(read_export([str(FIX / "wechatmsg"), str(FIX / "qq/周末徒步群.txt"),
                             str(FIX / "qq/周末徒步群_续.txt"), str(FIX / "telegram")]))
    stored, dropped_by_store = [], []
    for keys in (1, 10_000):
        (tmp_path / str(keys)).mkdir()
        with EvidenceStore.open(tmp_path / str(keys)) as s:
            load = s.load(normalise(recs, batch_rows=4, deduper=Deduper(max_keys=keys)))
            dropped_by_store.append(load["rows_duplicate"])
            stored.append(sorted(map(repr, s.rows("SELECT * FROM messages"))))
    assert stored[0] == stored[1] and len(stored[0]) > 20
    assert dropped_by_store[0] > dropped_by_store[1]
