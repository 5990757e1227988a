"""Naming an export's layout from its first bytes (a cheap sniff, never a full read)."""

from __future__ import annotations

import os
import re

from .base import sniff_encoding
from .qq import _HEAD, parse_sender
from .wechat import pywxdump_pages
from .wecom import WECOM_MARKERS

SNIFF_BYTES = 8192


def is_pywxdump_folder(path: str) -> bool:
    """A folder holding PyWxDump pages (`<wxid>_<start>_<end>.csv`)."""
    return os.path.isdir(path) and bool(pywxdump_pages(path))


def _head_text(path: str) -> str:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    encoding = sniff_encoding(path)
    return head.decode("utf-8" if encoding == "utf-8-sig" else encoding, errors="ignore") \
        .lstrip("\ufeff")


_TG_TYPES = re.compile(r'"type"\s*:\s*"(personal_chat|private_group|private_supergroup|'
                       r'public_supergroup|private_channel|public_channel|bot_chat|saved_messages)"')


def detect(path: str) -> str | None:
    """The reader name for `path`, or None when the layout is not recognised."""
    if os.path.isdir(path):
        return "pywxdump-csv" if is_pywxdump_folder(path) else None
    try:
        text = _head_text(path)
    except OSError:
        return None
    stripped = text.lstrip()
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0]
        if '"_type"' in first_line and '"header"' in first_line:
            return "chatlab-jsonl"
        if '"chatlab"' in text[:2000]:
            return "chatlab-json"
        if "QQChatExporter" in text:
            return "qce-json"
        if '"guild"' in text and '"channel"' in text:
            return "discord-json"
        if _TG_TYPES.search(text) or '"date_unixtime"' in text:
            return "telegram-json"
        return None
    first = stripped.split("\n", 1)[0].strip().strip("\r")
    cells = [c.strip().strip('"').lower() for c in first.split(",")]
    if cells[:4] == ["localid", "talkerid", "type", "subtype"]:
        return "wechatmsg-csv"
    if cells[:3] == ["id", "msgsvrid", "type_name"]:
        return "pywxdump-csv"
    if cells[:3] == ["authorid", "author", "date"]:
        return "discord-csv"
    if any(marker.lower() in cells for marker in WECOM_MARKERS):
        return "wecom-stats-csv"
    if "消息对象" in text or first.startswith("消息记录"):
        return "qq-txt"
    for line in text.splitlines()[:50]:
        m = _HEAD.match(line)
        if m and parse_sender(m["who"]):
            return "qq-txt"
    return None
