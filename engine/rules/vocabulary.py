"""The vocabulary rules are written in: named domain judgements and helpers, registered as
filters and tests of the rule sandbox (engine.rules.environment), and used by the document
views too, so a rule and the document it feeds cannot judge the same thing two ways.

Each judgement is a plain function (plan data and facts in, a plain value out) that the views
call directly; `when:` reaches the same function as a filter or a test, e.g.
`plan | seed_users_needed(facts)` or `plan is commercial(facts)`. `judge()` gathers them all for
one plan, so a test can hold a document's figures against the diagnosis's.
"""

from __future__ import annotations

import math
import re
from typing import Any

from jinja2 import ChainableUndefined

from ..model.domain import FUNNEL_STAGES
from ..model.plan import as_dict, is_present as present, whole
from ..model.platforms import platform_profile
from .reading import mentions

CADENCE_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14, "monthly": 30, "quarterly": 91, "once": None}
PER_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


# ---- helpers registered as filters and tests: the vocabulary rules are written in -----------


def listify(value: Any) -> list:
    """A field that takes "a name or a list of names" as a list; missing is empty."""
    if value is None or isinstance(value, ChainableUndefined):
        return []
    if isinstance(value, (list, tuple)):
        return [v for v in value if v not in (None, "")]
    if value == "":
        return []
    return [value]


def cadence_days(cadence: Any) -> int | None:
    return CADENCE_DAYS.get(cadence) if isinstance(cadence, str) else None


def per_days(per: Any) -> int | None:
    return PER_DAYS.get(per) if isinstance(per, str) else None


def item_runs(item: dict) -> float:
    """Runs a week of one output item: a daily item weighs seven weekly ones, "4 times a day" 28;
    a one-off or unstated rhythm counts as about once a month."""
    days = cadence_days(item.get("cadence"))
    per, times = per_days(item.get("per")), item.get("times", 1)
    if days is None and per is not None and isinstance(times, int) and not isinstance(times, bool) and times > 0:
        return 7 * times / per
    return 7 / days if days else 7 / 30


def output_load(outputs: Any, skip_kinds: Any = ()) -> list[list]:
    """[owner, share, items] of the outputs' runs a week, largest first: who carries what members get.
    A daily item weighs seven weekly ones (a 每日一练 is most of what members see); kinds in
    `skip_kinds` (promotion, notices) give members nothing to stay for and are left out."""
    skip = set(skip_kinds) if isinstance(skip_kinds, (list, tuple)) else set()
    load: dict[str, float] = {}
    items: dict[str, int] = {}
    for item in listify(outputs):
        if not isinstance(item, dict) or item.get("kind") in skip or not isinstance(item.get("owner"), str):
            continue
        weekly = item_runs(item)
        owner = item["owner"].strip()
        load[owner] = load.get(owner, 0.0) + weekly
        items[owner] = items.get(owner, 0) + 1
    whole = sum(load.values())
    return [[k, v / whole, items[k]] for k, v in sorted(load.items(), key=lambda kv: -kv[1])] if whole else []


def ratio(numerator: Any, denominator: Any) -> float | None:
    """A safe division: None when either side is missing or the denominator is zero."""
    if not isinstance(numerator, (int, float)) or not isinstance(denominator, (int, float)):
        return None
    if isinstance(numerator, bool) or isinstance(denominator, bool) or denominator == 0:
        return None
    return numerator / denominator


def total(items: Any, key: str) -> int | float:
    """Sum of one numeric field over a list of records (e.g. members over groups)."""
    out: int | float = 0
    for item in listify(items):
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out += value
    return out


def pluck(items: Any, key: str) -> list:
    """One field of every record in a list, missing ones left out."""
    return [item[key] for item in listify(items) if isinstance(item, dict) and item.get(key) not in (None, "")]


def cite(examples: Any, n: int = 3) -> list[str]:
    """The example messages a finding cites (observed.examples.<figure>, latest first): "#id MM-DD HH:MM",
    at most n; entries without an id are left out."""
    out = []
    for e in listify(examples)[:n]:
        if isinstance(e, dict) and e.get("id") not in (None, ""):
            out.append(f"#{e['id']} {str(e.get('at') or '')[5:16]}".rstrip())
    return out


def text_length(value: Any) -> int:
    """Length of meaningful text: whitespace and punctuation do not count."""
    if not isinstance(value, str):
        return 0
    return len(re.sub(r"[\s\W_]+", "", value))


def is_present(value: Any) -> bool:
    """model.plan.is_present, with a name the sandbox left undefined counting as missing."""
    return not isinstance(value, ChainableUndefined) and present(value)


# ---- domain judgements: each one defined here once, for rules and documents alike -----------




def _section(plan: Any, *path: str) -> Any:
    node: Any = plan
    for key in path:
        node = as_dict(node).get(key)
    return node


def group_cap(group: Any, platform: Any) -> int | None:
    """How many members one group holds: its own `capacity` when stated, else the platform's cap;
    None where neither is known (a forum, a server without a cap)."""
    own = whole(as_dict(group).get("capacity"))
    if own and own > 0:
        return own
    cap = whole(as_dict(platform).get("group_cap"))
    return cap if cap and cap > 0 else None


def group_status(group: Any, plan: Any, facts: Any) -> str | None:
    """One group's state: "over" (more members than it holds), "split" (at the plan's split
    point; VIP groups are exempt, they stay small by choice), "near" (at the near-full share of
    its cap), "ok"; None when the members are not known."""
    members = whole(as_dict(group).get("members"))
    if members is None:
        return None
    cap = group_cap(group, platform_profile(plan, facts))
    split_at = whole(_section(plan, "structure", "size", "split_at"))
    near = as_dict(as_dict(facts).get("structure")).get("near_full")
    near = near if isinstance(near, (int, float)) and not isinstance(near, bool) else 0.9
    if cap and members > cap:
        return "over"
    if split_at and members >= split_at and as_dict(group).get("tier") != "vip":
        return "split"
    if cap and members / cap >= near:
        return "near"
    return "ok"


def largest_group(plan: Any) -> dict:
    """The group with the most members (the one to split first); {} when no group gives a count."""
    counted = [g for g in listify(_section(plan, "structure", "groups"))
               if isinstance(g, dict) and whole(g.get("members")) is not None]
    return max(reversed(counted), key=lambda g: g["members"]) if counted else {}


def full_groups(plan: Any, facts: Any) -> list[dict]:
    """The groups at or near what they hold (their own capacity, else their platform's cap), the
    fullest first: where newcomers will soon be turned away, on any platform that has a cap."""
    full = []
    family = as_dict(as_dict(facts).get("keywords")).get("group_family")
    for g in listify(_section(plan, "structure", "groups")):
        if not isinstance(g, dict) or (family and mentions(g.get("name"), family)):
            continue  # an entry standing for several groups (各小区客户群) fills no one group
        own = g.get("platform")
        profile = platform_profile({"structure": {"platform": own}}, facts) if own else platform_profile(plan, facts)
        members = whole(g.get("members"))
        cap = group_cap(g, profile)
        near = as_dict(as_dict(facts).get("structure")).get("near_full")
        near = near if isinstance(near, (int, float)) and not isinstance(near, bool) else 0.9
        if members is not None and cap and members >= cap * near:
            full.append(g)
    return sorted(full, key=lambda g: -g["members"])


def member_count(plan: Any) -> int | float:
    """Members of the community: the observed figure when there is one, else the groups' sum."""
    observed = _section(plan, "observed", "members")
    if observed:
        return observed
    return total(_section(plan, "structure", "groups"), "members")


def is_commercial(plan: Any, facts: Any) -> bool:
    """Whether the community has a commercial purpose (a kind, motive or purpose the facts call
    commercial); such a group is expected to live about two years, a plain one about six months."""
    spec = as_dict(as_dict(as_dict(facts).get("structure")).get("commercial"))
    pos = as_dict(_section(plan, "positioning"))
    return (pos.get("kind") in listify(spec.get("kinds"))
            or any(m in listify(spec.get("motives")) for m in listify(pos.get("motives")))
            or any(p in listify(spec.get("purposes")) for p in listify(pos.get("purposes"))))


def says_why(plan: Any) -> bool:
    """Whether the positioning states a kind, a motive or a purpose at all."""
    pos = as_dict(_section(plan, "positioning"))
    return any(is_present(pos.get(k)) for k in ("kind", "motives", "purposes"))


def seeks_revenue(plan: Any) -> bool:
    """Whether the community means to earn: revenue among its purposes or selling among its motives."""
    return ("revenue" in listify(_section(plan, "positioning", "purposes"))
            or "sales" in listify(_section(plan, "positioning", "motives")))


def replicates(plan: Any) -> bool:
    """Whether the plan clones groups (a replication mode other than none)."""
    mode = _section(plan, "replication", "mode")
    return is_present(mode) and mode != "none"


def seed_users_needed(plan: Any, facts: Any) -> int:
    """Seed users a clone needs: about `min` (50), or a tenth of one group's target when that is
    smaller, rounded UP (people are whole: 44 is less than a tenth of 445), at least one."""
    spec = as_dict(as_dict(as_dict(facts).get("structure")).get("seed_users"))
    floor = whole(spec.get("min"))
    need = floor if floor is not None else 50
    share = spec.get("share_of_target")
    target = whole(_section(plan, "structure", "size", "target"))
    if target and target > 0 and isinstance(share, (int, float)) and not isinstance(share, bool) and share > 0:
        need = min(need, max(1, math.ceil(round(target * share, 9))))
    return need


def team_people(team: Any, *roles: str) -> int:
    """People holding any of `roles` (all roles when none given), each person once: a named
    person listed under two roles (an admin who is also the operations manager) is one person;
    an unnamed record, or one naming a group of several (管理组 with count 4), counts its `count`."""
    names: set[str] = set()
    unnamed = 0
    for member in listify(team):
        if not isinstance(member, dict) or (roles and member.get("role") not in roles):
            continue
        name = member.get("name")
        count = member.get("count", 1)
        count = count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 1
        if isinstance(name, str) and name.strip() and count == 1:
            names.add(name.strip())
        else:
            unnamed += count
    return len(names) + unnamed


def _owner_in_team(plan: Any) -> bool:
    owner = _section(plan, "community", "owner")
    return isinstance(owner, str) and any(
        isinstance(m, dict) and isinstance(m.get("name"), str) and m["name"].strip() == owner.strip()
        for m in listify(_section(plan, "structure", "team")))


def admin_count(plan: Any) -> int:
    """People with the power to run the group: the team's owners and admins, each once; the
    community's owner counts too when the team lists them under another role (an owner who is
    also the operations manager is still the owner)."""
    team = _section(plan, "structure", "team")
    n = team_people(team, "owner", "admin")
    owner = _section(plan, "community", "owner")
    if _owner_in_team(plan) and not any(isinstance(m, dict) and m.get("role") in ("owner", "admin")
                                        and m.get("name") == owner for m in listify(team)):
        n += 1
    return n


def coordinators(plan: Any) -> int:
    """People who can run the day-to-day when one of them is away (DOMAIN §11: at least two per
    team): the organisers of the six roles and the team's admins and moderators, each once; the
    owner, who holds the group rather than runs it, does not count."""
    names = {n.strip() for n in listify(_section(plan, "structure", "roles", "organizer"))
             if isinstance(n, str) and n.strip()}
    unnamed = 0
    for member in listify(_section(plan, "structure", "team")):
        if isinstance(member, dict) and member.get("role") in ("admin", "moderator"):
            if isinstance(member.get("name"), str) and member["name"].strip():
                names.add(member["name"].strip())
            else:
                unnamed += team_people([member])
    return len(names) + unnamed


def staff_count(plan: Any) -> int:
    """Everyone who works on the community, each person once, the community's owner included."""
    n = team_people(_section(plan, "structure", "team"))
    owner = _section(plan, "community", "owner")
    if is_present(owner) and not _owner_in_team(plan):
        n += 1
    return n


def fastest_cadence(outputs: Any) -> int | None:
    """Days between two rounds of the most frequent recurring output; None when none recurs."""
    days = [d for d in (cadence_days(c) for c in pluck(outputs, "cadence")) if d is not None]
    return min(days) if days else None


def funnel_counts(funnel: Any) -> list[tuple[str, int | None, float | None]]:
    """Each stage of a campaign's funnel with its count and its conversion from the stage before."""
    data = as_dict(funnel)
    out: list[tuple[str, int | None, float | None]] = []
    previous: int | None = None
    for i, key in enumerate(FUNNEL_STAGES):
        count = whole(data.get(key))
        conversion = round(count / previous, 4) if i > 0 and count is not None and previous else None
        out.append((key, count, conversion))
        previous = count
    return out


def missing_keys(record: Any, keys: Any) -> list:
    """Which of `keys` a record leaves unfilled, in the order given (a poster's elements, scripts)."""
    return [k for k in listify(keys) if not is_present(as_dict(record).get(k))]


def choice_label(value: Any, path: str, lang: str = "zh") -> str:
    """The label of a choice the plan schema offers at `path` (e.g. "positioning.motives",
    "structure.team[].role"), from its `x-enum-labels`, in one language; unknown values as they are."""
    from ..i18n import pick
    from ..load.schema import load_schema

    schema = load_schema()
    defs = schema.get("$defs", {})
    node: Any = schema
    for part in re.findall(r"[a-z_]+|\[\]", path):
        while isinstance(node, dict) and "$ref" in node:
            node = {**defs.get(node["$ref"].rsplit("/", 1)[-1], {}), **{k: v for k, v in node.items() if k != "$ref"}}
        node = as_dict(node).get("items", {}) if part == "[]" else as_dict(as_dict(node).get("properties")).get(part, {})
    labels = as_dict(node).get("x-enum-labels") or as_dict(as_dict(node).get("items")).get("x-enum-labels") or {}
    text = labels.get(value) if isinstance(value, str) else None
    return pick(text, lang) if isinstance(text, str) else ("" if value is None else str(value))


def lookup(keys: Any, table: Any, lang: str | None = None) -> list:
    """Each key's entry in a table of the facts (its `lang` text when asked), in the keys' order."""
    out = []
    for key in listify(keys):
        entry = as_dict(table).get(key)
        out.append(as_dict(entry).get(lang, key) if lang else entry)
    return out


def judge(plan: Any, facts: Any) -> dict[str, Any]:
    """Every judgement on one plan, by name: what a document and a diagnosis must agree on."""
    groups = [g for g in listify(_section(plan, "structure", "groups")) if isinstance(g, dict)]
    return {
        "platform": platform_profile(plan, facts),
        "groups": [{"name": g.get("name"), "cap": group_cap(g, platform_profile(plan, facts)),
                    "status": group_status(g, plan, facts)} for g in groups],
        "members": member_count(plan),
        "commercial": is_commercial(plan, facts),
        "replicates": replicates(plan),
        "seed_users_needed": seed_users_needed(plan, facts),
        "seed_users_ready": whole(_section(plan, "replication", "readiness", "seed_users")),
        "admins": admin_count(plan),
        "staff": staff_count(plan),
        "fastest_cadence": fastest_cadence(_section(plan, "output")),
    }


staff = team_people  # the name rules have used since the first packs
