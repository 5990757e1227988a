"""Telegram Desktop's `result.json` (Export chat history, machine-readable JSON).

Layout read from telegramdesktop/tdesktop `Telegram/SourceFiles/export/output/
export_output_json.cpp`: `{name, type, id, messages[]}`; a message has id, type (message |
service), date, date_unixtime (a string), from, from_id ("user123"), reply_to_message_id, text
(a string, or an array mixing strings and {type, text} entities), text_entities, media fields
(photo, file, media_type); a service message has actor, actor_id, action and, for
invite_members / remove_members, `members` as display names (no ids). A member who removes
themself has left.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..message import Message, Rows, RowsBuilder
from .base import OnProblem, ReadProblem, from_unix, read_head, stream_items, unix_seconds

_MEDIA = {"sticker": "sticker", "voice_message": "voice", "audio_file": "voice",
          "video_file": "video", "video_message": "video", "animation": "sticker"}
_JOIN_ACTIONS = ("join_group_by_link", "join_group_by_request")
_MENTION_TYPES = ("mention", "mention_name")


def flatten_text(text: Any) -> str:
    """Telegram's text: a plain string, or a list of strings and {type, text} entities."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", ""))
                       for part in text)
    return ""


def _mentions(msg: dict[str, Any]) -> int:
    # A plain loop, not sum() over a generator: this runs once per message and most messages
    # have one plain entity or none, where the generator's set-up was most of the cost.
    entities = msg.get("text_entities")
    if entities is None and isinstance(msg.get("text"), list):
        entities = [p for p in msg["text"] if isinstance(p, dict)]
    n = 0
    for e in entities or ():
        if e.get("type") in _MENTION_TYPES:
            n += 1
    return n


ROWS_BATCH = 20_000  # messages per `Rows` batch: about 5 MB of lists


def read_telegram(path: str, on_problem: OnProblem, rows: bool = False,
                  **_: object) -> Iterator[Message | Rows]:
    """Stream a Telegram Desktop result.json (ijson over `messages`): one `Message` each, or with
    `rows` batches of `Rows` (a record without `date_unixtime` still comes as a `Message`)."""
    batches = _rows(path, on_problem)
    if rows:
        yield from batches
        return
    for batch in batches:
        if isinstance(batch, Rows):
            yield from batch.messages()
        else:
            yield batch


def _rows(path: str, on_problem: OnProblem) -> Iterator[Message | Rows]:
    head = read_head(path)
    group_id = str(head.get("id", ""))
    group_name = head.get("name")
    names: dict[str, str] = {}
    out = RowsBuilder(_VARYING, platform="telegram", source="telegram-json", group_id=group_id,
                      group_name=group_name, mentions_all=False)
    mid, sid, sname, kind_, text_, reply, mentions, epochs = out.appenders()
    n = 0
    for index, item in stream_items(path, "messages.item", "/messages", on_problem):
        try:
            unix = item.get("date_unixtime")
            if item.get("type") == "service" or unix is None:
                epoch = unix_seconds(unix) if unix is not None else None
                for m in (_service(item, _base(item, group_id, group_name), names)
                          if item.get("type") == "service" else (_message(item, group_id, group_name, names),)):
                    if epoch is None:
                        yield m
                    else:
                        out.add(m, epoch)
                n = out.count()
            else:
                sender, name, kind, text, reply_to, k = _fields(item, names)
                message_id = str(item["id"])
                epoch = unix_seconds(unix)
                mid(message_id), sid(sender), sname(name), kind_(kind), text_(text), reply(reply_to)
                mentions(k), epochs(epoch)
                n += 1
        except (KeyError, TypeError, ValueError) as exc:
            on_problem(ReadProblem(path, f"/messages/{index}", "export.bad_record",
                                   {"detail": str(exc)[:120]}))
        if n >= ROWS_BATCH:
            yield out.take()
            mid, sid, sname, kind_, text_, reply, mentions, epochs = out.appenders()
            n = 0
    if out.count():
        yield out.take()


_VARYING = ("message_id", "sender_id", "sender_name", "kind", "text", "reply_to", "mentions")


def _ts(msg: dict[str, Any]) -> datetime:
    unix = msg.get("date_unixtime")
    return from_unix(unix) if unix is not None else datetime.fromisoformat(msg["date"])


def _base(msg: dict[str, Any], group_id: str, group_name: str | None) -> dict[str, Any]:
    return dict(platform="telegram", source="telegram-json", group_id=group_id,
                group_name=group_name, message_id=str(msg["id"]), ts=_ts(msg))


def _fields(msg: dict[str, Any], names: dict[str, str]) -> tuple[Any, ...]:
    """(sender id, sender name, kind, text, reply_to, mentions) of an ordinary message."""
    sender = msg.get("from_id")
    name = msg.get("from")
    if sender and name and name not in names:
        names[name] = sender
    reply_to = msg.get("reply_to_message_id")
    if reply_to is not None:
        kind = "reply"
    elif "media_type" in msg and msg["media_type"] in _MEDIA:
        kind = _MEDIA[msg["media_type"]]
    elif "photo" in msg:
        kind = "image"
    elif "file" in msg:
        kind = "file"
    else:
        kind = "text"
    text = msg.get("text")
    return (sender, name, kind, text if isinstance(text, str) else flatten_text(text),
            str(reply_to) if reply_to is not None else None, _mentions(msg))


def _message(msg: dict[str, Any], group_id: str, group_name: str | None,
             names: dict[str, str]) -> Message:
    sender, name, kind, text, reply_to, n = _fields(msg, names)
    return Message("telegram", "telegram-json", group_id, group_name, str(msg["id"]), _ts(msg),
                   sender, name, kind, text, None, None, reply_to, n)


def _service(msg: dict[str, Any], base: dict[str, Any],
             names: dict[str, str]) -> Iterator[Message]:
    action = msg.get("action")
    actor = msg.get("actor_id")
    actor_name = msg.get("actor")
    if actor and actor_name:
        names.setdefault(actor_name, actor)
    members = [m for m in msg.get("members") or () if isinstance(m, str)]
    if action == "invite_members":
        for who in members:
            yield Message(**base, sender_id=names.get(who, f"name:{who}"), sender_name=who,
                          kind="join", actor_id=actor)
    elif action in _JOIN_ACTIONS:
        yield Message(**base, sender_id=actor, sender_name=actor_name, kind="join",
                      actor_id=names.get(msg.get("inviter") or "", None))
    elif action == "remove_members":
        for who in members:
            self_leave = who == actor_name
            yield Message(**base, sender_id=actor if self_leave else names.get(who, f"name:{who}"),
                          sender_name=who, kind="leave" if self_leave else "removal",
                          actor_id=actor)
    elif action == "pin_message":
        yield Message(**base, sender_id=actor, sender_name=actor_name, kind="pin",
                      actor_id=actor,
                      reply_to=str(msg["message_id"]) if msg.get("message_id") else None)
    else:
        yield Message(**base, sender_id=actor, sender_name=actor_name, kind="other",
                      text=str(action or ""))
