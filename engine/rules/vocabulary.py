"""The vocabulary rules are written in: named domain judgements and helpers, registered as
filters and tests of the rule sandbox (run.sandbox), and used by the document views too, so a
rule and the document it feeds cannot judge the same thing two ways."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from jinja2 import ChainableUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..run.sandbox import BoundedSandbox

CADENCE_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 30, "quarterly": 91, "once": None}
PER_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


# ---- helpers registered as filters and tests: the vocabulary rules are written in -----------


def listify(value: Any) -> list:
    """A field that takes "a name or a list of names" as a list; missing is empty."""
    if value is None or isinstance(value, ChainableUndefined):
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "")]
    if value == "":
        return []
    return [value]


def staff(team: Any, *roles: str) -> int:
    """How many people hold any of `roles` in the team list (a record counts `count` people)."""
    total = 0
    for member in listify(team):
        if isinstance(member, dict) and (not roles or member.get("role") in roles):
            count = member.get("count", 1)
            total += count if isinstance(count, int) and count > 0 else 1
    return total


def cadence_days(cadence: Any) -> int | None:
    return CADENCE_DAYS.get(cadence) if isinstance(cadence, str) else None


def per_days(per: Any) -> int | None:
    return PER_DAYS.get(per) if isinstance(per, str) else None


def ratio(numerator: Any, denominator: Any) -> float | None:
    """A safe division: None when either side is missing or the denominator is zero."""
    if not isinstance(numerator, (int, float)) or not isinstance(denominator, (int, float)):
        return None
    if isinstance(numerator, bool) or isinstance(denominator, bool) or denominator == 0:
        return None
    return numerator / denominator


def total(items: Any, key: str) -> int | float:
    """Sum of one numeric field over a list of records (e.g. members over groups)."""
    out: int | float = 0
    for item in listify(items):
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out += value
    return out


def pluck(items: Any, key: str) -> list:
    """One field of every record in a list, missing ones left out."""
    return [item[key] for item in listify(items) if isinstance(item, dict) and item.get(key) not in (None, "")]


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


def text_length(value: Any) -> int:
    """Length of meaningful text: whitespace and punctuation do not count."""
    if not isinstance(value, str):
        return 0
    return len(re.sub(r"[\s\W_]+", "", value))


def is_present(value: Any) -> bool:
    """A value the operator actually filled in (not missing, empty, or only blanks)."""
    if value is None or isinstance(value, ChainableUndefined):
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict, tuple)):
        return len(value) > 0
    return True


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


FILTERS = {
    "listify": listify, "staff": staff, "cadence_days": cadence_days, "per_days": per_days,
    "ratio": ratio, "total": total, "pluck": pluck, "to_datetime": to_datetime,
    "days_between": days_between, "text_length": text_length, "minutes_of": minutes_of,
}
TESTS = {"present": is_present, "in_quiet_hours": in_quiet_hours}


def _sop(name: str) -> Any:
    """A filter that lives in engine.schedule.filters, imported on first use so this module stays light."""

    def call(*args: Any, **kwargs: Any) -> Any:
        from ..schedule import filters

        return getattr(filters, name)(*args, **kwargs)

    call.__name__ = name
    return call


# The SOP schedule inside expressions: `item | sop_tasks(plan, facts)` (task times as local ISO
# text), `item | sop_start(plan)`, `item.funnel | sop_funnel(facts)` (conversions, weakest stage),
# `item.target | sop_groups_needed(platform)` (receiving groups a campaign target needs).
FILTERS.update({"sop_tasks": _sop("filter_tasks"), "sop_start": _sop("filter_start"),
                "sop_funnel": _sop("filter_funnel"), "sop_groups_needed": _sop("groups_needed")})


def sandbox() -> ImmutableSandboxedEnvironment:
    """For `when:` conditions and rule messages: missing plan parts are falsy and render empty,
    so `not plan.a.b` works on drafts that leave whole sections out."""
    env = BoundedSandbox(undefined=ChainableUndefined, autoescape=False)
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    # Only harmless globals: the default `cycler`, `joiner`, `lipsum` are not needed by rules.
    env.globals = {"range": env.globals["range"], "dict": dict}
    return env
