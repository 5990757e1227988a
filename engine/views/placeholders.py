"""Placeholders (暂定, 待定, 不定期, TBD, 待补充, xx, …, untouched starter text) stand for an answer not
given yet: the plan document never copies them into drafts members read (welcome, rules
reminder, removal notice, session notices).

The judgement is the rules' own (`rules.reading.Placeholders`, reading `facts.placeholders.words`
and `.starter_texts` in the playbook), so a text the diagnosis calls unanswered is never quoted
to members; `DEFAULT_WORDS` only serves a playbook that has no word list.
"""

from __future__ import annotations

from typing import Any

from ..rules.reading import Placeholders, placeholders
from .values import dict_of

DEFAULT_WORDS = ("暂定", "待定", "未定", "待补充", "待完善", "待确认", "不定期", "以后再定", "某某", "TBD", "TBC", "TODO")


def _tester(facts: Any) -> Placeholders:
    spec = dict_of(dict_of(facts).get("placeholders"))
    if spec.get("words"):
        return placeholders(facts)
    starters = tuple(s for s in spec.get("starter_texts") or () if isinstance(s, str))
    return Placeholders(DEFAULT_WORDS, starters)


def is_placeholder(value: Any, facts: Any) -> bool:
    """Whether `value` is text that only stands in for an answer: a starter's untouched sample, or
    a short text that is nothing but placeholder words and marks ("待定", "xx", "TBD…")."""
    return _tester(facts)(value)


def scrub(value: Any, facts: Any) -> Any:
    """`value` without its placeholders: such texts are dropped from records and lists (a record
    loses the key), so a draft built from it falls back to its own wording or leaves the line out."""
    return _scrub(value, _tester(facts))


def _scrub(value: Any, test: Placeholders) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v, test) for k, v in value.items() if not test(v)}
    if isinstance(value, list):
        return [_scrub(v, test) for v in value if not test(v)]
    return value
