"""Readers that yield `Rows` (columns, Unix seconds) give observe exactly what their `Message`
stream gives: the same records, the same normalised rows, the same stored rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.engine.evidence import observe as ob
from qunce.engine.evidence.message import Rows
from qunce.engine.evidence.normalise import normalise
from qunce.engine.evidence.readers import Problems, read_export
from qunce.engine.evidence.store import EvidenceStore

from conftest import load_tool

se = load_tool("synth_exports")
FIX = Path(__file__).parent / "fixtures"
CTX = ob.PlanContext(groups=("徒步群", "读书会"), staff={"Tao": "owner", "陈一帆": "admin", "林一帆": "admin"})


def _flat(records) -> list:
    out = []
    for r in records:
        out.extend(r.messages() if isinstance(r, Rows) else [r])
    return out


def _batches(paths: list[str], rows: bool, **settings) -> list[dict]:
    """Normalised batches as plain lists (the Arrow time column read back into datetimes)."""
    recs = ob.assign(read_export(paths, rows=rows), CTX, None, {}, [0])
    out = []
    for b in normalise(recs, **settings):
        out.append({k: (v.to_pylist() if hasattr(v, "to_pylist") else list(v)) for k, v in b.items()})
    return out


def _merged(batches: list[dict]) -> dict:
    return {k: [x for b in batches for x in b[k]] for k in batches[0]} if batches else {}


def _paths(tmp: str, seed: int, n: int) -> list[str]:
    paths = se.write_all(tmp, n, seed, "healthy", ("telegram-json", "wechatmsg-csv"))
    return [paths["telegram-json"], paths["wechatmsg-csv"], str(FIX / "telegram/result.json"),
            str(FIX / "telegram/truncated_result.json"), str(FIX / "wechatmsg")]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), n=st.integers(1, 400))
def test_rows_and_messages_normalise_to_the_same_rows(tmp_path_factory, seed, n):
    """Synthetic conversations plus the fixtures (one truncated): same records, same rows."""
    tmp = str(tmp_path_factory.mktemp("rows"))
    paths = _paths(tmp, seed, n)
    assert _flat(read_export(paths, rows=True)) == list(read_export(paths))
    assert _merged(_batches(paths, True)) == _merged(_batches(paths, False, batch_rows=20_000))
    assert _merged(_batches(paths, True, topics=["route", "读书"], keep_text=True)) == \
        _merged(_batches(paths, False, topics=["route", "读书"], keep_text=True))


def test_rows_and_messages_store_the_same_rows(tmp_path):
    """Through the whole observe run: the same messages table, twice loaded (the second adds 0)."""
    paths = _paths(str(tmp_path / "x"), 3, 300)
    stored = []
    for rows in (True, False):
        (tmp_path / str(rows)).mkdir()
        with EvidenceStore.open(tmp_path / str(rows)) as s:
            loads = [ob.run(s, read_export(paths, rows=rows), CTX, as_of=None).load for _ in range(2)]
            assert loads[1]["rows_added"] == 0
            stored.append((sorted(map(repr, s.rows("SELECT * FROM messages"))), loads[0]["rows_added"]))
    assert stored[0] == stored[1] and stored[0][1] > 300


@pytest.mark.parametrize("bad", ["1e20", "nan", "soon"])
def test_a_time_out_of_range_is_a_located_bad_record(tmp_path, bad):
    """`date_unixtime` that no datetime can hold: that record is reported by JSON pointer, the rest read."""
    data = json.loads((FIX / "telegram/result.json").read_text(encoding="utf-8"))
    data["messages"][1]["date_unixtime"] = bad
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for rows in (True, False):
        problems = Problems()
        got = _flat(read_export([str(path)], on_problem=problems, rows=rows))
        assert [(p.where, p.code) for p in problems.items] == [("/messages/1", "export.bad_record")]
        assert len(got) == len(_flat(read_export([str(FIX / "telegram/result.json")]))) - 1


def test_a_wechat_time_out_of_range_is_a_located_bad_value(tmp_path):
    """CreateTime that no datetime can hold: reported by line, the other rows read, either way."""
    lines = next((FIX / "wechatmsg").glob("*.csv")).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    head, first, *rest = lines
    cells = first.split(",")
    cells[5] = "1e20"
    path = tmp_path / "群_utf8.csv"
    path.write_text(head + ",".join(cells) + "".join(rest), encoding="utf-8-sig")
    for rows in (True, False):
        problems = Problems()
        got = _flat(read_export([str(path)], on_problem=problems, rows=rows))
        assert [(p.where, p.code) for p in problems.items] == [("line 2", "export.bad_value")]
        assert len(got) >= len(rest) - 1
