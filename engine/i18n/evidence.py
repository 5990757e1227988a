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
    # the evidence store (engine/evidence/store.py)
    "evidence-outside-store": {"zh": "{path} 不在证据库目录 {store} 之内（可能是符号链接），拒绝使用",
                               "en": "{path} is outside the evidence store {store} (a symbolic link?); refused"},
    "evidence-missing": {"zh": "找不到证据库：{path}（先运行 qunce observe）",
                         "en": "no evidence store at {path} (run qunce observe first)"},
    "evidence-unreadable": {"zh": "证据库无法打开：{reason}", "en": "the evidence store cannot be opened: {reason}"},
    "evidence-ragged-batch": {"zh": "读取器交来的一批数据列长不一致（{lengths}），这是读取器的缺陷",
                              "en": "a reader handed over columns of different lengths ({lengths}): a reader bug"},
    "evidence-unknown-column": {"zh": "读取器交来了未知的列：{columns}", "en": "a reader handed over unknown columns: {columns}"},
    "evidence-bad-batch": {"zh": "一批数据的类型不对，未写入：{reason}", "en": "a batch had values of the wrong type and was not stored: {reason}"},
    "evidence-bad-salt": {"zh": "匿名化用的盐文件 {path} 已损坏；用 qunce observe --forget 清空证据库后重来",
                          "en": "the anonymisation salt {path} is damaged; clear the store with qunce observe --forget and start again"},
    "evidence-unknown-table": {"zh": "证据库里没有表 {table}", "en": "the evidence store has no table {table}"},
    "evidence-closed": {"zh": "证据库 {path} 已经关闭", "en": "the evidence store {path} is already closed"},
    # qunce observe and check
    "observed-sidecar": {
        "zh": "实际数据：{n} 项来自 {file}（{keys}）；计划自己的 observed 保留：{own}",
        "en": {"one": "observed figures: {n} from {file} ({keys}); kept from the plan's own observed: {own}",
               "other": "observed figures: {n} from {file} ({keys}); kept from the plan's own observed: {own}"}},
    "observe-summary": {"zh": "读取 {rows} 条记录，新存入 {added} 条（重复 {dup} 条），用时 {seconds} 秒（每秒 {rate} 条）",
                        "en": "read {rows} records, stored {added} new ({dup} duplicates) in {seconds} s ({rate} rows/s)"},
    "observe-group": {"zh": "{name}：风险 {risk}，成员 {members}，7天发言 {active}，7天消息 {messages}",
                      "en": "{name}: risk {risk}, members {members}, active in 7 days {active}, messages in 7 days {messages}"},
    "observe-unmapped": {"zh": "聊天 {chat} 没有对上计划里的群（用 --group 指定）",
                         "en": "chat {chat} matches no group of the plan (name one with --group)"},
    "observe-written": {"zh": "已写入 {path}", "en": "written: {path}"},
    "observe-forgotten": {"zh": "已删除：{paths}", "en": "deleted: {paths}"},
    "observe-interrupted": {"zh": "已中断，证据库保持原样", "en": "interrupted; the evidence store is as it was"},
}
