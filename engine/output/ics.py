"""A Schedule as an iCalendar file, built with the `icalendar` package: one VEVENT per task with a
display alarm, the community's VTIMEZONE, UIDs stable across runs (so a re-import updates events
instead of duplicating them) and a DTSTAMP taken from the plan, so the bytes are reproducible."""

from __future__ import annotations

from datetime import date, timedelta

from ..i18n import t
from ..model.schedule import Schedule, Task

PRODID = "-//qunce//qunce SOP//ZH"


def to_ics(schedule: Schedule, lang: str = "zh") -> bytes:
    """One VEVENT per task, each with a DISPLAY alarm; VTIMEZONE included; reproducible bytes."""
    from icalendar import Alarm, Calendar, Event

    event_minutes, alarm_minutes = schedule.event_minutes, schedule.alarm_minutes
    heading = t(f"sop:{schedule.kind}-heading", lang)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = f"{schedule.community} · {schedule.title}" if schedule.community else schedule.title
    cal.add("x-wr-calname", t("sop:calendar-name", lang, heading=heading, name=name))
    cal.add("x-wr-timezone", schedule.timezone)
    stamp = schedule.stamp
    for task in schedule.tasks:
        event = Event()
        event.add("uid", schedule.uid(task))
        event.add("dtstamp", stamp)
        event.add("dtstart", task.at)
        event.add("dtend", task.end or task.at + timedelta(minutes=event_minutes))
        step = schedule.steps.get(task.step, "")
        summary = t("sop:event-summary", lang, step=step, title=task.title, owner=task.owner)
        event.add("summary", summary)
        event.add("description", _description(task, schedule, lang))
        event.add("categories", [step] if step else [heading])
        event.add("sequence", 0)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(minutes=-alarm_minutes))
        event.add_component(alarm)
        cal.add_component(event)
    if schedule.tasks:
        first = min(t.at for t in schedule.tasks).date()
        last = max((t.end or t.at) for t in schedule.tasks).date()
        cal.add_missing_timezones(date(first.year, 1, 1), date(last.year + 1, 1, 1))
    return cal.to_ical()


def _description(task: Task, schedule: Schedule, lang: str) -> str:
    """The owner and the draft; the words in `lang`, the punctuation in the schedule's language
    (the draft it introduces is written in that language)."""
    lines = [t("sop:owner-line", schedule.lang, owner=t("sop:owner", lang), who=task.owner)]
    if task.message:
        audience = schedule.labels.get("audiences", {}).get(task.to, task.to)
        lines += ["", t("sop:draft-line", schedule.lang, draft=t("sop:draft", lang), audience=audience), task.message]
    return "\n".join(lines)
