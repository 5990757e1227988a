"""Benchmark of the evidence store: bulk-load throughput, peak memory, metric time, re-load cost.

Rows come from a small seeded generator: row i is a pure function of (seed, i), so a second
"export" of the same group can overlap the first exactly. Each size runs in its own process so the
peak RSS is that run's.

    .venv/bin/python bench/evidence_rows.py --rows 1000000
    .venv/bin/python bench/evidence_rows.py --rows 10000000 --keep /tmp/ev10m
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path


BATCH = 50_000
GROUPS = 20
SENDERS = 2_000  # per group
DAYS = 365
T0 = datetime(2025, 4, 1)
KINDS = ["text"] * 90 + ["image"] * 4 + ["link"] * 3 + ["join"] + ["sticker"]


def _mix(i: int, seed: int) -> int:
    """A cheap 64-bit hash of (seed, i) standing in for randomness (splitmix64 finaliser)."""
    z = (i * 0x9E3779B97F4A7C15 + seed) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


def rows(indices: Iterator[int] | range, total: int, seed: int = 7) -> Iterator[dict[str, list]]:
    """Column batches of BATCH rows for the given row indices of a history of `total` rows."""
    step = DAYS * 86400 / total
    cols: dict[str, list] = {}

    def fresh() -> dict[str, list]:
        return {k: [] for k in ("platform", "source", "group_id", "group_name", "message_id", "ts", "sender_id",
                                "sender_name", "sender_role", "kind", "mentions", "mentions_all", "text_len",
                                "has_link", "is_question", "text_hash")}

    cols = fresh()
    for i in indices:
        h = _mix(i, seed)
        group = i % GROUPS
        sender = (h >> 8) % SENDERS
        sender = sender * sender // SENDERS  # skewed: low ids talk more, like real groups
        kind = KINDS[h % len(KINDS)]
        gid = f"g{group:02d}"
        cols["platform"].append("wechat")
        cols["source"].append("bench")
        cols["group_id"].append(gid)
        cols["group_name"].append(f"群{group}")
        cols["message_id"].append(f"{i}")
        cols["ts"].append(T0 + timedelta(seconds=i * step))
        cols["sender_id"].append(f"{gid}-u{sender}")
        cols["sender_name"].append(f"成员{sender}")
        cols["sender_role"].append("owner" if sender == 0 else "admin" if sender < 3 else "member")
        cols["kind"].append(kind)
        cols["mentions"].append(int((h >> 20) % 3 == 0))
        cols["mentions_all"].append((h >> 24) % 500 == 0)
        cols["text_len"].append((h >> 32) % 200)
        cols["has_link"].append(kind == "link")
        cols["is_question"].append((h >> 40) % 20 == 0)
        cols["text_hash"].append(None if kind == "join" else (h >> 13) % 50_000 if (h >> 44) % 10 == 0 else h)
        if len(cols["ts"]) == BATCH:
            yield cols
            cols = fresh()
    if cols["ts"]:
        yield cols


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="folder for the store (kept); default a temporary one")
    parser.add_argument("--memory-limit", default="1GB")
    args = parser.parse_args()
    from qunce.engine.evidence import metrics, roles
    from qunce.engine.evidence.store import EvidenceStore

    n = args.rows
    folder = args.keep or Path(tempfile.mkdtemp(prefix="qunce-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, object] = {"rows": n, "load_avg_before": round(os.getloadavg()[0], 1)}

    t = time.perf_counter()
    for _ in rows(range(n), n):
        pass
    out["generate_s"] = round(time.perf_counter() - t, 2)
    out["rss_after_generate_mib"] = round(peak_rss_mib())

    store = EvidenceStore.open(folder, memory_limit=args.memory_limit)
    t, cpu = time.perf_counter(), time.process_time()
    first = store.load(rows(range(n), n), sources=["bench"])
    load_s = time.perf_counter() - t
    out["load_cpu_s"] = round(time.process_time() - cpu, 2)
    out["load_s"] = round(load_s, 2)
    out["load_rows_per_s_incl_generation"] = round(n / load_s)
    out["load_rows_per_s_store_only"] = round(n / max(load_s - out["generate_s"], 1e-9))
    out["rows_added"] = first["rows_added"]
    out["rss_after_load_mib"] = round(peak_rss_mib())

    as_of = (T0 + timedelta(days=DAYS - 1)).date()
    t, cpu = time.perf_counter(), time.process_time()
    result = metrics.compute(store, as_of, quiet=("23:00", "07:00"), event_dates=[as_of - timedelta(days=9)])
    out["compute_s"] = round(time.perf_counter() - t, 2)
    out["compute_cpu_s"] = round(time.process_time() - cpu, 2)
    out["sample"] = {k: result["windows"][30].get(k) for k in ("messages", "speakers", "absence_factor", "bursts")}
    t = time.perf_counter()
    groups = metrics.per_group(store, as_of, windows=(30,))
    out["per_group_30d_s"] = round(time.perf_counter() - t, 2)
    out["groups"] = len(groups)
    t = time.perf_counter()
    found = roles.classify(store, as_of)
    out["roles_s"] = round(time.perf_counter() - t, 2)
    out["roles"] = {k: v["count"] for k, v in found["roles"].items()}

    # a second export of group g00: its last 10% of history (already stored) plus as much again (new)
    tail = n // 10
    second = range(n - tail - (n - tail) % GROUPS, n + tail, GROUPS)
    t = time.perf_counter()
    again = store.load(rows(second, n), sources=["bench-second"])
    out["second_export_rows"] = again["rows_in"]
    out["second_export_added"] = again["rows_added"]
    out["second_export_s"] = round(time.perf_counter() - t, 2)
    out["rss_peak_mib"] = round(peak_rss_mib())
    out["load_avg_after"] = round(os.getloadavg()[0], 1)
    out["db_mib"] = round((folder / ".qunce" / "evidence.duckdb").stat().st_size / 2**20)
    store.close()
    if not args.keep:
        shutil.rmtree(folder)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
