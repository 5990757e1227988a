"""Groups opened one after another: 1群/2群, 群1/群2, A1/A2, ①群/②群, 一群/二群, Group 1/Group 2.

A community that names its groups as a numbered series has a split practice (DOMAIN §3 split
by number; §6 naming rules), whatever it writes in replication.mode: when one fills, the next
number opens. Operators number in many ways, so the judgement is structural (names that are the
same once their numbers and bracketed notes are dropped), not a keyword list. A name that covers
a range ("5-11群") stands for every group in it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_NOTE = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_RANGE = re.compile(r"(\d{1,3})\s*[-~～至到—–]\s*(\d{1,3})")
_NUMBER = re.compile(r"[0-9０-９]+|[①-⑳]|[一二三四五六七八九十]+(?=[群期区班组号])|#")


def series_size(names: Any) -> int:
    """`plan.structure.groups | pluck('name') | series_size`: groups in the largest numbered series."""
    counts: Counter = Counter()
    for name in names if isinstance(names, (list, tuple)) else ():
        bare = _NOTE.sub("", name) if isinstance(name, str) else ""
        if not _NUMBER.search(bare):
            continue
        span = _RANGE.search(bare)
        many = int(span.group(2)) - int(span.group(1)) + 1 if span else 1
        stem = _NUMBER.sub("", _RANGE.sub("", bare)).strip().lower()
        counts[stem] += many if 1 <= many <= 100 else 1
    return max(counts.values(), default=0)
