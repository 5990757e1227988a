"""observed.examples: a few message ids and local times behind the figures that have them.

Why: a figure says how much; an operator acts on which messages. Each evidence finding cites up to
three of them ("例如 #8812 11-20 23:41"), and `qunce check` reads them from the block like the
figures, never from the store. Only ids and times leave the store: never a name or a text, so an
anonymised store gives the same examples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, timezone
from typing import Any
from zoneinfo import ZoneInfo

from . import metrics

Cited = dict[str, list[dict[str, str]]]


def stable_id(row: Mapping[str, Any]) -> str:
    """The platform's message id, else the store's identity of the message (group, time, sender,
    kind, text hash: what de-duplication compares) hashed to `~` and 10 hex digits."""
    if row.get("message_id") is not None:
        return str(row["message_id"])
    key = "|".join(str(row.get(k)) for k in ("group_id", "ts", "sender_id", "kind", "text_hash"))
    return "~" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def cite(rows: Iterable[Mapping[str, Any]], tz: str) -> Cited:
    """One scope's examples: per figure, up to three {id, at} (local "YYYY-MM-DD HH:MM"), latest first."""
    zone = ZoneInfo(tz)
    out: Cited = {}
    for r in rows:
        at = r["ts"].replace(tzinfo=timezone.utc).astimezone(zone).strftime("%Y-%m-%d %H:%M")
        out.setdefault(r["figure"], []).append({"id": stable_id(r), "at": at})
    return out


def scopes(store: Any, as_of: date, *, tz: str, quiet: tuple[Any, Any] | None,
           groups: Mapping[str, Any]) -> tuple[Cited, dict[str, Cited]]:
    """The community's examples and each group's (one group: the community's, not queried twice).

    Groups first: observe has just computed the per-group figures, whose tables are still in
    place, and the roles that follow read the community's again."""
    if len(groups) == 1:
        community = cite(metrics.examples(store, as_of, tz=tz, quiet=quiet).get("*", ()), tz)
        return community, {gid: community for gid in groups}
    rows = metrics.examples(store, as_of, per_group=True, tz=tz, quiet=quiet)
    per = {gid: cite(r, tz) for gid, r in rows.items()}
    return cite(metrics.examples(store, as_of, tz=tz, quiet=quiet).get("*", ()), tz), per


__all__ = ["stable_id", "cite", "scopes"]
