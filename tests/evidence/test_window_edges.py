"""The window views read one table of the widest window (recent, asked, repeats) instead of each
window's own rows: what lies just before a window's start must still count as outside it.

Hand-worked on one group (tz UTC, as of 2026-03-31: the 7-day window starts 03-25 00:00, the
30-day window 03-02 00:00):

  03-24 23:55  a  text #5          (outside the 7-day window)
  03-25 00:01  a  text #5
  03-25 00:03  a  text #5          -> in 7 days #5 is posted twice: no burst; in 30 days three
                                      times within 8 minutes: a burst of 3
  03-25 00:20  b  question          (17 minutes after 00:03: the same conversation)
  03-25 00:25  b  text              (same asker, not an answer)
  03-25 00:45  c  text              -> answers the question after 25 minutes
  03-25 02:00  a  text #6 · 02:04 b #6 · 02:30 c #6   (three senders: a burst in every window)
  03-28 10:00  c  question          -> nobody follows: unanswered
"""

from __future__ import annotations

from datetime import date

import pytest

from qunce.engine.evidence import metrics
from qunce.engine.evidence.store import EvidenceStore

from .test_metrics import d, to_batch

AS_OF = date(2026, 3, 31)


ROWS = [
    ("e1", d(3, 24, 23, 55), "a", "text", {"text_hash": 5}),
    ("e2", d(3, 25, 0, 1), "a", "text", {"text_hash": 5}),
    ("e3", d(3, 25, 0, 3), "a", "text", {"text_hash": 5}),
    ("e4", d(3, 25, 0, 20), "b", "text", {"is_question": True}),
    ("e5", d(3, 25, 0, 25), "b", "text", {}),
    ("e6", d(3, 25, 0, 45), "c", "text", {}),
    ("e7", d(3, 25, 2, 0), "a", "text", {"text_hash": 6}),
    ("e8", d(3, 25, 2, 4), "b", "text", {"text_hash": 6}),
    ("e9", d(3, 25, 2, 30), "c", "text", {"text_hash": 6}),
    ("e10", d(3, 28, 10, 0), "c", "text", {"is_question": True}),
]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    with EvidenceStore.open(tmp_path_factory.mktemp("edges")) as store:
        store.load([to_batch(ROWS)])
        yield metrics.compute(store, AS_OF, tz="UTC", windows=(7, 30))


def test_repeats_before_the_window_do_not_count(result):
    """#5: twice in the 7-day window (not a burst), three times within 8 minutes in the 30-day one."""
    assert (result["windows"][7]["bursts"], result["windows"][7]["burst_messages"]) == (1, 3)
    assert (result["windows"][30]["bursts"], result["windows"][30]["burst_messages"]) == (2, 6)


def test_conversations_at_the_window_start(result):
    """7 days: 00:01 (its predecessor lies outside the window, 6 minutes before: no gap over 30
    minutes, so not a start), 02:00 (75 minutes after 00:45), 03-28 10:00 = 2. 30 days: 23:55,
    02:00, 03-28 = 3."""
    assert result["windows"][7]["conversations"] == 2
    assert result["windows"][30]["conversations"] == 3


def test_answer_skips_the_askers_own_follow_up(result):
    """The 00:20 question is answered by c at 00:45 (b's 00:25 line is not an answer): 25 minutes;
    the 03-28 question is not answered. The same in both windows."""
    for window in (7, 30):
        w = result["windows"][window]
        assert (w["questions"], w["answered"], w["median_answer_min"]) == (2, 1, 25.0)
        assert w["unanswered_share"] == pytest.approx(0.5)


def test_tables_built_for_one_load_are_rebuilt_after_the_next(tmp_path):
    """The window tables are kept while the store is unchanged (metrics.install): a second export
    loaded into the same open store must be counted, as a store that read both at once counts it."""
    first, second = ROWS[:6], ROWS[6:]
    (tmp_path / "both").mkdir()
    (tmp_path / "twice").mkdir()
    with EvidenceStore.open(tmp_path / "both") as store:
        store.load([to_batch(ROWS)])
        whole = metrics.compute(store, AS_OF, tz="UTC", windows=(7, 30))
    with EvidenceStore.open(tmp_path / "twice") as store:
        store.load([to_batch(first)])
        before = metrics.compute(store, AS_OF, tz="UTC", windows=(7, 30))
        store.load([to_batch(second)])
        after = metrics.compute(store, AS_OF, tz="UTC", windows=(7, 30))
    assert before != whole and after == whole
