"""The evidence store: bulk load, de-duplication across loads, salt, forget, file access off."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from qunce.engine.evidence.message import COLUMNS
from qunce.engine.evidence.store import EvidenceError, EvidenceStore

T0 = datetime(2026, 3, 1, 12, 0)


def batch(ids, *, group="g1", start=0, with_ids=True, senders=None):
    """A column batch of text messages one minute apart, message i sent by u{i % 5}."""
    n = len(ids)
    return {
        "platform": ["wechat"] * n,
        "source": ["test"] * n,
        "group_id": [group] * n,
        "group_name": ["读书会"] * n,
        "message_id": [str(i) if with_ids else None for i in ids],
        "ts": [T0 + timedelta(minutes=i) for i in ids],
        "sender_id": senders or [f"u{i % 5}" for i in ids],
        "sender_name": [f"名{i % 5}" for i in ids],
        "kind": ["text"] * n,
        "text_hash": [1000 + i for i in ids],
    }


@pytest.fixture
def store(tmp_path):
    (tmp_path / "plan.yaml").write_text("name: x\n", encoding="utf-8")
    s = EvidenceStore.open(tmp_path / "plan.yaml")
    yield s
    s.close()


def test_tables_and_columns(store, tmp_path):
    """The messages table has exactly COLUMNS, in order, and the file sits in .qunce/ beside the plan."""
    cols = [(r["column_name"], r["column_type"]) for r in store.rows("DESCRIBE messages")]
    assert cols == list(COLUMNS)
    assert (tmp_path / ".qunce" / "evidence.duckdb").is_file()
    assert {r["column_name"] for r in store.rows("DESCRIBE group_days")} == {
        "date", "group_id", "group_name", "new_member_cnt", "member_total", "member_has_msg", "msg_total"}


def test_bulk_load_in_batches(store):
    """Several batches make one load; missing columns are NULL; counts are recorded in `loads`."""
    result = store.load([batch(range(0, 30)), batch(range(30, 70))], sources=["a.csv"])
    assert result == {"load_id": 1, "rows_in": 70, "rows_added": 70, "rows_duplicate": 0, "groups": ["g1"]}
    assert store.count() == 70
    row = next(store.rows("SELECT * FROM messages WHERE message_id = '42'"))
    assert row["ts"] == T0 + timedelta(minutes=42) and row["sender_id"] == "u2" and row["text"] is None
    assert store.loads()[0]["sources"] == ["a.csv"]


def test_progress_per_batch(store):
    """progress() hears after every batch how many rows were read and added so far."""
    store.load([batch(range(0, 10))])
    calls = []
    store.load([batch(range(5, 15)), batch(range(15, 20))], progress=lambda read, added: calls.append((read, added)))
    assert calls == [(10, 5), (15, 10)]


def test_dedup_across_overlapping_loads(store):
    """Exports 0..59 and 40..99, each loaded twice, accumulate into one history of 100 messages."""
    assert store.load([batch(range(0, 60))])["rows_added"] == 60
    second = store.load([batch(range(40, 100))])
    assert (second["rows_added"], second["rows_duplicate"]) == (40, 20)
    assert store.load([batch(range(0, 60))])["rows_added"] == 0
    assert store.load([batch(range(40, 100))])["rows_added"] == 0
    assert store.count() == 100
    assert [r["n"] for r in store.rows("SELECT COUNT(DISTINCT message_id) AS n FROM messages")] == [100]


def test_dedup_without_ids_and_mixed(store):
    """Without message ids, (ts, sender, kind, text_hash) identifies a message, also against rows with ids."""
    store.load([batch(range(0, 10), with_ids=False)])
    assert store.load([batch(range(5, 15), with_ids=False)])["rows_added"] == 5
    # the same messages from a reader that does know the ids: nothing new
    assert store.load([batch(range(0, 15))])["rows_added"] == 0
    # another group is another history
    assert store.load([batch(range(0, 10), group="g2", with_ids=False)])["rows_added"] == 10
    assert store.count() == 25


def test_distinct_ids_are_never_merged(store):
    """Two messages with different platform ids stay two, even at the same second with the same text."""
    b = batch([0, 1])
    b["ts"] = [T0, T0]
    b["text_hash"] = [7, 7]
    b["sender_id"] = ["u1", "u1"]
    assert store.load([b])["rows_added"] == 2


def test_duplicates_inside_one_load(store):
    """Two overlapping exports in one load are stored once."""
    assert store.load([batch(range(0, 20)), batch(range(10, 30))])["rows_added"] == 30


def test_failed_load_leaves_store_unchanged(store):
    """A load is one transaction: a bad second batch undoes the first batch too, and records no load."""
    store.load([batch(range(5))])
    bad = batch(range(10, 13))
    bad["kind"] = ["text"]
    with pytest.raises(EvidenceError) as err:
        store.load([batch(range(5, 10)), bad])
    assert err.value.code == "evidence-ragged-batch"
    assert store.count() == 5 and len(store.loads()) == 1
    assert store.load([batch(range(5, 10))])["rows_added"] == 5


def test_interrupted_load_rolls_back(store):
    """Ctrl-C while an export is read (KeyboardInterrupt from the reader) leaves the store as it was."""
    def interrupted():
        yield batch(range(0, 10))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.load(interrupted())
    assert store.count() == 0 and store.loads() == []
    assert store.load([batch(range(0, 10))])["rows_added"] == 10


def test_writes_only_inside_store(tmp_path, monkeypatch):
    """Loading, computing every metric and forgetting leave nothing outside .qunce/ (nor in the cwd)."""
    from datetime import date

    from qunce.engine.evidence import metrics

    plan_dir = tmp_path / "plan"
    plan_dir.mkdir()
    (plan_dir / "plan.yaml").write_text("name: x\n", encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    with EvidenceStore.open(plan_dir / "plan.yaml") as s:
        s.load([batch(range(200))], anonymize=True)
        metrics.compute(s, date(2026, 3, 1), tz="UTC")
    assert sorted(p.name for p in plan_dir.iterdir()) == [".qunce", "plan.yaml"]
    assert list(cwd.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd", "plan"]


def test_missing_plan_folder(tmp_path):
    with pytest.raises(EvidenceError) as err:
        EvidenceStore.open(tmp_path / "nowhere" / "plan.yaml")
    assert err.value.code == "evidence-missing"


def test_salt_mode_and_reuse(tmp_path):
    """The salt is created once with mode 0600 and reused: the same id gets the same pseudonym later."""
    with EvidenceStore.open(tmp_path) as s:
        first = s.anonymize("wxid_abc")
        assert first != "wxid_abc" and len(first) == 16
        assert s.anonymize(None) is None
    salt = tmp_path / ".qunce" / "salt"
    assert stat.S_IMODE(salt.stat().st_mode) == 0o600
    content = salt.read_bytes()
    with EvidenceStore.open(tmp_path) as s:
        assert s.anonymize("wxid_abc") == first
        assert s.anonymize("wxid_abd") != first
    assert salt.read_bytes() == content


def test_torn_salt_refused(tmp_path):
    """An empty or short salt file (a crash while writing it) is refused, never used as a weak key."""
    (tmp_path / ".qunce").mkdir()
    (tmp_path / ".qunce" / "salt").write_bytes(b"")
    with EvidenceStore.open(tmp_path) as s:
        with pytest.raises(EvidenceError) as err:
            s.anonymize("u1")
    assert err.value.code == "evidence-bad-salt"


def test_wrongly_typed_batch_refused(store):
    """A value of the wrong type (text in the timestamp column) is an EvidenceError, and nothing is stored."""
    b = batch(range(3))
    b["ts"] = ["yesterday", "today", "tomorrow"]
    with pytest.raises(EvidenceError) as err:
        store.load([b])
    assert err.value.code == "evidence-bad-batch"
    assert store.count() == 0


def test_anonymised_load(store):
    """sender ids, names and actors are stored as pseudonyms when asked."""
    store.load([batch(range(5))], anonymize=True)
    senders = {r["sender_id"] for r in store.rows("SELECT sender_id FROM messages")}
    assert senders == {store.anonymize(f"u{i}") for i in range(5)}
    assert not any(r["sender_name"].startswith("名") for r in store.rows("SELECT sender_name FROM messages"))


def test_forget(tmp_path):
    """forget() deletes the database and the salt; a new store starts empty with a new salt."""
    s = EvidenceStore.open(tmp_path)
    s.load([batch(range(5))])
    pseudonym = s.anonymize("u1")
    gone = s.forget()
    names = {p.name for p in gone}
    assert {"evidence.duckdb", "salt"} <= names
    assert not (tmp_path / ".qunce" / "evidence.duckdb").exists()
    assert not (tmp_path / ".qunce" / "salt").exists()
    with EvidenceStore.open(tmp_path) as s2:
        assert s2.count() == 0
        assert s2.anonymize("u1") != pseudonym


def test_external_access_is_off(store, tmp_path):
    """No SQL on the store's connection can read or write other files, nor switch that back on."""
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n", encoding="utf-8")
    con = store.con
    for sql in (f"SELECT * FROM read_csv('{secret}')",
                f"CREATE VIEW leak AS SELECT * FROM read_text('{secret}')",
                f"COPY messages TO '{tmp_path / 'out.csv'}'",
                f"ATTACH '{tmp_path / 'other.duckdb'}'"):
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()
    # loading still works after the lock: it needs no file
    assert store.load([batch(range(3))])["rows_added"] == 3


def test_refuses_paths_outside_store(tmp_path):
    """A database, a salt or a .qunce folder that is a symlink leading elsewhere is refused."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    plan_dir = tmp_path / "plan"
    plan_dir.mkdir()
    (plan_dir / ".qunce").mkdir()
    (plan_dir / ".qunce" / "evidence.duckdb").symlink_to(outside / "evidence.duckdb")
    with pytest.raises(EvidenceError) as err:
        EvidenceStore.open(plan_dir)
    assert err.value.code == "evidence-outside-store"
    assert not (outside / "evidence.duckdb").exists()

    other = tmp_path / "plan2"
    other.mkdir()
    (other / ".qunce").symlink_to(outside, target_is_directory=True)
    with pytest.raises(EvidenceError):
        EvidenceStore.open(other)

    third = tmp_path / "plan3"
    third.mkdir()
    with EvidenceStore.open(third) as s:
        (third / ".qunce" / "salt").symlink_to(outside / "salt")
        with pytest.raises(EvidenceError):
            s.anonymize("x")
    assert not (outside / "salt").exists()
    assert os.listdir(outside) == []


def test_open_without_create(tmp_path):
    with pytest.raises(EvidenceError) as err:
        EvidenceStore.open(tmp_path, create=False)
    assert err.value.code == "evidence-missing"
    assert not (tmp_path / ".qunce").exists()


def test_group_days_replace(store):
    """A later 企业微信 statistics export of the same day and group replaces the earlier numbers."""
    day = T0.date()
    store.load_group_days([{"date": day, "group_id": "g1", "member_total": 80, "msg_total": 10},
                           {"date": day + timedelta(days=1), "group_id": "g1", "member_total": 81, "msg_total": 3}])
    store.load_group_days([{"date": day, "group_id": "g1", "member_total": 82, "msg_total": 12}])
    rows = list(store.rows("SELECT date, member_total, msg_total FROM group_days ORDER BY date"))
    assert [(r["member_total"], r["msg_total"]) for r in rows] == [(82, 12), (81, 3)]


def test_a_load_does_not_keep_earlier_batches_alive(store):
    """Each batch's Arrow table is freed once it is stored, not at COMMIT: a 10M-message export
    must not hold 10M rows of Arrow memory (a view registered inside the transaction did)."""
    import gc

    import pyarrow as pa

    gc.collect()  # an earlier test's garbage (a traceback holding a batch) must not count, nor be freed mid-test
    before = pa.total_allocated_bytes()
    held = []

    def batches():
        for k in range(8):
            held.append(pa.total_allocated_bytes())
            yield batch(range(k * 2000, (k + 1) * 2000))

    assert store.load(batches())["rows_added"] == 16_000
    assert max(held) < 2 * held[1] + 1024
    assert pa.total_allocated_bytes() == before


def test_duckdb_runs_small_and_spills_inside_the_store(store, tmp_path):
    """One thread, the small memory limit, spill files in .qunce/ (so big joins spill, not grow)."""
    from qunce.engine.evidence.store import MEMORY_LIMIT

    def setting(name):
        return next(store.rows(f"SELECT current_setting('{name}') AS v"))["v"]

    assert int(setting("threads")) == 1
    assert setting("temp_directory") == str((tmp_path / ".qunce" / "spill").resolve())
    limit = setting("memory_limit")
    assert limit.endswith("MiB") and float(limit.split()[0]) <= int(MEMORY_LIMIT.removesuffix("MB"))


def test_one_invitation_of_two_members_stores_two_joins(store):
    """"A邀请B、C加入了群聊" is one line with one id and two joins: both are stored, and loading the
    export again adds neither (the member's name is part of an event's identity, as in-run)."""
    from qunce.engine.evidence.normalise import normalise
    from qunce.engine.evidence.readers import read_export

    recs = list(read_export([str(Path(__file__).parent / "fixtures" / "wechatmsg")]))
    first = store.load(normalise(recs))
    joins = [r["sender_name"] for r in store.rows("SELECT sender_name FROM messages WHERE message_id = '2'")]
    assert sorted(joins) == sorted({m.sender_name for m in recs if m.message_id == "2"}) and len(joins) == 2
    assert first["rows_added"] == 11
    assert store.load(normalise(recs))["rows_added"] == 0


@pytest.mark.parametrize("first, then", [(False, True), (True, False)])
def test_one_store_keeps_one_way_of_naming_people(store, first, then):
    """Real names and salted hashes never share a history: the second way is refused, located at
    the store, and the rows already stored stay as they were."""
    store.load([batch(range(10))], anonymize=first)
    with pytest.raises(EvidenceError) as err:
        store.load([batch(range(10, 20))], anonymize=then)
    assert err.value.code == "evidence-privacy-mismatch"
    assert "--forget" in err.value.message("zh") and "--forget" in err.value.message("en")
    assert store.count() == 10
    store.load([batch(range(10, 20))], anonymize=first)
    assert store.count() == 20
