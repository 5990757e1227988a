"""Domain judgements the rules read beyond the core vocabulary (rules.vocabulary registers them):
what an operator noted beside the answers, and who carries the group's work.

Word lists are data (`facts.keywords`); nothing here knows a Chinese word.
"""

from __future__ import annotations

from typing import Any

from .reading import mentions


def noting(comments: Any, words: Any) -> list[dict[str, Any]]:
    """`comments | noting(facts.keywords.undecided)`: the plan's comments that mention one of
    `words`, in document order (the `comments` name holds {line, text, path} records)."""
    return [c for c in (comments if isinstance(comments, (list, tuple)) else ())
            if isinstance(c, dict) and mentions(c.get("text"), words)]


FILTERS = {"noting": noting}
