"""Which of the plan's groups each message of an export belongs to, and its sender's role.

Why apart from observe: this runs once per message (or once per column of a reader's `Rows`) while
an export loads, so it is kept small and separate from the figures observe computes afterwards.
`ctx` is observe's `PlanContext` (its `groups` and `staff` are read).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .message import Message, Rows


def match_group(name: str | None, groups: Iterable[str], forced: str | None = None) -> str | None:
    """The plan group an export's chat belongs to: `forced` (--group), the same name, a name that
    contains the other, or the plan's only group; None when nothing fits."""
    if forced:
        return forced
    groups = tuple(groups)
    if name:
        for g in groups:
            if g == name:
                return g
        close = [g for g in groups if g in name or name in g]
        if len(close) == 1:
            return close[0]
    return groups[0] if len(groups) == 1 else None


def assign(messages: Iterable[Any], ctx: Any, forced: str | None, mapping: dict[str, str],
           counter: list[int]) -> Iterator[Any]:
    """Each message with its plan group (the group id becomes the plan's group name) and, where
    the export does not say, the sender's role from the plan's team names."""
    for m in messages:
        if isinstance(m, Rows):
            _assign_rows(m, ctx, forced, mapping, counter)
        elif isinstance(m, Message):
            counter[0] += 1
            target = _target(m.platform, m.group_id, m.group_name, ctx, forced, mapping)
            if target:
                m.group_id = target
                m.group_name = target
            if m.sender_role is None and m.sender_name in ctx.staff:
                m.sender_role = ctx.staff[m.sender_name]
        yield m


def _target(platform: str, group_id: str, group_name: str | None, ctx: Any, forced: str | None,
            mapping: dict[str, str]) -> str:
    """The plan group of an export's chat ('' for none), decided at its first message."""
    key = f"{platform}:{group_id}"
    target = mapping.get(key)
    if target is None:
        target = mapping[key] = match_group(group_name, ctx.groups, forced) or ""
    return target


def _assign_rows(rows: Rows, ctx: Any, forced: str | None, mapping: dict[str, str],
                 counter: list[int]) -> None:
    """`assign` over a reader's columns: each chat's target once, then whole columns replaced."""
    counter[0] += rows.count()
    chats: dict[tuple[str, str], str | None] = {}
    for chat, name in zip(zip(rows["platform"], rows["group_id"]), rows["group_name"]):
        if chat not in chats:
            chats[chat] = name
    targets = {chat: _target(*chat, name, ctx, forced, mapping) for chat, name in chats.items()}
    if any(targets.values()):
        chat_of = list(zip(rows["platform"], rows["group_id"]))
        rows["group_name"] = [targets[chat] or name for chat, name in zip(chat_of, rows["group_name"])]
        rows["group_id"] = [targets[chat] or chat[1] for chat in chat_of]
    if ctx.staff:
        staff = ctx.staff
        rows["sender_role"] = [staff[n] if r is None and n in staff else r
                               for r, n in zip(rows["sender_role"], rows["sender_name"])]
