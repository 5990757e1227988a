"""Shared interest and positioning: the five questions before launch, kind, motives, purposes
and the business side."""

from __future__ import annotations

from typing import Any

from .context import Ctx, enum_label
from .values import dict_of, fmt_months, int_of, list_of


def positioning(ctx: Ctx) -> dict[str, Any]:
    P = ("positioning",)
    pos = dict_of(ctx.get("positioning"))
    lang = ctx.lang
    kind = pos.get("kind")
    built = pos.get("built_around")

    def enum_list(key: str) -> list[str]:
        return [enum_label(P + (key,), v, lang) for v in list_of(pos.get(key)) if isinstance(v, str)]

    lifespan = int_of(pos.get("lifespan_months"))
    life_facts = dict_of(dict_of(ctx.rules.facts.get("structure")).get("lifespan"))
    life_text = None
    if lifespan:
        years = lifespan / 12
        life_text = ctx.count("lifespan-months", lifespan, years=fmt_months(round(years, 1)))
    groups = [
        {"title": ctx.L("pos-interest"), "rows": [
            ctx.field(P + ("shared_interest",)), ctx.field(P + ("value",)), ctx.field(P + ("goal",))]},
        {"title": ctx.L("pos-audience"), "rows": [
            ctx.field(P + ("audience", "portrait")), ctx.field(P + ("audience", "common_needs")),
            ctx.field(P + ("audience", "differences")), ctx.field(P + ("audience", "sources")),
            ctx.field(P + ("audience", "screening"))]},
        {"title": ctx.L("pos-motives"), "rows": [
            ctx.field(P + ("kind",), enum_label(P + ("kind",), kind, lang) if kind else None),
            ctx.field(P + ("built_around",), enum_label(P + ("built_around",), built, lang) if built else None),
            ctx.field(P + ("motives",), enum_list("motives")), ctx.field(P + ("purposes",), enum_list("purposes"))]},
        {"title": ctx.L("pos-business"), "rows": [
            ctx.field(P + ("revenue_model",)), ctx.field(P + ("lifespan_months",), life_text),
            ctx.field(P + ("mode",)), ctx.field(P + ("strategy",))]},
    ]
    return {"present": bool(pos), "missing": None if pos else ctx.missing(P),
            "groups": groups, "lifespan_note": ctx.L("lifespan-note", plain=life_facts.get("plain_months", 6),
                                                    commercial=life_facts.get("commercial_months", 24))}
