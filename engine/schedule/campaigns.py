"""A referral campaign's operator flow (DOMAIN §9) as dated tasks, with the poster's six elements,
the four scripts, the tool checklist (groups needed among them) and the funnel review.

    campaign_schedule(plan, campaign_id, *, facts, lang) -> Schedule
    funnel_review(funnel, facts, lang) -> stages, conversions, the weakest stage
    groups_needed(target, platform) -> receiving groups a target needs

As with sessions, the schedule carries no findings: engine.api attaches them.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from ..errors import UsageError
from ..i18n import t
from ..model.domain import FUNNEL_STAGES
from ..model.platforms import platform_profile
from ..model.plan import Document, is_present
from ..model.schedule import Schedule, Task
from .playbook import (as_dict, as_list, bi, calendar_minutes, count, labels_of, language, located, owner,
                       people, pick, sop_facts, step_names, text, texts)
from .timing import Slot, expand, parse_moment, plan_zone_name, zone

POSTER_ELEMENTS = ("title", "subtitle", "selling_point", "endorsement", "call_to_action", "live_code")
SCRIPTS = ("join", "review", "reminder", "removal")


def campaign_anchors(item: dict, plan_data: Any) -> tuple[dict[str, datetime], str, bool]:
    """Start and end (a bare date is 00:00 local), the zone's name, and whether the end was a date."""
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
    return {"start": start, "end": end}, tz_name, end_is_date


def campaign_slots(item: dict, plan_data: Any, sop: dict) -> tuple[list[Slot], dict[str, datetime], str, bool]:
    """The campaign's tasks timed around its start and end."""
    anchors, tz_name, end_is_date = campaign_anchors(item, plan_data)
    campaign = as_dict(sop.get("campaign"))
    slots = expand(as_list(campaign.get("tasks")), anchors, {}, [], int(sop.get("max_repeats") or 92))
    return slots, anchors, tz_name, end_is_date


def campaign_schedule(plan: Document | None, campaign_id: str | None = None, *, facts: Any = None,
                      lang: str = "zh") -> Schedule:
    """The operator's flow of one referral campaign as dated tasks, with the poster's six elements,
    the four scripts, the tool checklist and the funnel review.

    Raises UsageError: sop-no-plan, sop-no-campaigns, sop-choose-campaign, sop-unknown-campaign,
    sop-no-start / sop-bad-start, sop-unknown-timezone.
    """
    lang = language(lang)
    index, item = pick(plan, "campaigns", campaign_id)
    if plan is None:  # pick() has raised sop-no-plan already; an explicit check, not an assert
        raise UsageError("sop-no-plan", {})
    sop = sop_facts(facts)
    section = as_dict(sop.get("campaign"))
    try:
        slots, anchors, tz_name, end_is_date = campaign_slots(item, plan.data, sop)
    except UsageError as err:
        path = ("community", "timezone") if err.code == "sop-unknown-timezone" else ("campaigns", index, "start")
        raise located(err, plan, path) from None
    labels = as_dict(sop.get("roles"))
    named = {"receiver": text(item.get("receiver"))}
    crew = people(plan.data)
    community = text(as_dict(plan.data.get("community")).get("name"))
    poster_data = as_dict(item.get("poster"))
    structure = as_dict(plan.data.get("structure"))
    base = {
        "plan": plan.data, "campaign": item, "facts": facts, "lang": lang, "community": community,
        "goal": text(item.get("goal")), "target": item.get("target"), "reward": text(item.get("reward")),
        "poster": poster_data, "scripts": as_dict(item.get("scripts")),
        "channels": [c for c in as_list(item.get("channels")) if isinstance(c, str)],
        "rules": [r for r in as_list(structure.get("rules")) if isinstance(r, str)],
        "remove_invalid": item.get("remove_invalid") is True, "receiver": named["receiver"],
        "start": anchors["start"], "end": anchors["end"], "due": {s.key: s.at for s in slots},
    }
    render = texts(lang)
    tasks = []
    for slot in slots:
        spec = slot.spec
        who, role = owner(spec.get("owner"), named, crew, labels, lang)
        where = f"facts.sop.campaign.tasks[{spec.get('key')}]"
        ctx = dict(base, at=slot.at)
        tasks.append(Task(step=int(spec.get("step") or 0), key=slot.key, at=slot.at, owner=who, role=role,
                          title=render.render(spec.get("title"), ctx, where + ".title") or "",
                          message=render.render(spec.get("message"), ctx, where + ".message"),
                          phase=str(spec.get("phase") or spec.get("key")), end=slot.end,
                          to=str(spec.get("to") or "team")))
    poster = {k: (poster_data.get(k) is True) if k == "live_code" else is_present(poster_data.get(k))
              for k in POSTER_ELEMENTS}
    scripts_data = as_dict(item.get("scripts"))
    scripts = {k: (text(scripts_data.get(k)) or None) for k in SCRIPTS}
    end_display = anchors["end"] + timedelta(days=1) if end_is_date else anchors["end"]
    title = text(poster_data.get("title")) or text(item.get("goal")) or str(item.get("id") or "")
    details = {"goal": base["goal"] or None, "target": item.get("target"), "reward": base["reward"] or None,
               "reward_kind": item.get("reward_kind"), "channels": base["channels"],
               "receiver": named["receiver"] or None, "groups_ready": item.get("groups_ready"),
               "end_is_date": end_is_date, "last_day": anchors["end"].date() if end_is_date else None,
               "poster_texts": {k: text(poster_data.get(k)) for k in POSTER_ELEMENTS if k != "live_code"}}
    section_labels = {name: labels_of(section.get(name), lang) for name in ("poster", "scripts", "checklist")}
    section_labels["audiences"] = labels_of(sop.get("audiences"), lang)
    return Schedule(kind="campaign", id=str(item.get("id") or ""), title=title, timezone=tz_name, tasks=tasks,
                    community=community, lang=lang, start=anchors["start"], end=end_display,
                    details=details, steps=step_names(section, lang), labels=section_labels, poster=poster,
                    scripts=scripts, checklist=checklist(item, plan.data, facts, section, lang),
                    funnel=funnel_review(item.get("funnel"), facts, lang), source=plan.path,
                    path=("campaigns", index), **calendar_minutes(sop))


# ---- the tool checklist ------------------------------------------------------------------------


def groups_needed(target: Any, platform: dict) -> int:
    """Receiving groups a target needs: one per group's worth of joiners (the scan-to-join cap
    when the platform has one), at least one."""
    caps = [c for c in (platform.get("group_cap"), platform.get("scan_join_cap"))
            if isinstance(c, int) and not isinstance(c, bool) and c > 0]
    if not isinstance(target, int) or isinstance(target, bool) or target <= 0 or not caps:
        return 1
    return max(1, math.ceil(target / min(caps)))


def checklist(item: dict, plan_data: Any, facts: Any, section: dict, lang: str) -> list[dict[str, Any]]:
    """The tool set-up checklist of DOMAIN §9, each item ok / not ok / not stated (None)."""
    labels = as_dict(section.get("checklist"))
    need = groups_needed(item.get("target"), platform_profile(plan_data, facts))
    ready = count(item.get("groups_ready"))
    shown = item.get("groups_ready") if item.get("groups_ready") is not None else t("schedule:unknown-count", lang)
    detail = t("schedule:groups-detail", lang, ready=shown, need=need)

    def flag(value: Any) -> bool | None:
        return None if value is None else value is True

    poster = as_dict(item.get("poster"))
    return [
        {"key": "groups", "label": bi(labels.get("groups"), lang), "ok": None if ready is None else ready >= need,
         "detail": detail},
        {"key": "live_code", "label": bi(labels.get("live_code"), lang), "ok": flag(poster.get("live_code")),
         "detail": None},
        {"key": "tested", "label": bi(labels.get("tested"), lang), "ok": flag(item.get("tested")), "detail": None},
        {"key": "own_people", "label": bi(labels.get("own_people"), lang), "ok": flag(item.get("own_people")),
         "detail": None},
    ]


# ---- the funnel review -------------------------------------------------------------------------


def funnel_review(funnel: Any, facts: Any = None, lang: str = "zh") -> dict[str, Any] | None:
    """Launches -> scans -> joins -> completions: each stage's conversion from the one before,
    and the weakest stage (lowest conversion) with the playbook's suggestion for it.

    None when the campaign has no funnel figures at all.
    """
    data = as_dict(funnel)
    if not any(count(data.get(k)) is not None for k in FUNNEL_STAGES):
        return None
    meta = as_dict(as_dict(sop_facts(facts).get("campaign")).get("funnel"))
    stages: list[dict[str, Any]] = []
    previous: int | None = None
    for i, key in enumerate(FUNNEL_STAGES):
        number = count(data.get(key))
        conversion = None
        if i > 0 and number is not None and previous:
            conversion = round(number / previous, 4)
        stages.append({"name": key, "label": bi(as_dict(meta.get(key)).get("label"), lang) or key,
                       "count": number, "conversion": conversion})
        previous = number
    rated = [s for s in stages if s["conversion"] is not None]
    weakest = min(rated, key=lambda s: s["conversion"]) if rated else None
    return {"stages": stages, "weakest": weakest["name"] if weakest else None,
            "weakest_label": weakest["label"] if weakest else None,
            "suggestion": bi(as_dict(meta.get(weakest["name"])).get("suggestion"), lang) if weakest else None}


__all__ = ["POSTER_ELEMENTS", "SCRIPTS", "FUNNEL_STAGES", "campaign_anchors", "campaign_slots", "campaign_schedule",
           "groups_needed", "checklist", "funnel_review"]
