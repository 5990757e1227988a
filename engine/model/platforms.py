"""Platform profiles: what a platform is like (cap, joining, moderation tools, chat or forum),
read from the playbook's facts (`facts.platforms`). One lookup for rules, schedules and documents.
"""

from __future__ import annotations

from typing import Any

from .plan import as_dict



def profile_of(name: Any, facts: Any) -> dict:
    """The profile of a platform by name (older names through facts.platform_aliases).

    An unknown or missing platform gets the `other` profile, whose figures are unknown: a rule
    must not borrow WeChat's cap for a platform that has none (DOMAIN §12)."""
    facts = as_dict(facts)
    platforms = as_dict(facts.get("platforms"))
    if isinstance(name, str):
        name = as_dict(facts.get("platform_aliases")).get(name, name)
    found = platforms.get(name) if isinstance(name, str) else None
    return as_dict(found) or as_dict(platforms.get("other"))


def platform_profile(plan: Any, facts: Any) -> dict:
    """The facts of the plan's platform (cap, QR validity, scan-join cap, ...)."""
    return profile_of(as_dict(as_dict(plan).get("structure")).get("platform"), facts)


def group_profile(group: Any, plan: Any, facts: Any) -> dict:
    """The facts of one group's platform: its own `platform`, else the plan's."""
    own = as_dict(group).get("platform")
    return profile_of(own, facts) if isinstance(own, str) and own else platform_profile(plan, facts)
