"""The full diagnosis: findings grouped by sin and then by category, most weighty first, the sins
with nothing found, and what was suppressed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.domain import CATEGORIES, SINS, label as domain_label
from ..model.report import Finding
from .context import Ctx, finding_view, health_band, ranked
from .values import capitalize


def diagnosis(ctx: Ctx) -> dict[str, Any]:
    result = ctx.result
    groups = []
    for sin in SINS:
        found = [f for f in result.findings if f.sin == sin]
        groups.append({"key": sin, "label": capitalize(domain_label(SINS, sin, ctx.lang)), "kind": "sin",
                       "risk": result.risk.get(sin, 0),
                       "findings": [finding_view(f, ctx) for f in ranked(found)]})
    others: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.sin not in SINS:
            others.setdefault(f.category, []).append(f)
    for cat in list(CATEGORIES) + sorted(c for c in others if c not in CATEGORIES):
        if cat in others:
            groups.append({"key": cat, "label": capitalize(domain_label(CATEGORIES, cat, ctx.lang)), "kind": "category",
                           "risk": None, "findings": [finding_view(f, ctx) for f in ranked(others[cat])]})
    clean = [domain_label(SINS, g["key"], ctx.lang) for g in groups if g["kind"] == "sin" and not g["findings"]]
    return {
        "health": result.health,
        "band": health_band(result.health, ctx),
        "total": len(result.findings),
        "groups": [g for g in groups if g["findings"]],
        "clean": clean,
        "clean_text": ctx.L("clean-sins", sins=ctx.sep.join(clean)) if clean else None,
        "suppressed": [{"rule": s.get("rule"), "reason": s.get("reason") or "—"} for s in result.suppressed],
        "checked": result.checked,
        "file": Path(ctx.plan.path).name,
    }
