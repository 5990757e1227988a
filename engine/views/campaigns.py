"""Referral campaigns: facts, the poster's six elements, the four scripts, the funnel review with
the funnel chart's data, the tool checklist and the task schedule (through the SOP engine)."""

from __future__ import annotations

from typing import Any

from ..i18n.format import format_date, format_percent
from ..model.domain import FUNNEL_STAGES
from ..schedule.campaigns import POSTER_ELEMENTS, SCRIPTS, funnel_review
from ..schedule.playbook import sop_facts
from .context import Ctx, enum_label, local_findings
from .sessions import task_rows
from .values import bilingual, capitalize, dict_of, fmt_number, int_of, list_of, text_of


def campaigns(ctx: Ctx) -> dict[str, Any]:
    lang = ctx.lang
    out = []
    for i, item in enumerate(list_of(ctx.get("campaigns"))):
        if not isinstance(item, dict):
            continue
        C = ("campaigns", i)
        schedule = ctx.schedule("campaigns", i, item, lang)
        facts_sop = sop_facts(ctx.rules.facts)
        section = dict_of(facts_sop.get("campaign"))
        poster_labels = {k: capitalize(bilingual(v, lang)) for k, v in dict_of(section.get("poster")).items()}
        script_labels = {k: capitalize(bilingual(v, lang)) for k, v in dict_of(section.get("scripts")).items()}
        poster_data = dict_of(item.get("poster"))
        poster = []
        for key in POSTER_ELEMENTS:
            value = poster_data.get(key)
            ok = value is True if key == "live_code" else bool(text_of(value))
            poster.append({"label": poster_labels.get(key, key), "ok": ok,
                           "text": text_of(value) if key != "live_code" else None,
                           "rules": ctx.flagged(C + ("poster", key))})
        scripts_data = dict_of(item.get("scripts"))
        scripts = [{"label": script_labels.get(k, k), "text": text_of(scripts_data.get(k)),
                    "missing": None if text_of(scripts_data.get(k)) else ctx.missing(C + ("scripts", k), script_labels.get(k))}
                   for k in SCRIPTS]
        review = funnel_review(item.get("funnel"), ctx.rules.facts, lang)
        funnel = None
        if review:
            stages = [{"label": s["label"], "count": fmt_number(s["count"]),
                       "conversion": format_percent(s["conversion"]) if s["conversion"] is not None else "—",
                       "weakest": s["name"] == review["weakest"]} for s in review["stages"]]
            svg = {"chart": "funnel", "data": [(s["label"], s["count"]) for s in review["stages"] if s["count"] is not None],
                   "title": ctx.L("chart-funnel", name=text_of(poster_data.get("title")) or text_of(item.get("id")) or ""),
                   "weakest": review.get("weakest_label"), "empty_text": ctx.L("chart-empty")}
            target = int_of(item.get("target"))
            joins = int_of(dict_of(item.get("funnel")).get("joins"))
            funnel = {"stages": stages, "weakest": review.get("weakest_label"), "suggestion": review.get("suggestion"),
                      "svg": svg, "target": ctx.L("target-vs", joins=fmt_number(joins), target=fmt_number(target),
                                                  pct=format_percent(joins / target, 0))
                      if target and joins is not None else None}
        period = None
        if schedule is not None and schedule.start:
            last = schedule.details.get("last_day") or (schedule.end.date() if schedule.end else None)
            period = format_date(schedule.start, lang, year=True) + (
                " – " + format_date(last, lang, year=True) if last and last != schedule.start.date() else "")
        rows = [
            ctx.field(C + ("goal",)),
            ctx.field(C + ("target",), ctx.people(item["target"]) if int_of(item.get("target")) else None),
            ctx.field(C + ("start",), period, label=ctx.L("period")),
            ctx.field(C + ("reward",), _reward(item, ctx)),
            ctx.field(C + ("channels",)),
            ctx.field(C + ("receiver",)),
        ]
        tasks = task_rows(schedule, ctx) if schedule is not None else []
        checklist = [{"label": capitalize(c["label"]), "ok": c["ok"], "detail": c.get("detail")}
                     for c in (schedule.checklist if schedule is not None and schedule.checklist else [])]
        title = text_of(poster_data.get("title")) or text_of(item.get("goal")) or text_of(item.get("id")) or f"#{i + 1}"
        out.append({
            "id": text_of(item.get("id")) or f"#{i + 1}", "title": title, "rows": rows, "poster": poster,
            "poster_ok": sum(1 for p in poster if p["ok"]), "poster_total": len(poster),
            "scripts": scripts, "funnel": funnel,
            "funnel_missing": None if funnel else ctx.missing(C + ("funnel",)),
            "funnel_stages": [bilingual(dict_of(dict_of(section.get("funnel")).get(k)).get("label"), lang) or k
                              for k in FUNNEL_STAGES],
            "checklist": checklist, "tasks": tasks,
            "no_schedule": None if schedule is not None else ctx.missing(C + ("start",)),
            "findings": local_findings(ctx, C),
        })
    return {"entries": out, "missing": None if out else ctx.missing(("campaigns",))}


def _reward(item: dict, ctx: Ctx) -> str | None:
    """The reward, with its kind in brackets when stated."""
    reward = text_of(item.get("reward"))
    if not reward:
        return None
    kind = item.get("reward_kind")
    if not kind:
        return reward
    return ctx.L("paren", text=reward, inner=enum_label(("campaigns", "[]", "reward_kind"), kind, ctx.lang))
