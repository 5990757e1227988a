"""The schedule as rules see it: the `sop_tasks`, `sop_start`, `sop_funnel` and `sop_groups_needed`
filters (registered lazily by engine.rules.vocabulary), so `qunce check` and `qunce sop` agree on
every date.

Several session rules ask for the same schedule, and a plan with hundreds of sessions made the
rules spend most of their time recomputing it. The cache below is keyed by what a schedule's
times depend on (the item's start, end, length, offsets and notices, the plan's time zone) plus
the facts object itself, held and compared by identity: two items with the same inputs share one
answer, a changed plan can never get a stale one, and no object's `id()` can be mistaken for
another's. Within one plan's evaluation (run.memo) a session asked about again is answered
before even that key is built.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta
from typing import Any

from ..errors import QunceError
from ..run.memo import remembered
from .campaigns import campaign_slots, funnel_review, groups_needed
from .playbook import sop_facts
from .sessions import session_slots
from .timing import parse_moment, plan_zone_name, zone

_CACHE_SIZE = 512  # distinct schedules kept across plans (within one, run.memo answers): a few large plans
_cache: OrderedDict[tuple, tuple[Any, list[dict[str, Any]]]] = OrderedDict()


def _frozen(value: Any) -> Any:
    """A hashable stand-in for plan data (dicts and lists become tuples); raises TypeError for
    anything else unhashable."""
    if isinstance(value, dict):
        return ("{}",) + tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list):
        return ("[]",) + tuple(_frozen(v) for v in value)
    hash(value)
    return (type(value).__name__, value)  # 1, 1.0 and True stay apart


def _inputs(item: dict, plan: Any, kind: str) -> tuple:
    """Everything of the plan a schedule's task times depend on."""
    fields = ("start", "end") if kind == "campaign" else ("start", "duration_minutes", "offsets", "notices")
    return (kind, plan_zone_name(plan)) + tuple(_frozen(item.get(f)) for f in fields)


def filter_tasks(item: Any, plan: Any = None, facts: Any = None, kind: str = "session") -> list[dict[str, Any]]:
    """`item | sop_tasks(plan, facts)`: the item's task times as ISO text with the local offset.

    Each entry: key, step, phase, to, at, end, inside (start <= at < end: during the session) and
    lead_days (how many days before the start, on the wall clock, so DST does not blur "-3d").
    An item that cannot be scheduled (no or unreadable start, unknown zone) gives [].
    """
    return _remembered_tasks(item, plan, facts, kind)


@remembered  # within one plan's evaluation, five session rules ask for each session's tasks
def _remembered_tasks(item: Any, plan: Any, facts: Any, kind: str) -> list[dict[str, Any]]:
    if not isinstance(item, dict):
        return []
    plan_data = plan if isinstance(plan, dict) else {}
    try:
        key = (id(facts),) + _inputs(item, plan_data, kind)
    except TypeError:  # an unhashable oddity in a draft: compute without the cache
        return _tasks(item, plan_data, facts, kind)
    hit = _cache.get(key)
    if hit is not None and hit[0] is facts:
        _cache.move_to_end(key)
        return hit[1]
    tasks = _tasks(item, plan_data, facts, kind)
    _cache[key] = (facts, tasks)  # holding `facts` keeps its id from being reused while cached
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return tasks


def _tasks(item: dict, plan_data: dict, facts: Any, kind: str) -> list[dict[str, Any]]:
    try:
        sop = sop_facts(facts)
        if kind == "campaign":
            slots, anchors, _, _ = campaign_slots(item, plan_data, sop)
        else:
            slots, anchors, _, _ = session_slots(item, plan_data, sop)
    except QunceError:
        return []
    start, end, day = anchors["start"], anchors["end"], timedelta(days=1)
    wall_start = start.replace(tzinfo=None)  # wall(start, at), with the start's half worked out once
    return [{"key": s.key, "step": s.spec.get("step"), "phase": s.spec.get("phase") or s.spec.get("key"),
             "to": s.spec.get("to") or "team", "at": s.at.isoformat(),
             "end": s.end.isoformat() if s.end else None,
             "inside": start <= s.at < end,
             "lead_days": round((wall_start - s.at.replace(tzinfo=None)) / day, 4)} for s in slots]


def filter_start(item: Any, plan: Any = None) -> str | None:
    """`item | sop_start(plan)`: the start as ISO text in the community's zone, or None."""
    if not isinstance(item, dict):
        return None
    try:
        parsed = parse_moment(item.get("start"), zone(plan_zone_name(plan if isinstance(plan, dict) else {})),
                              date_only_ok=True)
    except QunceError:
        return None
    return parsed[0].isoformat() if parsed else None


def filter_funnel(funnel: Any, facts: Any = None, lang: str = "zh") -> dict[str, Any]:
    """`item.funnel | sop_funnel(facts)`: funnel_review(), or an empty review when there are no figures."""
    return funnel_review(funnel, facts, lang) or {"stages": [], "weakest": None, "weakest_label": None,
                                                  "suggestion": None}


FILTERS = {"sop_tasks": filter_tasks, "sop_start": filter_start, "sop_funnel": filter_funnel,
           "sop_groups_needed": groups_needed}

__all__ = ["filter_tasks", "filter_start", "filter_funnel", "groups_needed", "FILTERS"]
