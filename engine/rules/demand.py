"""Help on demand: a group whose members speak when they need something and are answered at once.

A support, help or service group is quiet by design (DOMAIN §2 serve customers; §12 reading is the
normal use): most members are silent in any week and few join in any month, yet a question asked
there is answered within the hour. That silence is not boredom and that intake is not staleness;
the observed answering says so, where a plan's own words might only claim it. One judgement, so
the silence and intake rules cannot read "answered quickly" two ways.
"""

from __future__ import annotations

from typing import Any

from ..model.plan import as_dict, is_number


def answers_on_demand(observed: Any, facts: Any) -> bool:
    """`plan.observed is answering_on_demand(facts)`: questions came this week and were answered quickly."""
    o = as_dict(observed)
    lines = as_dict(as_dict(as_dict(facts).get("observed")).get("on_demand"))
    asked, left, wait = o.get("questions_7d"), o.get("unanswered_share_7d"), o.get("median_answer_minutes")
    most_left, longest = lines.get("unanswered_share_max"), lines.get("answer_minutes_max")
    if not all(is_number(v) for v in (asked, left, wait, most_left, longest)):
        return False
    return asked > 0 and left <= most_left and wait <= longest
