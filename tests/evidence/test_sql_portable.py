"""The metric SQL stays in a portable subset: every view transpiles to Spark SQL and runs in DuckDB."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from qunce.engine.evidence import metrics
from qunce.engine.evidence.store import EvidenceStore

VIEWS = metrics.views()
# DuckDB conveniences that other engines lack; the views must not use them.
DUCKDB_ONLY = re.compile(r"::|\bQUALIFY\b|\bGROUP BY ALL\b|\bEXCLUDE\b|\bCOLUMNS\(|\bFILTER\s*\(|\bUNNEST\b|"
                         r"\bread_\w+\(|\bLIST\b|\bSTRUCT_PACK\b|->>|\bASOF\b", re.IGNORECASE)


def test_views_are_shipped():
    """All view files are found as package data, each with its `-- per:` header."""
    names = [v.name for v in VIEWS]
    assert names[:3] == ["base", "member_roles", "membership"]
    assert len(names) == len(set(names)) >= 20
    assert {v.per for v in VIEWS} == {"setup", "table", "window", "as_of", "rows", "series"}


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_transpiles_to_spark(view):
    """sqlglot reads the view as DuckDB and writes Spark SQL with unsupported features raising."""
    spark = sqlglot.transpile(view.sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)
    assert len(spark) == 1
    parsed = sqlglot.parse_one(spark[0], read="spark")  # and Spark's reader accepts the result
    assert isinstance(parsed, (sqlglot.exp.Select, sqlglot.exp.Union))
    body = "\n".join(line for line in view.sql.splitlines() if not line.lstrip().startswith("--"))
    assert not DUCKDB_ONLY.search(body), DUCKDB_ONLY.search(body).group(0)


def test_blocklist_catches_duckdb_syntax():
    """The blocklist itself can fail: it flags a DuckDB-only cast and QUALIFY."""
    assert DUCKDB_ONLY.search("SELECT x::INT FROM t")
    assert DUCKDB_ONLY.search("SELECT * FROM t QUALIFY ROW_NUMBER() OVER () = 1")
    assert not DUCKDB_ONLY.search("SELECT CAST(x AS INT) FROM t")


@pytest.mark.parametrize("per_group", [False, True])
def test_every_view_runs_in_duckdb(tmp_path, per_group):
    """On an empty store and with parameters filled in, every view binds and runs."""
    with EvidenceStore.open(tmp_path) as store:
        metrics.prepare(store.con, date(2026, 3, 31), 30, per_group=per_group, quiet=("23:00", "07:00"),
                        event_dates=[date(2026, 3, 1)])
        for view in VIEWS:
            rows = store.con.execute(f"SELECT * FROM {view.name}").fetchall()
            assert isinstance(rows, list)
