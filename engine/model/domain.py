"""Names the whole product shares: the seven sins, rule categories, severities (DOMAIN.md §7).

Only the keys and the weights live here; their labels live in engine.i18n.labels (one place).
The CLI's choices, the docs and the reporters all read these registries.
"""

from __future__ import annotations

from typing import Any

from ..i18n.labels import label


class Keys(tuple):
    """The keys of one label table, in order. Iterating and `in` give keys; `registry[key]` gives
    the key's {"zh", "en"} labels, for readers that indexed the old dict of labels."""

    table: str

    def __new__(cls, table: str, keys: tuple[str, ...]) -> "Keys":
        obj = super().__new__(cls, keys)
        obj.table = table
        return obj

    def __getnewargs__(self) -> tuple:
        return self.table, tuple(self)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            if key not in self:
                raise KeyError(key)
            return {lang: label(self.table, key, lang) for lang in ("zh", "en")}
        return super().__getitem__(key)


SINS = Keys("sin", ("focus", "leaderless", "tyranny", "harassment", "boredom", "evaporation", "staleness"))
CATEGORIES = Keys("category", ("sin", "structure", "roles", "senses", "launch", "replication", "session",
                               "campaign", "kpi", "compliance", "completeness"))
SEVERITY_LABELS = Keys("severity", ("error", "warning", "info"))

KINDS = ("product", "interest", "knowledge", "resource", "marketing")  # positioning.kind, for `qunce init`

# A rule without its own weight gets its severity's; weights are points of risk out of 100.
DEFAULT_WEIGHTS = {"error": 30, "warning": 15, "info": 5}

__all__ = ["SINS", "CATEGORIES", "SEVERITY_LABELS", "KINDS", "DEFAULT_WEIGHTS", "Keys", "label"]

# The stages of a referral campaign's review, in order (DOMAIN §9).
FUNNEL_STAGES = ("launches", "scans", "joins", "completions")
DATE_ORDERS = ("dmy", "mdy", "ymd")  # day/month order of culture-formatted dates (03/04/2026) in chat exports
