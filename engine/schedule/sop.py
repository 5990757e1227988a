"""SOP schedules: a sharing session's nine steps (DOMAIN §8) or a referral campaign's flow (§9)
as dated tasks with owners and message drafts, plus what the rules found about that session.

Library entry points (the CLI only maps options onto them):

    session_schedule(plan, session_id, *, rules, lang, today) -> Schedule
    adhoc_session(title, start, *, guest, host, duration, timezone, rules, lang, today) -> Schedule
    campaign_schedule(plan, campaign_id, *, rules, lang, today) -> Schedule
    Schedule.to_dict() -> the documented JSON contract (version 1)

The steps, offsets, owners and drafts are data in `playbooks/sop.yaml` (`facts.sop`), not
constants here; the offset grammar is documented in that file and implemented by
`parse_offset` / `apply_offset`. Times are aware datetimes in the community's time zone
(`community.timezone`, default Asia/Shanghai): a start with a UTC offset is converted into that
zone, a start without one is read as local time there.

Rules see the same schedule through the `sop_tasks`, `sop_start` and `sop_funnel` filters
(registered lazily in engine/expressions.py), so `qunce check` and `qunce sop` agree.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone as dt_timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import QunceError, RulePackError, TemplateError, UsageError
from ..model.plan import Document, Locator, dotted
from ..model.report import Finding, Problem
from ..rules.evaluate import evaluate
from ..rules.pack import RuleSet, load_rules

DEFAULT_TIMEZONE = "Asia/Shanghai"
FORMAT_VERSION = 1
POSTER_ELEMENTS = ("title", "subtitle", "selling_point", "endorsement", "call_to_action", "live_code")
SCRIPTS = ("join", "review", "reminder", "removal")
FUNNEL_STAGES = ("launches", "scans", "joins", "completions")
_OFFSET = re.compile(r"(?P<anchor>start|end)?(?P<terms>(?:[+-]\d{1,4}[dhm])*)(?:@(?P<clock>(?:[01]\d|2[0-3]):[0-5]\d))?")
_TERM = re.compile(r"([+-])(\d+)([dhm])")
_UTC = dt_timezone.utc


# ---- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One dated thing to do: which step, when (aware, community time zone), who, what, what to paste."""

    step: int
    key: str
    at: datetime
    owner: str
    title: str
    message: str | None
    phase: str = ""
    end: datetime | None = None  # set for tasks that last (floor control runs until the end)
    to: str = "team"  # who the message is for: group, guest, channels, team
    role: str = ""  # the role the owner was resolved from (host, admin, event_planner...)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "key": self.key, "at": self.at.isoformat(),
                "end": self.end.isoformat() if self.end else None, "owner": self.owner, "role": self.role,
                "title": self.title, "message": self.message, "phase": self.phase, "to": self.to}


@dataclass
class Schedule:
    """A session's or a campaign's SOP: tasks in time order plus what a renderer needs around them."""

    kind: str  # "session" | "campaign"
    id: str
    title: str
    timezone: str
    tasks: list[Task]
    findings: list[Finding] = field(default_factory=list)
    community: str = ""
    lang: str = "zh"
    start: datetime | None = None
    end: datetime | None = None
    details: dict[str, Any] = field(default_factory=dict)  # guest, host, group, perks / goal, reward...
    steps: dict[int, str] = field(default_factory=dict)  # step number -> its name in `lang`
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # poster/scripts/checklist/funnel/audiences
    poster: dict[str, bool] | None = None
    scripts: dict[str, str | None] | None = None
    checklist: list[dict[str, Any]] | None = None
    funnel: dict[str, Any] | None = None
    engine_errors: list[Problem] = field(default_factory=list)
    source: str = ""  # the plan file, or "" for an ad-hoc session
    event_minutes: int = 15  # calendar length of a task without its own end (facts.sop.event_minutes)
    alarm_minutes: int = 15  # the calendar reminder fires this long before a task (facts.sop.alarm_minutes)

    def uid(self, task: Task) -> str:
        """A calendar UID that stays the same across runs, so re-importing updates the events."""
        import hashlib  # only calendars need it; importing OpenSSL would cost every `check` 15 ms

        raw = "\x1f".join((self.community, self.kind, self.id, task.key))
        return f"{hashlib.sha256(raw.encode('utf-8')).hexdigest()[:32]}@qunce"

    @property
    def stamp(self) -> datetime:
        """A DTSTAMP taken from the plan (the start, in UTC), never the wall clock: output is reproducible."""
        moment = self.start or (self.tasks[0].at if self.tasks else datetime(2000, 1, 1, tzinfo=_UTC))
        return moment.astimezone(_UTC)

    def to_dict(self) -> dict[str, Any]:
        """The `--format json` contract, version 1."""
        out: dict[str, Any] = {"version": FORMAT_VERSION, self.kind: self.id, "title": self.title,
                               "timezone": self.timezone,
                               "start": self.start.isoformat() if self.start else None,
                               "end": self.end.isoformat() if self.end else None,
                               "tasks": [t.to_dict() for t in self.tasks]}
        if self.kind == "campaign":
            out.update({"poster": dict(self.poster or {}), "scripts": dict(self.scripts or {}),
                        "checklist": [dict(c) for c in self.checklist or []], "funnel": self.funnel})
        out["findings"] = [f.to_dict() for f in self.findings]
        return out


# ---- the offset grammar ------------------------------------------------------------------------


@dataclass(frozen=True)
class Offset:
    """A parsed offset: anchor, whole days (calendar), clock time, then minutes (elapsed)."""

    text: str
    anchor: str = "start"
    days: int = 0
    minutes: int = 0
    clock: tuple[int, int] | None = None


def parse_offset(text: Any) -> Offset:
    """ "-7d", "end+5m", "start-14d@10:00", "+1d@12:00" ... (grammar: playbooks/sop.yaml)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"not an offset: {text!r}")
    m = _OFFSET.fullmatch(text.strip())
    if not m or not (m.group("anchor") or m.group("terms") or m.group("clock")):
        raise ValueError(f"not an offset: {text!r}")
    days = minutes = 0
    for sign, number, unit in _TERM.findall(m.group("terms") or ""):
        n = int(number) * (-1 if sign == "-" else 1)
        if unit == "d":
            days += n
        else:
            minutes += n * (60 if unit == "h" else 1)
    clock = tuple(int(x) for x in m.group("clock").split(":")) if m.group("clock") else None
    return Offset(text.strip(), m.group("anchor") or "start", days, minutes, clock)  # type: ignore[arg-type]


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz`; a time skipped by a DST switch moves forward, as clocks do."""
    return naive.replace(tzinfo=tz).astimezone(_UTC).astimezone(tz)


def apply_offset(offset: Offset, anchors: dict[str, datetime]) -> datetime:
    """Days move the local date (same wall clock), @HH:MM sets the clock, minutes are elapsed time."""
    base = anchors[offset.anchor]
    tz = base.tzinfo
    local = base.replace(tzinfo=None) + timedelta(days=offset.days)
    if offset.clock is not None:
        local = local.replace(hour=offset.clock[0], minute=offset.clock[1], second=0, microsecond=0)
    moment = localize(local, tz) if isinstance(tz, ZoneInfo) else local.replace(tzinfo=tz)
    if offset.minutes:
        moment = (moment.astimezone(_UTC) + timedelta(minutes=offset.minutes)).astimezone(tz)
    return moment


# ---- time zones and moments --------------------------------------------------------------------


def zone(name: Any) -> ZoneInfo:
    """An IANA zone; anything else is a usage error (not a traceback)."""
    if not isinstance(name, str) or not name.strip():
        raise UsageError("sop-unknown-timezone", {"value": name})
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError("sop-unknown-timezone", {"value": name}) from None


def plan_zone_name(plan_data: Any) -> str:
    community = plan_data.get("community") if isinstance(plan_data, dict) else None
    name = community.get("timezone") if isinstance(community, dict) else None
    return name if isinstance(name, str) and name.strip() else DEFAULT_TIMEZONE


def parse_moment(value: Any, tz: ZoneInfo, *, date_only_ok: bool = False) -> tuple[datetime, bool] | None:
    """Text (or a date/datetime) to an aware datetime in `tz`, and whether it was a bare date.

    None when it cannot be read. A bare date is 00:00 local that day (campaign starts and ends).
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return (localize(datetime(value.year, value.month, value.day), tz), True) if date_only_ok else None
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            if not date_only_ok:
                return None
            try:
                d = date.fromisoformat(text)
            except ValueError:
                return None
            return localize(datetime(d.year, d.month, d.day), tz), True
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        return localize(moment, tz), False
    return moment.astimezone(tz), False


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _bi(value: Any, lang: str) -> str:
    """One side of a {zh, en} record (Chinese when the other side is missing)."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


# ---- the playbook data -------------------------------------------------------------------------


_BUNDLED_SOP: dict | None = None


def sop_facts(facts: Any) -> dict:
    """`facts.sop` from the loaded packs; the bundled playbook's when a run left it out."""
    global _BUNDLED_SOP
    found = _dict(facts).get("sop")
    if isinstance(found, dict) and found.get("session") and found.get("campaign"):
        return found
    if _BUNDLED_SOP is None:
        from ..load.files import package_data
        from ..load.yaml import load_plan_bytes

        f = package_data("playbooks", "sop.yaml")
        _BUNDLED_SOP = _dict(_dict(load_plan_bytes(f.read_bytes(), "playbooks/sop.yaml").data.get("facts")).get("sop"))
    merged = dict(_BUNDLED_SOP)
    if isinstance(found, dict):
        merged.update(found)
    return merged


def _offset(text: Any, where: str) -> Offset:
    try:
        return parse_offset(text)
    except ValueError:
        raise RulePackError("sop-bad-offset", {"value": text, "where": where}) from None


@dataclass
class _Slot:
    """A task's timing before its text is rendered."""

    spec: dict
    key: str
    at: datetime
    end: datetime | None
    notice: str | None = None
    order: int = 0  # the record's place in the playbook: ties at one moment keep playbook order


def _expand(specs: list, anchors: dict[str, datetime], overrides: dict[str, str], notices: list[str],
            max_repeats: int) -> list[_Slot]:
    """Task records -> timed slots, with per-step overrides, one notice per offset, daily repeats."""
    slots: list[_Slot] = []
    moved: set[str] = set()
    for index, spec in enumerate(specs):
        if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
            raise RulePackError("sop-bad-task", {"index": index})
        key, phase = spec["key"], str(spec.get("phase") or spec["key"])
        until = _offset(spec["until"], key) if spec.get("until") else None
        repeat = spec.get("repeat")
        if repeat == "notices":
            offsets = sorted((_offset(n, key) for n in notices), key=lambda o: apply_offset(o, anchors))
            if phase in overrides and phase not in moved and offsets:
                offsets[0] = _offset(overrides[phase], phase)
                moved.add(phase)
            seen: set[datetime] = set()
            for off in offsets:
                at = apply_offset(off, anchors)
                if at in seen:
                    continue
                seen.add(at)
                slots.append(_Slot(spec, f"{key}{off.text if off.text.startswith('-') else '-' + off.text}",
                                   at, None, off.text, index))
            continue
        text = spec.get("offset")
        if phase in overrides and phase not in moved:
            text = overrides[phase]
            moved.add(phase)
        first = apply_offset(_offset(text, key), anchors)
        if repeat == "daily":
            last = apply_offset(_offset(spec.get("through") or text, key), anchors)
            day, n = first, 0
            while day <= last and n < max_repeats:
                slots.append(_Slot(spec, f"{key}-{day.date().isoformat()}", day, None, None, index))
                n += 1
                day = localize(day.replace(tzinfo=None) + timedelta(days=1), day.tzinfo)  # type: ignore[arg-type]
            continue
        end = apply_offset(until, anchors) if until else None
        slots.append(_Slot(spec, key, first, end if end and end > first else None, None, index))
    slots.sort(key=lambda s: (s.at, int(s.spec.get("step") or 0), s.order))
    return slots


# ---- sessions: timing ---------------------------------------------------------------------------


def _session_anchors(item: dict, plan_data: Any, sop: dict) -> tuple[dict[str, datetime], int, ZoneInfo, str]:
    tz_name = plan_zone_name(plan_data)
    tz = zone(tz_name)
    parsed = parse_moment(item.get("start"), tz)
    if parsed is None:
        code = "sop-no-start" if not item.get("start") else "sop-bad-start"
        raise UsageError(code, {"id": item.get("id") or "?", "value": item.get("start")})
    start = parsed[0]
    duration = item.get("duration_minutes")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
        duration = int(_dict(sop.get("session")).get("default_minutes") or 60)
    end = (start.astimezone(_UTC) + timedelta(minutes=duration)).astimezone(tz)
    return {"start": start, "end": end}, duration, tz, tz_name


def _session_slots(item: dict, plan_data: Any, sop: dict) -> tuple[list[_Slot], dict[str, datetime], int, str]:
    anchors, duration, _, tz_name = _session_anchors(item, plan_data, sop)
    session = _dict(sop.get("session"))
    overrides = {k: v for k, v in _dict(item.get("offsets")).items() if isinstance(v, str)}
    notices = [n for n in _list(item.get("notices")) if isinstance(n, str)] or _list(session.get("notices"))
    for where, text in [*((f"offsets.{k}", v) for k, v in overrides.items()),
                        *(("notices", n) for n in _list(item.get("notices")) if isinstance(n, str))]:
        try:  # the plan's own offsets: a usage error, not a broken playbook
            parse_offset(text)
        except ValueError:
            raise UsageError("sop-bad-offset", {"value": text, "where": f"sessions[].{where}"}) from None
    slots = _expand(_list(session.get("tasks")), anchors, overrides, notices, int(sop.get("max_repeats") or 92))
    return slots, anchors, duration, tz_name


def _campaign_anchors(item: dict, plan_data: Any) -> tuple[dict[str, datetime], ZoneInfo, str, bool]:
    tz_name = plan_zone_name(plan_data)
    tz = zone(tz_name)
    parsed = parse_moment(item.get("start"), tz, date_only_ok=True)
    if parsed is None:
        code = "sop-no-start" if not item.get("start") else "sop-bad-start"
        raise UsageError(code, {"id": item.get("id") or "?", "value": item.get("start")})
    start = parsed[0]
    parsed_end = parse_moment(item.get("end"), tz, date_only_ok=True) if item.get("end") else None
    end = parsed_end[0] if parsed_end else start
    end_is_date = bool(parsed_end and parsed_end[1])
    return {"start": start, "end": end}, tz, tz_name, end_is_date


def _campaign_slots(item: dict, plan_data: Any, sop: dict) -> tuple[list[_Slot], dict[str, datetime], str, bool]:
    anchors, _, tz_name, end_is_date = _campaign_anchors(item, plan_data)
    campaign = _dict(sop.get("campaign"))
    slots = _expand(_list(campaign.get("tasks")), anchors, {}, [], int(sop.get("max_repeats") or 92))
    return slots, anchors, tz_name, end_is_date


# ---- filters for rule expressions (see engine/expressions.py) ----------------------------------


# Several session rules ask for the same schedule; a plan with hundreds of sessions made the
# rules spend most of their time recomputing it. Results are kept for one plan at a time (the
# plan object is the key), so a batch never holds more than the plan being checked.
_memo_plan: Any = None
_memo: dict[tuple[int, int, str], tuple[Any, Any, list]] = {}


def filter_tasks(item: Any, plan: Any = None, facts: Any = None, kind: str = "session") -> list[dict[str, Any]]:
    """`item | sop_tasks(plan, facts)`: the item's task times as ISO text with the local offset.

    Each entry: key, step, phase, to, at, end, inside (start <= at < end: during the session) and
    lead_days (how many days before the start, on the wall clock, so DST does not blur "-3d").
    An item that cannot be scheduled (no or unreadable start, unknown zone) gives [].
    """
    global _memo_plan
    if not isinstance(item, dict):
        return []
    if plan is not _memo_plan:
        _memo.clear()
        _memo_plan = plan
    key = (id(item), id(facts), kind)
    hit = _memo.get(key)
    if hit is not None and hit[0] is item and hit[1] is facts:
        return hit[2]
    tasks = _filter_tasks(item, plan, facts, kind)
    _memo[key] = (item, facts, tasks)
    return tasks


def _filter_tasks(item: dict, plan: Any, facts: Any, kind: str) -> list[dict[str, Any]]:
    plan_data = plan if isinstance(plan, dict) else {}
    try:
        sop = sop_facts(facts)
        if kind == "campaign":
            slots, anchors, _, _ = _campaign_slots(item, plan_data, sop)
        else:
            slots, anchors, _, _ = _session_slots(item, plan_data, sop)
    except QunceError:
        return []
    return [{"key": s.key, "step": s.spec.get("step"), "phase": s.spec.get("phase") or s.spec.get("key"),
             "to": s.spec.get("to") or "team", "at": s.at.isoformat(),
             "end": s.end.isoformat() if s.end else None,
             "inside": anchors["start"] <= s.at < anchors["end"],
             "lead_days": round(_wall(anchors["start"], s.at) / timedelta(days=1), 4)} for s in slots]


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


def funnel_review(funnel: Any, facts: Any = None, lang: str = "zh") -> dict[str, Any] | None:
    """Launches -> scans -> joins -> completions: each stage's conversion from the one before,
    and the weakest stage (lowest conversion) with the playbook's suggestion for it.

    None when the campaign has no funnel figures at all.
    """
    data = _dict(funnel)
    if not any(isinstance(data.get(k), int) and not isinstance(data.get(k), bool) for k in FUNNEL_STAGES):
        return None
    meta = _dict(_dict(sop_facts(facts).get("campaign")).get("funnel"))
    stages: list[dict[str, Any]] = []
    previous: int | None = None
    for i, key in enumerate(FUNNEL_STAGES):
        raw = data.get(key)
        count = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        conversion = None
        if i > 0 and count is not None and previous:
            conversion = round(count / previous, 4)
        stages.append({"name": key, "label": _bi(_dict(meta.get(key)).get("label"), lang) or key,
                       "count": count, "conversion": conversion})
        previous = count
    rated = [s for s in stages if s["conversion"] is not None]
    weakest = min(rated, key=lambda s: s["conversion"]) if rated else None
    return {"stages": stages, "weakest": weakest["name"] if weakest else None,
            "weakest_label": weakest["label"] if weakest else None,
            "suggestion": _bi(_dict(meta.get(weakest["name"])).get("suggestion"), lang) if weakest else None}


def filter_funnel(funnel: Any, facts: Any = None, lang: str = "zh") -> dict[str, Any]:
    """`item.funnel | sop_funnel(facts)`: funnel_review(), or an empty review when there are no figures."""
    return funnel_review(funnel, facts, lang) or {"stages": [], "weakest": None, "weakest_label": None,
                                                  "suggestion": None}


# ---- rendering task text -----------------------------------------------------------------------


class _Texts:
    """Compiles each title/message template of the playbook once per process, in the rule sandbox:
    a batch of plans or a plan document with many sessions then skips Jinja's compiler."""

    LIMIT = 2048  # distinct texts kept; custom packs could otherwise grow the cache without end

    def __init__(self, lang: str) -> None:
        from ..output.templating import add_helpers
        from ..rules.vocabulary import sandbox

        self.lang = lang
        self.env = add_helpers(sandbox())
        self.cache: dict[str, Any] = {}

    def render(self, value: Any, context: dict[str, Any], where: str) -> str | None:
        text = _bi(value, self.lang) if value is not None else None
        if not text:
            return None
        from jinja2 import TemplateSyntaxError

        try:
            template = self.cache.get(text)
            if template is None:
                if len(self.cache) >= self.LIMIT:
                    self.cache.clear()
                template = self.cache[text] = self.env.from_string(text)
            return template.render(**context).strip("\n")
        except TemplateSyntaxError as e:
            raise TemplateError("template-failed", {"template": where, "line": e.lineno, "error": e.message},
                                file="playbooks/sop.yaml") from None
        except Exception as e:  # SecurityError or a type error in a draft
            raise TemplateError("template-failed", {"template": where, "line": "?",
                                                    "error": f"{type(e).__name__}: {e}"},
                                file="playbooks/sop.yaml") from None


_TEXTS: dict[str, _Texts] = {}


def _texts(lang: str) -> _Texts:
    if lang not in _TEXTS:
        _TEXTS[lang] = _Texts(lang)
    return _TEXTS[lang]


def _span(delta: timedelta, lang: str) -> str:
    """7天 / 1小时 / 10分钟 (en: 7 days / 1 hour / 10 minutes), from a wall-clock difference."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes and minutes % 1440 == 0:
        n, zh, en = minutes // 1440, "天", "day"
    elif minutes and minutes % 60 == 0:
        n, zh, en = minutes // 60, "小时", "hour"
    else:
        n, zh, en = minutes, "分钟", "minute"
    return f"{n} {en}{'' if n == 1 else 's'}" if lang == "en" else f"{n}{zh}"


def _wall(a: datetime, b: datetime) -> timedelta:
    return a.replace(tzinfo=None) - b.replace(tzinfo=None)


def _people(plan_data: Any) -> dict[str, list[str]]:
    """Who holds each team role: names when given, else a head count."""
    structure = _dict(_dict(plan_data).get("structure"))
    out: dict[str, list[str]] = {}
    for member in _list(structure.get("team")):
        if isinstance(member, dict) and isinstance(member.get("role"), str):
            names = out.setdefault(member["role"], [])  # an empty list: the role exists, nameless
            if _text(member.get("name")):
                names.append(_text(member.get("name")))
    owner = _text(_dict(_dict(plan_data).get("community")).get("owner"))
    if owner and not any(out.get("owner", [])):
        out["owner"] = [owner]
    return out


def _owner(roles: Any, named: dict[str, str], people: dict[str, Any], labels: dict, lang: str) -> tuple[str, str]:
    """The first role the plan can fill: a person's name, names joined, or the role's label."""
    roles = [r for r in (roles if isinstance(roles, list) else [roles]) if isinstance(r, str)] or ["owner"]
    sep = ", " if lang == "en" else "、"
    for role in roles:
        if named.get(role):
            return named[role], role
        if role in people:
            names = [n for n in people[role] if n]
            return (sep.join(names) if names else _bi(labels.get(role), lang) or role), role
    return _bi(labels.get(roles[0]), lang) or roles[0], roles[0]


def _step_names(section: dict, lang: str) -> dict[int, str]:
    return {i + 1: _bi(v, lang) for i, v in enumerate(_list(section.get("steps")))}


# ---- picking the item and collecting its findings ----------------------------------------------


def _pick(plan: Document | None, section: str, wanted: str | None) -> tuple[int, dict]:
    if plan is None:
        raise UsageError("sop-no-plan", {})
    items = [x for x in _list(_dict(plan.data).get(section)) if isinstance(x, dict)]
    noun = "session" if section == "sessions" else "campaign"
    ids = [str(x.get("id")) for x in items if x.get("id")]
    if not items:
        raise UsageError(f"sop-no-{section}", {}, file=plan.path)
    if wanted is None:
        if len(items) > 1:
            raise UsageError(f"sop-choose-{noun}", {"count": len(items), "choices": ", ".join(ids)}, file=plan.path)
        return 0, items[0]
    for i, item in enumerate(_list(plan.data.get(section))):
        if isinstance(item, dict) and str(item.get("id")) == wanted:
            return i, item
    raise UsageError(f"sop-unknown-{noun}", {"id": wanted, "choices": ", ".join(ids) or "—"}, file=plan.path)


def _located(err: UsageError, plan: Document, path: tuple) -> UsageError:
    line, col = plan.locator.value(path)
    return UsageError(err.code, err.params, file=plan.path, line=line, column=col)


def _findings(plan: Document, rules: RuleSet, prefix: tuple, lang: str, today: date,
              adhoc: bool = False) -> tuple[list[Finding], list[Problem]]:
    """The plan's findings under `sessions[i]` / `campaigns[i]`, as `qunce check` reports them."""
    outcome = evaluate(rules, plan.data, plan.locator, plan.path, lang=lang, today=today)
    base = dotted(prefix)
    kept = [f for f in outcome.findings
            if f.path == base or f.path.startswith(base + ".") or f.path.startswith(base + "[")]
    if adhoc:  # no file behind an ad-hoc session: positions would point nowhere
        kept = [replace(f, file="", line=None, column=None) for f in kept]
    errors = [e for e in outcome.engine_errors if e.path == base or e.path.startswith(base)]
    return kept, errors


def _resolve(rules: RuleSet | None, lang: str, today: date | None) -> tuple[RuleSet, str, date]:
    return (rules if rules is not None else load_rules(), "en" if lang == "en" else "zh", today or date.today())


# ---- sessions ----------------------------------------------------------------------------------


def session_schedule(plan: Document | None, session_id: str | None = None, *, rules: RuleSet | None = None,
                     lang: str = "zh", today: date | None = None) -> Schedule:
    """The SOP of one session of a plan; with one session in the plan, `session_id` may be None.

    Raises UsageError: sop-no-plan, sop-no-sessions, sop-choose-session (several, none chosen),
    sop-unknown-session, sop-no-start / sop-bad-start, sop-unknown-timezone.
    """
    rules, lang, today = _resolve(rules, lang, today)
    index, item = _pick(plan, "sessions", session_id)
    assert plan is not None
    return _build_session(plan, index, item, rules, lang, today, adhoc=False)


def adhoc_session(title: str, start: str, *, guest: str | None = None, host: str | None = None,
                  duration: int | None = None, timezone: str | None = None, rules: RuleSet | None = None,
                  lang: str = "zh", today: date | None = None, community: str = "") -> Schedule:
    """A session without a plan (`qunce sop --title T --start 2026-12-05T20:00 ...`).

    Raises UsageError: sop-no-title, sop-bad-start, sop-bad-duration, sop-unknown-timezone.
    """
    rules, lang, today = _resolve(rules, lang, today)
    tz_name = timezone or DEFAULT_TIMEZONE
    tz = zone(tz_name)
    if not _text(title):
        raise UsageError("sop-no-title", {})
    if parse_moment(start, tz) is None:
        raise UsageError("sop-bad-start", {"id": "--start", "value": start})
    if duration is not None and (not isinstance(duration, int) or isinstance(duration, bool)
                                 or not 1 <= duration <= 600):
        raise UsageError("sop-bad-duration", {"value": duration})
    import hashlib

    sid = "adhoc-" + hashlib.sha256(title.strip().encode("utf-8")).hexdigest()[:8]
    session: dict[str, Any] = {"id": sid, "title": title.strip(), "start": start.strip()}
    if guest:
        session["guest"] = {"name": guest}
    if host:
        session["host"] = host
    if duration is not None:
        session["duration_minutes"] = duration
    data = {"version": 1, "community": {"name": community, "timezone": tz_name}, "sessions": [session]}
    plan = Document("", data, Locator())
    return _build_session(plan, 0, session, rules, lang, today, adhoc=True)


def _build_session(plan: Document, index: int, item: dict, rules: RuleSet, lang: str, today: date,
                   *, adhoc: bool) -> Schedule:
    sop = sop_facts(rules.facts)
    section = _dict(sop.get("session"))
    try:
        slots, anchors, duration, tz_name = _session_slots(item, plan.data, sop)
    except UsageError as err:
        if adhoc:
            raise
        path = {"sop-unknown-timezone": ("community", "timezone"),
                "sop-bad-offset": ("sessions", index, "offsets")}.get(err.code, ("sessions", index, "start"))
        raise _located(err, plan, path) from None
    labels = _dict(sop.get("roles"))
    guest = _dict(item.get("guest"))
    named = {"host": _text(item.get("host")), "guest": _text(guest.get("name"))}
    people = _people(plan.data)
    community = _text(_dict(plan.data.get("community")).get("name"))
    texts = _texts(lang)
    due = {s.key: s.at for s in slots}
    base = {
        "plan": plan.data, "session": item, "facts": rules.facts, "lang": lang, "community": community,
        "title": _text(item.get("title")) or _text(item.get("id")), "topic": _text(item.get("topic")),
        "guest": named["guest"] or _bi(labels.get("guest"), lang), "bio": _text(guest.get("bio")),
        "host": named["host"] or _bi(labels.get("host"), lang),
        "group": _text(item.get("group")) or ("this group" if lang == "en" else "本群"),
        "perks": _text(item.get("perks")), "interaction": _text(item.get("interaction")),
        "duration": duration, "start": anchors["start"], "end": anchors["end"], "due": due,
    }
    tasks: list[Task] = []
    for slot in slots:
        spec = slot.spec
        before = _wall(anchors["start"], slot.at)
        ctx = dict(base, at=slot.at, notice=slot.notice,
                   lead=(("" if lang == "en" else "提前") + _span(before, lang) + (" before" if lang == "en" else ""))
                   if before > timedelta(0) else "",
                   countdown=(f"in {_span(before, lang)}" if lang == "en" else f"{_span(before, lang)}后")
                   if before > timedelta(0) else "",
                   countdown_short=_span(before, lang))
        owner, role = _owner(spec.get("owner"), named, people, labels, lang)
        where = f"facts.sop.session.tasks[{spec.get('key')}]"
        tasks.append(Task(step=int(spec.get("step") or 0), key=slot.key, at=slot.at,
                          owner=owner, role=role, title=texts.render(spec.get("title"), ctx, where + ".title") or "",
                          message=texts.render(spec.get("message"), ctx, where + ".message"),
                          phase=str(spec.get("phase") or spec.get("key")), end=slot.end,
                          to=str(spec.get("to") or "team")))
    findings, errors = _findings(plan, rules, ("sessions", index), lang, today, adhoc=adhoc)
    details = {"guest": named["guest"] or None, "bio": base["bio"] or None, "host": named["host"] or None,
               "group": _text(item.get("group")) or None, "topic": base["topic"] or None,
               "perks": base["perks"] or None, "interaction": base["interaction"] or None,
               "duration": duration}
    return Schedule(kind="session", id=str(item.get("id") or ""), title=base["title"], timezone=tz_name,
                    tasks=tasks, findings=findings, community=community, lang=lang, start=anchors["start"],
                    end=anchors["end"], details=details, steps=_step_names(section, lang),
                    labels={"audiences": {k: _bi(v, lang) for k, v in _dict(sop.get("audiences")).items()}},
                    engine_errors=errors, source=plan.path, **_calendar_minutes(sop))


def _calendar_minutes(sop: dict) -> dict[str, int]:
    def minutes(key: str) -> int:
        value = sop.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 15

    return {"event_minutes": minutes("event_minutes") or 15, "alarm_minutes": minutes("alarm_minutes")}


# ---- campaigns ---------------------------------------------------------------------------------


def campaign_schedule(plan: Document | None, campaign_id: str | None = None, *, rules: RuleSet | None = None,
                      lang: str = "zh", today: date | None = None) -> Schedule:
    """The operator's flow of one referral campaign as dated tasks, with the poster's six elements,
    the four scripts, the tool checklist and the funnel review.

    Raises UsageError: sop-no-plan, sop-no-campaigns, sop-choose-campaign, sop-unknown-campaign,
    sop-no-start / sop-bad-start, sop-unknown-timezone.
    """
    rules, lang, today = _resolve(rules, lang, today)
    index, item = _pick(plan, "campaigns", campaign_id)
    assert plan is not None
    sop = sop_facts(rules.facts)
    section = _dict(sop.get("campaign"))
    try:
        slots, anchors, tz_name, end_is_date = _campaign_slots(item, plan.data, sop)
    except UsageError as err:
        path = ("community", "timezone") if err.code == "sop-unknown-timezone" else ("campaigns", index, "start")
        raise _located(err, plan, path) from None
    labels = _dict(sop.get("roles"))
    named = {"receiver": _text(item.get("receiver"))}
    people = _people(plan.data)
    community = _text(_dict(plan.data.get("community")).get("name"))
    poster_data = _dict(item.get("poster"))
    structure = _dict(plan.data.get("structure"))
    base = {
        "plan": plan.data, "campaign": item, "facts": rules.facts, "lang": lang, "community": community,
        "goal": _text(item.get("goal")), "target": item.get("target"), "reward": _text(item.get("reward")),
        "poster": poster_data, "scripts": _dict(item.get("scripts")),
        "channels": [c for c in _list(item.get("channels")) if isinstance(c, str)],
        "rules": [r for r in _list(structure.get("rules")) if isinstance(r, str)],
        "remove_invalid": item.get("remove_invalid") is True, "receiver": named["receiver"],
        "start": anchors["start"], "end": anchors["end"], "due": {s.key: s.at for s in slots},
    }
    texts = _texts(lang)
    tasks = []
    for slot in slots:
        spec = slot.spec
        owner, role = _owner(spec.get("owner"), named, people, labels, lang)
        where = f"facts.sop.campaign.tasks[{spec.get('key')}]"
        ctx = dict(base, at=slot.at)
        tasks.append(Task(step=int(spec.get("step") or 0), key=slot.key, at=slot.at, owner=owner, role=role,
                          title=texts.render(spec.get("title"), ctx, where + ".title") or "",
                          message=texts.render(spec.get("message"), ctx, where + ".message"),
                          phase=str(spec.get("phase") or spec.get("key")), end=slot.end,
                          to=str(spec.get("to") or "team")))
    findings, errors = _findings(plan, rules, ("campaigns", index), lang, today)
    from ..rules.vocabulary import is_present

    poster = {k: (poster_data.get(k) is True) if k == "live_code" else is_present(poster_data.get(k))
              for k in POSTER_ELEMENTS}
    scripts_data = _dict(item.get("scripts"))
    scripts = {k: (_text(scripts_data.get(k)) or None) for k in SCRIPTS}
    checklist = _checklist(item, plan.data, rules.facts, section, lang)
    end_display = anchors["end"] + timedelta(days=1) if end_is_date else anchors["end"]
    title = _text(poster_data.get("title")) or _text(item.get("goal")) or str(item.get("id") or "")
    details = {"goal": base["goal"] or None, "target": item.get("target"), "reward": base["reward"] or None,
               "reward_kind": item.get("reward_kind"), "channels": base["channels"],
               "receiver": named["receiver"] or None, "groups_ready": item.get("groups_ready"),
               "end_is_date": end_is_date, "last_day": anchors["end"].date() if end_is_date else None,
               "poster_texts": {k: _text(poster_data.get(k)) for k in POSTER_ELEMENTS if k != "live_code"}}
    section_labels = {name: {k: _bi(v, lang) for k, v in _dict(section.get(name)).items()}
                      for name in ("poster", "scripts", "checklist")}
    section_labels["audiences"] = {k: _bi(v, lang) for k, v in _dict(sop.get("audiences")).items()}
    return Schedule(kind="campaign", id=str(item.get("id") or ""), title=title, timezone=tz_name, tasks=tasks,
                    findings=findings, community=community, lang=lang, start=anchors["start"], end=end_display,
                    details=details, steps=_step_names(section, lang), labels=section_labels, poster=poster,
                    scripts=scripts, checklist=checklist, funnel=funnel_review(item.get("funnel"), rules.facts, lang),
                    engine_errors=errors, source=plan.path, **_calendar_minutes(sop))


def platform_facts(plan_data: Any, facts: Any) -> dict:
    platforms = _dict(_dict(facts).get("platforms"))
    name = _dict(_dict(plan_data).get("structure")).get("platform")
    return _dict(platforms.get(name) if isinstance(name, str) else None) or _dict(platforms.get("other"))


def groups_needed(target: Any, platform: dict) -> int:
    """Receiving groups a target needs: one per group's worth of joiners (the scan-to-join cap
    when the platform has one), at least one."""
    caps = [c for c in (platform.get("group_cap"), platform.get("scan_join_cap"))
            if isinstance(c, int) and not isinstance(c, bool) and c > 0]
    if not isinstance(target, int) or isinstance(target, bool) or target <= 0 or not caps:
        return 1
    return max(1, math.ceil(target / min(caps)))


def _checklist(item: dict, plan_data: Any, facts: Any, section: dict, lang: str) -> list[dict[str, Any]]:
    """The tool set-up checklist of DOMAIN §9, each item ok / not ok / not stated (None)."""
    labels = _dict(section.get("checklist"))
    platform = platform_facts(plan_data, facts)
    need = groups_needed(item.get("target"), platform)
    ready = item.get("groups_ready")
    ready_ok = None if not isinstance(ready, int) or isinstance(ready, bool) else ready >= need
    if lang == "en":
        groups_detail = f"{ready if ready is not None else '?'} ready, {need} needed"
    else:
        groups_detail = f"已备 {ready if ready is not None else '?'} 个，需要 {need} 个"

    def flag(value: Any) -> bool | None:
        return None if value is None else value is True

    poster = _dict(item.get("poster"))
    return [
        {"key": "groups", "label": _bi(labels.get("groups"), lang), "ok": ready_ok, "detail": groups_detail},
        {"key": "live_code", "label": _bi(labels.get("live_code"), lang), "ok": flag(poster.get("live_code")),
         "detail": None},
        {"key": "tested", "label": _bi(labels.get("tested"), lang), "ok": flag(item.get("tested")), "detail": None},
        {"key": "own_people", "label": _bi(labels.get("own_people"), lang), "ok": flag(item.get("own_people")),
         "detail": None},
    ]


def session_ids(plan: Document) -> list[str]:
    """The ids of a plan's sessions, for shell completion and error messages."""
    return [str(x.get("id")) for x in _list(_dict(plan.data).get("sessions")) if isinstance(x, dict) and x.get("id")]


def campaign_ids(plan: Document) -> list[str]:
    return [str(x.get("id")) for x in _list(_dict(plan.data).get("campaigns")) if isinstance(x, dict) and x.get("id")]


__all__ = ["Task", "Schedule", "Offset", "parse_offset", "apply_offset", "session_schedule", "adhoc_session",
           "campaign_schedule", "funnel_review", "groups_needed", "session_ids", "campaign_ids", "zone",
           "DEFAULT_TIMEZONE", "FORMAT_VERSION", "POSTER_ELEMENTS", "SCRIPTS", "FUNNEL_STAGES"]
