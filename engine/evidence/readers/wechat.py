"""WeChat exports: WeChatMsg/MemoTrace CSV and PyWxDump paged CSV.

Layouts read from the exporters' own source:
- LC044/WeChatMsg `app/util/exporter/exporter_csv.py`: one `<remark>_utf8.csv`, UTF-8 with BOM,
  columns localId, TalkerId, Type, SubType, IsSender, CreateTime (Unix s), Status, StrContent,
  StrTime, Remark, NickName, Sender (the last three name the sender in a group chat).
- xaoyaoo/PyWxDump `pywxdump/api/export/exportCSV.py`: pages `<wxid>_<start>_<end>.csv` (UTF-8,
  no BOM) plus `users.json`; columns id, MsgSvrID, type_name, is_sender, talker, room_name, msg,
  src, CreateTime (local '%Y-%m-%d %H:%M:%S'); the Chinese type labels come from
  `pywxdump/db/utils/common_utils.py` (type_converter).
WeChat writes membership changes only as system text (type 10000), with names, not ids; names
are resolved to ids seen earlier in the same export, else kept as `name:<name>`. WeChat has no
leave event: a member who leaves on their own is invisible in the export.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..message import Message
from .base import OnProblem, ReadProblem, from_unix, open_text

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # link cards carry long XML in one field

# (Type, SubType) of the WeChat database -> kind. SubType matters only for app messages (49).
WECHAT_TYPES = {1: "text", 3: "image", 34: "voice", 43: "video", 47: "sticker", 48: "other",
                50: "other", 42: "other", 10000: "system", 10002: "system",
                436207665: "red_packet"}
APP_SUBTYPES = {57: "reply", 6: "file", 0: "file", 74: "file", 5: "link", 4: "link", 33: "link",
                36: "link", 2000: "other", 2001: "red_packet", 2003: "other", 8: "sticker",
                19: "other", 87: "other"}

# PyWxDump's type_name labels -> kind ("红包" is the one label not in its type table).
PYWXDUMP_LABELS = {
    "文本": "text", "图片": "image", "语音": "voice", "视频": "video", "动画表情": "sticker",
    "用户上传的GIF表情": "sticker", "文件": "file", "文件(猜)": "file", "卡片式链接": "link",
    "(分享)卡片式链接": "link", "分享的小程序": "link", "(分享)小程序": "link",
    "引用回复": "reply", "带有引用的文本消息": "reply", "红包": "red_packet",
    "转账": "other", "转账消息": "other", "语音通话": "other", "群公告": "other",
    "系统通知": "system", "邀请加群": "system", "拍一拍": "other",
}

_Q = "\"“”'「」"
_INVITE = re.compile(rf"^[{_Q}]?(?P<actor>.+?)[{_Q}]?邀请[{_Q}]?(?P<who>.+?)[{_Q}]?加入了群聊")
_SCAN = re.compile(rf"^[{_Q}]?(?P<who>.+?)[{_Q}]?通过扫描[{_Q}]?(?P<actor>.+?)[{_Q}]?分享的二维码加入群聊")
_REMOVE = re.compile(rf"^[{_Q}]?(?P<actor>.+?)[{_Q}]?将[{_Q}]?(?P<who>.+?)[{_Q}]?移出了群聊")
_RECALL = re.compile(rf"^[{_Q}]?(?P<actor>.+?)[{_Q}]?\s*撤回了一条消息")
_SPLIT = re.compile("[、，,]")


def system_events(text: str) -> list[tuple[str, str | None, str | None]]:
    """(kind, actor name, member name) for one WeChat system line; [] when it is no event.

    One invitation may name several members ("A邀请B、C加入了群聊"): one join each.
    """
    m = _INVITE.match(text)
    if m:
        return [("join", m["actor"], who) for who in _SPLIT.split(m["who"]) if who]
    m = _SCAN.match(text)
    if m:
        return [("join", m["actor"], m["who"])]
    m = _REMOVE.match(text)
    if m:
        return [("removal", m["actor"], who) for who in _SPLIT.split(m["who"]) if who]
    m = _RECALL.match(text)
    if m:
        return [("recall", m["actor"], m["actor"])]
    return []


class _Names:
    """Names seen in this export -> ids, so system lines can point at members."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}

    def see(self, sender_id: str | None, *names: str | None) -> None:
        if sender_id:
            for name in names:
                if name:
                    self.ids.setdefault(name, sender_id)

    def resolve(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.ids.get(name) or f"name:{name}"


def _system_messages(base: dict, text: str, names: _Names,
                     sender_id: str | None) -> Iterator[Message]:
    events = system_events(text)
    if not events:
        yield Message(**base, sender_id=sender_id, sender_name=None, kind="other", text=text)
        return
    for kind, actor, who in events:
        yield Message(**base, sender_id=names.resolve(who), sender_name=who, kind=kind,
                      actor_id=names.resolve(actor))


def _group_name_from_file(path: str) -> str:
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem[:-5] if stem.endswith("_utf8") else stem


def _csv_rows(path: str, on_problem: OnProblem, need: tuple[str, ...]) -> Iterator[tuple[int, list[str], dict]]:
    """(line, row, column index by name) of a CSV export's full rows, for both WeChat layouts. A
    column of `need` missing is one located problem and nothing is read; a short row is reported
    and skipped."""
    with open_text(path, on_problem) as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            return
        col = {name.strip(): i for i, name in enumerate(header)}
        missing = [c for c in need if c not in col]
        if missing:
            on_problem(ReadProblem(path, "line 1", "export.missing_column", {"column": missing[0]}))
            return
        yield from _records(reader, len(header), col, path, on_problem, 0)


def _records(reader: Any, width: int, col: dict, path: str, on_problem: OnProblem,
             before: int) -> Iterator[tuple[int, list[str], dict]]:
    """(line, row, col) of `reader`'s full rows, `before` lines read before it started."""
    for row in reader:
        if len(row) < width:
            if row:
                on_problem(ReadProblem(path, f"line {before + reader.line_num}", "export.short_row",
                                       {"found": len(row), "expected": width}))
            continue
        yield before + reader.line_num, row, col


def pywxdump_pages(folder: str) -> list[str]:
    """The page files of one PyWxDump export, in message order (by their start offset)."""
    pages = []
    for name in os.listdir(folder):
        m = _PAGE.match(name)
        if m:
            pages.append((int(m["start"]), os.path.join(folder, name)))
    return [p for _, p in sorted(pages)]


_PAGE = re.compile(r"^(?P<wxid>.+)_(?P<start>\d+)_(?P<end>\d+)\.csv$")


def _load_users(folder: str, on_problem: OnProblem) -> dict:
    path = os.path.join(folder, "users.json")
    if not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as fh:
            users = json.load(fh)  # a member list: small next to the messages
    except (OSError, ValueError) as exc:
        on_problem(ReadProblem(path, "/", "export.json_invalid", {"detail": str(exc)[:200]},
                               "warning"))
        return {}
    return users if isinstance(users, dict) else {}


def read_pywxdump(path: str, on_problem: OnProblem, **_: object) -> Iterator[Message]:
    """Stream a PyWxDump export: a folder of pages (or one page) plus users.json."""
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    pages = pywxdump_pages(folder) if os.path.isdir(path) else [path]
    users = _load_users(folder, on_problem)
    names = _Names()
    for wxid, user in users.items():
        if isinstance(user, dict):
            names.see(wxid, user.get("remark"), user.get("nickname"))
    for page in pages:
        yield from _read_pywxdump_page(page, users, names, on_problem)


def _read_pywxdump_page(path: str, users: dict, names: _Names,
                        on_problem: OnProblem) -> Iterator[Message]:
    need = ("MsgSvrID", "type_name", "talker", "room_name", "msg", "CreateTime")
    for line, row, col in _csv_rows(path, on_problem, need):
        try:
            ts = datetime.fromisoformat(row[col["CreateTime"]])
        except ValueError as exc:
            on_problem(ReadProblem(path, f"line {line}", "export.bad_value", {"detail": str(exc)[:120]}))
            continue
        label = row[col["type_name"]]
        kind = PYWXDUMP_LABELS.get(label, "recall" if label.startswith("消息撤回") else "other")
        room = row[col["room_name"]]
        user = users.get(room)
        base = dict(platform="wechat", source="pywxdump-csv", group_id=room,
                    group_name=user.get("nickname") if isinstance(user, dict) else None,
                    message_id=row[col["MsgSvrID"]] or None, ts=ts)
        talker = row[col["talker"]] or None
        if kind in ("system", "recall"):
            yield from _system_messages(base, row[col["msg"]], names, talker)
            continue
        info = users.get(talker) if talker else None
        name = None
        if isinstance(info, dict):
            name = info.get("remark") or info.get("nickname")
        yield Message(**base, sender_id=talker, sender_name=name, kind=kind,
                      text=row[col["msg"]] if kind in ("text", "reply", "link") else "")
