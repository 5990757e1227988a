"""Placeholders (暂定, 待定, 不定期, TBD, 待补充, xx, …, untouched starter text) stand for an answer not
given yet: the plan document never copies them into drafts members read (welcome, rules
reminder, removal notice, session notices).

`is_placeholder(value, facts)` has the signature of the rules' vocabulary function of the same
name and reads the same data (`facts.placeholders.words` and `.starter_texts` in the playbook);
`DEFAULT_WORDS` only serves a playbook that has no such list.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .values import dict_of

DEFAULT_WORDS = ("暂定", "待定", "未定", "待补充", "待完善", "待确认", "不定期", "以后再定", "某某", "TBD", "TBC", "TODO")
MAX_CHARS = 40  # a longer text is an answer, however tentative (starter text aside)
_MARKS = re.compile(r"(?i)x{2,}|？+|\?+|…+|\.{3,}|〇{2,}|○{2,}")
_FILLER = re.compile(r"[\s\W_]+")


@lru_cache(maxsize=8)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    words = tuple(w for w in words if w.strip())
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)


def _lists(facts: Any) -> tuple[tuple[str, ...], frozenset[str]]:
    spec = dict_of(dict_of(facts).get("placeholders"))
    words = tuple(w for w in spec.get("words") or DEFAULT_WORDS if isinstance(w, str))
    starters = frozenset(" ".join(s.split()) for s in spec.get("starter_texts") or () if isinstance(s, str))
    return words, starters


def is_placeholder(value: Any, facts: Any) -> bool:
    """Whether `value` is text that only stands in for an answer: a starter's untouched sample, or
    a short text that is nothing but placeholder words and marks ("待定", "xx", "TBD…")."""
    if not isinstance(value, str):
        return False
    text = " ".join(value.split())
    words, starters = _lists(facts)
    if text in starters:
        return True
    if not text or len(text) > MAX_CHARS:
        return False
    pattern = _pattern(words)
    left = pattern.sub(" ", text) if pattern is not None else text
    left = _FILLER.sub("", _MARKS.sub("", left))
    return len(left) < 2 and left != text.strip()


def scrub(value: Any, facts: Any) -> Any:
    """`value` without its placeholders: such texts are dropped from records and lists (a record
    loses the key), so a draft built from it falls back to its own wording or leaves the line out."""
    if isinstance(value, dict):
        return {k: scrub(v, facts) for k, v in value.items() if not is_placeholder(v, facts)}
    if isinstance(value, list):
        return [scrub(v, facts) for v in value if not is_placeholder(v, facts)]
    return value
