"""Output: the content calendar. Regular items on a week grid (its data; output draws it), the
others on next month's calendar by a stated convention, with their next dates."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from ..i18n.format import WEEKDAYS, format_date
from .context import Ctx, enum_label
from .values import int_of, list_of, text_of

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # not calendar.month_name: that follows the process locale


def _first_weekday(year: int, month: int, weekday: int) -> date:
    """The first given weekday (1 = Monday) of a month."""
    d = date(year, month, 1)
    return d + timedelta(days=(weekday - 1 - d.weekday()) % 7)


def _month_dates(item: dict, year: int, month: int) -> list[date]:
    """Suggested dates of a non-weekly item in one month (the calendar's convention, stated in it).
    An item without a weekday gets none: the plan has not chosen its day, and the calendar shows
    "date to be set" rather than inventing the 1st or the 15th."""
    cadence = item.get("cadence")
    weekday = int_of(item.get("weekday"))
    if not weekday:
        return []
    first = _first_weekday(year, month, weekday)
    if cadence == "biweekly":
        return [first, first + timedelta(days=14)]
    if cadence == "monthly":
        return [first]
    if cadence == "quarterly":
        return [first] if month in (1, 4, 7, 10) else []
    return []


def _next_month(d: date) -> tuple[int, int]:
    return (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)


def _next_dates(item: dict, today: date, n: int = 2) -> list[date]:
    out: list[date] = []
    year, month = today.year, today.month
    for _ in range(24):
        for d in _month_dates(item, year, month):
            if d > today and d not in out:
                out.append(d)
        if len(out) >= n:
            break
        year, month = _next_month(date(year, month, 1))
    return sorted(out)[:n]


def output_calendar(ctx: Ctx) -> dict[str, Any]:
    O = ("output",)
    lang = ctx.lang
    days = WEEKDAYS[lang]
    items = []
    week_cells: list[list[dict[str, str]]] = [[] for _ in range(7)]
    grid_items: list[tuple[str, int, str]] = []
    unscheduled = []
    rest = []
    for i, raw in enumerate(list_of(ctx.get("output"))):
        if not isinstance(raw, dict):
            continue
        name = text_of(raw.get("name")) or f"#{i + 1}"
        cadence = raw.get("cadence")
        weekday = int_of(raw.get("weekday"))
        time = text_of(raw.get("time"))
        kind = enum_label(O + ("[]", "kind"), raw.get("kind"), lang) if raw.get("kind") else None
        owner = ctx.owner_label(raw.get("owner"))
        when = _when(cadence, weekday, time, ctx)
        row = {"name": name, "kind": kind, "cadence": enum_label(O + ("[]", "cadence"), cadence, lang) if cadence else None,
               "when": when, "owner": owner, "owner_missing": None if owner else ctx.missing(O + (i, "owner")),
               "topic_source": text_of(raw.get("topic_source"))}
        items.append(row)
        cell = {"time": time or "", "name": name, "owner": owner or "—"}
        if cadence == "daily":
            for col in week_cells:
                col.append(cell)
            grid_items.append((name, 0, kind or ""))
        elif cadence == "weekly" and weekday:
            week_cells[weekday - 1].append(cell)
            grid_items.append((name, weekday, kind or ""))
        elif cadence == "weekly":
            unscheduled.append(name)
        else:
            nxt = _next_dates(raw, ctx.today)
            rest.append({**row, "raw": raw,
                         "next": [format_date(d, lang, year=d.year != ctx.today.year) for d in nxt] or None})
    for col in week_cells:
        col.sort(key=lambda c: c["time"] or "99")
    year, month = _next_month(ctx.today)
    month_rows = _month_grid(year, month, rest, lang)
    month_title = ctx.L("month-title", year=year, month=month, month_en=MONTHS[month - 1])
    for r in rest:
        r.pop("raw")
    week_svg = {"chart": "week_grid", "data": grid_items, "title": ctx.L("chart-week"), "day_labels": days,
                "empty_text": ctx.L("chart-empty")} if grid_items else None
    return {
        "present": bool(items), "missing": None if items else ctx.missing(O),
        "entries": items,
        "days": list(days),
        "week": [{"day": days[i], "cells": week_cells[i]} for i in range(7)],
        "week_empty": not grid_items,
        "week_svg": week_svg,
        "unscheduled": unscheduled,
        "rest": rest,
        "month_title": month_title,
        "month_weeks": month_rows,
        "month_note": ctx.L("month-note"),
    }


def _when(cadence: Any, weekday: int | None, time: str | None, ctx: Ctx) -> str:
    day = WEEKDAYS[ctx.lang][weekday - 1] if weekday else ""
    parts = {
        "daily": ctx.L("when-daily"), "weekly": ctx.L("when-weekly", day=day) if day else ctx.L("when-weekly-any"),
        "biweekly": ctx.L("when-biweekly", day=day) if day else ctx.L("when-biweekly-any"),
        "monthly": ctx.L("when-monthly", day=day) if day else ctx.L("when-monthly-any"),
        "quarterly": ctx.L("when-quarterly", day=day) if day else ctx.L("when-quarterly-any"),
        "once": ctx.L("when-once"),
    }
    text = parts.get(cadence, "—") if isinstance(cadence, str) else "—"
    return f"{text} {time}" if time else text


def _month_grid(year: int, month: int, rest: list[dict], lang: str) -> list[list[dict[str, Any]]]:
    """Weeks (Monday first) of one month; each day lists the non-weekly items that fall on it."""
    on: dict[date, list[str]] = {}
    for r in rest:
        for d in _month_dates(r["raw"], year, month):
            on.setdefault(d, []).append(r["name"])
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([{"day": d.day if d.month == month else None, "entries": on.get(d, []) if d.month == month else []}
                      for d in week])
    return weeks
