"""The store's cheaper INSERTs (no anti-join when nothing stored overlaps a batch, no window when the
normaliser vouches for a batch) store exactly what the full de-duplicating INSERT stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from datetime import datetime

from qunce.engine.evidence import inserts
from qunce.engine.evidence.normalise import Batch, Deduper, normalise
from qunce.engine.evidence.readers import read_export
from qunce.engine.evidence.store import EvidenceStore

FIX = Path(__file__).parent / "fixtures"
EXPORTS = [str(FIX / "wechatmsg"), str(FIX / "qq/周末徒步群.txt"), str(FIX / "qq/周末徒步群_续.txt"),
           str(FIX / "telegram")]


def _stored(root: Path, loads: list[list], monkeypatch, *, full: bool) -> tuple[list, list]:
    """Rows stored and the loads' counts, with the cheap paths allowed or every batch sent the full way."""
    if full:
        monkeypatch.setattr(inserts, "insert_for", lambda *a: inserts.DEDUP_INSERT)
    root.mkdir()
    with EvidenceStore.open(root) as s:
        counts = [s.load(batches) for batches in loads]
        rows = sorted(map(repr, s.rows("SELECT * FROM messages")))
    monkeypatch.undo()
    return rows, [(c["rows_in"], c["rows_added"]) for c in counts]


@pytest.mark.parametrize("batch_rows", [1, 3, 7, 1000])
@pytest.mark.parametrize("keys", [1, 5, 10_000])
def test_cheap_paths_store_what_the_full_insert_stores(tmp_path, monkeypatch, batch_rows, keys):
    """Overlapping exports with and without ids, loaded twice, batches of several sizes, the in-run
    de-duplication full early or never: the same rows and counts either way."""
    recs = list(read_export(EXPORTS))

    def loads() -> list[list]:
        return [list(normalise(recs, batch_rows=batch_rows, deduper=Deduper(max_keys=keys))),
                list(normalise(recs[len(recs) // 2:], batch_rows=batch_rows))]

    fast = _stored(tmp_path / "fast", loads(), monkeypatch, full=False)
    full = _stored(tmp_path / "full", loads(), monkeypatch, full=True)
    assert fast == full and len(fast[0]) > 20
    assert fast[1][1][1] == 0  # the second load repeats only what is stored


def test_a_batch_vouched_for_wrongly_is_not_trusted_without_ids(tmp_path):
    """`distinct` lets the store skip its check within the batch only when every row has an id:
    two id-less records in the same second are one message to the store, as before."""
    batch = Batch({"platform": ["qq"] * 2, "group_id": ["g"] * 2, "message_id": [None, None],
                   "ts": [datetime(2026, 3, 1, 12)] * 2, "sender_id": ["u"] * 2,
                   "kind": ["text"] * 2, "text_hash": [7, 7]})
    batch.distinct = True
    with EvidenceStore.open(tmp_path) as s:
        assert s.load([batch])["rows_added"] == 1


def test_a_full_deduper_still_drops_repeats_within_a_batch():
    """Past its key limit the run forgets earlier batches, never the batch in hand: so every batch
    it hands on is distinct, and the store may skip its window."""
    from qunce.engine.evidence.message import Message

    msgs = [Message("wechat", "t", "g", "G", mid, datetime(2026, 3, 1, 12, i), "u", "甲", "text", "x")
            for i, mid in enumerate(["1", "2", "2", "3", "1"])]
    full: list[int] = []
    batches = list(normalise(msgs, batch_rows=5, deduper=Deduper(max_keys=1, on_full=full.append)))
    assert [b["message_id"] for b in batches] == [["1", "2", "3"]] and batches[0].distinct and full == [1]
