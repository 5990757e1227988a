"""Structure: platform and capacity, groups and their fill, joining, team and the six roles,
moderation, and the group rules as members will read them (in the plan's own language)."""

from __future__ import annotations

import re
from typing import Any

from ..i18n.format import format_percent
from .context import Ctx, enum_label, schema_title
from ..rules.vocabulary import group_cap, group_status, platform_profile
from .values import dict_of, fmt_number, int_of, list_of, text_of, texts_of


def quiet_hours(text: Any) -> tuple[str, str] | None:
    m = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", text) if isinstance(text, str) else None
    return (m.group(1), m.group(2)) if m else None


def structure(ctx: Ctx) -> dict[str, Any]:
    S = ("structure",)
    st = dict_of(ctx.get("structure"))
    lang = ctx.lang
    platform = st.get("platform")
    profile = platform_profile(ctx.data, ctx.rules.facts)
    cap = group_cap({}, profile)
    size = dict_of(st.get("size"))
    split_at = int_of(size.get("split_at"))

    groups = []
    total_members = total_capacity = 0
    for i, g in enumerate(list_of(st.get("groups"))):
        if not isinstance(g, dict):
            continue
        members = int_of(g.get("members"))
        capacity = group_cap(g, profile)
        fill = members / capacity if members is not None and capacity else None
        limit = min(x for x in (split_at, capacity) if x) if (split_at or capacity) else None
        status = ctx.L("g-" + (group_status(g, ctx.data, ctx.rules.facts) or "ok"))
        total_members += members or 0
        total_capacity += capacity or 0
        groups.append({"name": text_of(g.get("name")) or f"#{i + 1}", "tier": enum_label(S + ("groups", "[]", "tier"), g.get("tier"), lang)
                       if g.get("tier") else None, "region": text_of(g.get("region")), "members": fmt_number(members),
                       "capacity": fmt_number(capacity), "fill": format_percent(fill, 0) if fill is not None else "—",
                       "fill_pct": round(min(fill, 1.0) * 100) if fill is not None else 0, "status": status,
                       "purpose": text_of(g.get("purpose")),
                       "room": fmt_number(limit - members) if limit and members is not None and limit >= members else "—"})
    platform_text = None
    if platform:
        platform_text = enum_label(S + ("platform",), platform, lang)
        if cap:
            platform_text += ctx.L("platform-cap", cap=fmt_number(cap))
    split = []
    if int_of(size.get("target")):
        split.append(ctx.L("size-target", n=fmt_number(size.get("target"))))
    if split_at:
        split.append(ctx.L("size-split", n=fmt_number(split_at)))
    elif cap:
        split.append(ctx.L("size-split-cap", n=fmt_number(cap)))

    joining = dict_of(st.get("joining"))
    J = S + ("joining",)
    rhythm = dict_of(joining.get("rhythm"))
    rhythm_text = None
    if int_of(rhythm.get("batch")) and int_of(rhythm.get("every_days")):
        rhythm_text = ctx.L("rhythm" if rhythm["every_days"] > 1 else "rhythm-daily", batch=rhythm["batch"],
                            days=rhythm["every_days"])
    join_rows = [
        ctx.field(J + ("mode",), enum_label(J + ("mode",), joining.get("mode"), lang) if joining.get("mode") else None),
        ctx.field(J + ("threshold",)),
        ctx.field(J + ("rhythm",), rhythm_text),
        ctx.field(J + ("rules_ack",)),
        ctx.field(J + ("mentoring",)),
        ctx.field(J + ("channels",)),
        ctx.field(J + ("approval",), enum_label(J + ("approval",), joining.get("approval"), lang)
                  if joining.get("approval") else None),
    ]

    team = []
    for m in list_of(st.get("team")):
        if not isinstance(m, dict) or not m.get("role"):
            continue
        role = enum_label(S + ("team", "[]", "role"), m.get("role"), lang)
        who = text_of(m.get("name"))
        count = int_of(m.get("count"))
        entry = next((x for x in team if x["key"] == m["role"]), None)
        if entry is None:
            entry = {"key": m["role"], "role": role, "people": [], "count": 0}
            team.append(entry)
        if who:
            entry["people"].append(who)
            entry["count"] += 1
        else:
            entry["count"] += count or 1
    for entry in team:
        unnamed = entry["count"] - len(entry["people"])
        if unnamed > 0:
            entry["people"].append(ctx.L("n-unnamed", n=unnamed) if entry["people"] else ctx.people(unnamed))
    owner = text_of(ctx.get("community", "owner"))
    if owner and not any(e["key"] == "owner" for e in team):
        team.insert(0, {"key": "owner", "role": enum_label(S + ("team", "[]", "role"), "owner", lang), "people": [owner],
                        "count": 1})

    roles_data = dict_of(st.get("roles"))
    roles = []
    for key in ("organizer", "thinker", "entertainer", "asker", "onlooker", "challenger"):
        who = texts_of(roles_data.get(key))
        row = {"key": key, "label": schema_title(S + ("roles", key), lang), "who": who or None,
               "gap": None if who else ctx.missing(S + ("roles", key))}
        roles.append(row)
    gaps = [r["label"] for r in roles if r["gap"]]

    mod = dict_of(st.get("moderation"))
    M = S + ("moderation",)
    removal = dict_of(mod.get("removal"))
    removal_text = None
    if int_of(removal.get("warnings")) is not None or removal.get("by"):
        by = enum_label(M + ("removal", "by"), removal.get("by"), lang) if removal.get("by") else "—"
        by = by.lower()  # the label sits inside a sentence (English); Chinese has no case
        n = int_of(removal.get("warnings"))
        removal_text = ctx.L("removal-one" if n == 1 else "removal", n=fmt_number(n), by=by)
    cleanup = int_of(mod.get("inactive_cleanup_days"))
    mod_rows = [
        ctx.field(M + ("ads",), enum_label(M + ("ads",), mod.get("ads"), lang) if mod.get("ads") else None),
        ctx.field(M + ("spam",), enum_label(M + ("spam",), mod.get("spam"), lang) if mod.get("spam") else None),
        ctx.field(M + ("removal",), removal_text),
        ctx.field(M + ("appeal",)),
        ctx.field(M + ("inactive_cleanup_days",), ctx.count("n-days", cleanup) if cleanup else None),
        ctx.field(M + ("keyword_filter",)),
    ]
    return {
        "present": bool(st), "missing": None if st else ctx.missing(S),
        "platform": ctx.field(S + ("platform",), platform_text),
        "groups": groups,
        "groups_missing": None if groups else ctx.missing(S + ("groups",)),
        "totals": {"members": fmt_number(total_members), "capacity": fmt_number(total_capacity) if total_capacity else "—",
                   "fill": format_percent(total_members / total_capacity, 0) if total_capacity else "—"},
        "split": ctx.sep.join(split) if split else None,
        "split_missing": None if split else ctx.missing(S + ("size", "split_at")),
        "joining": join_rows,
        "joining_missing": None if joining else ctx.missing(J),
        "rules_block": _rules_block(ctx),
        "rules_missing": None if texts_of(st.get("rules")) else ctx.missing(S + ("rules",)),
        "quiet_hours": ctx.field(S + ("quiet_hours",)),
        "nickname": ctx.field(S + ("nickname_format",)),
        "team": team,
        "team_missing": None if team else ctx.missing(S + ("team",)),
        "roles": roles,
        "role_gaps": gaps,
        "roles_text": ctx.L("roles-gaps", roles=ctx.sep.join(gaps)) if gaps else ctx.L("roles-full"),
        "moderation": mod_rows,
        "moderation_missing": None if mod else ctx.missing(M),
    }


def _rules_block(ctx: Ctx) -> str | None:
    """The group rules to paste into the group announcement, in the plan's language: numbered,
    with the nickname format, the quiet hours and the removal policy woven in when the rules do
    not already say them."""
    st = dict_of(ctx.get("structure"))
    rules = texts_of(st.get("rules"))
    nickname = text_of(st.get("nickname_format"))
    quiet = quiet_hours(st.get("quiet_hours"))
    removal = dict_of(dict_of(st.get("moderation")).get("removal"))
    if not rules and not nickname and not quiet:
        return None
    lines = list(rules)
    joined = "\n".join(rules)
    if nickname and nickname not in joined:
        lines.insert(0, ctx.P("rule-nickname", format=nickname))
    if quiet and quiet[0] not in joined and ctx.P("quiet-word") not in joined:
        start, end = quiet
        next_day = end < start or start == "24:00"
        lines.append(ctx.P("rule-quiet-next" if next_day else "rule-quiet", start=start, end=end))
    warnings = int_of(removal.get("warnings"))
    if warnings:
        by = enum_label(("structure", "moderation", "removal", "by"), removal.get("by"), ctx.plan_lang) \
            if removal.get("by") else ctx.P("admins")
        by = by.lower()  # inside a sentence, as above
        lines.append(ctx.P("rule-removal-one" if warnings == 1 else "rule-removal", n=warnings, by=by))
    name = text_of(ctx.get("community", "name")) or ""
    head = ctx.P("rules-head", name=name)
    body = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
    return f"{head}\n{body}"
