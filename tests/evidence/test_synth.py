"""The synthetic-export generator, and the round trip: one conversation written in every layout
reads back to the same counts, as far as each layout carries the information.

What a layout cannot carry, stated once (the test skips exactly these comparisons):
- WeChat (WeChatMsg, PyWxDump): no leave events (WeChat shows nothing when a member leaves).
- QQ TXT: no message ids, so no reply targets (a reply is plain text).
- Telegram: no recalls (deleted messages are not exported).
- Discord JSON: no leaves, removals or recalls in a channel's messages.
- Discord CSV: no message ids, types, seconds or joins: only the messages themselves.
"""

from __future__ import annotations

import filecmp
import itertools
import tempfile
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.engine.evidence.normalise import normalise
from qunce.engine.evidence.readers import GroupDay, Problems, detect, open_reader

from conftest import load_tool


se = load_tool("synth_exports")

CARRIES = {  # layout -> (joins, leaves, removals, recalls, replies)
    "wechatmsg-csv": (True, False, True, True, True),
    "pywxdump-csv": (True, False, True, True, True),
    "qq-txt": (True, True, True, True, False),
    "qce-json": (True, True, True, True, True),
    "telegram-json": (True, True, True, False, True),
    "discord-json": (True, False, False, False, True),
    "discord-csv": (False, False, False, False, False),
    "chatlab-json": (True, True, True, True, True),
    "chatlab-jsonl": (True, True, True, True, True),
}
REPLY_IDS = {"qce-json": se.QCEWriter.mid, "telegram-json": str,
             "discord-json": se._discord_mid, "chatlab-json": lambda s: f"m{s}",
             "chatlab-jsonl": lambda s: f"m{s}"}
EVENT = ("join", "leave", "removal", "recall", "pin", "other")


def check_round_trip(out: str, n: int, seed: int, scenario: str, members: int,
                     date_order: str, qq_12h: bool, tell_order: bool = True) -> dict:
    paths = se.write_all(out, n, seed, scenario, members=members, date_order=date_order,
                         qq_12h=qq_12h, page_size=37)
    events = list(se.generate(n, seed, scenario, members=members))
    content = [e for e in events if e.is_content]
    kinds = Counter(e.kind for e in events)
    for layout, carries in CARRIES.items():
        path = paths[layout]
        assert detect(path) == layout
        problems = Problems()
        recs = list(open_reader(path, on_problem=problems,
                                **({"date_order": date_order}
                                   if layout == "discord-csv" and tell_order else {})))
        assert [p for p in problems.items if p.severity == "error"] == [], layout
        ids = se.MEMBER_IDS[layout]
        got = Counter(r.sender_id for r in recs if r.kind not in EVENT)
        assert got == Counter(ids(e.member) for e in content), layout
        got_kinds = Counter(r.kind for r in recs)
        for kind, carried in zip(("join", "leave", "removal", "recall", "reply"), carries):
            assert got_kinds[kind] == (kinds[kind] if carried else 0), (layout, kind)
        if layout in REPLY_IDS:
            to = REPLY_IDS[layout]
            assert [r.reply_to for r in recs if r.kind == "reply"] == \
                [to(e.reply_to) for e in events if e.kind == "reply"], layout
        rows = sum(len(b["ts"]) for b in normalise(recs))
        assert rows == len(recs), f"{layout}: de-duplication dropped distinct messages"
    days = list(open_reader(paths["wecom-stats-csv"]))
    assert all(isinstance(d, GroupDay) for d in days)
    assert sum(d.messages_total for d in days) == len(content)
    assert sum(d.new_members for d in days) == kinds["join"]
    assert sum(d.left_members for d in days) == kinds["leave"] + kinds["removal"]
    return paths


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(20, 400), seed=st.integers(0, 10_000),
       scenario=st.sampled_from(sorted(se.SCENARIOS)), members=st.integers(5, 40),
       date_order=st.sampled_from(["mdy", "dmy", "ymd"]), qq_12h=st.booleans())
def test_every_layout_reads_back_the_same_conversation(n, seed, scenario, members, date_order,
                                                       qq_12h):
    """Per-member message counts, joins, leaves, removals, recalls and reply targets survive
    every layout that carries them; normalisation drops nothing that is not a duplicate."""
    with tempfile.TemporaryDirectory() as out:
        check_round_trip(out, n, seed, scenario, members, date_order, qq_12h)


def test_a_long_conversation_crosses_pages_and_lets_the_reader_find_the_date_order(tmp_path):
    """6,000 events over 20 days: PyWxDump pages of 37 rows read in offset order (page 10
    sorts after page 2 only numerically), and the Discord CSV's day-first order is found in
    the data (days above 12) instead of being told."""
    check_round_trip(str(tmp_path), 6000, 5, "dying", 60, "dmy", True, tell_order=False)
    rows = sum(e.kind != "leave" for e in se.generate(6000, 5, "dying", members=60))
    assert len(list((tmp_path / "pywxdump").glob("*.csv"))) == -(-rows // 37)


def test_same_seed_same_bytes_different_seed_different_bytes(tmp_path):
    """Deterministic: the bench and the tests regenerate identical exports from a seed."""
    a = se.write_all(str(tmp_path / "a"), 300, 9, "healthy")
    b = se.write_all(str(tmp_path / "b"), 300, 9, "healthy")
    c = se.write_all(str(tmp_path / "c"), 300, 10, "healthy")
    for layout in ("telegram-json", "qq-txt", "wechatmsg-csv", "chatlab-jsonl"):
        assert filecmp.cmp(a[layout], b[layout], shallow=False), layout
        assert not filecmp.cmp(a[layout], c[layout], shallow=False), layout


def test_the_dying_group_shows_its_symptoms():
    """Scenario knobs work: in a dying group the owner talks more, ads rise and core members
    leave in the second half; in a healthy one none of these shifts happens."""
    def halves(scenario: str):
        events = list(se.generate(6000, 3, scenario))
        first, second = events[:3000], events[3000:]

        def owner_share(part):
            msgs = [e for e in part if e.is_content]
            return sum(e.member.role == "owner" for e in msgs) / len(msgs)

        def ads(part):  # share of ads among ordinary members' messages
            msgs = [e for e in part if e.is_content and e.member.role == "member"]
            return sum(e.kind == "link" and any(s in e.text for s in
                                                ("shop.example", "ads-example", "job.example"))
                       for e in msgs) / len(msgs)

        def core_gone(part):
            return sum(e.kind in ("leave", "removal") and e.member.core for e in part)

        return (owner_share(first), owner_share(second), ads(first), ads(second),
                core_gone(first), core_gone(second))

    o1, o2, a1, a2, c1, c2 = halves("dying")
    assert o2 > o1 + 0.2 and a2 > 2 * a1 and c2 > c1
    o1, o2, a1, a2, _, _ = halves("healthy")
    assert abs(o2 - o1) < 0.05 and a2 < 2 * a1


def test_generation_is_lazy_so_ten_million_events_stream():
    """The first events of a 10M-event conversation come at once: nothing is built up front."""
    events = se.generate(10_000_000, 1)
    first = list(itertools.islice(events, 5))
    assert [e.seq for e in first] == [1, 2, 3, 4, 5]


def test_names_are_invented_unique_and_carry_the_parenthesis_trap():
    """Unique invented names; some end in (北京) or (2), like real QQ nicknames."""
    names = [se.member_name(u) for u in range(1, 2000)]
    assert len(set(names)) == len(names)
    assert any(n.endswith("(北京)") for n in names) and any(n.endswith("(2)") for n in names)


def test_cli_writes_the_requested_layouts(tmp_path, capsys):
    """`python tools/synth_exports.py OUT --layout …` writes only those and lists them."""
    assert se.main([str(tmp_path), "--messages", "50", "--layout", "qq-txt",
                    "--layout", "telegram-json"]) == 0
    out = capsys.readouterr().out
    assert "qq-txt\t" in out and "telegram-json\t" in out and "discord" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qq-txt", "telegram"]
