"""Every metric against a small conversation whose answers are worked out by hand below.

The conversation (group g1, times UTC, computed with tz="UTC"; as of 2026-03-31, so the 7-day
window is 03-25..03-31, the 30-day window 03-02..03-31, the 90-day window 01-01..03-31):

  O owner, A admin, m1..m6 members.
  Jan 10   P1-P5 m1 x5 (10:00-10:04), P6 m2 11:00, P7 O 12:00, P8 A 12:30, P9 m3 13:00
  Mar 05   M1 m3 10:00 text#888, M1b m3 10:04 #888, M1c m3 10:09 #888   (one sender, 3 in 9 min)
  Mar 10   m6 joins 08:00;  M2 m6 08:30
  Mar 25   1 O 09:00 · 2 m3 09:05 question · 3 m3 09:07 · 4 A 09:15 · 5 m4 09:20 link card
  Mar 26   6 m6 10:00 question · 7 m6 11:00 · m2 leaves 20:00
  Mar 27   8 m3 12:00 #777 · 9 m4 12:03 #777 · 10 m6 12:06 #777 · m4 removed by O 21:00
  Mar 28   m5 joins 09:00 (added by A) · 11-13 m5 09:01:00/10/20 · 14 m5 09:01:40 with a link
  Mar 30   15 O 23:30
  Mar 31   16 A 02:00
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from qunce.engine.evidence import metrics
from qunce.engine.evidence.store import EvidenceStore

AS_OF = date(2026, 3, 31)
ROLE = {"O": "owner", "A": "admin"}


def d(month, day, h, m, s=0):
    return datetime(2026, month, day, h, m, s)


# (id, ts, sender, kind, extra)
ROWS = [
    ("P1", d(1, 10, 10, 0), "m1", "text", {}), ("P2", d(1, 10, 10, 1), "m1", "text", {}),
    ("P3", d(1, 10, 10, 2), "m1", "text", {}), ("P4", d(1, 10, 10, 3), "m1", "text", {}),
    ("P5", d(1, 10, 10, 4), "m1", "text", {}), ("P6", d(1, 10, 11, 0), "m2", "text", {}),
    ("P7", d(1, 10, 12, 0), "O", "text", {}), ("P8", d(1, 10, 12, 30), "A", "text", {}),
    ("P9", d(1, 10, 13, 0), "m3", "text", {}),
    ("M1", d(3, 5, 10, 0), "m3", "text", {"text_hash": 888}),
    ("M1b", d(3, 5, 10, 4), "m3", "text", {"text_hash": 888}),
    ("M1c", d(3, 5, 10, 9), "m3", "text", {"text_hash": 888}),
    ("J6", d(3, 10, 8, 0), "m6", "join", {"actor_id": "A"}),
    ("M2", d(3, 10, 8, 30), "m6", "text", {}),
    ("1", d(3, 25, 9, 0), "O", "text", {}),
    ("2", d(3, 25, 9, 5), "m3", "text", {"is_question": True}),
    ("3", d(3, 25, 9, 7), "m3", "text", {}),
    ("4", d(3, 25, 9, 15), "A", "text", {}),
    ("5", d(3, 25, 9, 20), "m4", "link", {"has_link": True}),
    ("6", d(3, 26, 10, 0), "m6", "text", {"is_question": True}),
    ("7", d(3, 26, 11, 0), "m6", "text", {}),
    ("L2", d(3, 26, 20, 0), "m2", "leave", {}),
    ("8", d(3, 27, 12, 0), "m3", "text", {"text_hash": 777}),
    ("9", d(3, 27, 12, 3), "m4", "text", {"text_hash": 777}),
    ("10", d(3, 27, 12, 6), "m6", "text", {"text_hash": 777}),
    ("R4", d(3, 27, 21, 0), "m4", "removal", {"actor_id": "O"}),
    ("J5", d(3, 28, 9, 0), "m5", "join", {"actor_id": "A"}),
    ("11", d(3, 28, 9, 1, 0), "m5", "text", {}),
    ("12", d(3, 28, 9, 1, 10), "m5", "text", {}),
    ("13", d(3, 28, 9, 1, 20), "m5", "text", {}),
    ("14", d(3, 28, 9, 1, 40), "m5", "text", {"has_link": True}),
    ("15", d(3, 30, 23, 30), "O", "text", {}),
    ("16", d(3, 31, 2, 0), "A", "text", {}),
]


def to_batch(rows, group="g1", platform="wechat"):
    """Rows as one column batch; every text gets its own hash unless the row names one."""
    cols = {k: [] for k in ("platform", "source", "group_id", "message_id", "ts", "sender_id", "sender_role",
                            "kind", "actor_id", "has_link", "is_question", "text_hash", "text_len")}
    for i, (mid, ts, sender, kind, extra) in enumerate(rows):
        event = kind in ("join", "leave", "removal")
        values = {
            "platform": platform, "source": "test", "group_id": group, "message_id": mid, "ts": ts,
            "sender_id": sender, "sender_role": ROLE.get(sender, "member"), "kind": kind,
            "actor_id": extra.get("actor_id"), "has_link": extra.get("has_link", False),
            "is_question": extra.get("is_question", False),
            "text_hash": None if event else extra.get("text_hash", 10_000 + i), "text_len": 0 if event else 10,
        }
        for k, v in values.items():
            cols[k].append(v)
    return cols


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    path = tmp_path_factory.mktemp("metrics")
    with EvidenceStore.open(path) as store:
        store.load([to_batch(ROWS)])
        yield metrics.compute(store, AS_OF, tz="UTC", quiet=("23:00", "07:00"),
                              event_dates=[date(2026, 3, 20), date(2026, 4, 5)])


def test_members(result):
    """Seen: m1 m2 m3 m4 m5 m6 O A = 8. Present: all but m2 (left) and m4 (removed) = 6.
    At the start of the 7-day window (03-25): everyone first seen before it = m1 m2 m3 m6 O A = 6."""
    w7 = result["windows"][7]
    assert (w7["members_seen"], w7["members_present"], w7["members_at_start"]) == (8, 6, 6)
    # before 03-02 only the January five had been seen
    assert result["windows"][30]["members_at_start"] == 5


def test_speakers_and_silence(result):
    """7 days: speakers O m3 A m4 m6 m5 = 6. Speaker-days: 03-25 {O m3 A m4}, 03-26 {m6},
    03-27 {m3 m4 m6}, 03-28 {m5}, 03-30 {O}, 03-31 {A} = 11, over 7 days. Present and silent: m1 = 1/6."""
    w7 = result["windows"][7]
    assert w7["speakers"] == 6
    assert w7["speakers_per_day"] == pytest.approx(11 / 7)
    assert w7["silent_share"] == pytest.approx(1 / 6)


def test_dau_mau(result):
    """30 days: the 11 speaker-days above plus 03-05 {m3} and 03-10 {m6} = 13; DAU = 13/30.
    MAU = O A m3 m4 m5 m6 = 6; WAU = the same 6; DAU/MAU = 13/180."""
    assert result["dau"] == pytest.approx(13 / 30)
    assert (result["wau"], result["mau"]) == (6, 6)
    assert result["dau_mau"] == pytest.approx(13 / 180)


def test_joins_and_first_seen(result):
    """7 days: one join (m5); first seen m4 (03-25) and m5. 30 days adds m6 (joined 03-10)."""
    assert (result["windows"][7]["joins"], result["windows"][7]["first_seen"]) == (1, 2)
    assert (result["windows"][30]["joins"], result["windows"][30]["first_seen"]) == (2, 3)


def test_leaves_removals_churn(result):
    """One leave (m2), one removal (m4, by the owner). Churn = 2 exits / members present at the start:
    7 days 2/6, 30 days 2/5."""
    w7 = result["windows"][7]
    assert (w7["leaves"], w7["removals"]) == (1, 1)
    assert (w7["removals_by_owner"], w7["removals_by_admin"], w7["removals_by_other"]) == (1, 0, 0)
    assert w7["churn"] == pytest.approx(2 / 6)
    assert result["windows"][30]["churn"] == pytest.approx(2 / 5)


def test_messages(result):
    """7 days: messages 1-16 = 16; 30 days adds M1 M1b M1c M2 = 20; 90 days adds P1-P9 = 29.
    Joins, the leave and the removal are events, not messages."""
    assert [result["windows"][w]["messages"] for w in (7, 30, 90)] == [16, 20, 29]
    assert result["windows"][7]["messages_per_day"] == pytest.approx(16 / 7)


def test_conversations(result):
    """A gap over 30 minutes starts one. 7 days: at 1, 6, 7 (60 min after 6), 8, 11, 15, 16 = 7.
    30 days adds M1 (M1b, M1c follow within 5 min) and M2 = 9. 90 days adds P1 (P1-P5 one run),
    P6 and P7; P8 and P9 come exactly 30 minutes after the one before, which is not over 30 = 12."""
    assert [result["windows"][w]["conversations"] for w in (7, 30, 90)] == [7, 9, 12]


def test_questions(result):
    """Question 2 (m3 09:05) is answered when A speaks at 09:15: 10 minutes (m3's own 09:07 does not
    count). Question 6 (m6 03-26 10:00): the next other speaker comes 26 hours later, over 24 hours."""
    w7 = result["windows"][7]
    assert (w7["questions"], w7["answered"]) == (2, 1)
    assert w7["median_answer_min"] == pytest.approx(10.0)
    assert w7["unanswered_share"] == pytest.approx(0.5)


def test_links_from_members(result):
    """Message 5 (m4's card) and 14 (m5's link) are from members: 2 of 16."""
    w7 = result["windows"][7]
    assert w7["link_messages"] == 2
    assert w7["link_share"] == pytest.approx(2 / 16)


def test_bursts(result):
    """#777 by three people (8, 9, 10) is a burst; #888 three times by m3 within 9 minutes is another
    (only in the 30-day window)."""
    assert (result["windows"][7]["bursts"], result["windows"][7]["burst_messages"]) == (1, 3)
    assert (result["windows"][30]["bursts"], result["windows"][30]["burst_messages"]) == (2, 6)


def test_flood_peak(result):
    """m5 sent 4 messages within 09:01 on 03-28."""
    assert result["windows"][7]["peak_per_minute"] == 4


def test_staff_shares(result):
    """7 days: O wrote 1 and 15, A wrote 4 and 16: 2/16 each."""
    w7 = result["windows"][7]
    assert w7["owner_share"] == pytest.approx(2 / 16)
    assert w7["admin_share"] == pytest.approx(2 / 16)


def test_absence_factor(result):
    """7 days per person: m5 4, m3 3, m6 3, A 2, O 2, m4 2 (total 16). m5+m3 = 7 < 8, +m6 = 10: 3 people."""
    assert result["windows"][7]["absence_factor"] == 3


def test_evaporation(result):
    """Writers of 12-01..03-01: m1 5, m2 1, O 1, A 1, m3 1: the top decile is one person, m1, silent since."""
    assert (result["top_prior"], result["top_silent"]) == (1, 1)
    assert result["evaporated_share"] == pytest.approx(1.0)


def test_newcomers(result):
    """Joined in the 30 days before 04-01: m6 (join 03-10), m5 (join 03-28), m4 (first seen 03-25, and the
    history starts in January). Their 7-day messages: m6 3 + m5 4 + m4 2 = 9 of 16."""
    w7 = result["windows"][7]
    assert w7["newcomer_messages"] == 9
    assert w7["newcomer_share"] == pytest.approx(9 / 16)


def test_days_since_event(result):
    """Events 03-20 and 04-05: the last one on or before 03-31 is 11 days before."""
    assert result["days_since_event"] == 11


def test_quiet_hours(result):
    """Quiet 23:00-07:00: message 15 (23:30) and 16 (02:00) of 16."""
    w7 = result["windows"][7]
    assert w7["quiet_messages"] == 2
    assert w7["quiet_share"] == pytest.approx(2 / 16)


def test_cohorts(result):
    """January cohort m1 m2 m3 O A: 5 wrote in January, 0 in February, 3 (O A m3) in March.
    March cohort m4 m5 m6: all 3 wrote in March."""
    assert result["cohorts"] == [
        {"cohort": "2026-01", "size": 5, "active": [5, 0, 3]},
        {"cohort": "2026-03", "size": 3, "active": [3]},
    ]


def test_unknowns_are_none(tmp_path):
    """Without leave/removal events, roles or quiet hours the numbers that depend on them are None."""
    plain = [(mid, ts, s, k, e) for mid, ts, s, k, e in ROWS if k not in ("leave", "removal")]
    batch = to_batch(plain)
    batch["sender_role"] = [None] * len(plain)
    with EvidenceStore.open(tmp_path) as store:
        store.load([batch])
        out = metrics.compute(store, AS_OF, tz="UTC")
    w7 = out["windows"][7]
    for key in ("leaves", "removals", "removals_by_owner", "churn", "owner_share", "admin_share",
                "quiet_messages", "quiet_share"):
        assert w7[key] is None, key
    assert w7["messages"] == 16 and out["days_since_event"] is None
    # and link share counts everyone when no one is known to be staff: 5 and 14
    assert w7["link_messages"] == 2


def test_local_time_zone(tmp_path):
    """In Asia/Shanghai (UTC+8) the day 03-31 ends at 16:00 UTC and 23:30 local is 15:30 UTC."""
    rows = [("a", d(3, 31, 15, 30), "m1", "text", {}),   # 23:30 local, 03-31: quiet
            ("b", d(3, 31, 1, 0), "m2", "text", {}),     # 09:00 local: not quiet
            ("c", d(3, 31, 16, 30), "m3", "text", {})]   # 00:30 local on 04-01: after the as-of day
    with EvidenceStore.open(tmp_path) as store:
        store.load([to_batch(rows)])
        out = metrics.compute(store, AS_OF, tz="Asia/Shanghai", quiet=("23:00", "07:00"), windows=(7,))
    w7 = out["windows"][7]
    assert (w7["messages"], w7["quiet_messages"]) == (2, 1)


def test_per_group_and_group_filter(tmp_path):
    """per_group() gives each group its own numbers, equal to compute(group=...); the community
    counts the same person in two groups once."""
    other = [("x1", d(3, 29, 10, 0), "m3", "text", {}), ("x2", d(3, 29, 10, 1), "z9", "text", {})]
    with EvidenceStore.open(tmp_path) as store:
        store.load([to_batch(ROWS), to_batch(other, group="g2")])
        groups = metrics.per_group(store, AS_OF, tz="UTC", windows=(7,))
        g2 = metrics.compute(store, AS_OF, tz="UTC", windows=(7,), group="g2")
        whole = metrics.compute(store, AS_OF, tz="UTC", windows=(7,))
    assert list(groups) == ["g1", "g2"]
    assert groups["g1"]["windows"][7]["messages"] == 16
    assert groups["g2"]["windows"][7]["messages"] == 2 == g2["windows"][7]["messages"]
    assert groups["g2"]["windows"][7]["speakers"] == g2["windows"][7]["speakers"] == 2
    assert whole["windows"][7]["messages"] == 18
    assert whole["windows"][7]["speakers"] == 7  # m3 spoke in both groups: counted once


def test_wecom_group_days(tmp_path):
    """企业微信 daily statistics in the 7-day window: 03-24 is outside, 03-30 and 03-31 inside."""
    with EvidenceStore.open(tmp_path) as store:
        store.load_group_days([
            {"date": date(2026, 3, 24), "group_id": "g1", "new_member_cnt": 9, "member_total": 100,
             "member_has_msg": 50, "msg_total": 900},
            {"date": date(2026, 3, 30), "group_id": "g1", "new_member_cnt": 2, "member_total": 100,
             "member_has_msg": 20, "msg_total": 40},
            {"date": date(2026, 3, 31), "group_id": "g1", "new_member_cnt": 1, "member_total": 80,
             "member_has_msg": 8, "msg_total": 10},
        ])
        store.load([to_batch(ROWS)])
        w7 = metrics.compute(store, AS_OF, tz="UTC", windows=(7,))["windows"][7]
    assert (w7["wecom_days"], w7["wecom_new_members"], w7["wecom_messages"]) == (2, 3, 50)
    assert w7["wecom_active_share"] == pytest.approx((0.2 + 0.1) / 2)


def test_every_metric_is_registered(result):
    """compute() returns exactly the registered numbers: each window the same keys, even where a view
    had no row (no 企业微信 statistics here: None, not absent)."""
    for w in (7, 30, 90):
        assert set(result["windows"][w]) == set(metrics.WINDOW_METRICS)
    assert set(result) == set(metrics.AS_OF_METRICS) | {"as_of", "windows", "group", "tz"}
    assert result["windows"][7]["wecom_days"] is None


def test_empty_store(tmp_path):
    """An empty store gives the same keys, with counts of people unknown and events from the plan."""
    with EvidenceStore.open(tmp_path) as store:
        out = metrics.compute(store, AS_OF, tz="UTC", windows=(7,), event_dates=[date(2026, 3, 30)])
    assert set(out["windows"][7]) == set(metrics.WINDOW_METRICS)
    assert out["days_since_event"] == 1 and out["cohorts"] == [] and out["mau"] is None


def test_examples_cite_the_messages_behind_the_figures(tmp_path):
    """The examples view, latest first: the unanswered question 6; members' links 14 and 5; the
    quiet-hour messages 16 and 15; the owner's messages 15 and 1 (P7 is older than 30 days); the
    owner's removal R4; m1's last message P5 (the silent earlier top speaker). No @all, no staff links."""
    with EvidenceStore.open(tmp_path) as store:
        store.load([to_batch(ROWS)])
        rows = metrics.examples(store, AS_OF, tz="UTC", quiet=("23:00", "07:00"))["*"]
    cited: dict[str, list[str]] = {}
    for row in rows:
        cited.setdefault(row["figure"], []).append(row["message_id"])
    assert cited == {"unanswered_share_7d": ["6"], "link_share_7d": ["14", "5"],
                     "after_hours_share_7d": ["16", "15"], "owner_share_30d": ["15", "1"],
                     "removals_by_owner_30d": ["R4"], "top_decile_quiet": ["P5"]}


def test_examples_keep_three_per_figure_and_per_group(tmp_path):
    """Seven links by a member in one group: the three latest are cited, per group and for the community."""
    spam = [(f"S{i}", d(3, 30, 10, i), "m9", "link", {"has_link": True}) for i in range(7)]
    with EvidenceStore.open(tmp_path) as store:
        store.load([to_batch(spam, group="g2"), to_batch(ROWS)])
        per = metrics.examples(store, AS_OF, per_group=True, tz="UTC")
        whole = metrics.examples(store, AS_OF, tz="UTC")["*"]
    g2 = [r["message_id"] for r in per["g2"] if r["figure"] == "link_share_7d"]
    assert g2 == ["S6", "S5", "S4"]
    assert [r["message_id"] for r in whole if r["figure"] == "link_share_7d"] == ["S6", "S5", "S4"]
    assert [r["message_id"] for r in per["g1"] if r["figure"] == "link_share_7d"] == ["14", "5"]
