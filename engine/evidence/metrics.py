"""Metrics of a community's chat history, computed by the SQL views shipped in `sql/`.

Why SQL files: one concept per view, readable by someone who knows SQL but not this codebase, and
kept in a portable subset (tests transpile each to Spark SQL) so the same definitions could run on
another engine. Python only fills the parameters (one-row `params` table, `event_days`) and turns
rows into plain numbers; None wherever the data cannot say (no leave events in a WeChat export, no
known roles, no quiet hours given).

Each file starts with `-- per: setup|table|window|as_of|rows|series`: `setup` views say how rows are
read (base, every stored row up to the end; recent, asked and repeats, the shared tables with each
row's scope), `table` building blocks depend only on the as-of date and are materialised once as
temporary tables (they are read by many views: among them the messages of the widest window with
each one's predecessor, sorted once, which every window view reads its window out of), window
views are evaluated once per window (7/30/90 days ending at the as-of date), as_of views once. `rows` views list single messages (the
questions, the quiet-hour messages, the earlier top speakers) that the counting views count and
`examples()` cites; they are never summed. `series` views (many rows per scope: weeks, single
questions) are installed but not part of compute(): the evidence report reads them.

Time: the store keeps naive UTC. Window edges are local midnights converted exactly (zoneinfo);
the local hour and day of each message (quiet hours, speakers per day, cohort months) use the
zone's UTC offset on the as-of date, so in a zone with daylight saving a message from the other
side of a transition is placed one hour off. China has no DST; say so before trusting quiet hours
of a European or American community across March or October.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"
WINDOWS = (7, 30, 90)
# Thresholds the views read from `params` (DOMAIN.md §13; kept here as data, overridable).
DEFAULTS = {
    "gap_s": 30 * 60,            # a new conversation after 30 minutes of silence
    "answer_within_s": 24 * 3600,  # a reply later than a day is not an answer
    "burst_senders": 3,          # a text by 3 different people in the window (or 3 times in 10 minutes:
                                 # those two numbers are written in 07_repeats and 19_bursts)
}
# Every number compute() returns and what it means: the registry docs and reporters read, and a
# test holds the SQL to (a key missing from a view's rows comes back as None, never absent).
WINDOW_METRICS = {
    "members_seen": "people seen up to the end of the window (message or membership event)",
    "members_present": "of them, not gone (no leave or removal after their last join)",
    "members_at_start": "members present when the window began",
    "speakers": "people who posted in the window",
    "speakers_per_day": "distinct speakers per local day, averaged over the window's days",
    "silent_share": "share of present members who posted nothing in the window",
    "joins": "join events in the window",
    "first_seen": "people first seen in the window",
    "leaves": "leave events in the window (None without any leave/removal data)",
    "removals": "removal events in the window (None without any leave/removal data)",
    "removals_by_owner": "removals done by the owner",
    "removals_by_admin": "removals done by an admin",
    "removals_by_other": "removals by anyone else or an unknown remover",
    "churn": "leaves and removals over members present at the window's start (monthly churn at 30)",
    "messages": "messages in the window (membership events, recalls and pins excluded)",
    "messages_per_day": "messages per day of the window",
    "conversations": "conversations started (a message after more than 30 minutes of silence)",
    "questions": "questions asked",
    "answered": "questions answered by someone else within 24 hours",
    "median_answer_min": "median minutes to that answer",
    "unanswered_share": "share of questions left unanswered",
    "link_messages": "links and cards posted by non-staff",
    "link_share": "their share of the messages",
    "bursts": "repeated texts: 3+ senders, or 3+ times within 10 minutes",
    "burst_messages": "messages inside those bursts",
    "peak_per_minute": "most messages one person sent within one minute",
    "owner_share": "the owner's share of messages (None when no roles are known)",
    "admin_share": "the admins' share of messages (None when no roles are known)",
    "absence_factor": "fewest people who wrote half of the messages",
    "newcomer_messages": "messages by members who joined in the 30 days before the end",
    "newcomer_share": "their share of the messages",
    "quiet_messages": "messages inside the quiet hours (None without quiet hours)",
    "quiet_share": "their share of the messages",
    "wecom_days": "企业微信 statistics days in the window",
    "wecom_new_members": "new members by those statistics",
    "wecom_messages": "messages by those statistics",
    "wecom_active_share": "average daily share of members who posted, by those statistics",
}
AS_OF_METRICS = {
    "dau": "distinct speakers per day, averaged over the last 30 days",
    "wau": "distinct speakers in the last 7 days",
    "mau": "distinct speakers in the last 30 days",
    "dau_mau": "dau / mau",
    "top_prior": "the top decile of writers in the 90 days before the last 30",
    "top_silent": "of them, silent in the last 30 days",
    "evaporated_share": "top_silent / top_prior",
    "days_since_event": "days since the last organised event on or before the as-of date",
    "cohorts": "per join month: size and how many wrote in each month since",
}
# Values that mean nothing when the scope's data lacks the events or roles behind them.
_NEEDS_EXITS = ("leaves", "removals", "removals_by_owner", "removals_by_admin", "removals_by_other", "churn")
_NEEDS_ROLES = ("owner_share", "admin_share")
_HELPERS = ("has_exit_data", "has_roles")


@dataclass(frozen=True)
class View:
    """One shipped SQL view: its name, when it is evaluated, and its text."""

    name: str
    per: str
    sql: str


@lru_cache(maxsize=1)
def views() -> tuple[View, ...]:
    """The shipped views in file order (building blocks first)."""
    out = []
    folder = resources.files(__package__).joinpath("sql")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0]
        if not first.startswith("-- per: "):
            raise ValueError(f"{entry.name}: the first line must be '-- per: setup|table|window|as_of|rows|series'")
        stem = entry.name[:-4]
        out.append(View(stem.split("_", 1)[1], first.split(":", 1)[1].strip(), text))
    return tuple(out)


def _minutes(value: str | time | int) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, time):
        return value.hour * 60 + value.minute
    hours, minutes = str(value).split(":")
    return (int(hours) % 24) * 60 + int(minutes)


def _utc(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight of `day` as naive UTC (the store's timestamps)."""
    return datetime.combine(day, time(0), zone).astimezone(timezone.utc).replace(tzinfo=None)


def _params(as_of: date, window: int, *, zone: ZoneInfo, group: str | None, per_group: bool,
            quiet: tuple[Any, Any] | None, reach_s: int = 0) -> dict[str, Any]:
    end_day = as_of + timedelta(days=1)
    end = _utc(end_day, zone)
    offset = datetime.combine(as_of, time(12), zone).utcoffset() or timedelta(0)
    return {
        "as_of_date": as_of,
        "start_date": end_day - timedelta(days=window),
        "window_days": window,
        "start_ts": _utc(end_day - timedelta(days=window), zone),
        "end_ts": end,
        "d7_ts": _utc(end_day - timedelta(days=7), zone),
        "d30_ts": _utc(end_day - timedelta(days=30), zone),
        "prior_ts": _utc(end_day - timedelta(days=120), zone),
        "span_ts": _utc(end_day - timedelta(days=max(window, *WINDOWS)), zone),
        "reach_s": max(reach_s, DEFAULTS["gap_s"]),
        "tz_offset_s": int(offset.total_seconds()),
        "group_id": group,
        "per_group": per_group,
        "quiet_start_min": _minutes(quiet[0]) if quiet else None,
        "quiet_end_min": _minutes(quiet[1]) if quiet else None,
        **DEFAULTS,
    }


_PARAM_TYPES = {
    "as_of_date": "DATE", "start_date": "DATE", "window_days": "INTEGER", "start_ts": "TIMESTAMP",
    "end_ts": "TIMESTAMP", "d7_ts": "TIMESTAMP", "d30_ts": "TIMESTAMP", "prior_ts": "TIMESTAMP",
    "span_ts": "TIMESTAMP", "reach_s": "INTEGER",
    "tz_offset_s": "INTEGER", "group_id": "VARCHAR", "per_group": "BOOLEAN", "quiet_start_min": "INTEGER",
    "quiet_end_min": "INTEGER", "gap_s": "INTEGER", "answer_within_s": "INTEGER", "burst_senders": "INTEGER",
}


def _set_params(con: Any, params: dict[str, Any]) -> None:
    cols = ", ".join(f"CAST(? AS {_PARAM_TYPES[k]}) AS {k}" for k in _PARAM_TYPES)
    con.execute(f"CREATE OR REPLACE TEMP TABLE params AS SELECT {cols}", [params[k] for k in _PARAM_TYPES])


# What the `table` building blocks depend on: the stored rows, which change only by a load (their
# count, time span and the number of loads), and the parameters that base and the tables read (not
# the window's own start: the tables cover the widest window). The shared tables (the messages of
# the widest window and what is found in them once) read no scope: they are kept when only the
# scope changes, from the community to each group and back, as observe does.
_SHARED_TABLES = ("window_rows", "question_rows", "repeat_rows")
_SHARED_KEY = ("end_ts", "group_id", "span_ts", "reach_s")
_TABLE_KEY = _SHARED_KEY + ("per_group", "tz_offset_s", "d30_ts", "prior_ts")
_STORE_KEY = ("(SELECT COUNT(*) FROM messages)", "(SELECT MIN(ts) FROM messages)", "(SELECT MAX(ts) FROM messages)",
              "(SELECT COUNT(*) FROM loads)")
_SHARED_LEN = len(_STORE_KEY) + len(_SHARED_KEY)


def _tables_key(con: Any) -> list[Any]:
    return list(con.execute(f"SELECT {', '.join(_STORE_KEY + _TABLE_KEY)} FROM params").fetchone())


def install(con: Any, event_dates: Iterable[date] = ()) -> None:
    """Create the event list and every view as temporary objects on this connection.

    `params` must be filled first: the `table` building blocks are computed here, and kept while
    neither the stored rows nor the parameters they read change (examples, roles and the series
    prepare again for the same as-of date: building the tables again was most of their time).
    """
    con.execute("CREATE OR REPLACE TEMP TABLE event_days (day DATE)")
    days = sorted(set(event_dates))
    if days:
        con.execute("INSERT INTO event_days SELECT UNNEST(?::DATE[])", [days])
    existing = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                "WHERE table_catalog = 'temp'").fetchall())
    key = _tables_key(con)
    before = list(con.execute("SELECT * FROM installed").fetchone()) if "installed" in existing else None
    if before == key and all(v.name in existing for v in views()):
        return
    keep_shared = (before is not None and before[:_SHARED_LEN] == key[:_SHARED_LEN]
                   and all(name in existing for name in _SHARED_TABLES))
    con.execute("DROP TABLE IF EXISTS installed")
    for view in views():
        if keep_shared and view.name in _SHARED_TABLES:
            continue
        if view.name in existing:
            con.execute(f"DROP {'VIEW' if existing[view.name] == 'VIEW' else 'TABLE'} {view.name}")
        kind = "TABLE" if view.per == "table" else "VIEW"
        con.execute(f"CREATE TEMP {kind} {view.name} AS {view.sql}")
    cols = ", ".join(f"? AS k{i}" for i in range(len(key)))
    con.execute(f"CREATE TEMP TABLE installed AS SELECT {cols}", key)


def prepare(con: Any, as_of: date, window: int, *, tz: str = DEFAULT_TZ, group: str | None = None,
            per_group: bool = False, quiet: tuple[Any, Any] | None = None,
            event_dates: Iterable[date] = (), reach_s: int = 0) -> None:
    """Fill the parameters for one window and install the views: then any view can be queried.

    `reach_s`: how far before the widest window the `recent` table must find each message's
    predecessor (at least gap_s; the roles ask for their reply span)."""
    _set_params(con, _params(as_of, window, zone=ZoneInfo(tz), group=group, per_group=per_group, quiet=quiet,
                             reach_s=reach_s))
    install(con, event_dates)


def _query(con: Any, name: str) -> list[dict[str, Any]]:
    cur = con.execute(f"SELECT * FROM {name}")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _plain(value: Any) -> Any:
    """Numbers as int or float (DuckDB hands back Decimal for some sums)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        f = float(value)
    except (TypeError, ValueError):
        return value
    return int(f) if f.is_integer() and "." not in str(value) else f


def _scoped(rows: list[dict[str, Any]]) -> dict[str | None, dict[str, Any]]:
    out: dict[str | None, dict[str, Any]] = {}
    for row in rows:
        scope = row.pop("scope", None)
        out[scope] = {k: _plain(v) for k, v in row.items()}
    return out


def _finish(metrics: dict[str, Any]) -> dict[str, Any]:
    for key in WINDOW_METRICS:
        metrics.setdefault(key, None)
    if metrics.get("has_exit_data") == 0:
        for key in _NEEDS_EXITS:
            metrics[key] = None
    if metrics.get("has_roles") == 0:
        for key in _NEEDS_ROLES:
            metrics[key] = None
    for key in _HELPERS:
        metrics.pop(key, None)
    return metrics


def _cohorts(rows: list[dict[str, Any]], as_of: date) -> dict[str, list[dict[str, Any]]]:
    last = as_of.year * 12 + as_of.month - 1
    by_scope: dict[str, dict[int, dict[str, Any]]] = {}
    for row in rows:
        cohort = int(row["cohort"])
        entry = by_scope.setdefault(row["scope"], {}).setdefault(cohort, {
            "cohort": f"{cohort // 12:04d}-{cohort % 12 + 1:02d}", "size": int(row["cohort_size"]),
            "active": [0] * (last - cohort + 1)})
        offset = int(row["month_offset"])
        if 0 <= offset < len(entry["active"]):
            entry["active"][offset] = int(row["active"])
    return {scope: [c for _, c in sorted(cohorts.items()) if c["active"]] for scope, cohorts in by_scope.items()}


def _run(store: Any, as_of: date, *, windows: Sequence[int], group: str | None, per_group: bool, tz: str,
         quiet: tuple[Any, Any] | None, event_dates: Iterable[date]) -> dict[str, dict[str, Any]]:
    con = store.con
    zone = ZoneInfo(tz)
    windows = tuple(windows) or WINDOWS
    _set_params(con, _params(as_of, max(windows), zone=zone, group=group, per_group=per_group, quiet=quiet))
    install(con, event_dates)
    result: dict[str, dict[str, Any]] = {}

    def scope_entry(scope: str) -> dict[str, Any]:
        return result.setdefault(scope, {"as_of": as_of.isoformat(), "windows": {w: {} for w in windows}})

    for view in views():
        if view.per != "as_of":
            continue
        rows = _query(con, view.name)
        if view.name == "cohorts":
            for scope, cohorts in _cohorts(rows, as_of).items():
                scope_entry(scope)["cohorts"] = cohorts
        elif view.name == "event_gap":
            gap = _plain(rows[0]["days_since_event"]) if rows else None
            result.setdefault(None, {})["days_since_event"] = gap  # type: ignore[index]
        else:
            for scope, values in _scoped(rows).items():
                scope_entry(scope).update(values)
    for window in windows:
        _set_params(con, _params(as_of, window, zone=zone, group=group, per_group=per_group, quiet=quiet))
        for view in views():
            if view.per != "window":
                continue
            for scope, values in _scoped(_query(con, view.name)).items():
                scope_entry(scope)["windows"][window].update(values)
    common = result.pop(None, {})  # type: ignore[arg-type]
    for entry in result.values():
        entry.update(common)
        for key in AS_OF_METRICS:
            entry.setdefault(key, None)
        entry["cohorts"] = entry["cohorts"] or []
        for window in windows:
            _finish(entry["windows"][window])
    return result


def compute(store: Any, as_of: date, *, windows: Sequence[int] = WINDOWS, group: str | None = None,
            tz: str = DEFAULT_TZ, quiet: tuple[Any, Any] | None = None,
            event_dates: Iterable[date] = ()) -> dict[str, Any]:
    """Metrics for the whole community (or one group) as of a local date, per window in days.

    `quiet` is (start, end) local time as "HH:MM" strings, `time`s or minutes after midnight;
    `event_dates` are the plan's organised events. Returns plain numbers; None where the data
    cannot say.
    """
    event_dates = tuple(event_dates)
    result = _run(store, as_of, windows=windows, group=group, per_group=False, tz=tz, quiet=quiet,
                  event_dates=event_dates)
    if "*" in result:
        out = result["*"]
    else:  # nothing stored for this scope
        out = {"as_of": as_of.isoformat(), "windows": {w: _finish({}) for w in windows},
               **{key: None for key in AS_OF_METRICS}, "cohorts": []}
        out["days_since_event"] = _days_since(as_of, event_dates)
    out["group"] = group
    out["tz"] = tz
    return out


def per_group(store: Any, as_of: date, *, windows: Sequence[int] = WINDOWS, tz: str = DEFAULT_TZ,
              quiet: tuple[Any, Any] | None = None, event_dates: Iterable[date] = ()) -> dict[str, dict[str, Any]]:
    """The same metrics for every group at once (one pass of each view), keyed by group id."""
    result = _run(store, as_of, windows=windows, group=None, per_group=True, tz=tz, quiet=quiet,
                  event_dates=tuple(event_dates))
    for gid, entry in result.items():
        entry["group"] = gid
        entry["tz"] = tz
    return dict(sorted(result.items()))


def examples(store: Any, as_of: date, *, per_group: bool = False, tz: str = DEFAULT_TZ,
             quiet: tuple[Any, Any] | None = None) -> dict[str, list[dict[str, Any]]]:
    """A few example messages per scope behind the figures that have them (the `examples` view:
    figure, group_id, message_id, ts, sender_id, kind, text_hash, rk), the latest first: so a
    finding can cite messages, not only a number."""
    prepare(store.con, as_of, 7, tz=tz, per_group=per_group, quiet=quiet)
    out: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(_query(store.con, "examples"), key=lambda r: (r["figure"], r["rk"])):
        out.setdefault(row.pop("scope"), []).append(row)
    return out


def _days_since(as_of: date, event_dates: Sequence[date]) -> int | None:
    past = [d for d in event_dates if d <= as_of]
    return (as_of - max(past)).days if past else None
