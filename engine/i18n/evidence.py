"""Words of the evidence side: chat-export readers, the store, the evidence report."""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, Any]] = {
    "export.not_found": {"zh": "找不到聊天记录文件：{path}", "en": "chat export not found: {path}"},
    "export.unknown_format": {
        "zh": "认不出这个文件的导出格式，已跳过（可用 --from 指定：{formats}）",
        "en": "unrecognised export layout, skipped (name one with --from: {formats})"},
    "export.unknown_reader": {"zh": "没有名为 {name} 的读取器（可选：{formats}）",
                              "en": "no reader named {name} (choose from {formats})"},
    "export.encoding_fallback": {
        "zh": "文件不是 UTF-8 编码，已按 {encoding} 读取",
        "en": "the file is not UTF-8; read as {encoding}"},
    "export.json_truncated": {
        "zh": "JSON 在此处中断（文件不完整？），之前的消息已读取",
        "en": "the JSON breaks off here (incomplete file?); the messages before it were read"},
    "export.json_invalid": {"zh": "JSON 格式错误：{detail}", "en": "invalid JSON: {detail}"},
    "export.missing_column": {"zh": "缺少列 {column}，文件未读取",
                              "en": "column {column} is missing; the file was not read"},
    "export.short_row": {"zh": "这一行只有 {found} 列（应为 {expected} 列），已跳过",
                         "en": "this row has {found} columns instead of {expected}; skipped"},
    "export.bad_value": {"zh": "无法解析的值，已跳过：{detail}",
                         "en": "unreadable value, row skipped: {detail}"},
    "export.bad_record": {"zh": "无法解析的消息，已跳过：{detail}",
                          "en": "unreadable message, skipped: {detail}"},
    "export.date_order_ambiguous": {
        "zh": "日期里看不出日/月顺序，按 {assumed} 读取（可用 date_order 指定）",
        "en": "the dates do not show day/month order; read as {assumed} (set date_order)"},
    "export.unreadable": {"zh": "无法读取文件：{detail}", "en": "the file cannot be read: {detail}"},
}
