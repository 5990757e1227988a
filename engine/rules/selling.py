"""How much of what members get is selling: the output's runs a week by kind.

Reviewers judge a selling group by volume, not by the number of items listed (DOMAIN §2: a
marketing community gives value first; §7 骚扰: the staff's own pushes are harassment too):
"整点秒杀" four times a day beside a weekly vet Q&A is a group of offers, though the plan lists one
offer and one Q&A. One judgement, so every rule that weighs offers against value counts alike.
"""

from __future__ import annotations

from typing import Any

from .vocabulary import item_runs, listify


def weekly_runs(outputs: Any, kinds: Any = None, skip_kinds: Any = ()) -> float:
    """`plan.output | weekly_runs(['promotion'])`: runs a week of the items of `kinds` (every kind
    when none is given), leaving out `skip_kinds`."""
    keep = set(listify(kinds)) if kinds else None
    skip = set(listify(skip_kinds))
    return round(sum(item_runs(item) for item in listify(outputs)
                     if isinstance(item, dict) and item.get("kind") not in skip
                     and (keep is None or item.get("kind") in keep)), 2)
