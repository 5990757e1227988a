"""Reading what an operator wrote beside one entry of a list: a note on a team member's lines
("小鱼下个月去考研", "one stopped doing legit checks in Sept") is about that member, whatever
words it uses for them, so a rule can hear the people who carry the group leaving without the
note having to name them as core members again."""

from __future__ import annotations

import re
from typing import Any


def beside(comments: Any, section: Any) -> list[dict[str, Any]]:
    """`comments | beside('structure.team')`: the comments written on the list at `section` or on
    one of its entries (a note below an entry's keys is kept with the list itself), in order."""
    if not isinstance(section, str) or not isinstance(comments, (list, tuple)):
        return []
    entry = re.compile(re.escape(section) + r"(\[\d+\])?(?![^.\[])")
    return [c for c in comments if isinstance(c, dict) and entry.match(str(c.get("path") or ""))]
