"""A sharing session's nine steps (DOMAIN §8) as dated tasks with owners and message drafts.

    session_schedule(plan, session_id, *, facts, lang) -> Schedule
    adhoc_plan(title, start, *, guest, host, duration, timezone, community) -> Document
    session_slots(item, plan_data, sop) -> timed slots (what the rules' `sop_tasks` filter reads)

The schedule carries no findings: engine.api checks the plan once and attaches what the rules
found under `sessions[i]`, so this layer never runs rules.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone as dt_timezone
from typing import Any

from ..errors import UsageError
from ..i18n import t
from ..model.plan import Document, Locator
from ..model.schedule import Schedule, Task
from .playbook import (as_dict, as_list, bi, calendar_minutes, labels_of, language, located, owner, people, pick,
                       sop_facts, step_names, text, texts)
from .timing import DEFAULT_TIMEZONE, Slot, expand, parse_moment, parse_offset, plan_zone_name, span, wall, zone

_UTC = dt_timezone.utc


def session_anchors(item: dict, plan_data: Any, sop: dict) -> tuple[dict[str, datetime], int, str]:
    """Start and end in the community's zone, the length in minutes, and the zone's name."""
    tz_name = plan_zone_name(plan_data)
    tz = zone(tz_name)
    parsed = parse_moment(item.get("start"), tz)
    if parsed is None:
        code = "sop-no-start" if not item.get("start") else "sop-bad-start"
        raise UsageError(code, {"id": item.get("id") or "?", "value": item.get("start")})
    start = parsed[0]
    duration = item.get("duration_minutes")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
        duration = int(as_dict(sop.get("session")).get("default_minutes") or 60)
    end = (start.astimezone(_UTC) + timedelta(minutes=duration)).astimezone(tz)
    return {"start": start, "end": end}, duration, tz_name


def session_slots(item: dict, plan_data: Any, sop: dict) -> tuple[list[Slot], dict[str, datetime], int, str]:
    """The session's tasks timed: the playbook's offsets, moved by the plan's own `offsets` and
    `notices`. Raises UsageError for an unreadable start, zone or plan offset."""
    anchors, duration, tz_name = session_anchors(item, plan_data, sop)
    session = as_dict(sop.get("session"))
    overrides = {k: v for k, v in as_dict(item.get("offsets")).items() if isinstance(v, str)}
    notices = [n for n in as_list(item.get("notices")) if isinstance(n, str)] or as_list(session.get("notices"))
    for where, value in [*((f"offsets.{k}", v) for k, v in overrides.items()),
                         *(("notices", n) for n in as_list(item.get("notices")) if isinstance(n, str))]:
        try:  # the plan's own offsets: a usage error, not a broken playbook
            parse_offset(value)
        except ValueError:
            raise UsageError("sop-bad-offset", {"value": value, "where": f"sessions[].{where}"}) from None
    slots = expand(as_list(session.get("tasks")), anchors, overrides, notices, int(sop.get("max_repeats") or 92))
    return slots, anchors, duration, tz_name


def session_schedule(plan: Document | None, session_id: str | None = None, *, facts: Any = None,
                     lang: str = "zh") -> Schedule:
    """The SOP of one session of a plan; with one session in the plan, `session_id` may be None.

    `facts` are the loaded packs' facts (RuleSet.facts); None means the bundled playbook alone.
    Raises UsageError: sop-no-plan, sop-no-sessions, sop-choose-session (several, none chosen),
    sop-unknown-session, sop-no-start / sop-bad-start, sop-unknown-timezone (located in the plan).
    """
    index, item = pick(plan, "sessions", session_id)
    if plan is None:  # pick() has raised sop-no-plan already; an explicit check, not an assert
        raise UsageError("sop-no-plan", {})
    return build_session(plan, index, item, facts, language(lang))


def adhoc_plan(title: str, start: str, *, guest: str | None = None, host: str | None = None,
               duration: int | None = None, timezone: str | None = None, community: str = "") -> Document:
    """A one-session plan from command-line options (`qunce sop --title T --start 2026-12-05T20:00`),
    with no file behind it. The session's id is derived from the title, so it is stable.

    Raises UsageError: sop-no-title, sop-bad-start, sop-bad-duration, sop-unknown-timezone.
    """
    tz_name = timezone or DEFAULT_TIMEZONE
    tz = zone(tz_name)
    if not text(title):
        raise UsageError("sop-no-title", {})
    if parse_moment(start, tz) is None:
        raise UsageError("sop-bad-start", {"id": "--start", "value": start})
    if duration is not None and (not isinstance(duration, int) or isinstance(duration, bool)
                                 or not 1 <= duration <= 600):
        raise UsageError("sop-bad-duration", {"value": duration})
    sid = "adhoc-" + hashlib.sha256(title.strip().encode("utf-8")).hexdigest()[:8]
    session: dict[str, Any] = {"id": sid, "title": title.strip(), "start": start.strip()}
    if guest:
        session["guest"] = {"name": guest}
    if host:
        session["host"] = host
    if duration is not None:
        session["duration_minutes"] = duration
    data = {"version": 1, "community": {"name": community, "timezone": tz_name}, "sessions": [session]}
    return Document("", data, Locator())


def adhoc_session(title: str, start: str, *, facts: Any = None, lang: str = "zh", **options: Any) -> Schedule:
    """A session SOP without a plan file (options as for adhoc_plan), without findings."""
    return session_schedule(adhoc_plan(title, start, **options), None, facts=facts, lang=lang)


def build_session(plan: Document, index: int, item: dict, facts: Any, lang: str) -> Schedule:
    """The schedule of `item`, the plan's sessions[index]."""
    sop = sop_facts(facts)
    section = as_dict(sop.get("session"))
    try:
        slots, anchors, duration, tz_name = session_slots(item, plan.data, sop)
    except UsageError as err:
        path = {"sop-unknown-timezone": ("community", "timezone"),
                "sop-bad-offset": ("sessions", index, "offsets")}.get(err.code, ("sessions", index, "start"))
        raise located(err, plan, path) from None
    labels = as_dict(sop.get("roles"))
    guest = as_dict(item.get("guest"))
    named = {"host": text(item.get("host")), "guest": text(guest.get("name"))}
    crew = people(plan.data)
    community = text(as_dict(plan.data.get("community")).get("name"))
    render = texts(lang)
    base = {
        "plan": plan.data, "session": item, "facts": facts, "lang": lang, "community": community,
        "title": text(item.get("title")) or text(item.get("id")), "topic": text(item.get("topic")),
        "guest": named["guest"] or bi(labels.get("guest"), lang), "bio": text(guest.get("bio")),
        "host": named["host"] or bi(labels.get("host"), lang),
        "group": text(item.get("group")) or t("schedule:this-group", lang),
        "perks": text(item.get("perks")), "interaction": text(item.get("interaction")),
        "duration": duration, "start": anchors["start"], "end": anchors["end"], "due": {s.key: s.at for s in slots},
    }
    tasks: list[Task] = []
    for slot in slots:
        spec = slot.spec
        before = wall(anchors["start"], slot.at)
        ahead = before > timedelta(0)
        ctx = dict(base, at=slot.at, notice=slot.notice,
                   lead=t("schedule:lead", lang, span=span(before, lang)) if ahead else "",
                   countdown=t("schedule:countdown", lang, span=span(before, lang)) if ahead else "",
                   countdown_short=span(before, lang))
        who, role = owner(spec.get("owner"), named, crew, labels, lang)
        where = f"facts.sop.session.tasks[{spec.get('key')}]"
        tasks.append(Task(step=int(spec.get("step") or 0), key=slot.key, at=slot.at, owner=who, role=role,
                          title=render.render(spec.get("title"), ctx, where + ".title") or "",
                          message=render.render(spec.get("message"), ctx, where + ".message"),
                          phase=str(spec.get("phase") or spec.get("key")), end=slot.end,
                          to=str(spec.get("to") or "team")))
    details = {"guest": named["guest"] or None, "bio": base["bio"] or None, "host": named["host"] or None,
               "group": text(item.get("group")) or None, "topic": base["topic"] or None,
               "perks": base["perks"] or None, "interaction": base["interaction"] or None,
               "duration": duration}
    return Schedule(kind="session", id=str(item.get("id") or ""), title=base["title"], timezone=tz_name,
                    tasks=tasks, community=community, lang=lang, start=anchors["start"], end=anchors["end"],
                    details=details, steps=step_names(section, lang),
                    labels={"audiences": labels_of(sop.get("audiences"), lang)},
                    source=plan.path, path=("sessions", index), **calendar_minutes(sop))


__all__ = ["session_anchors", "session_slots", "session_schedule", "adhoc_plan", "adhoc_session", "build_session"]
