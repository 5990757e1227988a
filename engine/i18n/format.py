"""Dates, times and numbers as people read them, in either language: "12月5日 周六 20:00" reads
the same in documents, message drafts and calendars."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

WEEKDAYS = {"zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
            "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---- date and number formatting, in both languages -----------------------------------------


def format_date(value: date | datetime, lang: str = "zh", *, year: bool = False, weekday: bool = True) -> str:
    """12月5日 周六 / Sat 5 Dec (with `year`: 2026年12月5日 周六 / Sat 5 Dec 2026)."""
    wd = WEEKDAYS["en" if lang == "en" else "zh"][value.weekday()]
    if lang == "en":
        text = f"{value.day} {MONTHS_EN[value.month - 1]}" + (f" {value.year}" if year else "")
        return f"{wd} {text}" if weekday else text
    text = (f"{value.year}年" if year else "") + f"{value.month}月{value.day}日"
    return f"{text} {wd}" if weekday else text


def format_time(value: datetime) -> str:
    """20:00 (24-hour clock, the community's local time as the datetime carries it)."""
    return f"{value.hour:02d}:{value.minute:02d}"


def format_datetime(value: datetime, lang: str = "zh", *, year: bool = False) -> str:
    """12月5日 周六 20:00 / Sat 5 Dec 20:00."""
    return f"{format_date(value, lang, year=year)} {format_time(value)}"


def format_percent(value: Any, digits: int = 1) -> str:
    """0.4375 -> 43.8%; missing -> —."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    return f"{value * 100:.{digits}f}%"


def width(text: str) -> int:
    """Columns a string takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))
