"""The six roles of an active group (DOMAIN.md §3), found in the chat by criteria kept as data.

Why data: an operator should be able to read why someone counts as a thinker or a challenger and
change the thresholds, so the numbers and word lists live in `roles.yaml`; this module only turns
each criterion into one SQL query over the store's views (see metrics.py for the parameters).
A member may hold several roles. The challenger needs message text, which is stored only when the
user asks: without any text that role is reported as unknown (None), never as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from . import metrics

ROLE_ORDER = ("organizer", "thinker", "entertainer", "asker", "onlooker", "challenger")

# Each message with the one before it in its group, for the challenger (who needs the text the
# `recent` table leaves out; the entertainer reads that table). Only rows from `reply_within_s` (the
# first parameter) before the window are read: an older predecessor is too far back to be replied to.
_SEQ = """
SELECT group_id, message_id, sender_id, kind, text_len, reply_to, text, epoch_s, in_window, is_question,
       LAG(sender_id) OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id) AS prev_sender,
       LAG(epoch_s) OVER (PARTITION BY scope, group_id ORDER BY epoch_s, message_id) AS prev_s
FROM base
WHERE is_msg = 1 AND epoch_s >= (SELECT EPOCH(start_ts) FROM params) - ?
"""

_SQL = {
    "organizer": """
        SELECT sender_id FROM member_roles WHERE ? AND role_rank >= 2
        UNION
        SELECT actor_id FROM base WHERE in_window = 1 AND kind = 'pin' AND actor_id IS NOT NULL
        GROUP BY actor_id HAVING COUNT(*) >= ?
        UNION
        SELECT sender_id FROM base WHERE in_window = 1 AND is_msg = 1 AND mentions_all AND sender_id IS NOT NULL
        GROUP BY sender_id HAVING COUNT(*) >= ?
    """,
    "thinker": """
        WITH long AS (
            SELECT group_id, message_id, sender_id FROM base
            WHERE in_window = 1 AND is_msg = 1 AND text_len >= ? AND message_id IS NOT NULL
        ), replies AS (
            SELECT l.message_id, l.group_id, b.sender_id AS replier
            FROM long AS l JOIN base AS b ON b.group_id = l.group_id AND b.reply_to = l.message_id
            WHERE b.sender_id <> l.sender_id
        )
        SELECT l.sender_id FROM long AS l
        LEFT JOIN replies AS r ON r.group_id = l.group_id AND r.message_id = l.message_id
        GROUP BY l.sender_id
        HAVING COUNT(DISTINCT l.message_id) >= ? AND COUNT(DISTINCT r.replier) >= ?
    """,
    "entertainer": f"""
        WITH marked AS (
            SELECT sender_id,
                   CASE WHEN kind IN ('text', 'reply', 'sticker') AND COALESCE(text_len, 0) <= ?
                             AND (reply_to IS NOT NULL
                                  OR (prev_sender <> sender_id AND EPOCH(ts) - EPOCH(prev_ts) <= ?))
                        THEN 1 ELSE 0 END AS short_reply
            FROM recent WHERE ts >= (SELECT start_ts FROM params) AND sender_id IS NOT NULL
        )
        SELECT sender_id FROM marked GROUP BY sender_id
        HAVING SUM(short_reply) >= ? AND CAST(SUM(short_reply) AS DOUBLE) / COUNT(*) >= ?
    """,
    "asker": """
        SELECT sender_id FROM base WHERE in_window = 1 AND is_msg = 1 AND sender_id IS NOT NULL
        GROUP BY sender_id
        HAVING SUM(CASE WHEN is_question THEN 1 ELSE 0 END) >= ?
           AND CAST(SUM(CASE WHEN is_question THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) >= ?
    """,
    "onlooker": """
        WITH said AS (
            SELECT sender_id, COUNT(*) AS n FROM base
            WHERE in_window = 1 AND is_msg = 1 AND sender_id IS NOT NULL GROUP BY sender_id
        )
        SELECT ms.sender_id FROM membership AS ms
        LEFT JOIN said AS s ON s.sender_id = ms.sender_id
        LEFT JOIN member_roles AS r ON r.scope = ms.scope AND r.sender_id = ms.sender_id
        WHERE (ms.exit_ts IS NULL OR ms.join_ts > ms.exit_ts)
          AND COALESCE(r.role_rank, 0) < 2
          AND COALESCE(s.n, 0) <= ?
    """,
    "challenger": f"""
        WITH seq AS ({_SEQ}), staff AS (
            SELECT sender_id FROM member_roles WHERE role_rank >= 2
        ), target AS (
            SELECT s.sender_id, s.text, s.in_window,
                   COALESCE(parent.sender_id,
                            CASE WHEN s.epoch_s - s.prev_s <= ? THEN s.prev_sender END) AS to_whom
            FROM seq AS s
            LEFT JOIN base AS parent ON parent.group_id = s.group_id AND parent.message_id = s.reply_to
        )
        SELECT t.sender_id FROM target AS t
        JOIN staff AS st ON st.sender_id = t.to_whom
        WHERE t.in_window = 1 AND t.text IS NOT NULL
          AND t.sender_id NOT IN (SELECT sender_id FROM staff)
          AND EXISTS (SELECT 1 FROM objection_words AS w WHERE POSITION(w.word IN LOWER(t.text)) > 0)
        GROUP BY t.sender_id HAVING COUNT(*) >= ?
    """,
}


@lru_cache(maxsize=1)
def criteria() -> dict[str, Any]:
    """The bundled criteria (roles.yaml)."""
    text = resources.files(__package__).joinpath("roles.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _params(role: str, c: Mapping[str, Any]) -> list[Any]:
    if role == "organizer":
        return [bool(c["staff"]), c["pins_min"], c["mentions_all_min"]]
    if role == "thinker":
        return [c["long_len"], c["long_messages_min"], c["distinct_repliers_min"]]
    if role == "entertainer":
        return [c["short_len"], c["reply_within_s"], c["short_replies_min"],
                c["short_reply_share_min"]]
    if role == "asker":
        return [c["questions_min"], c["question_share_min"]]
    if role == "onlooker":
        return [c["messages_max"]]
    return [c["reply_within_s"], c["reply_within_s"], c["objection_replies_min"]]


def classify(store: Any, as_of: date, *, group: str | None = None, tz: str = metrics.DEFAULT_TZ,
             rules: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Members in each of the six roles over the criteria's window ending at the as-of date.

    Returns {"as_of", "window_days", "roles": {role: {"zh", "en", "count", "members"}}}; count and
    members are None for a role the data cannot show (the challenger without stored text).
    """
    rules = rules or criteria()
    window = int(rules["window_days"])
    con = store.con
    # the recent table must reach back as far as a reply can (its predecessor is read there)
    reach = max(int(rules["roles"][r].get("reply_within_s", 0)) for r in ROLE_ORDER)
    metrics.prepare(con, as_of, window, tz=tz, group=group, reach_s=reach)
    out: dict[str, Any] = {"as_of": as_of.isoformat(), "window_days": window, "group": group, "roles": {}}
    for role in ROLE_ORDER:
        c = rules["roles"][role]
        entry: dict[str, Any] = {"zh": c["zh"], "en": c["en"], "why": c.get("why", "")}
        if role == "challenger":
            words = sorted({w.lower() for lang in c["words"].values() for w in lang})
            con.execute("CREATE OR REPLACE TEMP TABLE objection_words (word VARCHAR)")
            con.execute("INSERT INTO objection_words SELECT UNNEST(?::VARCHAR[])", [words])
            has_text = con.execute("SELECT COUNT(*) FROM base WHERE in_window = 1 AND text IS NOT NULL").fetchone()[0]
            if not has_text:
                entry.update(count=None, members=None)
                out["roles"][role] = entry
                continue
        members = sorted(r[0] for r in con.execute(_SQL[role], _params(role, c)).fetchall() if r[0] is not None)
        entry.update(count=len(members), members=members)
        out["roles"][role] = entry
    return out
