"""A quiet season the plan itself explains: the off-season, school holidays, the winter lay-up,
the weeks between cohorts. Members come back with the season, so a month of silence, of no
newcomers or of no events then is the calendar, not boredom, staleness or an absent owner
(DOMAIN §6: a group's life has its rhythm; §7: boredom is no fixed forms of activity, not a
season without matches or classes). One judgement, so the silence, intake and idleness rules
read the same notes alike."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from ..model.plan import as_dict
from .reading import mentions, noting


@pass_context
def in_quiet_season(context: Any, plan: Any) -> bool:
    """`plan is in_quiet_season`: the plan's comments or its strategy note a quiet season
    (facts.keywords.quiet_season), in either language."""
    words = as_dict(as_dict(context.get("facts")).get("keywords")).get("quiet_season")
    if not words:
        return False
    if noting(context.get("comments"), words):
        return True
    return bool(mentions(as_dict(as_dict(plan).get("positioning")).get("strategy"), words))
