"""Dates and times of day in the rule vocabulary: ISO text to datetimes, days between two
moments, "HH:MM" to minutes, and quiet-hour windows that may run past midnight."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any


def to_datetime(value: Any) -> datetime | None:
    """ISO date or date-time text to a datetime; None when it is not one."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def days_between(start: Any, end: Any) -> float | None:
    a, b = to_datetime(start), to_datetime(end)
    if a is None or b is None:
        return None
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return (b - a) / timedelta(days=1)


def minutes_of(hhmm: Any) -> int | None:
    """ "23:30" -> 1410; "24:00" -> 1440."""
    if not isinstance(hhmm, str) or not re.fullmatch(r"\d{1,2}:\d{2}", hhmm.strip()):
        return None
    h, m = hhmm.strip().split(":")
    return int(h) * 60 + int(m)


def in_quiet_hours(moment: Any, quiet: Any) -> bool:
    """Whether a time of day (a datetime or "HH:MM") falls in a "HH:MM-HH:MM" quiet window."""
    if not isinstance(quiet, str) or "-" not in quiet:
        return False
    start, end = (minutes_of(x) for x in quiet.split("-", 1))
    if start is None or end is None or start == end:
        return False
    dt = to_datetime(moment) if not (isinstance(moment, str) and ":" in moment and "T" not in moment) else None
    now = dt.hour * 60 + dt.minute if dt is not None else minutes_of(moment)
    if now is None:
        return False
    start, end = start % 1440, end % 1440
    return start <= now < end if start < end else (now >= start or now < end)
