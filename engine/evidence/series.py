"""What the evidence report reads from the store beyond the observed figures: activity per week
over the whole history, the last week's unanswered questions one by one, and display names.

Why a module of its own: observe computes figures for the plan (one number per key); the report
also needs rows over time, read from the `series` views in sql/ (29_weekly, 30_unanswered) after
the same parameters are filled. Plain rows out, no text of any message: the unanswered questions
carry group, local time and message id only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from . import metrics

MAX_WEEKS = 520       # ten years of weekly bars; older weeks are left out
MAX_UNANSWERED = 200  # the list of unanswered questions in the report, newest first


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(store: Any, as_of: date, *, tz: str = metrics.DEFAULT_TZ) -> list[dict[str, Any]]:
    """Messages, speakers, joins and leaves per week (Monday first) for the whole community, from the
    first stored week to the as-of week, weeks without a row filled with zeros."""
    metrics.prepare(store.con, as_of, 7, tz=tz)
    found = {}
    for row in store.rows("SELECT * FROM weekly WHERE scope = '*' ORDER BY week"):
        week = row["week"].date() if isinstance(row["week"], datetime) else row["week"]
        found[week] = {k: int(row[k] or 0) for k in ("messages", "speakers", "joins", "leaves")}
    if not found:
        return []
    last = _monday(as_of)
    first = max(min(found), last - timedelta(weeks=MAX_WEEKS - 1))
    out, week = [], first
    while week <= last:
        out.append({"week": week.isoformat(), **found.get(week, dict.fromkeys(("messages", "speakers", "joins",
                                                                               "leaves"), 0))})
        week += timedelta(weeks=1)
    return out


def unanswered(store: Any, as_of: date, *, tz: str = metrics.DEFAULT_TZ, days: int = 7) -> dict[str, Any]:
    """The questions of the last `days` days nobody else answered within a day: how many, and the
    newest MAX_UNANSWERED of them as {group, time (local, minutes), message_id}."""
    metrics.prepare(store.con, as_of, days, tz=tz)
    rows = list(store.rows("SELECT group_id, message_id, local_ts FROM unanswered ORDER BY local_ts DESC, message_id"))
    items = [{"group": r["group_id"], "time": r["local_ts"].strftime("%Y-%m-%d %H:%M"), "message_id": r["message_id"]}
             for r in rows[:MAX_UNANSWERED]]
    return {"days": days, "count": len(rows), "items": items}


def names(store: Any, ids: Iterable[str]) -> dict[str, str]:
    """The latest display name of each sender id (an anonymised store holds hashes for both)."""
    wanted = sorted({i for i in ids if isinstance(i, str)})
    if not wanted:
        return {}
    rows = store.rows("SELECT sender_id, ARG_MAX(sender_name, ts) AS name FROM messages "
                      "WHERE sender_id IN (SELECT UNNEST(?::VARCHAR[])) AND sender_name IS NOT NULL "
                      "GROUP BY sender_id", [wanted])
    return {r["sender_id"]: r["name"] for r in rows}


def collect(store: Any, as_of: date, *, tz: str = metrics.DEFAULT_TZ, role_members: Iterable[str] = ()) -> dict[str, Any]:
    """Everything above in one call, for api.evidence_report."""
    return {"weekly": weekly(store, as_of, tz=tz), "unanswered": unanswered(store, as_of, tz=tz),
            "names": names(store, role_members)}


__all__ = ["weekly", "unanswered", "names", "collect", "MAX_WEEKS", "MAX_UNANSWERED"]
