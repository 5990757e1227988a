"""Dump every figure the evidence path computes from one store, to compare before and after a change.

Why: the speed work on the metric views must leave every number as it was; the hand-computed tests
in tests/evidence cover each metric on small data, this covers the whole result on large stores
(1M-message Telegram and WeChat stores, a store of several groups). Writes one JSON document:
metrics.compute, metrics.per_group, examples.scopes, roles.classify, the series (weekly,
unanswered) and observe's extras, with and without quiet hours, with CPU seconds per part on
standard error (not in the dump, so two dumps compare byte for byte).

    .venv/bin/python bench/evidence_dump.py STORE_DIR OUT.json [--as-of 2026-06-01]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from qunce.engine.evidence import examples, metrics, observe, roles, series
from qunce.engine.evidence.store import EvidenceStore

TZ = "Asia/Shanghai"
QUIET = ("22:00", "07:00")
EVENTS = (date(2026, 3, 14), date(2026, 4, 18))


def _as_of(store: EvidenceStore) -> date:
    last = next(store.rows("SELECT MAX(ts) AS ts FROM messages"))["ts"]
    return (last + timedelta(hours=8)).date()


def dump(store: EvidenceStore, as_of: date) -> dict:
    """Every figure, keyed by what computed it; CPU seconds per part go to standard error."""
    names = {r["group_id"]: r["name"] for r in store.rows(
        "SELECT group_id, MAX(group_name) AS name FROM messages GROUP BY group_id")}
    out: dict = {"as_of": as_of.isoformat(), "groups": sorted(names)}
    parts = [
        ("compute", lambda: metrics.compute(store, as_of, tz=TZ, quiet=QUIET, event_dates=EVENTS)),
        ("compute_noquiet", lambda: metrics.compute(store, as_of, tz=TZ)),
        ("per_group", lambda: metrics.per_group(store, as_of, tz=TZ, quiet=QUIET, event_dates=EVENTS)),
        ("examples", lambda: examples.scopes(store, as_of, tz=TZ, quiet=QUIET, groups=names)),
        ("roles", lambda: roles.classify(store, as_of, tz=TZ)),
        ("extras", lambda: [observe.extras(store, as_of, TZ, False), observe.extras(store, as_of, TZ, True)]),
        ("series", lambda: series.collect(store, as_of, tz=TZ)),
    ]
    if len(names) > 1:
        first = sorted(names)[0]
        parts.append(("compute_group", lambda: metrics.compute(store, as_of, group=first, tz=TZ, quiet=QUIET)))
        parts.append(("roles_group", lambda: roles.classify(store, as_of, group=first, tz=TZ)))
    for name, fn in parts:
        t0 = time.process_time()
        out[name] = fn()
        print(f"{name}: {time.process_time() - t0:.3f} s CPU", file=sys.stderr)
    return out


def _default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return repr(value)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", help="the folder holding .qunce/")
    ap.add_argument("out")
    ap.add_argument("--as-of", type=date.fromisoformat)
    args = ap.parse_args()
    with EvidenceStore.open(Path(args.store), create=False) as store:
        result = dump(store, args.as_of or _as_of(store))
    Path(args.out).write_text(json.dumps(result, sort_keys=True, ensure_ascii=False, default=_default, indent=1))


if __name__ == "__main__":
    main()
