"""Departures the plan itself explains: the yearly drop after the season's event, a cohort that
ended, members moved to a new group, spam and unverified accounts the team removed on purpose.
A month's leave figure over the alarm line then counts the calendar or the team's own clean-up,
not members who found no reason to stay (DOMAIN §7 evaporation is valuable members leaving;
§11 the leave-rate line; §13 what a figure shows is read with what the team knows of it). One
judgement, so every rule that reads the leave figures reads the operator's notes alike."""

from __future__ import annotations

import re
from typing import Any

from jinja2 import pass_context

from ..model.plan import as_dict
from .reading import clauses, mentions

_SENTENCE_END = re.compile(r"\.\s+")  # an English full stop: clauses() keeps "3.5" and "e.g. x" whole


def _lines(comments: Any, positioning: Any, left: Any) -> list[str]:
    """The sentences that speak of the departures: a comment at the observed figures, or any comment
    line or positioning sentence with a word for leaving in it. The positioning is read whole here,
    so the strategy's sentences among the notes (`prose`) are not read a second time."""
    at_figures = [c.get("text") for c in comments if str(c.get("path") or "").startswith("observed")]
    others = [c.get("text") for c in comments
              if not c.get("prose") and not str(c.get("path") or "").startswith("observed")]
    split = [part for clause in clauses([others, positioning]) for part in _SENTENCE_END.split(clause)]
    return ([part for clause in clauses(at_figures) for part in _SENTENCE_END.split(clause)]
            + [line for line in split if mentions(line, left)])


@pass_context
def explains_departures(context: Any, plan: Any) -> bool:
    """`plan is explaining_departures`: a sentence about the departures (a comment at the observed
    figures, or a comment or positioning sentence with a word for leaving, facts.keywords.members_left)
    that gives their reason: a recurring or planned one (departure_calendar), or spam and unverified
    accounts (removed_accounts) the team removed (removed_by_team). A worried or guessing note
    (not_expected, departures_worried: 越来越多, 可能是, "no idea why") explains nothing."""
    words = as_dict(as_dict(context.get("facts")).get("keywords"))
    left, removed = words.get("members_left"), words.get("removed_by_team")
    calendar, accounts = words.get("departure_calendar"), words.get("removed_accounts")
    worried = list(words.get("not_expected") or ()) + list(words.get("departures_worried") or ())
    if not left or not calendar:
        return False
    comments = [c for c in (context.get("comments") or ()) if isinstance(c, dict)]
    for line in _lines(comments, as_dict(as_dict(plan).get("positioning")), left):
        if worried and mentions(line, worried):
            continue
        if mentions(line, calendar) or (removed and accounts and mentions(line, removed) and mentions(line, accounts)):
            return True
    return False
