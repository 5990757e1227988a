"""Which platforms and community kinds a rule speaks for (DOMAIN §12: platforms differ).

A rule declares `scope: any` (neutral) or `scope: {platforms: [...], kinds: [...]}`, where a
platform may also be a name from `facts.platform_groups` (chat, forum, qr_joining, ...). A plan
may use several platforms (WeChat groups beside a 知识星球): a rule about the whole plan speaks for
the plan's own platform (`structure.platform`, the main one; every platform in use when none is
named), since its `platform` figures are that platform's; a rule about each group applies to the
groups on a platform in its scope, so a side group is judged by its own platform and not the other
way round (a WeChat group of renewers does not give a 知识星球 quiet hours). User packs that say
nothing apply everywhere.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..model.plan import as_dict

ANY = "any"



def platform_id(name: Any, facts: Any) -> str | None:
    """A platform name as the profiles know it (older names through facts.platform_aliases)."""
    if not isinstance(name, str) or not name:
        return None
    return as_dict(as_dict(facts).get("platform_aliases")).get(name, name)


def group_platform(group: Any, data: Any, facts: Any) -> str:
    """The platform of one group: its own, else the plan's, else "other"."""
    own = platform_id(as_dict(group).get("platform"), facts)
    return own or platform_id(as_dict(as_dict(data).get("structure")).get("platform"), facts) or "other"


def plan_platforms(data: Any, facts: Any) -> frozenset[str]:
    """Every platform the plan uses: the plan's and its groups' own ("other" when none is named)."""
    structure = as_dict(as_dict(data).get("structure"))
    found = {platform_id(structure.get("platform"), facts)}
    groups = structure.get("groups")
    for g in groups if isinstance(groups, list) else ():
        found.add(platform_id(as_dict(g).get("platform"), facts))
    found.discard(None)
    return frozenset(found) or frozenset({"other"})


def main_platforms(data: Any, facts: Any) -> frozenset[str]:
    """The platform a rule about the whole plan speaks for: the plan's own, else every one in use."""
    own = platform_id(as_dict(as_dict(data).get("structure")).get("platform"), facts)
    return frozenset({own}) if own else plan_platforms(data, facts)


def expand(names: Iterable[Any] | None, groups: Any) -> frozenset[str] | None:
    """Scope names to platform (or kind) ids: a group name stands for its members."""
    if names is None:
        return None
    out: set[str] = set()
    table = as_dict(groups)
    for name in names:
        if not isinstance(name, str):
            continue
        members = table.get(name)
        out.update(m for m in members if isinstance(m, str)) if isinstance(members, list) else out.add(name)
    return frozenset(out)


def parse(scope: Any, facts: Any) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """(platforms, kinds) a rule's `scope:` admits; None for "every one"."""
    if scope is None or scope == ANY or not isinstance(scope, dict):
        return None, None
    platforms = scope.get("platforms")
    kinds = scope.get("kinds")
    return (expand(platforms, as_dict(facts).get("platform_groups")) if isinstance(platforms, list) else None,
            expand(kinds, as_dict(facts).get("kind_groups")) if isinstance(kinds, list) else None)


def admits(platforms: frozenset[str] | None, kinds: frozenset[str] | None, in_use: frozenset[str],
           kind: Any) -> bool:
    """Whether a rule with this scope speaks for a plan (or group) on `in_use` of kind `kind`."""
    if platforms is not None and not (platforms & in_use):
        return False
    if kinds is not None and (kind if isinstance(kind, str) and kind else "other") not in kinds:
        return False
    return True
