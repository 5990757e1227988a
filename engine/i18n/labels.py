"""The labels of the seven sins, the rule categories and the severities: the one place they live.

engine.model.domain keeps only the keys (and the weights); reporters, documents and the rule docs
ask `label(table, key, lang)` here. The rule schema's `x-enum-labels` for the same keys read
"中文 / English" with the English capitalised, and a test holds them to this table.
"""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "sin": {  # DOMAIN.md §7
        "focus": {"zh": "失焦", "en": "loss of focus"},
        "leaderless": {"zh": "无首", "en": "no head"},
        "tyranny": {"zh": "暴政", "en": "tyranny"},
        "harassment": {"zh": "骚扰", "en": "harassment"},
        "boredom": {"zh": "无聊", "en": "boredom"},
        "evaporation": {"zh": "蒸发", "en": "evaporation"},
        "staleness": {"zh": "陈旧", "en": "staleness"},
    },
    "category": {
        "sin": {"zh": "七宗罪", "en": "deadly sin"},
        "structure": {"zh": "结构", "en": "structure"},
        "roles": {"zh": "角色", "en": "roles"},
        "senses": {"zh": "四感", "en": "four senses"},
        "launch": {"zh": "建群准备", "en": "launch"},
        "replication": {"zh": "复制", "en": "replication"},
        "session": {"zh": "分享会", "en": "sharing session"},
        "campaign": {"zh": "裂变活动", "en": "referral campaign"},
        "kpi": {"zh": "考核", "en": "KPIs"},
        "compliance": {"zh": "合规风险", "en": "compliance"},
        "completeness": {"zh": "完整度", "en": "completeness"},
    },
    "severity": {
        "error": {"zh": "错误", "en": "error"},
        "warning": {"zh": "警告", "en": "warning"},
        "info": {"zh": "提示", "en": "info"},
    },
}


def label(table: Any, key: str | None, lang: str) -> str:
    """The label of `key` in `table` ("sin", "category", "severity", or a key registry of
    engine.model.domain naming its table); an unknown key comes back as itself."""
    entries = table if isinstance(table, dict) else LABELS.get(getattr(table, "table", table), {})
    if key is None or key not in entries:
        return key or ""
    return entries[key].get(lang) or entries[key]["zh"]


def labels(table: str, lang: str) -> dict[str, str]:
    """Every key of a table with its label, in the table's order."""
    return {key: label(table, key, lang) for key in LABELS[table]}
