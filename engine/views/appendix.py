"""Appendix: drafts to paste into the group (welcome, rules reminder, removal notice, session
notices), in the plan's own language, since members read them; built from the plan without its
placeholders, so a draft never tells members "待定"."""

from __future__ import annotations

from typing import Any

from ..i18n import t
from ..i18n.format import WEEKDAYS, format_datetime
from ..rules.vocabulary import team_people
from .context import Ctx, enum_label
from .placeholders import scrub
from .structure import quiet_hours
from .values import dict_of, fmt_number, int_of, list_of, text_of, texts_of


def remover(data: dict) -> str:
    """Who removes members, as the plan's `moderation.removal.by` choice: what the plan states,
    else the admins when the team has any, else the owner (a plan with no admin must not tell
    members that "an admin" removed someone)."""
    stated = dict_of(dict_of(dict_of(data.get("structure")).get("moderation")).get("removal")).get("by")
    if stated in ("owner", "admins"):
        return stated
    return "admins" if team_people(dict_of(data.get("structure")).get("team"), "admin") else "owner"


def appendix(ctx: Ctx, view: dict[str, Any]) -> dict[str, Any]:
    """Drafts to paste into the group, in the plan's language."""
    data = scrub(ctx.data, ctx.rules.facts)  # members never read "待定" or "TBD"
    st = dict_of(data.get("structure"))
    name = text_of(dict_of(data.get("community")).get("name")) or ""
    P = ctx.P
    sep = P("list-sep")
    value = text_of(dict_of(data.get("positioning")).get("value"))
    nickname = text_of(st.get("nickname_format"))
    quiet = quiet_hours(st.get("quiet_hours"))
    days = WEEKDAYS[ctx.plan_lang]

    welcome = [P("sc-welcome", name=name)]
    if value:
        welcome.append(P("sc-welcome-value", value=value))
    welcome.append(P("sc-welcome-intro"))
    if nickname:
        welcome.append(P("sc-welcome-nickname", format=nickname))
    regular = []
    for item in list_of(data.get("output")):
        if isinstance(item, dict) and item.get("cadence") in ("daily", "weekly") and text_of(item.get("name")):
            wd = int_of(item.get("weekday"))
            when = P("sc-daily") if item["cadence"] == "daily" else (P("sc-weekly", day=days[wd - 1]) if wd else P("sc-weekly-any"))
            time = text_of(item.get("time"))
            regular.append(f"{when}{(' ' + time) if time else ''} {item['name']}")
    if regular:
        welcome.append(P("sc-welcome-regular", items=sep.join(regular[:3])))
    welcome.append(P("sc-welcome-rules"))

    rules = texts_of(st.get("rules"))
    reminder = [P("sc-reminder", name=name)]
    reminder += [f"{i}. {r}" for i, r in enumerate(rules[:4], 1)]
    if quiet:
        reminder.append(P("sc-reminder-quiet", start=quiet[0], end=quiet[1]))
    reminder.append(P("sc-reminder-end"))

    mod = dict_of(st.get("moderation"))
    by = enum_label(("structure", "moderation", "removal", "by"), remover(ctx.data), ctx.plan_lang)
    by = by.lower()  # inside a sentence (English); Chinese has no case
    warnings = int_of(dict_of(mod.get("removal")).get("warnings"))
    removal = [P("sc-removal", by=by) if not warnings else P("sc-removal-one" if warnings == 1 else "sc-removal-n",
                                                            n=warnings, by=by)]
    if mod.get("appeal") is True:
        removal.append(P("sc-removal-appeal"))
    cleanup = int_of(mod.get("inactive_cleanup_days"))
    if cleanup:
        removal.append(P("sc-cleanup", n=cleanup, days=fmt_number(cleanup)))

    notices = []
    for i, item in enumerate(list_of(data.get("sessions"))):
        if not isinstance(item, dict):
            continue
        title = text_of(item.get("title")) or text_of(item.get("id")) or f"#{i + 1}"
        schedule = ctx.schedule("sessions", i, item, ctx.plan_lang, drafts=True)
        if schedule is None:
            notices.append({"title": title, "when": None, "text": None,
                            "missing": ctx.missing(("sessions", i, "start"))})
            continue
        drafts = [task for task in schedule.tasks if task.message and task.to == "group"]
        first = next((task for task in drafts if task.phase == "notify"), drafts[0] if drafts else None)
        when = format_datetime(first.at, ctx.lang) if first else None
        notices.append({"title": title, "when": when, "text": first.message if first else None, "missing": None})

    campaign_scripts = []
    for item in list_of(data.get("campaigns")):
        if isinstance(item, dict):
            removal_script = text_of(dict_of(item.get("scripts")).get("removal"))
            if removal_script:
                campaign_scripts.append(removal_script)
    return {
        "language": t("plan:lang-" + ctx.plan_lang, ctx.lang),
        "scripts": [
            {"key": "welcome", "title": ctx.L("sc-h-welcome"), "when": ctx.L("sc-w-welcome"), "text": "\n".join(welcome)},
            {"key": "reminder", "title": ctx.L("sc-h-reminder"), "when": ctx.L("sc-w-reminder"),
             "text": "\n".join(reminder) if rules else None,
             "missing": None if rules else ctx.missing(("structure", "rules"))},
            {"key": "removal", "title": ctx.L("sc-h-removal"), "when": ctx.L("sc-w-removal"), "text": "\n".join(removal)},
        ],
        "campaign_removal": campaign_scripts,
        "notices": notices,
        "notices_missing": None if notices else ctx.missing(("sessions",)),
    }
