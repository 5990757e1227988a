"""Tolerant readers of draft plan data, and the plain number formats the views share.

A plan being drafted may hold anything anywhere; every view reads it through these, so a wrong
type reads as missing instead of failing."""

from __future__ import annotations

from typing import Any

from ..model.plan import as_dict, as_list, whole

# The views' names for model.plan's tolerant readers.
dict_of, list_of, int_of = as_dict, as_list, whole


def text_of(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def texts_of(value: Any) -> list[str]:
    """A string-or-list field as a list of non-empty strings."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [x.strip() for x in value if isinstance(x, str) and x.strip()]
    return []





def num_of(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def fmt_number(value: Any) -> str:
    """1234 -> 1,234; 0.5 -> 0.5; missing -> —."""
    v = num_of(value)
    if v is None:
        return "—"
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def bilingual(value: Any, lang: str) -> str:
    """One side of a playbook's {zh, en} record."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def fmt_months(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"
