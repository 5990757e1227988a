"""Dates and times of day in the rule vocabulary: ISO text to datetimes, days between two
moments, "HH:MM" to minutes, and quiet-hour windows that may run past midnight."""

from __future__ import annotations

import re
from functools import lru_cache
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


_HHMM = re.compile(r"\d{1,2}:\d{2}")


def minutes_of(hhmm: Any) -> int | None:
    """ "23:30" -> 1410; "24:00" -> 1440."""
    if not isinstance(hhmm, str) or not _HHMM.fullmatch(hhmm.strip()):
        return None
    h, m = hhmm.strip().split(":")
    return int(h) * 60 + int(m)


def in_quiet_hours(moment: Any, quiet: Any) -> bool:
    """Whether a time of day (a datetime or "HH:MM") falls in a "HH:MM-HH:MM" quiet window."""
    if not isinstance(quiet, str) or "-" not in quiet:
        return False
    window = _window(quiet)
    if window is None:
        return False
    now = _minute_of_day(moment) if isinstance(moment, str) else _minute(moment)
    if now is None:
        return False
    start, end = window
    return start <= now < end if start < end else (now >= start or now < end)


# Every session's every task time is tested against the same window: both sides are parsed once.
@lru_cache(maxsize=64)
def _window(quiet: str) -> tuple[int, int] | None:
    start, end = (minutes_of(x) for x in quiet.split("-", 1))
    if start is None or end is None or start == end:
        return None
    return start % 1440, end % 1440


@lru_cache(maxsize=4096)
def _minute_of_day(moment: str) -> int | None:
    return _minute(moment)


def _minute(moment: Any) -> int | None:
    dt = to_datetime(moment) if not (isinstance(moment, str) and ":" in moment and "T" not in moment) else None
    return dt.hour * 60 + dt.minute if dt is not None else minutes_of(moment)
