"""How an observed figure moved: a reviewer reads `observed.history` (earlier snapshots, each with
its `as_of`) beside today's figures, so ads going from 12 to 286 a week or renewals falling from
0.64 to 0.38 are findings even where one week's figure alone says little (issue 12).

`observed | trend('ads_by_members_7d')` gives the figure now, its latest earlier value and the
change between them, or none when either is missing. A figure the top level does not give is
today's total over `observed.groups` when it is a count (facts.trends.counts): a plan whose
figures are all per group still has a trend. Works the same on one group's figures with its own
`history`."""

from __future__ import annotations

from typing import Any

from ..model.plan import as_dict, is_number


def figure_now(observed: Any, key: str, counts: Any = ()) -> int | float | None:
    """Today's value of a figure: the top level's, else the sum over the groups for a count."""
    observed = as_dict(observed)
    value = observed.get(key)
    if is_number(value):
        return value
    groups = observed.get("groups")
    if key not in (counts or ()) or not isinstance(groups, list):
        return None
    found = [as_dict(g).get(key) for g in groups]
    found = [v for v in found if is_number(v)]
    return sum(found) if found else None


def earlier(observed: Any, key: str) -> tuple[int | float, str] | None:
    """(value, as_of) of the latest earlier snapshot that gives the figure; snapshots dated on or
    after today's `as_of` are not earlier and are skipped."""
    observed = as_dict(observed)
    history = observed.get("history")
    if not isinstance(history, list):
        return None
    now = observed.get("as_of")
    best: tuple[str, int | float] | None = None
    for snap in history:
        snap = as_dict(snap)
        when, value = snap.get("as_of"), snap.get(key)
        if not isinstance(when, str) or not is_number(value) or (isinstance(now, str) and when >= now):
            continue
        if best is None or when > best[0]:
            best = (when, value)
    return (best[1], best[0]) if best else None


def trend(observed: Any, key: str, counts: Any = ()) -> dict[str, Any] | None:
    """{now, before, since, ratio, diff} of one figure, or None when now or before is missing.
    `ratio` is now/before (None when before is 0); `diff` is now - before."""
    now = figure_now(observed, key, counts)
    then = earlier(observed, key)
    if now is None or then is None:
        return None
    before, since = then
    return {"now": now, "before": before, "since": since,
            "ratio": now / before if before else None, "diff": now - before}


def rate_trend(observed: Any, key: str, base: str = "members", counts: Any = ()) -> dict[str, Any] | None:
    """The same for a count read as a share of another figure (leavers per member): a group that
    doubled in size is not losing members twice as fast because twice as many leave."""
    now_top, now_base = figure_now(observed, key, counts), figure_now(observed, base, counts)
    then, then_base = earlier(observed, key), earlier(observed, base)
    if None in (now_top, now_base, then, then_base) or not now_base or not then_base[0] or then[1] != then_base[1]:
        return None  # both figures from one earlier snapshot, or no rate then
    now, before = now_top / now_base, then[0] / then_base[0]
    return {"now": now, "before": before, "since": then[1],
            "ratio": now / before if before else None, "diff": now - before}
