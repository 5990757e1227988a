"""Chat-export readers: a registry by name, a cheap sniff, and one entry point per path.

`detect(path)` names the layout from the first bytes; `open_reader(path, fmt)` streams its
records (`Message`, or `GroupDay` for aggregate statistics); `read_export(paths)` walks files and
folders, reading each file by its own layout and reporting (not raising) what it skips. With
`rows=True` the readers of the layouts that run to millions of messages (Telegram JSON, WeChatMsg
CSV) yield `Rows`, the same records as columns (observe's loading path); the others ignore it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..message import Message
from .base import _METERS, ExportError, GroupDay, Meter, OnProblem, Problems, ReadProblem
from .chatlab import read_chatlab_json, read_chatlab_jsonl
from .detect import detect, is_pywxdump_folder
from .discord import read_discord_csv, read_discord_json
from .qq import read_qce_json, read_qq_txt
from .telegram import read_telegram
from .wechat import pywxdump_pages, read_pywxdump
from .wechatmsg import read_wechatmsg_csv
from .wecom import read_wecom_stats

__all__ = ["READERS", "ExportError", "GroupDay", "Meter", "Problems", "ReadProblem",
           "Reader", "detect", "open_reader", "read_export"]


@dataclass(frozen=True)
class Reader:
    """One export layout: its name (for `--from`), platform, what it yields, and the function."""

    name: str
    platform: str
    read: Callable[..., Iterator[Message | GroupDay]]
    title: str
    yields: str = "messages"  # or "group_days"


READERS: dict[str, Reader] = {r.name: r for r in (
    Reader("wechatmsg-csv", "wechat", read_wechatmsg_csv, "WeChatMsg / MemoTrace CSV"),
    Reader("pywxdump-csv", "wechat", read_pywxdump, "PyWxDump CSV pages + users.json"),
    Reader("qq-txt", "qq", read_qq_txt, "QQ 消息管理器 TXT"),
    Reader("qce-json", "qq", read_qce_json, "QQChatExporter V4 JSON"),
    Reader("telegram-json", "telegram", read_telegram, "Telegram Desktop result.json"),
    Reader("discord-json", "discord", read_discord_json, "DiscordChatExporter JSON"),
    Reader("discord-csv", "discord", read_discord_csv, "DiscordChatExporter CSV"),
    Reader("chatlab-json", "chatlab", read_chatlab_json, "ChatLab JSON"),
    Reader("chatlab-jsonl", "chatlab", read_chatlab_jsonl, "ChatLab JSONL"),
    Reader("wecom-stats-csv", "wecom", read_wecom_stats, "企业微信 群统计 CSV", "group_days"),
)}

def open_reader(path: str, fmt: str | None = None, on_problem: OnProblem | None = None,
                **options: object) -> Iterator[Message | GroupDay]:
    """Stream one export (file, or a PyWxDump folder) with the named or detected reader.

    Raises `ExportError` when the path is missing, the layout is unknown or the name is wrong;
    every later problem goes to `on_problem` and reading continues.
    """
    if not os.path.exists(path):
        raise ExportError("export.not_found", {"path": path}, file=path)
    fmt = fmt or detect(path)
    if fmt is None:
        raise ExportError("export.unknown_format", {"formats": ", ".join(READERS)}, file=path)
    if fmt not in READERS:
        raise ExportError("export.unknown_reader", {"name": fmt, "formats": ", ".join(READERS)},
                          file=path)
    return READERS[fmt].read(path, on_problem or (lambda p: None), **options)


def _expand(path: str, on_problem: OnProblem) -> Iterator[tuple[str, str]]:
    """(path, format) of every export under `path`; unknown files are reported and skipped."""
    if os.path.isdir(path):
        pages = set(pywxdump_pages(path)) if is_pywxdump_folder(path) else set()
        if pages:
            yield path, "pywxdump-csv"
        for name in sorted(os.listdir(path)):
            full = os.path.join(path, name)
            if full in pages or (pages and name == "users.json") or name.startswith("."):
                continue
            yield from _expand(full, on_problem)
        return
    fmt = detect(path)
    if fmt is None:
        on_problem(ReadProblem(path, "", "export.unknown_format",
                               {"formats": ", ".join(READERS)}, "warning"))
        return
    yield path, fmt


def read_export(paths: Iterable[str], fmt: str | None = None,
                on_problem: OnProblem | None = None, meter: Meter | None = None,
                **options: object) -> Iterator[Message | GroupDay]:
    """Stream every export under `paths`: a mixed folder reads each file by its own layout.

    With `fmt` every file is read with that reader (the `--from` override). With `meter`, the
    bytes read so far out of all the exports' size (a progress bar's measure).
    """
    report = on_problem or (lambda p: None)
    plan: list[tuple[str, str | None]] = []  # every target first, so the meter knows the whole size
    for path in paths:
        if not os.path.exists(path):
            report(ReadProblem(path, "", "export.not_found", {"path": path}))
            continue
        plan.extend([(path, fmt)] if fmt else _expand(path, report))
    if meter is not None:
        meter.total = sum(_size(target) for target, _ in plan)
        _METERS.append(meter)
    try:
        for target, tfmt in plan:
            try:
                yield from open_reader(target, tfmt, report, **options)
            except ExportError as exc:
                report(ReadProblem(target, "", exc.code, exc.params))
            except OSError as exc:
                report(ReadProblem(target, "", "export.unreadable", {"detail": str(exc)}))
    finally:
        if meter is not None:
            _METERS.remove(meter)


def _size(path: str) -> int:
    """Bytes of an export the reader streams: a file, or a folder's pages (PyWxDump)."""
    try:
        if os.path.isdir(path):
            return sum(os.path.getsize(page) for page in pywxdump_pages(path))
        return os.path.getsize(path)
    except OSError:
        return 0
