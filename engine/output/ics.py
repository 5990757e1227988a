"""A Schedule as an iCalendar file (RFC 5545): one VEVENT per task with a display alarm, the
community's VTIMEZONE, UIDs stable across runs (so a re-import updates events instead of
duplicating them) and a DTSTAMP taken from the plan, so the bytes are reproducible.

Every line is written here, and every TEXT value (calendar name, summaries, descriptions,
categories) is escaped here: backslash, `;`, `,` and line breaks per RFC 5545 §3.3.11, other
control characters dropped, lines folded at 75 octets without splitting a character. A community
name holding `\\r\\nBEGIN:VEVENT` therefore stays inside its own property, whether or not Python
runs with assertions (the `icalendar` package guards its lines with `assert`). Only the VTIMEZONE
block, built from the time-zone database, comes from `icalendar`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from ..i18n import t
from ..model.schedule import Schedule, Task

PRODID = "-//qunce//qunce SOP//ZH"
_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # CTL except HTAB (RFC 5545 TSAFE-CHAR)
_TZID = re.compile(r"[A-Za-z0-9_+\-/]+\Z")


def escape_text(value: object) -> str:
    """A TEXT value per RFC 5545 §3.3.11: `\\` `;` `,` escaped, line breaks as `\\n`, no control."""
    text = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = _BREAK.sub("\\\\n", text)
    return _CONTROL.sub("", text)


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded so no physical line passes 75 octets (§3.1)."""
    out, current, size = [], [], 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append("".join(current))
            current, size = [" "], 1
        current.append(ch)
        size += n
    out.append("".join(current))
    return "\r\n".join(out).encode("utf-8") + b"\r\n"


def _param(value: str) -> str:
    """A parameter value (TZID): as is when plainly safe, else quoted without quotes or controls."""
    if _TZID.match(value):
        return value
    return '"' + _CONTROL.sub("", _BREAK.sub("", value)).replace('"', "") + '"'


def _local(moment: datetime, zone: str) -> str:
    try:
        moment = moment.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError, OSError):  # the schedule checked its zone; keep the time as given
        pass
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _duration(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    return f"{sign}PT{abs(minutes)}M"


def to_ics(schedule: Schedule, lang: str = "zh") -> bytes:
    """One VEVENT per task, each with a DISPLAY alarm; VTIMEZONE included; reproducible bytes."""
    heading = t(f"sop:{schedule.kind}-heading", lang)
    zone = schedule.timezone
    name = f"{schedule.community} · {schedule.title}" if schedule.community else schedule.title
    lines: list[str] = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{escape_text(PRODID)}", "CALSCALE:GREGORIAN",
                        "METHOD:PUBLISH",
                        f"X-WR-CALNAME:{escape_text(t('sop:calendar-name', lang, heading=heading, name=name))}",
                        f"X-WR-TIMEZONE:{escape_text(zone)}"]
    body = b"".join(fold(line) for line in lines)
    body += _vtimezone(zone, schedule.tasks)
    stamp = _utc(schedule.stamp)
    tzid = _param(zone)
    for task in schedule.tasks:
        step = schedule.steps.get(task.step, "")
        summary = escape_text(t("sop:event-summary", lang, step=step, title=task.title, owner=task.owner))
        end = task.end or task.at + timedelta(minutes=schedule.event_minutes)
        event = ["BEGIN:VEVENT", f"SUMMARY:{summary}", f"DTSTART;TZID={tzid}:{_local(task.at, zone)}",
                 f"DTEND;TZID={tzid}:{_local(end, zone)}", f"DTSTAMP:{stamp}",
                 f"UID:{escape_text(schedule.uid(task))}", "SEQUENCE:0",
                 f"CATEGORIES:{escape_text(step or heading)}",
                 f"DESCRIPTION:{escape_text(_description(task, schedule, lang))}", "TRANSP:TRANSPARENT",
                 "BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{summary}",
                 f"TRIGGER:{_duration(-schedule.alarm_minutes)}", "END:VALARM", "END:VEVENT"]
        body += b"".join(fold(line) for line in event)
    return body + fold("END:VCALENDAR")


def _vtimezone(zone: str, tasks: Iterable[Task]) -> bytes:
    """The zone's rules over the years the tasks span (from the tz database, via icalendar)."""
    tasks = list(tasks)
    if not tasks:
        return b""
    from icalendar import Timezone

    first = min(x.at for x in tasks).date()
    last = max((x.end or x.at) for x in tasks).date()
    until = date(last.year + 1, 1, 1) if last.year < 9999 else date(9999, 12, 31)
    try:
        block = Timezone.from_tzid(zone, first_date=date(first.year, 1, 1), last_date=until).to_ical()
    except Exception:  # an unknown or odd zone: the events still carry their TZID and local times
        return b""
    return block if block.endswith(b"\r\n") else block + b"\r\n"


def _description(task: Task, schedule: Schedule, lang: str) -> str:
    """The owner and the draft; the words in `lang`, the punctuation in the schedule's language
    (the draft it introduces is written in that language)."""
    lines = [t("sop:owner-line", schedule.lang, owner=t("sop:owner", lang), who=task.owner)]
    if task.message:
        audience = schedule.labels.get("audiences", {}).get(task.to, task.to)
        lines += ["", t("sop:draft-line", schedule.lang, draft=t("sop:draft", lang), audience=audience), task.message]
    return "\n".join(lines)
