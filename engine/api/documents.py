"""The document commands (plan, sop): each does all its work, diagnosis included, inside one
bound of FILE_SECONDS + RENDER_SECONDS."""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from ..errors import UsageError
from ..model.plan import Document, dotted
from ..model.report import FileResult
from ..model.schedule import Schedule
from ..rules.evaluate import evaluate
from ..rules.pack import RuleSet, load_rules
from ..run.limits import FILE_SECONDS, RENDER_SECONDS, seconds, time_limit


from .checking import CheckOptions, _check, _validate


# ---- documents ---------------------------------------------------------------------------------


def _document_bound(what: str) -> Any:
    return time_limit(seconds(FILE_SECONDS) + seconds(RENDER_SECONDS), what)


@contextmanager
def _dates_in_range(plan: Document | None, start: str = "") -> Iterator[None]:
    """A session at 9999-12-31T23:30 or 0001-01-01T00:30 puts its SOP's tasks outside the dates
    Python can represent: a usage error at that date, not an internal error."""
    try:
        yield
    except (OverflowError, ValueError) as err:
        if isinstance(err, ValueError) and "out of range" not in str(err):
            raise
        found = _edge_date(plan.data, ()) if plan is not None else None
        if found is None:
            raise UsageError("date-out-of-range", {"field": "--start", "value": start},
                             file=getattr(plan, "path", None) or None) from None
        path, value = found
        line, column = plan.locator.value(path) if plan is not None else (None, None)
        raise UsageError("date-out-of-range", {"field": dotted(path), "value": value}, file=plan.path or None,
                         line=line, column=column) from None


_EDGE = re.compile(r"\s*(\d{4})-\d\d-\d\d")


def _edge_date(value: Any, path: tuple) -> tuple[tuple, str] | None:
    """The first date in the plan within a few days of year 1 or year 9999."""
    if isinstance(value, str):
        m = _EDGE.match(value)
        return (path, value) if m and (int(m.group(1)) <= 1 or int(m.group(1)) >= 9998) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        found = _edge_date(child, path + (key,))
        if found is not None:
            return found
    return None


def render_plan(plan: Document, result: FileResult, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                templates_dir: str | Path | None = None, today: date | None = None) -> str:
    """The operations plan document of a loaded, checked plan, within the document bound."""
    from ..output.plan_document import render_plan as render

    with _document_bound(plan.path or "plan"), _dates_in_range(plan):
        return render(plan, result, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=today)


def render_plan_file(path: str, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                     templates_dir: str | Path | None = None, today: date | None = None
                     ) -> tuple[FileResult, str | None]:
    """`qunce plan`: check the file, then render its document, all under one bound. The text is
    None when the plan is not usable (the result says why)."""
    from ..output.plan_document import render_plan as render

    with _document_bound(path):
        result, plan = _check(path, rules, CheckOptions(lang=lang, today=today))
        if plan is None or not result.valid:
            return result, None
        with _dates_in_range(plan):
            return result, render(plan, result, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=today)


def session_schedule(plan: Document | None, session_id: str | None = None, *, rules: RuleSet | None = None,
                     lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one sharing session of a plan, with the rules' findings on it, within
    the document bound. Raises UsageError (see schedule.sessions.session_schedule)."""
    with _document_bound(getattr(plan, "path", "") or "sop"), _dates_in_range(plan):
        return _schedule("sessions", plan, session_id, rules, lang, today)


def campaign_schedule(plan: Document | None, campaign_id: str | None = None, *, rules: RuleSet | None = None,
                      lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one referral campaign of a plan, with the rules' findings on it."""
    with _document_bound(getattr(plan, "path", "") or "sop"), _dates_in_range(plan):
        return _schedule("campaigns", plan, campaign_id, rules, lang, today)


def adhoc_session(title: str, start: str, *, guest: str | None = None, host: str | None = None,
                  duration: int | None = None, timezone: str | None = None, community: str = "",
                  rules: RuleSet | None = None, lang: str = "zh", today: date | None = None) -> Schedule:
    """A session SOP without a plan file (title, start and optional guest, host, duration,
    timezone); its findings carry no file position, there being no file."""
    from ..schedule.sessions import adhoc_plan

    with _document_bound("sop"), _dates_in_range(None, start):
        plan = adhoc_plan(title, start, guest=guest, host=host, duration=duration, timezone=timezone,
                          community=community)
        return _schedule("sessions", plan, None, rules, lang, today)


def render_schedule(schedule: Schedule, fmt: str = "md", lang: str | None = None) -> str | bytes:
    """A schedule as Markdown, HTML, ICS or JSON, within the document bound."""
    from ..output.sop_document import render_schedule as render

    with _document_bound(schedule.source or "sop"):
        return render(schedule, fmt, lang)


def sop_document(plan_file: str | None, rules: RuleSet, *, session_id: str | None = None,
                 campaign_id: str | None = None, adhoc: dict[str, Any] | None = None, fmt: str = "md",
                 lang: str = "zh", today: date | None = None) -> tuple[FileResult | None, str | bytes | None]:
    """`qunce sop`: load and validate the plan, schedule the session (or the campaign), diagnose
    the plan and render, all within one bound. Without a plan file, `adhoc` holds the options of
    an ad-hoc session (title, start, guest, host, duration, timezone) and the result is None;
    with one, the text is None when the plan is not usable (the result says why)."""
    from ..output.sop_document import render_schedule as render

    with _document_bound(plan_file or "sop"):
        if plan_file is None:
            options = dict(adhoc or {})
            schedule = adhoc_session(options.pop("title", ""), options.pop("start", ""), rules=rules, lang=lang,
                                     today=today, **options)
            with _dates_in_range(None, str((adhoc or {}).get("start", ""))):
                return None, render(schedule, fmt, lang)
        result, plan = _validate(plan_file, lang)
        if plan is None or not result.valid:
            return result, None
        with _dates_in_range(plan):
            if campaign_id is not None:
                schedule = _schedule("campaigns", plan, campaign_id, rules, lang, today)
            else:
                schedule = _schedule("sessions", plan, session_id, rules, lang, today)
            return result, render(schedule, fmt, lang)


def _schedule(section: str, plan: Document | None, item_id: str | None, rules: RuleSet | None, lang: str,
              today: date | None) -> Schedule:
    """Build the schedule from the packs' facts, then attach what the rules find under its item,
    exactly as `qunce check` reports it (the plan is checked once, as a whole)."""
    from ..schedule.campaigns import campaign_schedule as campaign
    from ..schedule.sessions import session_schedule as session

    rules = rules if rules is not None else load_rules()
    build = session if section == "sessions" else campaign
    schedule = build(plan, item_id, facts=rules.facts, lang=lang)
    if plan is None:  # build() raises sop-no-plan first; never left to an assert
        raise UsageError("sop-no-plan", {})
    outcome = evaluate(rules, plan.data, plan.locator, plan.path, lang=schedule.lang, today=today or date.today())
    base = dotted(schedule.path)

    def under(path: str) -> bool:
        return path == base or path.startswith(base + ".") or path.startswith(base + "[")

    schedule.findings = [f for f in outcome.findings if under(f.path)]
    if not plan.path:  # no file behind an ad-hoc session: positions would point nowhere
        schedule.findings = [replace(f, file="", line=None, column=None) for f in schedule.findings]
    schedule.engine_errors = [e for e in outcome.engine_errors if under(e.path)]
    return schedule
