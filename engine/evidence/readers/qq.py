"""QQ exports: the QQ message manager's TXT and QQChatExporter V4 JSON.

Layouts read from the exporters and from parsers written against them:
- QQ message manager TXT, as documented by hellodigua/ChatLab
  `electron/main/parser/formats/qq-native-txt.ts` and `qq-chat-history`'s tests: a header
  (消息记录…, 消息分组:, 消息对象:), then `YYYY-MM-DD H:MM:SS[ AM|PM] [【头衔】]昵称(QQ号)` or
  `昵称<email>` and the content lines. The QQ number is the LAST parenthesised digits (nicknames
  may hold parentheses). No message ids, so no reply targets.
- shuakami/qq-chat-exporter `JsonExporter.ts` / `SimpleMessageParser.ts` (QQChatExporter V4):
  metadata.name "QQChatExporter V4 …", chatInfo{name,type}, messages[]{messageId, timestamp
  (ISO), sender{uid,uin,name}, isSystemMessage, isRecalled, content{text, elements[{type,data}],
  resources[{type}]}, rawMessage{sendMemberName, …}}.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..message import Message
from .base import OnProblem, ReadProblem, open_text, parse_iso, read_head, stream_items

_HEAD = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2}) +(?:(?P<cn1>上午|下午) ?)?(?P<time>\d{1,2}:\d{2}:\d{2})"
    r"(?: ?(?P<ampm>[AaPp][Mm]|上午|下午))? +(?P<who>.+?)\s*$")
_QQ_ID = re.compile(r"^(?P<name>.*)\((?P<id>\d+)\)$")
_EMAIL_ID = re.compile(r"^(?P<name>.*)<(?P<id>[^<>]+)>$")
_TITLE = re.compile(r"^【(?P<title>[^】]*)】")
_TITLE_ROLES = {"群主": "owner", "管理员": "admin"}
_MARKERS = {"[图片]": "image", "[表情]": "sticker", "[红包]": "red_packet", "[QQ红包]": "red_packet",
            "[语音]": "voice", "[视频]": "video", "[文件]": "file"}

_QQ_SYSTEM = (
    (re.compile(r"^(?P<who>.+?)(?:通过.+?)?加入(?:了)?本群"), "join"),
    (re.compile(r"^(?P<who>.+?)被(?P<actor>.+?)移出(?:了)?本群"), "removal"),
    (re.compile(r"^(?P<actor>.+?)将(?P<who>.+?)移出(?:了)?本群"), "removal"),
    (re.compile(r"^(?P<who>.+?)退出(?:了)?本群"), "leave"),
    (re.compile(r"^(?P<who>.+?)\s*撤回了一条(?:成员)?消息"), "recall"),
)
SYSTEM_UIN = "10000"


def qq_system_event(text: str) -> tuple[str, str | None, str | None] | None:
    """(kind, member name, actor name) for a QQ system line, or None."""
    for pattern, kind in _QQ_SYSTEM:
        m = pattern.match(text.strip())
        if m:
            who = m.group("who")
            actor = m.groupdict().get("actor")
            return kind, who, actor if actor else (who if kind in ("leave", "recall") else None)
    return None


def _to_24h(date: str, time: str, ampm: str | None) -> datetime:
    """QQ's date and time, 12-hour when AM/PM (上午/下午) is given: 12 AM is midnight."""
    y, mo, d = date.split("-")
    h, mi, s = time.split(":")
    hour = int(h)
    if ampm:
        pm = ampm.upper() == "PM" or ampm == "下午"
        if pm and hour < 12:
            hour += 12
        elif not pm and hour == 12:
            hour = 0
    return datetime(int(y), int(mo), int(d), hour, int(mi), int(s))


def parse_sender(who: str) -> tuple[str, str, str | None] | None:
    """(id, name, role) from `【管理员】昵称(QQ号)` or `昵称<email>`; None when not a sender."""
    m = _QQ_ID.match(who) or _EMAIL_ID.match(who)
    if not m:
        return None
    name = m["name"]
    role = None
    while True:
        t = _TITLE.match(name)
        if not t:
            break
        role = role or _TITLE_ROLES.get(t["title"])
        name = name[t.end():]
    return m["id"], name.strip(), role


def read_qq_txt(path: str, on_problem: OnProblem, **_: object) -> Iterator[Message]:
    """Stream a QQ message-manager TXT export, line by line."""
    group = None
    names: dict[str, str] = {}
    current: dict[str, Any] | None = None
    lines: list[str] = []

    def flush() -> Iterator[Message]:
        if current is None:
            return
        while lines and not lines[-1].strip():
            lines.pop()
        text = "\n".join(lines)
        yield from _qq_txt_message(current, text, group or "", names)

    with open_text(path, on_problem) as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if lineno == 1:
                line = line.lstrip("\ufeff")
            m = _HEAD.match(line) if line[:4].isdigit() else None
            sender = parse_sender(m["who"]) if m else None
            if m and sender:
                yield from flush()
                try:
                    ts = _to_24h(m["date"], m["time"], m["ampm"] or m["cn1"])
                except ValueError as exc:
                    on_problem(ReadProblem(path, f"line {lineno}", "export.bad_value",
                                           {"detail": str(exc)[:120]}))
                    current = None
                    lines = []
                    continue
                current = {"ts": ts, "id": sender[0], "name": sender[1], "role": sender[2],
                           "line": lineno}
                lines = []
                continue
            if current is None:
                if line.startswith(("消息对象:", "消息对象：")):
                    group = line[5:].strip()
                continue
            lines.append(line)
        yield from flush()


def _event_message(base: dict[str, Any], event: tuple[str, str | None, str | None],
                   names: dict[str, str]) -> Message:
    """A join, leave or removal of a QQ system line as a message, in both QQ layouts: a person is
    known by the QQ number seen beside that name earlier in the export, else by the name."""
    kind, who, actor = event
    return Message(**base, sender_id=names.get(who or "") or (f"name:{who}" if who else None), sender_name=who,
                   kind=kind, actor_id=names.get(actor or "") or (f"name:{actor}" if actor else None))


def _qq_txt_message(cur: dict[str, Any], text: str, group: str,
                    names: dict[str, str]) -> Iterator[Message]:
    base = dict(platform="qq", source="qq-txt", group_id=group, group_name=group,
                message_id=None, ts=cur["ts"])
    if cur["id"] == SYSTEM_UIN:
        event = qq_system_event(text)
        if event:
            yield _event_message(base, event, names)
        else:
            yield Message(**base, sender_id=SYSTEM_UIN, sender_name=cur["name"], kind="other",
                          text=text)
        return
    names.setdefault(cur["name"], cur["id"])
    stripped = text.strip()
    if stripped.endswith("撤回了一条消息") and len(stripped) <= 20:
        kind, text = "recall", ""
    else:
        kind = _MARKERS.get(stripped, "text")
        if kind != "text":
            text = ""
    yield Message(**base, sender_id=cur["id"], sender_name=cur["name"],
                  sender_role=cur["role"], kind=kind, text=text,
                  actor_id=cur["id"] if kind == "recall" else None)


# ---------------------------------------------------------------------------------------------

_QCE_ELEMENTS = {"image": "image", "face": "sticker", "market_face": "sticker",
                 "marketface": "sticker", "file": "file", "video": "video", "audio": "voice",
                 "ptt": "voice", "json": "link", "ark": "link", "share": "link",
                 "wallet": "red_packet", "redbag": "red_packet", "red_packet": "red_packet"}
_QCE_REPLY_KEYS = ("replyMsgId", "referencedMessageId", "sourceMsgId", "messageId", "msgId")


def read_qce_json(path: str, on_problem: OnProblem, **_: object) -> Iterator[Message]:
    """Stream a QQChatExporter V4 JSON export (ijson over `messages`)."""
    head = read_head(path)
    chat = head.get("chatInfo") or {}
    group_name = chat.get("name") if isinstance(chat, dict) else None
    names: dict[str, str] = {}
    for index, item in stream_items(path, "messages.item", "/messages", on_problem):
        try:
            yield from _qce_message(item, group_name, names)
        except (KeyError, TypeError, ValueError) as exc:
            on_problem(ReadProblem(path, f"/messages/{index}", "export.bad_record",
                                   {"detail": str(exc)[:120]}))


def _qce_message(item: dict[str, Any], group_name: str | None,
                 names: dict[str, str]) -> Iterator[Message]:
    sender = item.get("sender") or {}
    raw = item.get("rawMessage") or {}
    sid = str(sender.get("uin") or sender.get("uid") or "") or None
    name = raw.get("sendMemberName") or sender.get("name")
    content = item.get("content") or {}
    text = content.get("text") or ""
    group_id = str(raw.get("peerUin") or raw.get("peerUid") or group_name or "")
    base = dict(platform="qq", source="qce-json", group_id=group_id, group_name=group_name,
                message_id=str(item.get("messageId") or item.get("id") or "") or None,
                ts=parse_iso(item["timestamp"]))
    if sid and name:
        names.setdefault(name, sid)
    if item.get("isRecalled"):
        yield Message(**base, sender_id=sid, sender_name=name, kind="recall", actor_id=sid)
        return
    if item.get("isSystemMessage"):
        event = qq_system_event(text)
        if event:
            yield _event_message(base, event, names)
        else:
            yield Message(**base, sender_id=sid, sender_name=name, kind="other", text=text)
        return
    kind, reply_to = "text", None
    for el in content.get("elements") or ():
        etype = str(el.get("type", "")).lower()
        if etype == "reply":
            data = el.get("data") or {}
            reply_to = next((str(data[k]) for k in _QCE_REPLY_KEYS if data.get(k)), None)
            kind = "reply"
        elif kind == "text" and etype in _QCE_ELEMENTS:
            kind = _QCE_ELEMENTS[etype]
    if kind == "text":
        for res in content.get("resources") or ():
            kind = _QCE_ELEMENTS.get(str(res.get("type", "")).lower(), kind)
            break
    mentions = sum(1 for el in content.get("elements") or () if el.get("type") == "at")
    yield Message(**base, sender_id=sid, sender_name=name, kind=kind, reply_to=reply_to,
                  text=text if kind in ("text", "reply", "link") else "", mentions=mentions)
