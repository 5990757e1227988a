"""Transitional re-exports of the schedule engine's old single module, for callers not yet moved
to the split (engine.output's documents). New code imports from the modules themselves:

    engine.model.schedule      Task, Schedule, FORMAT_VERSION (the JSON contract)
    engine.schedule.timing     Offset, parse_offset, apply_offset, zone, parse_moment, localize
    engine.schedule.playbook   sop_facts, task texts, owners
    engine.schedule.sessions   session_schedule, adhoc_plan, adhoc_session
    engine.schedule.campaigns  campaign_schedule, funnel_review, groups_needed, POSTER_ELEMENTS...
    engine.schedule.filters    the rules' sop_* filters
    engine.api                 the same schedules with the rules' findings attached

The two wrappers below keep the old signature (`rules=` a RuleSet, `today=`) and take only the
rules' facts: findings are engine.api's job, so these schedules carry none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..model.plan import Document
from ..model.schedule import FORMAT_VERSION, Schedule, Task
from . import campaigns as _campaigns, sessions as _sessions
from .campaigns import FUNNEL_STAGES, POSTER_ELEMENTS, SCRIPTS, funnel_review, groups_needed, platform_facts
from .filters import filter_funnel, filter_start, filter_tasks
from .playbook import sop_facts
from .sessions import adhoc_plan
from .timing import DEFAULT_TIMEZONE, Offset, apply_offset, localize, parse_moment, parse_offset, zone


def session_schedule(plan: Document | None, session_id: str | None = None, *, rules: Any = None,
                     lang: str = "zh", today: date | None = None) -> Schedule:
    """sessions.session_schedule with the facts of `rules` (findings: see engine.api)."""
    return _sessions.session_schedule(plan, session_id, facts=getattr(rules, "facts", None), lang=lang)


def campaign_schedule(plan: Document | None, campaign_id: str | None = None, *, rules: Any = None,
                      lang: str = "zh", today: date | None = None) -> Schedule:
    """campaigns.campaign_schedule with the facts of `rules` (findings: see engine.api)."""
    return _campaigns.campaign_schedule(plan, campaign_id, facts=getattr(rules, "facts", None), lang=lang)


__all__ = ["Task", "Schedule", "FORMAT_VERSION", "Offset", "parse_offset", "apply_offset", "localize",
           "parse_moment", "zone", "DEFAULT_TIMEZONE", "session_schedule", "campaign_schedule", "adhoc_plan",
           "funnel_review", "groups_needed", "platform_facts", "sop_facts", "filter_tasks", "filter_start",
           "filter_funnel", "FUNNEL_STAGES", "POSTER_ELEMENTS", "SCRIPTS"]
