"""企业微信 customer-group statistics: daily aggregates per group, not messages.

The fields follow WeCom's server API "获取群聊数据统计（按自然日聚合）"
(`externalcontact/groupchat/statistic_group_by_day`: stat_time, new_member_cnt, member_total,
member_has_msg, msg_total, …) and the admin console's CSV download with Chinese headers; both
spellings are accepted. One row is one group on one day and becomes a `GroupDay`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

from .base import GroupDay, OnProblem, ReadProblem, open_text

_ALIASES = {
    "day": ("stat_time", "date", "day", "日期", "统计日期", "时间"),
    "group_id": ("chat_id", "group_id", "群id", "群聊id"),
    "group_name": ("chat_name", "group_name", "name", "群名称", "群聊名称", "客户群", "群名"),
    "new_members": ("new_member_cnt", "新增群成员数", "入群人数", "新增成员数"),
    "members_total": ("member_total", "群成员总数", "成员总数"),
    "members_spoke": ("member_has_msg", "发过消息的群成员数", "发言成员数"),
    "messages_total": ("msg_total", "群消息总数", "消息总数"),
    "left_members": ("left_member_cnt", "退群人数", "退群成员数"),
}
WECOM_MARKERS = tuple(a for key in ("new_members", "members_total", "members_spoke")
                      for a in _ALIASES[key])
_CN = timezone(timedelta(hours=8))


def _day(text: str) -> date:
    text = text.strip()
    if text.isdigit() and len(text) >= 9:  # the API's stat_time: Unix seconds of 00:00 in China
        return datetime.fromtimestamp(int(text), _CN).date()
    return datetime.fromisoformat(text.replace("/", "-")[:10]).date()


def _int(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    return int(float(text.replace(",", "")))


def read_wecom_stats(path: str, on_problem: OnProblem, **_: object) -> Iterator[GroupDay]:
    """Stream `GroupDay` records from a 企业微信 group statistics CSV."""
    with open_text(path, on_problem) as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            return
        lower = [h.strip().lower() for h in header]
        col: dict[str, int] = {}
        for key, names in _ALIASES.items():
            for name in names:
                if name.lower() in lower:
                    col[key] = lower.index(name.lower())
                    break
        if "day" not in col or ("group_id" not in col and "group_name" not in col):
            on_problem(ReadProblem(path, "line 1", "export.missing_column",
                                   {"column": "stat_time/chat_id"}))
            return

        def get(row: list[str], key: str) -> str | None:
            i = col.get(key)
            return row[i] if i is not None and i < len(row) else None

        for row in reader:
            if not any(row):
                continue
            try:
                name = get(row, "group_name")
                yield GroupDay(platform="wecom", source="wecom-stats-csv",
                               group_id=get(row, "group_id") or name or "", group_name=name,
                               day=_day(get(row, "day") or ""),
                               new_members=_int(get(row, "new_members")),
                               members_total=_int(get(row, "members_total")),
                               members_spoke=_int(get(row, "members_spoke")),
                               messages_total=_int(get(row, "messages_total")),
                               left_members=_int(get(row, "left_members")))
            except ValueError as exc:
                on_problem(ReadProblem(path, f"line {reader.line_num}", "export.bad_value",
                                       {"detail": str(exc)[:120]}))
