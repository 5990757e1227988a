"""Replication and lifecycle: the readiness checklist (staff, budget, materials, seed users,
sub-culture), the verdict, and the lifecycle phases with the timeline's data."""

from __future__ import annotations

from typing import Any

from .context import Ctx, enum_label, schema_title
from ..rules.vocabulary import is_commercial, seed_users_needed
from .values import dict_of, fmt_months, fmt_number, int_of, text_of


def replication(ctx: Ctx) -> dict[str, Any]:
    R = ("replication",)
    lang = ctx.lang
    rep = dict_of(ctx.get("replication"))
    ready = dict_of(rep.get("readiness"))
    need = seed_users_needed(ctx.data, ctx.rules.facts)
    seeds = int_of(ready.get("seed_users"))
    checklist = []
    for key in ("staff", "budget", "materials"):
        value = ready.get(key)
        checklist.append({"key": key, "label": schema_title(R + ("readiness", key), lang),
                          "ok": value if isinstance(value, bool) else None, "detail": None,
                          "rules": ctx.flagged(R + ("readiness", key))})
    checklist.append({"key": "seed_users", "label": schema_title(R + ("readiness", "seed_users"), lang),
                      "ok": seeds >= need if seeds is not None else None,
                      "detail": ctx.L("seeds", have=fmt_number(seeds), need=need),
                      "rules": ctx.flagged(R + ("readiness", "seed_users"))})
    sub = text_of(ready.get("subculture"))
    checklist.append({"key": "subculture", "label": schema_title(R + ("readiness", "subculture"), lang), "ok": True if sub else None,
                      "detail": sub, "rules": ctx.flagged(R + ("readiness", "subculture"))})
    all_ready = all(c["ok"] is True for c in checklist)
    naming = text_of(rep.get("naming"))
    examples = [naming.replace("{n}", str(n)) for n in (1, 2, 3)] if naming and "{n}" in naming else None
    mode = rep.get("mode")
    return {
        "present": bool(rep), "missing": None if rep else ctx.missing(R),
        "checklist": checklist,
        "ready": all_ready,
        "verdict": ctx.L("ready-yes") if all_ready else ctx.L("ready-no"),
        "mode": ctx.field(R + ("mode",), enum_label(R + ("mode",), mode, lang) if mode else None),
        "naming": ctx.field(R + ("naming",)),
        "naming_examples": examples,
        "trigger": ctx.field(R + ("trigger",)),
        "lifecycle": lifecycle(ctx),
    }


def lifecycle(ctx: Ctx) -> dict[str, Any]:
    """Phases over the stated lifespan (or the playbook's default), with "now" when the group's
    age is known."""
    stated = int_of(ctx.get("positioning", "lifespan_months"))
    life = dict_of(dict_of(ctx.rules.facts.get("structure")).get("lifespan"))
    default = int(life.get("commercial_months", 24) if is_commercial(ctx.data, ctx.rules.facts) else life.get("plain_months", 6))
    total = float(stated or default)

    step = 0.5 if total >= 6 else 0.1  # phase bounds on half months (tenths for a short-lived group)

    def r(x: float) -> float:
        return min(total, round(round(x / step) * step, 1))

    b1 = max(step, min(r(total * 0.1), 3.0))
    b2 = max(b1, r(total * 0.35))
    b3 = max(b2, r(total * 0.75))
    bounds = [(0.0, b1), (b1, b2), (b2, b3), (b3, total)]
    phases = []
    for key, (a, b) in zip(("launch", "growth", "mature", "renew"), bounds):
        phases.append({"key": key, "label": ctx.L(f"ph-{key}"), "start": a, "end": b,
                       "span": ctx.L("month-span", a=fmt_months(a), b=fmt_months(b)), "focus": ctx.L(f"ph-{key}-focus")})
    markers = []
    age = int_of(ctx.get("observed", "group_age_days"))
    now_at = None
    if age is not None:
        now_at = round(age / 30.4, 1)
        markers.append((ctx.L("now-marker"), min(now_at, total)))
    svg = {"chart": "timeline", "data": [(p["label"], p["start"], p["end"]) for p in phases], "total": total,
           "unit_label": ctx.L("unit-months"), "markers": markers, "title": ctx.L("chart-timeline"),
           "empty_text": ctx.L("chart-empty")}
    current = None
    if now_at is not None:
        current = next((p["label"] for p in phases if p["start"] <= now_at < p["end"]), phases[-1]["label"])
    return {"total": fmt_months(total), "stated": stated is not None,
            "missing": None if stated else ctx.missing(("positioning", "lifespan_months")),
            "default_note": None if stated else ctx.L("lifespan-default", months=default),
            "phases": phases, "svg": svg, "now": fmt_months(now_at) if now_at is not None else None,
            "current": current, "past_lifespan": now_at is not None and now_at > total,
            "now_text": (ctx.L("now-text", n=now_at, months=fmt_months(now_at), phase=current.lower())
                         + (" " + ctx.L("past-lifespan") if now_at > total else "")) if now_at is not None else None}
