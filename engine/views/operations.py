"""Operations: the four senses, incentives, tools, KPIs against the observed figures, and the
weekly review sheet."""

from __future__ import annotations

from typing import Any

from ..i18n.format import format_percent
from ..model.plan import get_path
from .context import Ctx, enum_label, schema_node, schema_title
from .values import dict_of, fmt_number, list_of, num_of, text_of, texts_of


def operations(ctx: Ctx) -> dict[str, Any]:
    OP = ("operations",)
    lang = ctx.lang
    ops = dict_of(ctx.get("operations"))
    senses = []
    for key in ("ritual", "participation", "organization", "belonging"):
        values = texts_of(get_path(ops, ("senses", key)))
        senses.append({"key": key, "label": schema_title(OP + ("senses", key), lang), "practices": values or None,
                       "missing": None if values else ctx.missing(OP + ("senses", key))})
    inc = dict_of(ops.get("incentives"))
    points = inc.get("points")
    inc_rows = [
        ctx.field(OP + ("incentives", "points"), points if isinstance(points, bool) else None),
        ctx.field(OP + ("incentives", "earn")),
        ctx.field(OP + ("incentives", "redeem")),
    ]
    tools = [enum_label(OP + ("tools",), x, lang) for x in list_of(ops.get("tools")) if isinstance(x, str)]
    known = schema_node(OP + ("tools", "[]")).get("enum", [])
    absent = [enum_label(OP + ("tools",), x, lang) for x in known if x not in list_of(ops.get("tools"))]
    facts = dict_of(dict_of(ctx.rules.facts.get("structure")).get("kpi"))
    rate_metrics = set(list_of(facts.get("rate_metrics")) or ["active_rate", "retention", "conversion", "churn"])
    observed = dict_of(ctx.get("observed"))
    kpis = []
    for i, k in enumerate(list_of(ops.get("kpis"))):
        if not isinstance(k, dict):
            continue
        metric = k.get("metric")
        target = num_of(k.get("target"))
        is_rate = metric in rate_metrics
        shown = (format_percent(target, 0 if target is not None and round(target * 100) == target * 100 else 1)
                 if is_rate else fmt_number(target)) if target is not None else None
        current = _kpi_now(metric, k.get("per"), observed)
        kpis.append({"metric": enum_label(OP + ("kpis", "[]", "metric"), metric, lang) if metric else "—",
                     "target": shown, "per": enum_label(OP + ("kpis", "[]", "per"), k.get("per"), lang) if k.get("per") else None,
                     "current": (format_percent(current, 1) if is_rate else fmt_number(current)) if current is not None else None,
                     "missing": None if shown and k.get("per") else ctx.missing(OP + ("kpis", i))})
    review = ops.get("review_cadence")
    as_of = text_of(observed.get("as_of"))
    return {
        "present": bool(ops), "missing": None if ops else ctx.missing(OP),
        "senses": senses,
        "incentives": inc_rows,
        "incentives_missing": None if inc else ctx.missing(OP + ("incentives",)),
        "points_text": ctx.L("points-on") if points is True else ctx.L("points-off") if points is False else None,
        "tools": tools or None,
        "tools_missing": None if tools else ctx.missing(OP + ("tools",)),
        "tools_absent": absent,
        "kpis": kpis,
        "kpis_missing": None if kpis else ctx.missing(OP + ("kpis",)),
        "as_of": as_of,
        "review": ctx.field(OP + ("review_cadence",), enum_label(OP + ("review_cadence",), review, lang) if review else None),
        "review_rows": _review_rows(ctx, observed),
    }


def _kpi_now(metric: Any, per: Any, observed: dict) -> float | None:
    """The observed figure that matches a KPI and its period, when the plan's figures give one."""
    members = num_of(observed.get("members"))
    if metric == "active_rate" and per == "week" and members and num_of(observed.get("active_7d")) is not None:
        return num_of(observed.get("active_7d")) / members
    if metric == "new_members" and per == "month":
        return num_of(observed.get("new_30d"))
    if metric == "churn" and members:
        left = observed.get("left_30d") if per == "month" else observed.get("left_7d") if per == "week" else None
        return num_of(left) / members if num_of(left) is not None else None
    if metric == "revenue" and per == "month":
        return num_of(observed.get("revenue_30d"))
    return None


def _review_rows(ctx: Ctx, observed: dict) -> list[dict[str, Any]]:
    """The weekly review sheet: each figure, how to count it, the latest observed value."""
    def seen(*figures: tuple[str, str | None]) -> str | None:
        """The observed values among `figures` (key, span), each with its span, in order."""
        shown = [ctx.L("paren", text=fmt_number(observed.get(key)), inner=span) if span else fmt_number(observed.get(key))
                 for key, span in figures if num_of(observed.get(key)) is not None]
        return ctx.L("list-sep").join(shown) or None

    return [
        {"figure": ctx.L("rv-members"), "how": ctx.L("rv-members-how"), "seen": seen(("members", None))},
        {"figure": ctx.L("rv-new"), "how": ctx.L("rv-new-how"), "seen": seen(("new_30d", ctx.L("span-30d")))},
        {"figure": ctx.L("rv-left"), "how": ctx.L("rv-left-how"), "seen": seen(("left_7d", ctx.L("span-7d")), ("left_30d", ctx.L("span-30d")))},
        {"figure": ctx.L("rv-active"), "how": ctx.L("rv-active-how"), "seen": seen(("active_7d", ctx.L("span-7d")))},
        {"figure": ctx.L("rv-messages"), "how": ctx.L("rv-messages-how"), "seen": seen(("messages_7d", ctx.L("span-7d")))},
        {"figure": ctx.L("rv-content"), "how": ctx.L("rv-content-how"), "seen": None},
        {"figure": ctx.L("rv-revenue"), "how": ctx.L("rv-revenue-how"), "seen": seen(("revenue_30d", ctx.L("span-30d")))},
    ]
