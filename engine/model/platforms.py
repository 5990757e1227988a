"""Platform profiles: what a platform is like (cap, joining, moderation tools, chat or forum),
read from the playbook's facts (`facts.platforms`). One lookup for rules, schedules and documents.
"""

from __future__ import annotations

from typing import Any


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def platform_profile(plan: Any, facts: Any) -> dict:
    """The facts of the plan's platform (cap, QR validity, scan-join cap, ...).

    An unknown or missing platform gets the `other` profile, whose figures are unknown: a rule
    must not borrow WeChat's cap for a platform that has none (DOMAIN §12)."""
    platforms = _dict(_dict(facts).get("platforms"))
    name = _dict(_dict(plan).get("structure")).get("platform")
    found = platforms.get(name) if isinstance(name, str) else None
    return _dict(found) or _dict(platforms.get("other"))
