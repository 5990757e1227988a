"""The roles read only the stretch of history they need (the window and `reply_within_s` before it):
a reply to a message from just before the window still counts, an older one never did."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from qunce.engine.evidence import roles
from qunce.engine.evidence.store import EvidenceStore


def _batch(lines: list[tuple[datetime, str, int]]) -> dict:
    """Text messages (time, sender, length) of one group, ids m1, m2, ... in order."""
    n = len(lines)
    return {"platform": ["wechat"] * n, "source": ["test"] * n, "group_id": ["g"] * n,
            "message_id": [f"m{i + 1}" for i in range(n)], "ts": [ts for ts, _, _ in lines],
            "sender_id": [who for _, who, _ in lines], "sender_role": ["member"] * n, "kind": ["text"] * n,
            "text_len": [length for _, _, length in lines], "text_hash": list(range(1, n + 1))}

AS_OF = date(2026, 3, 31)
START = datetime(2026, 3, 31) + timedelta(days=1) - timedelta(days=90)  # the 90-day window, UTC


def _entertainers(tmp_path, gap_s: int) -> list[str]:
    """e answers chat ten times, the first answer the window's first message, `gap_s` after chat's line."""
    lines = []
    for k in range(10):
        said = START - timedelta(seconds=gap_s) if k == 0 else START + timedelta(hours=k)
        lines += [(said, "chat", 40), (said + timedelta(seconds=gap_s), "e", 3)]
    with EvidenceStore.open(tmp_path) as store:
        store.load([_batch(lines)])
        return roles.classify(store, AS_OF, tz="UTC")["roles"]["entertainer"]["members"]


def test_a_reply_to_the_message_just_before_the_window_counts(tmp_path):
    """300 s after chat's line, at the window's first second: a reply (ten of ten)."""
    assert _entertainers(tmp_path, 300) == ["e"]


def test_a_line_older_than_reply_within_s_is_no_reply(tmp_path):
    """301 s after: not a reply, so nine short replies (below the ten the criterion asks)."""
    assert _entertainers(tmp_path, 301) == []
