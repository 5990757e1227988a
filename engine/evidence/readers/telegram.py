"""Telegram Desktop's `result.json` (Export chat history, machine-readable JSON).

Layout read from telegramdesktop/tdesktop `Telegram/SourceFiles/export/output/
export_output_json.cpp`: `{name, type, id, messages[]}`; a message has id, type (message |
service), date, date_unixtime (a string), from, from_id ("user123"), reply_to_message_id, text
(a string, or an array mixing strings and {type, text} entities), text_entities, media fields
(photo, file, media_type); a service message has actor, actor_id, action and, for
invite_members / remove_members, `members` as display names (no ids). A member who removes
themself has left.

Reading: the message array is cut into runs of whole messages (`chunks.ArrayRuns`) and each run is
decoded by msgspec straight into `_Record` structs holding only the members read here, so the
ordinary messages of a run become columns in a few list comprehensions. Service messages, and
every message of a run the typed decoder refuses, take the per-record path over plain dicts; an
export that cannot be cut (minified, truncated, corrupt) is read on from there with ijson, so
every problem is reported where it is, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import msgspec

from ..message import ROWS_BATCH, Message, Rows, RowsBuilder
from .base import (OnProblem, ReadProblem, _watched, all_in_range, from_unix, read_head,
                   stream_items, unix_seconds)
from .chunks import ArrayRuns

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
        if isinstance(e, dict) and e.get("type") in _MENTION_TYPES:
            n += 1
    return n


_NULL = msgspec.Raw(b"null")
_UNSET: Any = msgspec.UNSET


class _Record(msgspec.Struct):
    """A Telegram message as the fast path reads it; every other member is skipped unbuilt.

    Members the per-record path reads with `.get` default to None (absent and null read alike);
    those it tests for presence, or reads only on service messages, default to UNSET so that
    `_as_dict` gives back exactly the dict ijson would have built of them.
    """

    id: Any  # required: a run with a message lacking one goes the per-record way
    type: Any = None
    date_unixtime: Any = None
    from_: Any = msgspec.field(default=None, name="from")
    from_id: Any = None
    reply_to_message_id: Any = None
    text: Any = None
    text_entities: msgspec.Raw = _NULL  # decoded only where it holds a mention
    media_type: Any = None
    photo: Any = _UNSET
    file: Any = _UNSET
    date: Any = _UNSET
    action: Any = _UNSET
    actor: Any = _UNSET
    actor_id: Any = _UNSET
    members: Any = _UNSET
    message_id: Any = _UNSET
    inviter: Any = _UNSET


_FAST = msgspec.json.Decoder(list[_Record])
_ANY = msgspec.json.Decoder()
_PRESENT = ("photo", "file", "date", "action", "actor", "actor_id", "members", "message_id",
            "inviter")


def _as_dict(r: _Record) -> dict[str, Any]:
    """The message as ijson builds it (less the members `_Record` skips)."""
    d = {"id": r.id, "type": r.type, "date_unixtime": r.date_unixtime, "from": r.from_,
         "from_id": r.from_id, "reply_to_message_id": r.reply_to_message_id, "text": r.text,
         "text_entities": msgspec.json.decode(r.text_entities), "media_type": r.media_type}
    for name in _PRESENT:
        value = getattr(r, name)
        if value is not _UNSET:
            d[name] = value
    return d


def _mentions_of(r: _Record) -> int:
    raw = bytes(r.text_entities)
    if raw == b"null":
        return _mentions({"text": r.text}) if isinstance(r.text, list) else 0
    return _mentions({"text_entities": msgspec.json.decode(raw)}) if b'"mention' in raw else 0


def read_telegram(path: str, on_problem: OnProblem, rows: bool = False,
                  **_: object) -> Iterator[Message | Rows]:
    """Stream a Telegram Desktop result.json: one `Message` each, or with `rows` batches of `Rows`
    (a record without `date_unixtime` still comes as a `Message`)."""
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
    cols = _Columns(path, on_problem, str(head.get("id", "")), head.get("name"))
    done = 0
    with _watched(open(path, "rb")) as fh:
        runs = ArrayRuns(fh, "messages")
        for run in runs:
            try:
                records = _FAST.decode(run)
            except msgspec.ValidationError:  # valid JSON, not messages as expected: one by one
                records = None
            except msgspec.DecodeError:  # not a run of whole elements after all
                break
            if records is not None:
                yield from cols.run(records, done, run)
            else:
                try:
                    items = _ANY.decode(run)
                except msgspec.DecodeError:
                    break
                for i, item in enumerate(items):
                    yield from cols.item(item, done + i)
            done = cols.seen
            yield from cols.full()
        if not runs.complete:
            for index, item in stream_items(path, "messages.item", "/messages", on_problem,
                                            skip=done, fh=fh):
                yield from cols.item(item, index)
                yield from cols.full()
    if cols.out.count():
        yield cols.out.take()


class _Columns:
    """One export's messages gathered into `Rows`: runs of decoded records by the column, odd
    records (service messages, no Unix time, a refused run) one by one in their place."""

    def __init__(self, path: str, on_problem: OnProblem, group_id: str,
                 group_name: str | None) -> None:
        self.path, self.on_problem = path, on_problem
        self.group_id, self.group_name = group_id, group_name
        self.names: dict[str, str] = {}
        self.out = RowsBuilder(_VARYING, platform="telegram", source="telegram-json",
                               group_id=group_id, group_name=group_name, mentions_all=False)
        self.seen = 0  # records handled, whatever became of them

    def full(self) -> Iterator[Rows]:
        if self.out.count() >= ROWS_BATCH:
            yield self.out.take()

    def run(self, records: list[_Record], first: int, raw: bytes) -> Iterator[Message]:
        """A decoded run: each stretch of ordinary messages by the column, the rest one by one."""
        mention = b'"mention' in raw
        start = 0
        for i, r in enumerate(records):
            if r.type == "service" or r.date_unixtime is None:
                yield from self._stretch(records, start, i, first, mention)
                yield from self.item(_as_dict(r), first + i)
                start = i + 1
        yield from self._stretch(records, start, len(records), first, mention)

    def _stretch(self, records: list[_Record], lo: int, hi: int, first: int,
                 mention: bool) -> Iterator[Message]:
        if lo >= hi:
            return
        seg = records[lo:hi] if lo or hi < len(records) else records
        try:
            columns = _ordinary(seg, mention)
        except (TypeError, ValueError, AttributeError):
            for i, r in enumerate(seg):  # one of them is bad: find it, keep the others
                yield from self.item(_as_dict(r), first + lo + i)
            return
        for sender, name in zip(columns["sender_id"], columns["sender_name"]):
            if sender and name and name not in self.names:
                self.names[name] = sender
        self.out.extend(columns)
        self.seen = first + hi

    def item(self, item: Any, index: int) -> Iterator[Message]:
        """One record as a dict (ijson's, or a fast-path record given back as one)."""
        self.seen = index + 1
        out, names = self.out, self.names
        try:
            unix = item.get("date_unixtime")
            if item.get("type") == "service" or unix is None:
                epoch = unix_seconds(unix) if unix is not None else None
                if item.get("type") == "service":
                    records = _service(item, _base(item, self.group_id, self.group_name), names)
                else:
                    records = iter((_message(item, self.group_id, self.group_name, names),))
                for m in records:
                    if epoch is None:
                        yield m
                    else:
                        out.add(m, epoch)
            else:
                sender, name, kind, text, reply_to, k = _fields(item, names)
                out.extend({"message_id": [str(item["id"])], "sender_id": [sender],
                            "sender_name": [name], "kind": [kind], "text": [text],
                            "reply_to": [reply_to], "mentions": [k],
                            "epoch": [unix_seconds(unix)]})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.on_problem(ReadProblem(self.path, f"/messages/{index}", "export.bad_record",
                                        {"detail": str(exc)[:120]}))


def _ordinary(seg: list[_Record], mention: bool) -> dict[str, list]:
    """The columns of a stretch of ordinary messages; raises if any one of them is malformed."""
    epochs = [float(r.date_unixtime) for r in seg]
    if not all_in_range(epochs):
        raise ValueError("time out of range")
    return {
        "message_id": [str(r.id) for r in seg],
        "sender_id": [r.from_id for r in seg],
        "sender_name": [r.from_ for r in seg],
        "kind": ["reply" if r.reply_to_message_id is not None else _MEDIA.get(r.media_type)
                 or ("image" if r.photo is not _UNSET else "file" if r.file is not _UNSET
                     else "text") for r in seg],
        "text": [t if type(t) is str else flatten_text(t) for t in [r.text for r in seg]],
        "reply_to": [None if r.reply_to_message_id is None else str(r.reply_to_message_id)
                     for r in seg],
        "mentions": [_mentions_of(r) for r in seg] if mention else [0] * len(seg),
        "epoch": epochs,
    }


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
