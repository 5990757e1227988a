"""Sharing sessions: each session's facts and its SOP schedule as table rows (through the SOP
engine, so the document and `qunce sop` agree)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..i18n.format import format_date, format_datetime
from ..schedule.playbook import sop_facts
from .context import Ctx, local_findings
from .values import bilingual, dict_of, int_of, list_of, text_of


def sessions(ctx: Ctx) -> dict[str, Any]:
    lang = ctx.lang
    out = []
    step_names = [bilingual(s, lang) for s in list_of(dict_of(sop_facts(ctx.rules.facts).get("session")).get("steps"))]
    for i, item in enumerate(list_of(ctx.get("sessions"))):
        if not isinstance(item, dict):
            continue
        S = ("sessions", i)
        schedule = ctx.schedule("sessions", i, item, lang)
        rows = [
            ctx.field(S + ("topic",)),
            ctx.field(S + ("guest", "name")),
            ctx.field(S + ("guest", "bio")),
            ctx.field(S + ("host",)),
            ctx.field(S + ("group",)),
            ctx.field(S + ("start",), format_datetime(schedule.start, lang, year=True) if schedule and schedule.start
                      else None),
            ctx.field(S + ("duration_minutes",), ctx.count("n-minutes", item["duration_minutes"])
                      if int_of(item.get("duration_minutes")) else None),
            ctx.field(S + ("perks",)),
            ctx.field(S + ("interaction",)),
            ctx.field(S + ("material",)),
            ctx.field(S + ("rehearsal",)),
        ]
        steps = task_rows(schedule, ctx) if schedule is not None else []
        out.append({
            "id": text_of(item.get("id")) or f"#{i + 1}",
            "title": text_of(item.get("title")) or text_of(item.get("id")) or f"#{i + 1}",
            "rows": rows,
            "steps": steps,
            "step_names": step_names,
            "no_schedule": None if schedule is not None else ctx.missing(S + ("start",)),
            "findings": local_findings(ctx, S),
        })
    return {"entries": out, "missing": None if out else ctx.missing(("sessions",))}


def task_rows(schedule: Any, ctx: Ctx) -> list[dict[str, Any]]:
    """The schedule's tasks as table rows; a task repeated on three or more days in a row at the
    same time (watching a campaign's figures) becomes one row "daily 21:00 (first – last day)"."""
    groups: list[list[Any]] = []
    open_runs: dict[tuple, list[Any]] = {}
    for task in schedule.tasks:
        key = (task.step, task.title, task.owner, task.at.hour, task.at.minute)
        run = open_runs.get(key)
        if run is not None and task.at.date() - run[-1].at.date() == timedelta(days=1):
            run.append(task)
            continue
        open_runs[key] = [task]
        groups.append(open_runs[key])
    rows = []
    for run in groups:
        first, last = run[0], run[-1]
        base = {"step": first.step, "name": schedule.steps.get(first.step, ""), "owner": first.owner,
                "task": first.title}
        if len(run) >= 3:
            rows.append(dict(base, at=ctx.L("daily-run", time=f"{first.at.hour:02d}:{first.at.minute:02d}",
                                            first=format_date(first.at, ctx.lang),
                                            last=format_date(last.at, ctx.lang))))
        else:
            rows.extend(dict(base, at=format_datetime(task.at, ctx.lang)) for task in run)
    return rows
