"""From chat exports to the plan's `observed:` block: figures per group and for the community.

Why here and not in the metrics: the metrics (sql/) say what happened in the store; this module
says what the *plan* needs to know, in the plan's own vocabulary (`observed.schema`): it maps each
export to one of the plan's groups by name, tells the staff apart by the names the plan gives its
team (most exports do not mark the owner), takes the topics for off-topic drift from the plan,
and ranks the groups by risk so an operator with twenty groups sees the dying ones first.
Nothing here prints or knows about files beyond the exports: `api.observe` opens the store.
"""

from __future__ import annotations

import gc
import time as _time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import examples, metrics
from .assign import assign, match_group
from .normalise import normalise

SOURCE = "qunce observe"
DEFAULT_QUIET = ("22:00", "08:00")  # when the plan gives no quiet hours
HISTORY_MAX = 24                    # snapshots kept in observed.history
# Keys of observed that are structure, not figures of one day.
NOT_FIGURES = ("as_of", "examples", "groups", "history", "source")
# observed key -> (window, metric name); shares rounded to 3 places, minutes to 1. Members' links and
# cards are the ads a chat export can show (DOMAIN §13): ad_messages_7d, judged against all messages.
FROM_WINDOW = {
    "members": (7, "members_present"), "active_7d": (7, "speakers"), "active_30d": (30, "speakers"),
    "joins_30d": (30, "joins"), "left_30d": (30, "leaves"), "left_7d": (7, "leaves"),
    "removals_30d": (30, "removals"), "removals_by_owner_30d": (30, "removals_by_owner"),
    "churn_30d": (30, "churn"), "messages_7d": (7, "messages"), "conversations_7d": (7, "conversations"),
    "questions_7d": (7, "questions"), "unanswered_share_7d": (7, "unanswered_share"),
    "median_answer_minutes": (30, "median_answer_min"),
    "ads_by_members_7d": (7, "link_messages"), "ad_messages_7d": (7, "link_messages"),
    "after_hours_share_7d": (7, "quiet_share"),
    "owner_share_30d": (30, "owner_share"), "admins_share_30d": (30, "admin_share"),
    "absence_factor_30d": (30, "absence_factor"), "recent_joiner_share_30d": (30, "newcomer_share"),
    "silent_share_7d": (7, "silent_share"),
}
FROM_AS_OF = {"dau_mau": "dau_mau", "top_decile_total": "top_prior", "top_decile_quiet": "top_silent",
              "days_since_last_activity": "days_since_event"}
SHARES = ("dau_mau", "churn_30d", "unanswered_share_7d", "link_share_7d", "after_hours_share_7d", "owner_share_30d",
          "admins_share_30d", "recent_joiner_share_30d", "silent_share_7d", "off_topic_share_7d")

# Figures the metrics views do not compute: at-all notices, links by staff, off-topic share and
# the last staff message, per group and for the community, in one pass over the raw table.
_EXTRAS = """
WITH staff AS (
    SELECT DISTINCT group_id, sender_id FROM messages WHERE sender_role IN ('owner', 'admin')
), m AS (
    SELECT {scope} AS scope, x.ts, x.mentions_all, x.has_link, x.kind, x.on_topic, x.text_len,
           CASE WHEN s.sender_id IS NULL THEN 0 ELSE 1 END AS is_staff
    FROM messages AS x
    LEFT JOIN staff AS s ON s.group_id = x.group_id AND s.sender_id = x.sender_id
    WHERE x.ts < ? AND x.kind NOT IN ('join', 'leave', 'removal', 'recall', 'pin')
)
SELECT scope,
    SUM(CASE WHEN ts >= ? AND mentions_all THEN 1 ELSE 0 END) AS at_all_7d,
    SUM(CASE WHEN ts >= ? AND is_staff = 1 AND (has_link OR kind = 'link') THEN 1 ELSE 0 END) AS ads_by_staff_7d,
    SUM(CASE WHEN ts >= ? AND is_staff = 0 AND (has_link OR kind = 'link') THEN 1 ELSE 0 END) AS member_links,
    SUM(CASE WHEN ts >= ? AND is_staff = 0 THEN 1 ELSE 0 END) AS member_messages,
    SUM(CASE WHEN ts >= ? AND on_topic = FALSE AND text_len > 0 THEN 1 ELSE 0 END) AS off_topic,
    SUM(CASE WHEN ts >= ? AND on_topic IS NOT NULL AND text_len > 0 THEN 1 ELSE 0 END) AS topical,
    MAX(CASE WHEN is_staff = 1 THEN ts END) AS last_staff_ts,
    MAX(is_staff) AS has_staff
FROM m GROUP BY scope
"""


@dataclass
class PlanContext:
    """What a plan tells observe: zone, quiet hours, staff names, topics, events, groups, platform."""

    tz: str = metrics.DEFAULT_TZ
    quiet: tuple[str, str] = DEFAULT_QUIET
    staff: dict[str, str] = field(default_factory=dict)   # display name -> owner | admin
    topics: tuple[str, ...] = ()
    events: tuple[date, ...] = ()
    groups: tuple[str, ...] = ()
    platform: str | None = None


@dataclass
class Observation:
    """What one observe run found: the `observed:` block, the groups ranked, and what was read."""

    observed: dict[str, Any]
    groups: list[dict[str, Any]]
    load: dict[str, Any]
    problems: list[Any]
    roles: dict[str, Any]
    mapping: dict[str, str]
    rows_read: int = 0
    seconds: float = 0.0
    loaded: bytes = b""
    metrics: dict[str, Any] = field(default_factory=dict)  # the community's (tz, cohorts...): the report's


def _d(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list:
    return value if isinstance(value, list) else []


def _words(text: Any) -> list[str]:
    """Topic words from a plan's text: the phrases between punctuation, two characters or more."""
    import re

    if not isinstance(text, str):
        return []
    return [w for w in re.split(r"[\s,，、。;；:：/|()（）“”\"'!！?？+]+", text) if len(w) >= 2]


def plan_context(plan: Mapping[str, Any] | None, *, tz: str | None = None, topics: Iterable[str] = ()) -> PlanContext:
    """Read what observe needs from a plan's data (a missing plan gives the defaults)."""
    plan = _d(plan)
    community, structure = _d(plan.get("community")), _d(plan.get("structure"))
    zone = tz or (community.get("timezone") if isinstance(community.get("timezone"), str) else None)
    quiet = DEFAULT_QUIET
    qh = structure.get("quiet_hours")
    if isinstance(qh, str) and "-" in qh:
        start, end = (p.strip() for p in qh.split("-", 1))
        quiet = (start, end)
    staff = {}
    for member in _l(structure.get("team")):
        m = _d(member)
        if m.get("role") in ("owner", "admin") and isinstance(m.get("name"), str):
            staff[m["name"]] = m["role"]
    if isinstance(community.get("owner"), str):
        staff.setdefault(community["owner"], "owner")
    words = list(topics)
    words += _words(_d(plan.get("positioning")).get("shared_interest"))
    words += [w for o in _l(plan.get("output")) for w in _words(_d(o).get("name"))]
    words += [w for s in _l(plan.get("sessions")) for w in _words(_d(s).get("title"))]
    events = []
    for s in _l(plan.get("sessions")) + _l(plan.get("campaigns")):
        start = _d(s).get("start")
        day = start.date() if isinstance(start, datetime) else start if isinstance(start, date) else None
        if day is None and isinstance(start, str) and len(start) >= 10:
            try:
                day = date.fromisoformat(start[:10])
            except ValueError:
                day = None
        if day is not None:
            events.append(day)
    groups = tuple(g["name"] for g in map(_d, _l(structure.get("groups"))) if isinstance(g.get("name"), str))
    platform = structure.get("platform") if isinstance(structure.get("platform"), str) else None
    return PlanContext(zone or metrics.DEFAULT_TZ, quiet, staff, tuple(dict.fromkeys(words)), tuple(events),
                       groups, platform)


def _round(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in SHARES:
        return max(0.0, min(1.0, round(float(value), 3)))
    if key == "median_answer_minutes":
        return round(float(value), 1)
    return int(round(float(value)))


def figures(entry: Mapping[str, Any], extras: Mapping[str, Any] | None, as_of: date) -> dict[str, Any]:
    """The observed figures of one scope from its metrics (and the extra pass), Nones left out."""
    out: dict[str, Any] = {}
    for key, (window, name) in FROM_WINDOW.items():
        out[key] = _round(key, _d(_d(entry.get("windows")).get(window)).get(name))
    for key, name in FROM_AS_OF.items():
        out[key] = _round(key, entry.get(name))
    if out.get("members") is not None and out.get("active_7d") is not None:
        out["silent_7d"] = max(0, out["members"] - out["active_7d"])
    w30 = _d(_d(entry.get("windows")).get(30))
    joins = w30.get("joins") or w30.get("first_seen")
    out["new_30d"] = _round("new_30d", joins)
    extras = extras or {}
    out["at_all_7d"] = _round("at_all_7d", extras.get("at_all_7d"))
    out["ads_by_staff_7d"] = _round("ads_by_staff_7d", extras.get("ads_by_staff_7d")) if extras.get("has_staff") else None
    if extras.get("member_messages"):
        out["link_share_7d"] = _round("link_share_7d", extras["member_links"] / extras["member_messages"])
    if extras.get("topical"):
        out["off_topic_share_7d"] = _round("off_topic_share_7d", extras["off_topic"] / extras["topical"])
    last = extras.get("last_staff_ts")
    if isinstance(last, datetime):
        out["days_since_staff_message"] = max(0, (as_of - last.date()).days)
    return {k: v for k, v in out.items() if v is not None}


def extras(store: Any, as_of: date, tz: str, per_group: bool) -> dict[str, dict[str, Any]]:
    """The extra figures per scope (group id, or '*' for the community)."""
    zone = ZoneInfo(tz)
    end = metrics._utc(as_of + timedelta(days=1), zone)
    d7 = metrics._utc(as_of - timedelta(days=6), zone)
    sql = _EXTRAS.format(scope="x.group_id" if per_group else "'*'")
    return {row.pop("scope"): row for row in store.rows(sql, [end] + [d7] * 6)}


# Risk ranking: each figure past its alarm line (facts.evidence) adds its weight.
RISK_SIGNALS = (
    ("churn_30d", ">", "churn_max", 20), ("owner_share_30d", ">", "owner_share_max", 15),
    ("top_decile_quiet_share", ">", "top_quiet_share_max", 20), ("link_share_7d", ">", "link_share_max", 10),
    ("dau_mau", "<", "dau_mau_min", 10), ("unanswered_share_7d", ">", "unanswered_share_max", 10),
    ("silent_share_7d", ">", "silent_share_max", 5), ("absence_factor_30d", "<", "absence_factor_min", 5),
    ("off_topic_share_7d", ">", "off_topic_share_max", 5),
)


def risk(figs: Mapping[str, Any], thresholds: Mapping[str, Any]) -> float:
    """0-100: the weights of the signals past their thresholds over all that could be judged."""
    figs = dict(figs)
    if figs.get("top_decile_total"):
        figs["top_decile_quiet_share"] = (figs.get("top_decile_quiet") or 0) / figs["top_decile_total"]
    hit = possible = 0
    for key, op, limit, weight in RISK_SIGNALS:
        value, line = figs.get(key), thresholds.get(limit)
        if not isinstance(value, (int, float)) or not isinstance(line, (int, float)):
            continue
        possible += weight
        if (value > line) if op == ">" else (value < line):
            hit += weight
    return round(100 * hit / possible, 1) if possible else 0.0


def with_history(previous: Mapping[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """The new block, carrying the previous figures into `history` (oldest first, one per day)."""
    previous = _d(previous)
    history = [dict(h) for h in _l(previous.get("history")) if isinstance(h, dict)]
    snap = {k: v for k, v in previous.items() if k not in ("examples", "groups", "history", "source")}
    if snap.get("as_of") is not None and str(snap["as_of"]) != str(new.get("as_of")):
        snap["as_of"] = str(snap["as_of"])
        history = [h for h in history if str(h.get("as_of")) != snap["as_of"]] + [snap]
    history = [h for h in history if str(h.get("as_of")) != str(new.get("as_of"))][-HISTORY_MAX:]
    if history:
        new["history"] = history
    return new


def run(store: Any, records: Iterable[Any], ctx: PlanContext, *, as_of: date | None, forced: str | None = None,
        anonymize: bool = False, keep_text: bool = False, thresholds: Mapping[str, Any] | None = None,
        progress: Callable[[int, int], None] | None = None, sources: Iterable[str] = ()) -> Observation:
    """Load the records into the store, compute the metrics, and build the observed block."""
    started = _time.perf_counter()
    mapping: dict[str, str] = {}
    counter = [0]
    days: list[Any] = []
    batches = normalise(assign(records, ctx, forced, mapping, counter), tz=ctx.tz, topics=ctx.topics or None,
                        keep_text=keep_text, on_other=days.append)
    # The cycle collector runs less often during the load: millions of short-lived objects, no cycles
    # (at every 700 allocations it took 2 of 13 s per 1M Telegram messages; refcounting frees batches).
    threshold = gc.get_threshold()
    gc.set_threshold(50_000, *threshold[1:])
    try:
        load = store.load(batches, sources=list(sources), anonymize=anonymize, progress=progress)
    finally:
        gc.set_threshold(*threshold)
    if days:
        store.load_group_days({"date": d.day, "group_id": d.group_id, "group_name": d.group_name,
                               "new_member_cnt": d.new_members, "member_total": d.members_total,
                               "member_has_msg": d.members_spoke, "msg_total": d.messages_total} for d in days)
    if as_of is None:
        last = next(store.rows("SELECT MAX(ts) AS ts FROM messages"))["ts"]
        as_of = date.today() if last is None else \
            (last + (datetime.now(ZoneInfo(ctx.tz)).utcoffset() or timedelta(0))).date()
    kwargs = {"tz": ctx.tz, "quiet": ctx.quiet, "event_dates": ctx.events}
    names = {r["group_id"]: r["name"] for r in store.rows(
        "SELECT group_id, MAX(group_name) AS name FROM messages GROUP BY group_id")}
    community = metrics.compute(store, as_of, **kwargs)
    # one group: its figures are the community's (the views are not run a second time)
    per = {gid: community for gid in names} if len(names) == 1 else metrics.per_group(store, as_of, **kwargs)
    extra_all = extras(store, as_of, ctx.tz, False).get("*")
    extra_per = {gid: extra_all for gid in names} if len(names) == 1 else extras(store, as_of, ctx.tz, True)
    cited_all, cited = examples.scopes(store, as_of, tz=ctx.tz, quiet=ctx.quiet, groups=names)
    thresholds = thresholds or {}
    groups = []
    for gid, entry in per.items():
        figs = figures(entry, extra_per.get(gid), as_of)
        groups.append({"name": names.get(gid) or gid, "risk": risk(figs, thresholds), **figs})
        if cited.get(gid):
            groups[-1]["examples"] = cited[gid]
    groups.sort(key=lambda g: (-g["risk"], g["name"]))
    observed: dict[str, Any] = {"as_of": as_of.isoformat(), "source": SOURCE,
                                **figures(community, extra_all, as_of)}
    if cited_all:
        observed["examples"] = cited_all
    if groups:
        observed["groups"] = groups
    from .roles import classify

    roles = classify(store, as_of, tz=ctx.tz)
    return Observation(observed, groups, load, [], roles, mapping, counter[0], _time.perf_counter() - started,
                       metrics=community)


def thresholds(facts: Mapping[str, Any], platform: str | None) -> dict[str, Any]:
    """facts.evidence for the platform's nature (chat, server, forum, broadcast) over those for chat:
    a Discord server is not a WeChat group, and a forum's own lines (reads) add to the chat ones."""
    from ..model.platforms import profile_of

    evidence = _d(_d(facts).get("evidence"))
    nature = profile_of(platform, facts).get("nature")
    return {**_d(evidence.get("chat")), **_d(evidence.get(nature))}


def observe_files(exports: list[str], *, plan: str | None, group: str | None, fmt: str | None, tz: str | None,
                  as_of: date | None, anonymize: bool, keep_text: bool, topics: Iterable[str], progress: Any,
                  store: str | None, facts: Mapping[str, Any], sidecar: Any = None,
                  date_order: str | None = None) -> Observation:
    """The whole observe run (api.observe): plan context, store, metrics, history. The plan's bytes
    are kept in `.loaded` so a later write refuses if the plan changed meanwhile."""
    from ..load.files import read_regular
    from ..load.yaml import MAX_BYTES, load_plan, load_plan_bytes
    from .readers import Meter, read_export
    from .store import EvidenceStore

    loaded = read_regular(plan, MAX_BYTES) if plan else b""
    data = _d(load_plan_bytes(loaded, plan).data) if plan else {}
    ctx = plan_context(data, tz=tz, topics=topics)
    problems: list[Any] = []
    with EvidenceStore.open(plan or store or ".") as opened:
        options = {"date_order": date_order} if date_order else {}
        meter = Meter()
        tick = (lambda rows, added: progress(rows, added, meter)) if progress is not None else None
        result = run(opened, read_export(exports, fmt, problems.append, meter=meter, rows=True, **options), ctx, as_of=as_of,
                     forced=group, anonymize=anonymize, keep_text=keep_text, progress=tick, sources=exports,
                     thresholds=thresholds(facts, ctx.platform))
    result.problems = problems
    previous = data.get("observed")
    if sidecar is not None and sidecar.is_file():  # the figures written last time beside the plan
        previous = _d(load_plan(sidecar).data).get("observed") or previous
    result.observed = with_history(previous, result.observed)
    result.loaded = loaded
    return result


def write_back(plan: str, observation: Observation, sidecar: Any = None, *, dry_run: bool = False) -> Any:
    """The observed block into the plan through the one deliberate edit, or (sidecar given) into
    `<plan>.observed.yaml` beside it; returns the Edit (its diff for --dry-run)."""
    from ..output.edit import Edit, set_top_level
    from ..output.write import write_atomic

    if sidecar is None:
        return set_top_level(plan, "observed", observation.observed, loaded=observation.loaded, dry_run=dry_run)
    import yaml

    text = yaml.safe_dump({"observed": observation.observed}, allow_unicode=True, sort_keys=False)
    edit = Edit(str(sidecar), sidecar.read_bytes() if sidecar.is_file() else b"", text.encode("utf-8"))
    if not dry_run:
        write_atomic(sidecar, edit.after)
    return edit


__all__ = ["Observation", "PlanContext", "plan_context", "match_group", "figures", "risk", "with_history", "run",
           "thresholds", "observe_files", "write_back"]
