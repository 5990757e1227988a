"""The SOP checklist's view: a Schedule as plain, pre-formatted values for the Markdown and HTML
templates (`output_templates/sop_session.md.j2`, `sop_campaign.md.j2`, `sop.html.j2`), so the
templates stay simple. The document's words come from the catalog ("sop:" entries)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from ..i18n import MESSAGES, t
from ..i18n.format import format_date, format_datetime, format_percent, format_time
from ..model.domain import SEVERITY_LABELS, label
from ..model.schedule import Schedule, Task

_PREFIX = "sop:"


# ---- the data templates see --------------------------------------------------------------------


def _day_label(day: date, lang: str, first: date | None) -> str:
    return format_date(day, lang, year=first is not None and day.year != first.year)


def _task_view(task: Task, schedule: Schedule, lang: str, ui: dict) -> dict[str, Any]:
    when = format_time(task.at)
    if task.end:
        same_day = task.end.date() == task.at.date()
        when += "–" + (format_time(task.end) if same_day else format_datetime(task.end, lang))
    return {"key": task.key, "time": when, "at": task.at.isoformat(), "step": task.step,
            "step_label": t("sop:step", lang, n=task.step), "step_name": schedule.steps.get(task.step, ""),
            "badge": t("sop:badge", lang, step=t("sop:step", lang, n=task.step), name=schedule.steps.get(task.step, "")),
            "title": task.title, "owner": task.owner, "message": task.message, "to": task.to,
            "to_label": schedule.labels.get("audiences", {}).get(task.to, task.to)}


def _days(schedule: Schedule, lang: str, ui: dict) -> list[dict[str, Any]]:
    first = schedule.start.date() if schedule.start else None
    days: list[dict[str, Any]] = []
    for task in schedule.tasks:
        day = task.at.date()
        if not days or days[-1]["date"] != day.isoformat():
            days.append({"date": day.isoformat(), "label": _day_label(day, lang, first), "tasks": []})
        days[-1]["tasks"].append(_task_view(task, schedule, lang, ui))
    return days


def _finding_view(f: Any, lang: str, ui: dict) -> dict[str, Any]:
    text = f.text(lang)
    return {"rule": f.rule, "severity": f.severity, "severity_label": label(SEVERITY_LABELS, f.severity, lang),
            "title": text.title, "message": text.message, "remedy": text.remedy, "path": f.path, "line": f.line}


def _when_text(schedule: Schedule, lang: str) -> str:
    if schedule.start is None:
        return ""
    if schedule.kind == "session":
        end = schedule.end
        tail = format_time(end) if end and end.date() == schedule.start.date() else (
            format_datetime(end, lang, year=True) if end else "")
        return f"{format_datetime(schedule.start, lang, year=True)}–{tail}"
    last = schedule.details.get("last_day")
    if last:
        return f"{format_date(schedule.start, lang, year=True)} – {format_date(last, lang, year=True)}"
    if schedule.end and schedule.end != schedule.start:
        return f"{format_datetime(schedule.start, lang, year=True)} – {format_datetime(schedule.end, lang, year=True)}"
    return format_datetime(schedule.start, lang, year=True)


def words(lang: str) -> dict[str, str]:
    """The document's own words (`t` in the templates), from the catalog's "sop:" entries."""
    return {code[len(_PREFIX):].replace("-", "_"): t(code, lang) for code in _codes()}


@lru_cache(maxsize=1)
def _codes() -> tuple[str, ...]:
    return tuple(code for code in MESSAGES if code.startswith(_PREFIX))


def document_context(schedule: Schedule, lang: str, fmt: str = "md") -> dict[str, Any]:
    """Everything a template needs, as plain pre-formatted values (the funnel chart as data:
    engine.output draws it)."""
    ui = words(lang)
    ctx: dict[str, Any] = {
        "lang": lang, "fmt": fmt, "t": ui, "kind": schedule.kind, "id": schedule.id, "title": schedule.title,
        "community": schedule.community, "timezone": schedule.timezone, "when": _when_text(schedule, lang),
        "details": schedule.details, "days": _days(schedule, lang, ui), "task_count": len(schedule.tasks),
        "task_count_text": t("sop:tasks", lang, n=len(schedule.tasks)),
        "findings": [_finding_view(f, lang, ui) for f in schedule.findings],
        "heading": ui[f"{schedule.kind}_heading"],
    }
    if schedule.kind == "campaign":
        ctx.update(_campaign_context(schedule, ui))
    return ctx


def _campaign_context(schedule: Schedule, ui: dict) -> dict[str, Any]:
    labels = schedule.labels
    details = schedule.details
    poster_rows = []
    texts = details.get("poster_texts") or {}
    for key, present in (schedule.poster or {}).items():
        poster_rows.append({"key": key, "label": labels.get("poster", {}).get(key, key), "present": present,
                            "text": (ui["live_yes"] if present else ui["live_no"]) if key == "live_code"
                            else texts.get(key) or ""})
    script_rows = [{"key": key, "label": labels.get("scripts", {}).get(key, key), "text": text}
                   for key, text in (schedule.scripts or {}).items()]
    funnel = schedule.funnel
    funnel_view = None
    chart = None
    if funnel:
        stages = [{"name": s["name"], "label": s["label"],
                   "count": "—" if s["count"] is None else f"{s['count']:,}",
                   "conversion": format_percent(s["conversion"]), "weakest": s["name"] == funnel["weakest"]}
                  for s in funnel["stages"]]
        funnel_view = {"stages": stages, "weakest": funnel["weakest"], "weakest_label": funnel.get("weakest_label"),
                       "suggestion": funnel.get("suggestion"),
                       "weakest_conversion": next((s["conversion"] for s in stages if s["weakest"]), None)}
        chart = {"chart": "funnel", "title": ui["funnel"], "weakest": funnel.get("weakest_label"),
                 "empty_text": ui["no_data"],
                 "data": [(s["label"], s["count"] or 0) for s in funnel["stages"] if s["count"] is not None]}
    return {"poster": poster_rows, "scripts": script_rows, "checklist": schedule.checklist or [],
            "funnel": funnel_view, "funnel_chart": chart}
