"""A quiet season the plan itself explains: the off-season, school holidays, the winter lay-up,
the weeks between cohorts. Members come back with the season, so a month of silence, of no
newcomers or of no events then is the calendar, not boredom, staleness or an absent owner
(DOMAIN §6: a group's life has its rhythm; §7: boredom is no fixed forms of activity, not a
season without matches or classes). One judgement, so the silence, intake and idleness rules
read the same notes alike."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from .reading import mentions, noting


@pass_context
def in_quiet_season(context: Any, plan: Any) -> bool:
    """`plan is in_quiet_season`: the plan's comments or its strategy note a quiet season
    (facts.keywords.quiet_season), in either language."""
    facts = context.get("facts")
    words = ((facts or {}).get("keywords") or {}).get("quiet_season") if isinstance(facts, dict) else None
    if not words:
        return False
    if noting(context.get("comments"), words):
        return True
    positioning = plan.get("positioning") if isinstance(plan, dict) else None
    return bool(isinstance(positioning, dict) and mentions(positioning.get("strategy"), words))
