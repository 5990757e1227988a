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
from ..run.limits import FILE_SECONDS, RENDER_SECONDS, bounded, seconds
from .checking import CheckOptions, _check, _validate, untrusted


# ---- documents ---------------------------------------------------------------------------------


def _document(fn: Any, *args: Any, what: str, trust_against: tuple = (None, None), **kwargs: Any) -> Any:
    """`fn` within the document bound (FILE_SECONDS + RENDER_SECONDS): in a worker killed at the
    deadline when someone else's rule packs or templates take part (run.isolate)."""
    return bounded(fn, *args, limit=seconds(FILE_SECONDS) + seconds(RENDER_SECONDS), what=what,
                   untrusted=untrusted(*trust_against), **kwargs)


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
    return _document(_render_plan, plan, result, rules, fmt, lang, templates_dir, today, what=plan.path or "plan",
                     trust_against=(rules, templates_dir))


def _render_plan(plan: Document, result: FileResult, rules: RuleSet, fmt: str, lang: str,
                 templates_dir: str | Path | None, today: date | None) -> str:
    from ..output.plan_document import render_plan as render

    with _dates_in_range(plan):
        return render(plan, result, rules, fmt=fmt, lang=lang, templates_dir=templates_dir, today=today)


def render_plan_file(path: str, rules: RuleSet, *, fmt: str = "md", lang: str = "zh",
                     templates_dir: str | Path | None = None, today: date | None = None
                     ) -> tuple[FileResult, str | None]:
    """`qunce plan`: check the file, then render its document, all under one bound. The text is
    None when the plan is not usable (the result says why)."""
    return _document(_plan_file, path, rules, fmt, lang, templates_dir, today, what=path,
                     trust_against=(rules, templates_dir))


def _plan_file(path: str, rules: RuleSet, fmt: str, lang: str, templates_dir: str | Path | None,
               today: date | None) -> tuple[FileResult, str | None]:
    result, plan = _check(path, rules, CheckOptions(lang=lang, today=today))
    if plan is None or not result.valid:
        return result, None
    return result, _render_plan(plan, result, rules, fmt, lang, templates_dir, today)


def session_schedule(plan: Document | None, session_id: str | None = None, *, rules: RuleSet | None = None,
                     lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one sharing session of a plan, with the rules' findings on it, within
    the document bound. Raises UsageError (see schedule.sessions.session_schedule)."""
    return _document(_dated_schedule, "sessions", plan, session_id, rules, lang, today,
                     what=getattr(plan, "path", "") or "sop", trust_against=(rules, None))


def campaign_schedule(plan: Document | None, campaign_id: str | None = None, *, rules: RuleSet | None = None,
                      lang: str = "zh", today: date | None = None) -> Schedule:
    """The dated SOP of one referral campaign of a plan, with the rules' findings on it."""
    return _document(_dated_schedule, "campaigns", plan, campaign_id, rules, lang, today,
                     what=getattr(plan, "path", "") or "sop", trust_against=(rules, None))


def _dated_schedule(section: str, plan: Document | None, item_id: str | None, rules: RuleSet | None, lang: str,
                    today: date | None) -> Schedule:
    with _dates_in_range(plan):
        return _schedule(section, plan, item_id, rules, lang, today)


def adhoc_session(title: str, start: str, *, guest: str | None = None, host: str | None = None,
                  duration: int | None = None, timezone: str | None = None, community: str = "",
                  rules: RuleSet | None = None, lang: str = "zh", today: date | None = None) -> Schedule:
    """A session SOP without a plan file (title, start and optional guest, host, duration,
    timezone); its findings carry no file position, there being no file."""
    options = dict(guest=guest, host=host, duration=duration, timezone=timezone, community=community)
    return _document(lambda: _adhoc(title, start, options, rules, lang, today), what="sop",
                     trust_against=(rules, None))


def _adhoc(title: str, start: str, options: dict[str, Any], rules: RuleSet | None, lang: str,
           today: date | None) -> Schedule:
    from ..schedule.sessions import adhoc_plan

    with _dates_in_range(None, start):
        return _schedule("sessions", adhoc_plan(title, start, **options), None, rules, lang, today)


def render_schedule(schedule: Schedule, fmt: str = "md", lang: str | None = None) -> str | bytes:
    """A schedule as Markdown, HTML, ICS or JSON, within the document bound."""
    from ..output.sop_document import render_schedule as render

    return _document(render, schedule, fmt, lang, what=schedule.source or "sop")


def sop_document(plan_file: str | None, rules: RuleSet, *, session_id: str | None = None,
                 campaign_id: str | None = None, adhoc: dict[str, Any] | None = None, fmt: str = "md",
                 lang: str = "zh", today: date | None = None) -> tuple[FileResult | None, str | bytes | None]:
    """`qunce sop`: load and validate the plan, schedule the session (or the campaign), diagnose
    the plan and render, all within one bound. Without a plan file, `adhoc` holds the options of
    an ad-hoc session (title, start, guest, host, duration, timezone) and the result is None;
    with one, the text is None when the plan is not usable (the result says why)."""
    return _document(_sop, plan_file, rules, session_id, campaign_id, adhoc, fmt, lang, today,
                     what=plan_file or "sop", trust_against=(rules, None))


def _sop(plan_file: str | None, rules: RuleSet, session_id: str | None, campaign_id: str | None,
         adhoc: dict[str, Any] | None, fmt: str, lang: str, today: date | None
         ) -> tuple[FileResult | None, str | bytes | None]:
    from ..output.sop_document import render_schedule as render

    if plan_file is None:
        options = dict(adhoc or {})
        title, start = str(options.pop("title", "")), str(options.pop("start", ""))
        schedule = _adhoc(title, start, options, rules, lang, today)
        with _dates_in_range(None, start):
            return None, render(schedule, fmt, lang)
    result, plan = _validate(plan_file)
    if plan is None or not result.valid:
        return result, None
    with _dates_in_range(plan):
        section, item = ("campaigns", campaign_id) if campaign_id is not None else ("sessions", session_id)
        return result, render(_schedule(section, plan, item, rules, lang, today), fmt, lang)


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
    outcome = evaluate(rules, plan.data, plan.locator, plan.path, today=today or date.today())
    base = dotted(schedule.path)

    def under(path: str) -> bool:
        return path == base or path.startswith(base + ".") or path.startswith(base + "[")

    schedule.findings = [f for f in outcome.findings if under(f.path)]
    if not plan.path:  # no file behind an ad-hoc session: positions would point nowhere
        schedule.findings = [replace(f, file="", line=None, column=None) for f in schedule.findings]
    schedule.engine_errors = [e for e in outcome.engine_errors if under(e.path)]
    return schedule
