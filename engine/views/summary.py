"""The cover and the one-page summary: key facts, the pitch, health, the top findings, and the
risk radar's data (output draws it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..i18n.format import format_date
from ..model.domain import SINS, label as domain_label
from .context import SEVERITY_ORDER, Ctx, enum_label, finding_view, health_band, ranked
from .values import capitalize, int_of, list_of, text_of


def cover(ctx: Ctx) -> dict[str, Any]:
    name = text_of(ctx.get("community", "name")) or Path(ctx.plan.path).stem
    return {"community": name, "title": ctx.L("doc-title", name=name), "subtitle": ctx.L("doc-subtitle"),
            "generated": format_date(ctx.today, ctx.lang, year=True, weekday=False),
            "source": Path(ctx.plan.path).name}


def summary(ctx: Ctx) -> dict[str, Any]:
    result = ctx.result
    groups = [g for g in list_of(ctx.get("structure", "groups")) if isinstance(g, dict)]
    members = sum(int_of(g.get("members")) or 0 for g in groups) or int_of(ctx.get("observed", "members"))
    platform = ctx.get("structure", "platform")
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in SEVERITY_ORDER}
    top, seen = [], set()
    for f in ranked(result.findings):
        if f.rule in seen:
            continue
        seen.add(f.rule)
        top.append(finding_view(f, ctx))
        if len(top) == 3:
            break
    risks = [{"sin": s, "label": capitalize(domain_label(SINS, s, ctx.lang)), "risk": result.risk.get(s, 0),
              "findings": sum(1 for f in result.findings if f.sin == s)} for s in SINS]
    radar = {"chart": "radar", "data": [(ctx.L(f"radar-{r['sin']}"), r["risk"]) for r in risks],
             "title": ctx.L("chart-radar"), "empty_text": ctx.L("chart-empty")}
    kind = ctx.get("positioning", "kind")
    facts = [
        {"label": ctx.L("f-community"), "value": text_of(ctx.get("community", "name"))},
        {"label": ctx.L("f-kind"), "value": enum_label(("positioning", "kind"), kind, ctx.lang) if kind else None},
        {"label": ctx.L("f-owner"), "value": text_of(ctx.get("community", "owner"))},
        {"label": ctx.L("f-platform"), "value": enum_label(("structure", "platform"), platform, ctx.lang) if platform else None},
        {"label": ctx.L("f-members"), "value": ctx.L("n-members-groups", members=ctx.count("n-members", members), groups=ctx.count("n-groups", len(groups)))
         if members else None},
        {"label": ctx.L("f-health"), "value": f"{result.health} / 100" if result.health is not None else None},
        {"label": ctx.L("f-completeness"), "value": f"{result.completeness} / 100" if result.completeness is not None else None},
        {"label": ctx.L("f-generated"), "value": format_date(ctx.today, ctx.lang, year=True, weekday=False)},
    ]
    one_line = text_of(ctx.get("positioning", "value")) or text_of(ctx.get("positioning", "shared_interest"))
    return {
        "facts": facts,
        "pitch": one_line,
        "pitch_missing": None if one_line else ctx.missing(("positioning", "value")),
        "health": result.health,
        "band": health_band(result.health, ctx),
        "completeness": result.completeness,
        "completeness_text": ctx.L("completeness-text", score=result.completeness, n=len(result.open))
        if result.completeness is not None else None,
        "first_sin": ctx.L("first-sin", sin=domain_label(SINS, result.first_sin, ctx.lang)) if result.first_sin
        else (ctx.L("no-first-sin") if result.checked else None),
        "counts": counts,
        "total": len(result.findings),
        "counts_text": ctx.L("counts", error=ctx.count("n-errors", counts["error"]), warning=ctx.count("n-warnings", counts["warning"]),
                             info=ctx.count("n-notes", counts["info"])),
        "top": top,
        "risks": risks,
        "radar": radar,
        "suppressed": len(result.suppressed),
    }
