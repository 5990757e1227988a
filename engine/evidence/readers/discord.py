"""DiscordChatExporter JSON and CSV.

Layouts read from Tyrrrz/DiscordChatExporter `DiscordChatExporter.Core/Exporting/
JsonMessageWriter.cs` (guild, channel, messages[]{id, type, timestamp, content, author{id, name,
nickname, isBot, roles[]}, attachments, stickers, reactions, mentions, reference{messageId}})
and `DiscordChatExporter.Core/Exporting/Csv/CsvMessageWriter.cs` (header
`AuthorID,Author,Date,Content,Attachments,Reactions`, every field quoted, Date formatted by the
exporter's culture: a short date and time without seconds, e.g. `11/27/2026 8:05 PM` or
`27/11/2026 20:05`). The CSV has no message ids, no message types and no joins.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ...model.domain import DATE_ORDERS
from ..message import Message
from .base import OnProblem, ReadProblem, open_text, parse_iso, read_head, stream_items

_IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")
_VIDEO_EXT = (".mp4", ".mov", ".webm", ".mkv")
_AUDIO_EXT = (".mp3", ".ogg", ".wav", ".m4a")


def _attachment_kind(name: str) -> str:
    low = name.lower().split("?")[0]
    if low.endswith(_IMAGE_EXT):
        return "image"
    if low.endswith(_VIDEO_EXT):
        return "video"
    if low.endswith(_AUDIO_EXT):
        return "voice"
    return "file"


def _role(author: dict[str, Any]) -> str | None:
    if author.get("isBot"):
        return "bot"
    names = " ".join(str(r.get("name", "")).lower() for r in author.get("roles") or ()
                     if isinstance(r, dict))
    if "owner" in names:
        return "owner"
    if "admin" in names or "mod" in names:
        return "admin"
    return None


def read_discord_json(path: str, on_problem: OnProblem, **_: object) -> Iterator[Message]:
    """Stream a DiscordChatExporter JSON export (ijson over `messages`)."""
    head = read_head(path)
    guild = head.get("guild") or {}
    channel = head.get("channel") or {}
    group_id = str(channel.get("id", "")) or str(guild.get("id", ""))
    group_name = " / ".join(str(x) for x in (guild.get("name"), channel.get("name")) if x) or None
    for index, item in stream_items(path, "messages.item", "/messages", on_problem):
        try:
            yield _discord_message(item, group_id, group_name)
        except (KeyError, TypeError, ValueError) as exc:
            on_problem(ReadProblem(path, f"/messages/{index}", "export.bad_record",
                                   {"detail": str(exc)[:120]}))


def _discord_message(msg: dict[str, Any], group_id: str, group_name: str | None) -> Message:
    author = msg.get("author") or {}
    mtype = msg.get("type", "Default")
    ref = msg.get("reference") or {}
    reply_to = ref.get("messageId")
    if mtype == "GuildMemberJoin":
        kind = "join"
    elif mtype in ("RecipientRemove",):
        kind = "leave"
    elif mtype == "ChannelPinnedMessage":
        kind = "pin"
    elif mtype == "Reply" or (reply_to and mtype == "Default"):
        kind = "reply"
    elif msg.get("stickers"):
        kind = "sticker"
    elif msg.get("attachments") and not msg.get("content"):
        kind = _attachment_kind(str(msg["attachments"][0].get("fileName", "")))
    elif mtype not in ("Default", "Reply"):
        kind = "other"
    else:
        kind = "text"
    return Message(platform="discord", source="discord-json", group_id=group_id,
                   group_name=group_name, message_id=str(msg["id"]),
                   ts=parse_iso(msg["timestamp"]), sender_id=str(author.get("id") or "") or None,
                   sender_name=author.get("nickname") or author.get("name"),
                   sender_role=_role(author), kind=kind, text=msg.get("content") or "",
                   reply_to=str(reply_to) if reply_to and kind in ("reply", "pin") else None,
                   mentions=len(msg.get("mentions") or ()),
                   actor_id=str(author.get("id")) if kind == "pin" else None)


# ---------------------------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2}))?"
                   r"\s*([AaPp])?\.?\s*[Mm]?\.?\s*$")


def parse_short_date(text: str, order: str) -> datetime:
    """A DiscordChatExporter CSV date in the given order (`dmy`, `mdy`, `ymd`); 12-hour aware."""
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"unknown date format: {text!r}")
    a, b, c, hh, mm, ss, ampm = m.groups()
    if len(a) == 4:
        order = "ymd"
    if order == "ymd":
        y, mo, d = int(a), int(b), int(c)
    elif order == "dmy":
        d, mo, y = int(a), int(b), int(c)
    else:
        mo, d, y = int(a), int(b), int(c)
    if y < 100:
        y += 2000
    hour = int(hh)
    if ampm:
        if ampm in "Pp" and hour < 12:
            hour += 12
        elif ampm in "Aa" and hour == 12:
            hour = 0
    return datetime(y, mo, d, hour, int(mm), int(ss or 0))


def detect_date_order(values: Iterator[str]) -> str | None:
    """`dmy` or `mdy` from the first date whose first or second number is above 12."""
    for text in values:
        m = _DATE.match(text)
        if not m:
            continue
        a, b = m.group(1), m.group(2)
        if len(a) == 4:
            return "ymd"
        if int(a) > 12:
            return "dmy"
        if int(b) > 12:
            return "mdy"
    return None


def _group_from_filename(path: str) -> tuple[str, str]:
    stem = os.path.splitext(os.path.basename(path))[0]
    m = re.search(r"\[(\d+)\]\s*$", stem)
    name = re.sub(r"\s*\[\d+\]\s*$", "", stem)
    return (m.group(1) if m else stem), name


def read_discord_csv(path: str, on_problem: OnProblem, date_order: str | None = None,
                     **_: object) -> Iterator[Message]:
    """Stream a DiscordChatExporter CSV; the day/month order comes from the data or the caller."""
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}")
    if date_order is None:
        with open_text(path, lambda p: None) as fh:
            rows = csv.reader(fh)
            next(rows, None)
            date_order = detect_date_order(r[2] for r in rows if len(r) > 2)
        if date_order is None:
            date_order = "mdy"
            on_problem(ReadProblem(path, "line 2", "export.date_order_ambiguous",
                                   {"assumed": "mdy"}, "warning"))
    group_id, group_name = _group_from_filename(path)
    with open_text(path, on_problem) as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            return
        for row in reader:
            if len(row) < 4:
                if row:
                    on_problem(ReadProblem(path, f"line {reader.line_num}", "export.short_row",
                                           {"found": len(row), "expected": 6}))
                continue
            try:
                ts = parse_short_date(row[2], date_order)
            except ValueError as exc:
                on_problem(ReadProblem(path, f"line {reader.line_num}", "export.bad_value",
                                       {"detail": str(exc)[:120]}))
                continue
            content = row[3]
            attachments = row[4] if len(row) > 4 else ""
            kind = "text"
            if attachments and not content:
                kind = _attachment_kind(attachments.split(",")[0])
            yield Message(platform="discord", source="discord-csv", group_id=group_id,
                          group_name=group_name, message_id=None, ts=ts,
                          sender_id=row[0] or None, sender_name=row[1] or None, kind=kind,
                          text=content)
