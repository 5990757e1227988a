"""Names the whole product shares: the seven sins, rule categories, severities (DOMAIN.md §7).

The CLI's choices, the docs and the reporters all read these registries.
"""

from __future__ import annotations

SINS: dict[str, dict[str, str]] = {
    "focus": {"zh": "失焦", "en": "loss of focus"},
    "leaderless": {"zh": "无首", "en": "no head"},
    "tyranny": {"zh": "暴政", "en": "tyranny"},
    "harassment": {"zh": "骚扰", "en": "harassment"},
    "boredom": {"zh": "无聊", "en": "boredom"},
    "evaporation": {"zh": "蒸发", "en": "evaporation"},
    "staleness": {"zh": "陈旧", "en": "staleness"},
}

CATEGORIES: dict[str, dict[str, str]] = {
    "sin": {"zh": "七宗罪", "en": "deadly sin"},
    "structure": {"zh": "结构", "en": "structure"},
    "roles": {"zh": "角色", "en": "roles"},
    "senses": {"zh": "四感", "en": "four senses"},
    "launch": {"zh": "建群准备", "en": "launch"},
    "replication": {"zh": "复制", "en": "replication"},
    "session": {"zh": "分享会", "en": "sharing session"},
    "campaign": {"zh": "裂变活动", "en": "referral campaign"},
    "kpi": {"zh": "考核", "en": "KPIs"},
}

KINDS = ("product", "interest", "knowledge", "resource", "marketing")  # positioning.kind, for `qunce init`

SEVERITY_LABELS: dict[str, dict[str, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
}

# A rule without its own weight gets its severity's; weights are points of risk out of 100.
DEFAULT_WEIGHTS = {"error": 30, "warning": 15, "info": 5}


def label(table: dict[str, dict[str, str]], key: str | None, lang: str) -> str:
    if key is None or key not in table:
        return key or ""
    return table[key].get(lang) or table[key]["zh"]
