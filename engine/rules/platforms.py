"""Which platforms a plan's members are spread over (DOMAIN §3 platform(s), §12 platforms differ).

A community on two platforms must say what each is for and how members move between them; the
first question is whether it is on two at all. A Telegram channel beside a Telegram group is one
platform's broadcast-and-talk pair, not a second place to look after, so platforms are counted by
family (facts.platform_families); the plan's main platform counts only with a group of its own
or no groups listed.
"""

from __future__ import annotations

from typing import Any

from ..model.plan import as_dict


def platforms_used(plan: Any, facts: Any) -> list[str]:
    """`plan | platforms_used(facts)`: the distinct platform families the plan's groups sit on."""
    structure = as_dict(as_dict(plan).get("structure"))
    facts = as_dict(facts)
    aliases = as_dict(facts.get("platform_aliases"))
    families = as_dict(facts.get("platform_families"))
    main = structure.get("platform")
    groups = [as_dict(g) for g in structure.get("groups") or [] if isinstance(g, dict)]
    named = [g.get("platform") or main for g in groups] if groups else [main]
    found: set[str] = set()
    for name in named:
        if isinstance(name, str) and name:
            name = aliases.get(name, name)
            found.add(families.get(name, name))
    return sorted(found)
