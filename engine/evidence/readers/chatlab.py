"""ChatLab's interchange format, JSON and JSONL (v0.0.2).

Layout read from hellodigua/ChatLab `docs/cn/chatlab-format.md`: `chatlab{version,exportedAt}`,
`meta{name, platform, type, groupId, ownerId}`, `members[]{platformId, accountName,
groupNickname, roles[{id}]}`, `messages[]{sender, accountName, groupNickname, timestamp (s),
type (code), content, platformMessageId, replyToMessageId}`. JSONL puts one object per line with
`_type` header | member | message; lines starting with `#` are comments, a bad line is skipped.
System messages (type 80) carry the platform's own text; it is parsed with that platform's rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..message import Message
from .base import OnProblem, ReadProblem, from_unix, read_head, stream_items
from .qq import qq_system_event
from .wechat import system_events

CHATLAB_TYPES = {0: "text", 1: "image", 2: "voice", 3: "video", 4: "file", 5: "sticker",
                 7: "link", 8: "other", 20: "red_packet", 21: "other", 22: "other",
                 23: "other", 24: "link", 25: "reply", 26: "other", 27: "other", 80: "system",
                 81: "recall", 99: "other"}
_PLATFORMS = ("wechat", "wecom", "qq", "telegram", "discord")


class _State:
    """Group identity and member roles collected from the header and member records."""

    def __init__(self, meta: dict[str, Any] | None) -> None:
        meta = meta or {}
        self.platform = meta.get("platform") if meta.get("platform") in _PLATFORMS else "chatlab"
        self.group_name = meta.get("name")
        self.group_id = str(meta.get("groupId") or self.group_name or "")
        self.roles: dict[str, str] = {}
        self.names: dict[str, str] = {}
        if meta.get("ownerId"):
            self.roles[str(meta["ownerId"])] = "owner"

    def member(self, rec: dict[str, Any]) -> None:
        pid = str(rec.get("platformId", ""))
        for role in rec.get("roles") or ():
            rid = role.get("id") if isinstance(role, dict) else None
            if rid in ("owner", "admin"):
                if self.roles.get(pid) != "owner":
                    self.roles[pid] = rid
        for name in (rec.get("groupNickname"), rec.get("accountName")):
            if name and pid:
                self.names.setdefault(name, pid)

    def message(self, rec: dict[str, Any], source: str) -> Iterator[Message]:
        sender = str(rec["sender"]) if rec.get("sender") is not None else None
        name = rec.get("groupNickname") or rec.get("accountName")
        kind = CHATLAB_TYPES.get(int(rec.get("type", 99)), "other")
        text = rec.get("content") or ""
        base = dict(platform=self.platform, source=source, group_id=self.group_id,
                    group_name=self.group_name,
                    message_id=str(rec["platformMessageId"]) if rec.get("platformMessageId")
                    else None,
                    ts=from_unix(rec["timestamp"]))
        if kind == "system":
            events = []
            if self.platform == "qq":
                ev = qq_system_event(text)
                events = [(ev[0], ev[2], ev[1])] if ev else []
            else:
                events = system_events(text)
            if not events:
                yield Message(**base, sender_id=sender, sender_name=name, kind="other", text=text)
            for ekind, actor, who in events:
                yield Message(**base, sender_id=self._resolve(who), sender_name=who, kind=ekind,
                              actor_id=self._resolve(actor))
            return
        if sender and name:
            self.names.setdefault(name, sender)
        reply = rec.get("replyToMessageId")
        yield Message(**base, sender_id=sender, sender_name=name,
                      sender_role=self.roles.get(sender or "", None), kind=kind,
                      text=text if kind in ("text", "reply", "link") else "",
                      reply_to=str(reply) if reply else None,
                      actor_id=sender if kind == "recall" else None)

    def _resolve(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.names.get(name) or f"name:{name}"


def read_chatlab_json(path: str, on_problem: OnProblem, **_: object) -> Iterator[Message]:
    """Stream a ChatLab JSON file (members come before messages, so roles are known)."""
    head = read_head(path)
    state = _State(head.get("meta"))
    for rec in head.get("members") or ():
        if isinstance(rec, dict):
            state.member(rec)
    for index, item in stream_items(path, "messages.item", "/messages", on_problem):
        try:
            yield from state.message(item, "chatlab-json")
        except (KeyError, TypeError, ValueError) as exc:
            on_problem(ReadProblem(path, f"/messages/{index}", "export.bad_record",
                                   {"detail": str(exc)[:120]}))


def read_chatlab_jsonl(path: str, on_problem: OnProblem, **_: object) -> Iterator[Message]:
    """Stream a ChatLab JSONL file line by line; a broken line costs that line only."""
    state = _State(None)
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            try:
                rec = json.loads(line)
                rtype = rec.get("_type")
                if rtype == "message":
                    yield from state.message(rec, "chatlab-jsonl")
                elif rtype == "member":
                    state.member(rec)
                elif rtype == "header":
                    members = state.roles, state.names
                    state = _State(rec.get("meta"))
                    state.roles.update(members[0])
                    state.names.update(members[1])
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                on_problem(ReadProblem(path, f"line {lineno}", "export.bad_record",
                                       {"detail": str(exc)[:120]}))
