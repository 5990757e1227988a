"""The evidence report's view model (qunce observe --report): plain dicts per section, numbers
already formatted, charts as data. Built from what api.evidence_report gathers (an observation,
the store's weekly series and unanswered questions, the plan's observed-basis findings); no
escaping and no SVG here, and nothing from engine.evidence: the api hands over plain data.

Sections, in reading order: what to do this week (the operator's first question), the groups by
risk (twenty groups, the dying three first), activity over time, retention by join month, the six
roles, the sins with their evidence, unanswered questions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..i18n import DEFAULT_LANG, LANGS, MESSAGES, t
from ..model.domain import SINS, label as domain_label
from ..model.report import Finding

SECTION_IDS = ("week", "groups", "activity", "cohorts", "roles", "sins", "unanswered")
LOOK_FIRST = 3      # groups named under "look first at"
MAX_ACTIONS = 5     # remedies in this week's list
TABLE_WEEKS = 26    # weeks in the activity table (the chart shows the whole history)
MAX_OFFSETS = 12    # months since joining shown in the cohort table and heatmap
NAMES_PER_ROLE = 5  # members named per role
_WINDOW_SUFFIX = re.compile(r"_(\d+)d$")


def pct(value: Any) -> str:
    """A share as a whole percentage ("45%"); "—" when unknown."""
    return f"{100 * float(value):.0f}%" if isinstance(value, (int, float)) and not isinstance(value, bool) else "—"


def num(value: Any) -> str:
    """A count or a figure as it reads in a table ("—" when unknown)."""
    if isinstance(value, bool) or value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value)) if isinstance(value, (int, float)) else str(value)


def figure(key: str, value: Any, shares: frozenset[str]) -> str:
    """One observed figure formatted by what it is: a share as a percentage, else a number."""
    return pct(value) if key in shares else num(value)


def window_text(key: str, windows: Mapping[str, Any], lang: str) -> str:
    """The window a figure was counted over: its days (from observe's table or the key's _Nd
    suffix), the 90 days before the last 30 for the top-decile pair, else as of the day."""
    days = windows.get(key)
    if days is None:
        m = _WINDOW_SUFFIX.search(key)
        days = int(m.group(1)) if m else None
    if isinstance(days, int):
        return t("ev:window-days", lang, n=days)
    if key.startswith("top_decile"):
        return t("ev:window-prior", lang)
    return t("ev:window-as-of", lang)


def resolve(observed: Mapping[str, Any], path: str) -> tuple[str, Any]:
    """The figure a finding points at (`observed.x`, `observed.groups[2].x`): its key and value."""
    parts = [p for p in re.split(r"\.|\[(\d+)\]", path) if p]
    if not parts or parts[0] != "observed":
        return path, None
    node: Any = observed
    for part in parts[1:]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping):
            node = node.get(part)
        else:
            return parts[-1], None
    return parts[-1], node


def _labels(lang: str) -> dict[str, str]:
    return {k[len("ev:"):].replace("-", "_"): t(k, lang) for k in _label_keys()}


@lru_cache(maxsize=1)
def _label_keys() -> tuple[str, ...]:
    return tuple(k for k in MESSAGES if k.startswith("ev:") and not isinstance(MESSAGES[k].get("en"), dict))


def groups_view(groups: list[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """The groups as ranked by observe (riskiest first) and the few to look at first."""
    rows = [{"rank": i + 1, "name": g.get("name"), "risk": num(g.get("risk")), "members": num(g.get("members")),
             "active": num(g.get("active_7d")), "messages": num(g.get("messages_7d")),
             "churn": pct(g.get("churn_30d")), "dau_mau": pct(g.get("dau_mau"))} for i, g in enumerate(groups)]
    first = [g for g in groups if isinstance(g.get("risk"), (int, float)) and g["risk"] > 0][:LOOK_FIRST]
    sep = t("ev:sep", lang)
    look = sep.join(t("ev:group-risk", lang, name=g.get("name"), risk=num(g.get("risk"))) for g in first)
    return {"rows": rows, "look_first": [g.get("name") for g in first],
            "look_first_text": t("ev:look-first", lang, groups=look) if first else None}


def activity_view(weekly: list[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """Messages and speakers per week: the whole history in the chart, the recent weeks in a table."""
    chart = {"chart": "activity", "title": t("ev:chart-activity", lang), "empty_text": t("ev:no-data", lang),
             "bar_label": t("ev:legend-messages", lang), "line_label": t("ev:legend-speakers", lang),
             "data": [{"label": w["week"], "bar": w["messages"], "line": w["speakers"]} for w in weekly]}
    rows = [{"week": w["week"], "messages": num(w["messages"]), "speakers": num(w["speakers"]),
             "joins": num(w["joins"]), "leaves": num(w["leaves"])} for w in weekly[-TABLE_WEEKS:]]
    return {"chart": chart, "rows": rows, "weeks": len(weekly), "note": t("ev:activity-note", lang, n=len(weekly)),
            "recent_note": t("ev:activity-recent", lang, n=TABLE_WEEKS) if len(weekly) > TABLE_WEEKS else None}


def cohorts_view(cohorts: list[Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """Join-month cohorts x months since joining: the share of each cohort still writing."""
    width = min(MAX_OFFSETS, max((len(c.get("active") or []) for c in cohorts), default=0))
    rows, data = [], []
    for c in cohorts:
        size = int(c.get("size") or 0)
        shares = [(a / size if size else 0.0) for a in (c.get("active") or [])[:width]]
        rows.append({"cohort": c.get("cohort"), "size": num(size),
                     "cells": [pct(s) for s in shares] + [""] * (width - len(shares))})
        data.append({"label": c.get("cohort"), "size": size, "values": shares})
    columns = [t("ev:col-offset", lang, n=i) for i in range(width)]
    chart = {"chart": "heatmap", "title": t("ev:chart-cohorts", lang), "empty_text": t("ev:no-data", lang),
             "columns": columns, "data": data}
    return {"chart": chart, "columns": columns, "rows": rows}


def roles_view(roles: Mapping[str, Any], names: Mapping[str, str], lang: str) -> dict[str, Any]:
    """The six roles: how many hold each, a few of them by name, and which are missing."""
    rows = []
    for key, entry in (roles.get("roles") or {}).items():
        count, members = entry.get("count"), entry.get("members")
        who = [names.get(m, m) for m in (members or [])[:NAMES_PER_ROLE]]
        rows.append({"key": key, "label": t(f"ev:role-{key}", lang),
                     "count": num(count) if count is not None else t("ev:role-unknown", lang),
                     "missing": count == 0, "who": who, "more": max(0, len(members or []) - len(who))})
    return {"rows": rows, "note": t("ev:roles-note", lang, days=roles.get("window_days", "—")),
            "missing": [r["label"] for r in rows if r["missing"]]}


def sins_view(findings: list[Finding], observed: Mapping[str, Any], windows: Mapping[str, Any],
              shares: frozenset[str], lang: str) -> list[dict[str, Any]]:
    """The observed-basis findings, weightiest first, each with the figure and window it rests on."""
    out = []
    for f in sorted(findings, key=lambda f: (-f.weight, f.rule)):
        key, value = resolve(observed, f.path)
        text = f.text(lang)
        out.append({"rule": f.rule, "sin": domain_label(SINS, f.sin, lang) if f.sin in SINS else f.category,
                    "title": text.title, "message": text.message, "remedy": text.remedy, "weight": f.weight,
                    "severity": f.severity, "figure": key, "value": figure(key, value, shares),
                    "window": window_text(key, windows, lang)})
    return out


def actions_view(sins: list[Mapping[str, Any]], lang: str) -> list[str]:
    """This week's list: the remedies of the weightiest findings, each once, in order."""
    out, seen = [], set()
    for s in sins:
        if s["remedy"] and s["remedy"] not in seen:
            seen.add(s["remedy"])
            out.append(t("ev:action", lang, remedy=s["remedy"], title=s["title"]))
        if len(out) == MAX_ACTIONS:
            break
    return out


def unanswered_view(data: Mapping[str, Any], lang: str) -> dict[str, Any]:
    count, days, items = int(data.get("count") or 0), data.get("days", 7), list(data.get("items") or [])
    summary = t("ev:unanswered-summary", lang, n=count, days=days) if count else t("ev:unanswered-none", lang, days=days)
    return {"count": count, "days": days, "questions": items, "summary": summary,
            "more": t("ev:unanswered-more", lang, n=len(items)) if count > len(items) else None}


def build_evidence_view(data: Mapping[str, Any], *, lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """The plain data the evidence report's templates read (documented in evidence.md.j2)."""
    lang = lang if lang in LANGS else DEFAULT_LANG
    observed = data.get("observed") or {}
    shares = frozenset(data.get("shares") or ())
    windows = data.get("windows") or {}
    groups = list(data.get("groups") or [])
    sins = sins_view(list(data.get("findings") or []), observed, windows, shares, lang)
    name = data.get("name")
    weekly = list(data.get("weekly") or [])
    return {
        "lang": lang,
        "html_lang": t("ev:html-lang", lang),
        "L": _labels(lang),
        "sections": [{"id": sid, "heading": t(f"ev:h-{sid}", lang)} for sid in SECTION_IDS],
        "doc": {"title": t("ev:doc-title", lang, name=name) if name else t("ev:doc-title-plain", lang), "subtitle": t("ev:doc-subtitle", lang),
                "as_of": observed.get("as_of"), "tz": data.get("tz"), "rows": num(data.get("rows_read")),
                "groups": len(groups), "weeks": len(weekly), "messages": num(observed.get("messages_7d")),
                "generated": data.get("generated"), "anonymized": bool(data.get("anonymized"))},
        "week": {"actions": actions_view(sins, lang), **groups_view(groups, lang)},
        "groups": groups_view(groups, lang),
        "activity": activity_view(weekly, lang),
        "cohorts": cohorts_view(list(data.get("cohorts") or []), lang),
        "roles": roles_view(data.get("roles") or {}, data.get("names") or {}, lang),
        "sins": {"findings": sins, "has_plan": bool(data.get("has_plan"))},
        "unanswered": unanswered_view(data.get("unanswered") or {}, lang),
    }


__all__ = ["SECTION_IDS", "build_evidence_view", "pct", "num", "figure", "window_text", "resolve"]
