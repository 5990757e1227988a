"""When things happen: the offset grammar of playbooks/sop.yaml, time zones, reading a plan's
start times, and expanding the playbook's task records into timed slots.

Times are aware datetimes in the community's time zone (`community.timezone`, default
Asia/Shanghai): a start with a UTC offset is converted into that zone, a start without one is
read as local time there. Whole days move the local date and keep the wall clock (a "-3d" notice
stays at 20:00 across a DST switch); minutes are elapsed time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import RulePackError, UsageError
from ..i18n import t

DEFAULT_TIMEZONE = "Asia/Shanghai"
_OFFSET = re.compile(r"(?P<anchor>start|end)?(?P<terms>(?:[+-]\d{1,4}[dhm])*)(?:@(?P<clock>(?:[01]\d|2[0-3]):[0-5]\d))?")
_TERM = re.compile(r"([+-])(\d+)([dhm])")
_UTC = dt_timezone.utc


# ---- the offset grammar ------------------------------------------------------------------------


@dataclass(frozen=True)
class Offset:
    """A parsed offset: anchor, whole days (calendar), clock time, then minutes (elapsed)."""

    text: str
    anchor: str = "start"
    days: int = 0
    minutes: int = 0
    clock: tuple[int, int] | None = None


def parse_offset(text: Any) -> Offset:
    """ "-7d", "end+5m", "start-14d@10:00", "+1d@12:00" ... (grammar: playbooks/sop.yaml)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"not an offset: {text!r}")
    return _parse_offset(text)


@lru_cache(maxsize=1024)  # a schedule reads the same few offsets for every session; Offset is frozen
def _parse_offset(text: str) -> Offset:
    m = _OFFSET.fullmatch(text.strip())
    if not m or not (m.group("anchor") or m.group("terms") or m.group("clock")):
        raise ValueError(f"not an offset: {text!r}")
    days = minutes = 0
    for sign, number, unit in _TERM.findall(m.group("terms") or ""):
        n = int(number) * (-1 if sign == "-" else 1)
        if unit == "d":
            days += n
        else:
            minutes += n * (60 if unit == "h" else 1)
    clock = tuple(int(x) for x in m.group("clock").split(":")) if m.group("clock") else None
    return Offset(text.strip(), m.group("anchor") or "start", days, minutes, clock)  # type: ignore[arg-type]


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in `tz`; a time skipped by a DST switch moves forward, as clocks do."""
    return naive.replace(tzinfo=tz).astimezone(_UTC).astimezone(tz)


def apply_offset(offset: Offset, anchors: dict[str, datetime],
                 walls: dict[str, datetime] | None = None) -> datetime:
    """Days move the local date (same wall clock), @HH:MM sets the clock, minutes are elapsed time.
    `walls` may hold the anchors' wall-clock times, worked out once for a whole schedule."""
    base = anchors[offset.anchor]
    tz = base.tzinfo
    local = (walls[offset.anchor] if walls is not None else base.replace(tzinfo=None)) + timedelta(days=offset.days)
    if offset.clock is not None:
        local = local.replace(hour=offset.clock[0], minute=offset.clock[1], second=0, microsecond=0)
    moment = localize(local, tz) if isinstance(tz, ZoneInfo) else local.replace(tzinfo=tz)
    if offset.minutes:
        moment = (moment.astimezone(_UTC) + timedelta(minutes=offset.minutes)).astimezone(tz)
    return moment


def playbook_offset(text: Any, where: str) -> Offset:
    """An offset written in the playbook: a bad one is the pack's error, not the plan's."""
    try:
        return parse_offset(text)
    except ValueError:
        raise RulePackError("sop-bad-offset", {"value": text, "where": where}) from None


# ---- time zones and moments --------------------------------------------------------------------


def zone(name: Any) -> ZoneInfo:
    """An IANA zone; anything else is a usage error (not a traceback)."""
    if not isinstance(name, str) or not name.strip():
        raise UsageError("sop-unknown-timezone", {"value": name})
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError("sop-unknown-timezone", {"value": name}) from None


def plan_zone_name(plan_data: Any) -> str:
    """The community's time zone name as written (the default when it is left out)."""
    community = plan_data.get("community") if isinstance(plan_data, dict) else None
    name = community.get("timezone") if isinstance(community, dict) else None
    return name if isinstance(name, str) and name.strip() else DEFAULT_TIMEZONE


def parse_moment(value: Any, tz: ZoneInfo, *, date_only_ok: bool = False) -> tuple[datetime, bool] | None:
    """Text (or a date/datetime) to an aware datetime in `tz`, and whether it was a bare date.

    None when it cannot be read. A bare date is 00:00 local that day (campaign starts and ends).
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return (localize(datetime(value.year, value.month, value.day), tz), True) if date_only_ok else None
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            if not date_only_ok:
                return None
            try:
                d = date.fromisoformat(text)
            except ValueError:
                return None
            return localize(datetime(d.year, d.month, d.day), tz), True
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        return localize(moment, tz), False
    return moment.astimezone(tz), False


def wall(a: datetime, b: datetime) -> timedelta:
    """a - b on the wall clock: "three days before" stays three days across a DST switch."""
    return a.replace(tzinfo=None) - b.replace(tzinfo=None)


def span(delta: timedelta, lang: str) -> str:
    """7天 / 1小时 / 10分钟 (en: 7 days / 1 hour / 10 minutes), from a wall-clock difference."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes and minutes % 1440 == 0:
        return t("schedule:days", lang, n=minutes // 1440)
    if minutes and minutes % 60 == 0:
        return t("schedule:hours", lang, n=minutes // 60)
    return t("schedule:minutes", lang, n=minutes)


# ---- playbook task records -> timed slots ------------------------------------------------------


@dataclass
class Slot:
    """A task's timing before its text is rendered."""

    spec: dict
    key: str
    at: datetime
    end: datetime | None
    notice: str | None = None
    order: int = 0  # the record's place in the playbook: ties at one moment keep playbook order


def expand(specs: list, anchors: dict[str, datetime], overrides: dict[str, str], notices: list[str],
           max_repeats: int) -> list[Slot]:
    """Task records -> timed slots, with per-step overrides, one notice per offset, daily repeats."""
    slots: list[Slot] = []
    moved: set[str] = set()
    walls = {name: moment.replace(tzinfo=None) for name, moment in anchors.items()}
    for index, spec in enumerate(specs):
        if not isinstance(spec, dict) or not isinstance(spec.get("key"), str):
            raise RulePackError("sop-bad-task", {"index": index})
        key, phase = spec["key"], str(spec.get("phase") or spec["key"])
        until = playbook_offset(spec["until"], key) if spec.get("until") else None
        repeat = spec.get("repeat")
        if repeat == "notices":
            timed = sorted(((apply_offset(o, anchors, walls), i, o) for i, o in
                            enumerate(playbook_offset(n, key) for n in notices)), key=lambda x: (x[0], x[1]))
            if phase in overrides and phase not in moved and timed:
                first_off = playbook_offset(overrides[phase], phase)
                timed[0] = (apply_offset(first_off, anchors, walls), 0, first_off)
                moved.add(phase)
            seen: set[datetime] = set()
            for at, _, off in timed:
                if at in seen:
                    continue
                seen.add(at)
                slots.append(Slot(spec, f"{key}{off.text if off.text.startswith('-') else '-' + off.text}",
                                  at, None, off.text, index))
            continue
        text = spec.get("offset")
        if phase in overrides and phase not in moved:
            text = overrides[phase]
            moved.add(phase)
        first = apply_offset(playbook_offset(text, key), anchors, walls)
        if repeat == "daily":
            last = apply_offset(playbook_offset(spec.get("through") or text, key), anchors, walls)
            day, n = first, 0
            while day <= last and n < max_repeats:
                slots.append(Slot(spec, f"{key}-{day.date().isoformat()}", day, None, None, index))
                n += 1
                day = localize(day.replace(tzinfo=None) + timedelta(days=1), day.tzinfo)  # type: ignore[arg-type]
            continue
        end = apply_offset(until, anchors, walls) if until else None
        slots.append(Slot(spec, key, first, end if end and end > first else None, None, index))
    slots.sort(key=lambda s: (s.at, int(s.spec.get("step") or 0), s.order))
    return slots


__all__ = ["DEFAULT_TIMEZONE", "Offset", "parse_offset", "apply_offset", "localize", "playbook_offset", "zone",
           "plan_zone_name", "parse_moment", "wall", "span", "Slot", "expand"]
