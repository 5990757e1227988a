"""Every user-facing message of the engine, in Chinese (default) and English.

One catalogue keyed by the stable error code, so a code means the same thing in both languages
and tests can assert codes while people read sentences.
"""

from __future__ import annotations

import os
from typing import Any

LANGS = {"zh": "中文", "en": "English"}
DEFAULT_LANG = "zh"

MESSAGES: dict[str, dict[str, str]] = {
    # ---- reading the file (exit 2)
    "not-found": {"zh": "找不到文件", "en": "file not found"},
    "unreadable": {"zh": "无法读取文件：{reason}", "en": "cannot read the file: {reason}"},
    "is-directory": {"zh": "这是一个目录，不是计划文件", "en": "this is a directory, not a plan file"},
    "too-large": {"zh": "文件有 {size} 字节，超过上限 {limit} 字节；计划文件应当只有几 KB",
                  "en": "the file has {size} bytes, over the limit of {limit}; a plan is a few KiB"},
    "empty": {"zh": "文件是空的（或只有注释）；可以用 `qunce init` 生成一份起始计划",
              "en": "the file is empty (or only comments); `qunce init` writes a starter plan"},
    "binary": {"zh": "文件含有控制字符或 NUL 字节，看起来不是文本文件",
               "en": "the file contains control characters or NUL bytes; it does not look like text"},
    "unsupported-encoding": {"zh": "文件是 {encoding} 编码；请另存为 UTF-8",
                             "en": "the file is {encoding}-encoded; save it as UTF-8"},
    "unknown-encoding": {"zh": "第 {offset} 字节起不是 UTF-8，也不像 GBK/GB18030 中文；请另存为 UTF-8",
                         "en": "byte {offset} onwards is neither UTF-8 nor GBK/GB18030 Chinese; save the file as UTF-8"},
    "decoded-gb18030": {"zh": "文件不是 UTF-8，已按 GBK/GB18030 解码；建议另存为 UTF-8",
                        "en": "the file is not UTF-8; decoded as GBK/GB18030. Consider saving it as UTF-8"},
    "yaml-syntax": {"zh": "YAML 语法错误：{problem}{since}", "en": "YAML syntax error: {problem}{since}"},
    "since-line": {"zh": "（从第 {line} 行开始）", "en": " (starting on line {line})"},
    "yaml:colon-in-value": {"zh": "这里不能出现“: ”；值里含冒号时请给整个值加引号",
                            "en": "a \": \" is not allowed here; quote a value that contains a colon"},
    "yaml:expected-key": {"zh": "缩进不一致，找不到预期的字段", "en": "inconsistent indentation: a key was expected"},
    "yaml:expected-colon": {"zh": "缺少冒号“:”", "en": "a ':' is missing"},
    "yaml:unclosed-bracket": {"zh": "方括号 [ 没有闭合（或列表项之间少了逗号）", "en": "a [ is not closed (or a comma is missing between items)"},
    "yaml:unclosed-brace": {"zh": "花括号 {{ 没有闭合（或字段之间少了逗号）", "en": "a {{ is not closed (or a comma is missing between keys)"},
    "yaml:unexpected-end": {"zh": "文件意外结束（引号或括号没有闭合？）", "en": "unexpected end of file (an unclosed quote or bracket?)"},
    "yaml:expected-dash": {"zh": "列表项的缩进不一致", "en": "list items are indented inconsistently"},
    "yaml:tab-or-char": {"zh": "这里有不能开始一个值的字符（常见原因：用了 Tab 缩进，或值以 @ ` 开头）；请用空格缩进，特殊字符开头的值加引号",
                         "en": "a character that cannot start a value (often a tab used for indentation, or a value starting with @ or `); indent with spaces and quote such values"},
    "yaml:expected-value": {"zh": "这里缺少值", "en": "a value is missing here"},
    "yaml:bad-escape": {"zh": "双引号里有无效的转义字符（反斜杠）；改用单引号或去掉反斜杠",
                        "en": "an invalid escape (backslash) inside double quotes; use single quotes or drop the backslash"},
    "yaml:bad-anchor": {"zh": "& 或 * 后面应是锚点名；值以 & 或 * 开头时请加引号",
                        "en": "& or * must be followed by an anchor name; quote a value that starts with & or *"},
    "undefined-alias": {"zh": "引用了未定义的锚点（*名称）；值以 * 开头时请加引号",
                        "en": "alias to an undefined anchor (*name); quote a value that starts with *"},
    "multi-document": {"zh": "文件里有多个 YAML 文档（`---` 分隔）；一个文件只写一份计划",
                       "en": "the file holds more than one YAML document (`---`); write one plan per file"},
    "duplicate-key": {"zh": "字段 \"{key}\" 重复（第 {first_line} 行已出现）；YAML 会悄悄丢掉前一个值，请合并或删除一个",
                      "en": "key \"{key}\" appears twice (first on line {first_line}); YAML would silently drop the first value"},
    "complex-key": {"zh": "字段名必须是简单文本", "en": "a key must be plain text"},
    "too-many-nodes": {"zh": "展开锚点/别名后节点超过 {limit} 个（疑似 \"billion laughs\" 攻击），已拒绝",
                       "en": "more than {limit} nodes after expanding anchors/aliases (a \"billion laughs\" file?); refused"},
    "too-deep": {"zh": "嵌套超过 {limit} 层（或别名引用了自身），已拒绝",
                 "en": "nested deeper than {limit} levels (or an alias refers to itself); refused"},
    "scalar-too-long": {"zh": "单个值超过 {limit} 个字符", "en": "one value is longer than {limit} characters"},
    "unsupported-tag": {"zh": "不支持的 YAML 标签 {tag}；计划里只用普通的文本、数字、列表和映射",
                        "en": "unsupported YAML tag {tag}; a plan uses plain text, numbers, lists and mappings"},
    "bad-merge": {"zh": "合并键 `<<` 的值必须是映射或映射列表", "en": "a merge key `<<` takes a mapping or a list of mappings"},
    "not-mapping": {"zh": "计划的顶层必须是映射（字段: 值），现在是 {got}",
                    "en": "the top level of a plan must be a mapping (key: value), not {got}"},
    # ---- against the schema (exit 1)
    "unknown-key": {"zh": "{where}不认识字段 \"{key}\"{hint}", "en": "{where}unknown key \"{key}\"{hint}"},
    "missing-required": {"zh": "{where}缺少必填字段 \"{key}\"（{label}）",
                         "en": "{where}missing required key \"{key}\" ({label})"},
    "wrong-type": {"zh": "{field} 应为{expected}，实际是{got}", "en": "{field} should be {expected}, got {got}"},
    "yaml-trap": {"zh": "{field} 应为{expected}，但未加引号的 {raw} 被 YAML 读成了{got} {value}；请加引号写成 {quoted}",
                  "en": "{field} should be {expected}, but the unquoted {raw} was read by YAML as {got} {value}; quote it: {quoted}"},
    "bad-enum": {"zh": "{field} 的取值 \"{value}\" 无效；可选：{choices}{hint}",
                 "en": "{field}: \"{value}\" is not a valid choice (choose from: {choices}){hint}"},
    "bad-const": {"zh": "{field} 必须是 {expected}", "en": "{field} must be {expected}"},
    "bad-format": {"zh": "{field} 的格式不对：\"{value}\"；应为{expected}",
                   "en": "{field} is not in the right form: \"{value}\"; expected {expected}"},
    "out-of-range": {"zh": "{field} 为 {value}，{bound}", "en": "{field} is {value}; {bound}"},
    "too-short": {"zh": "{field} 不能为空", "en": "{field} must not be empty"},
    "not-unique": {"zh": "{field} 有重复项", "en": "{field} has repeated items"},
    "invalid": {"zh": "{field} 无效：{detail}", "en": "{field} is invalid: {detail}"},
    # ---- writing and usage (exit 2)
    "output-is-input": {"zh": "拒绝写入 {path}：它是输入文件", "en": "refusing to write {path}: it is an input file"},
    "output-exists": {"zh": "{path} 已存在；加 --force 覆盖", "en": "{path} already exists; add --force to overwrite it"},
    "output-is-dir": {"zh": "{path} 是一个目录", "en": "{path} is a directory"},
    "output-no-dir": {"zh": "目录 {dir} 不存在", "en": "directory {dir} does not exist"},
    "output-failed": {"zh": "写入失败：{reason}", "en": "could not write: {reason}"},
    "unknown-kind": {"zh": "未知的社群类型 {kind}；可选：{choices}", "en": "unknown community kind {kind}; choose from: {choices}"},
    "time-limit": {"zh": "{what} 处理超过 {seconds:g} 秒，已中止（可能是规则包或自定义模板里有过重的循环；可用 QUNCE_TIME_LIMIT 调整上限）",
                   "en": "{what} took longer than {seconds:g} s and was stopped (a heavy loop in a rule pack or custom template? QUNCE_TIME_LIMIT changes the bound)"},
    "internal-error": {"zh": "qunce 内部错误（{error}）；请附上这个输入文件报告问题",
                       "en": "qunce internal error ({error}); please report it with this input file"},
    # ---- rule packs (exit 2)
    "pack-not-found": {"zh": "找不到规则包 {path}", "en": "rule pack {path} not found"},
    "pack-invalid": {"zh": "规则包无效：{detail}（共 {count} 处问题）", "en": "invalid rule pack: {detail} ({count} problem(s))"},
    "duplicate-rule-id": {"zh": "规则编号 {id} 重复（首次出现在 {first}）；编号必须唯一",
                          "en": "rule id {id} is used twice (first at {first}); ids must be unique"},
    "when-is-template": {"zh": "规则 {id} 的 when 写成了模板；when 本身就是表达式，去掉 {{{{ }}}}，例如 `plan.a > 1`",
                         "en": "rule {id}: `when` is written as a template; it is already an expression, drop the {{{{ }}}}, e.g. `plan.a > 1`"},
    "bad-expression": {"zh": "规则 {id} 的表达式有语法错误：{problem}", "en": "rule {id}: expression syntax error: {problem}"},
    "rule-failed": {"zh": "规则 {id} 求值失败：{error}", "en": "rule {id} could not be evaluated: {error}"},
    "unknown-ignore": {"zh": "check.ignore 里的 {id} 不是已知的规则编号", "en": "{id} in check.ignore is not a known rule id"},
    "unknown-rule": {"zh": "没有编号为 {id} 的规则{hint}", "en": "no rule has the id {id}{hint}"},
    # ---- check output
    "health": {"zh": "健康度", "en": "health"},
    "risk": {"zh": "风险", "en": "risk"},
    "no-findings": {"zh": "没有发现问题", "en": "no findings"},
    "suppressed-count": {"zh": "已忽略 {n} 条发现（{rules}）", "en": "{n} finding(s) suppressed ({rules})"},
    "summary-findings": {"zh": "发现：{error} 个错误，{warning} 个警告，{info} 个提示；已忽略 {suppressed} 个",
                         "en": "findings: {error} error(s), {warning} warning(s), {info} info; {suppressed} suppressed"},
    "md-title": {"zh": "社群计划诊断报告", "en": "Community plan review"},
    "col-where": {"zh": "位置", "en": "where"},
    "col-code": {"zh": "代码", "en": "code"},
    "col-message": {"zh": "说明", "en": "message"},
    "col-sin": {"zh": "七宗罪", "en": "sin"},
    "at-line": {"zh": "第 {0} 行", "en": "line {0}"},
    "why": {"zh": "依据", "en": "why"},
    "todo": {"zh": "对策", "en": "what to do"},
    "col-id": {"zh": "编号", "en": "id"},
    "col-kind": {"zh": "类别", "en": "kind"},
    "col-severity": {"zh": "级别", "en": "severity"},
    "col-weight": {"zh": "权重", "en": "weight"},
    "col-title": {"zh": "规则", "en": "rule"},
    "col-source": {"zh": "出处", "en": "source"},
    "col-pack": {"zh": "规则包", "en": "pack"},
    "rule-count": {"zh": "共 {n} 条规则", "en": "{n} rules"},
    # ---- fragments
    "did-you-mean": {"zh": "。你是不是想写 \"{0}\"？", "en": "; did you mean \"{0}\"?"},
    "at-top": {"zh": "顶层", "en": "top level: "},
    "in-section": {"zh": "{0} 中", "en": "in {0}: "},
    "min": {"zh": "不能小于 {0}", "en": "must be at least {0}"},
    "max": {"zh": "不能大于 {0}", "en": "must be at most {0}"},
    "type:string": {"zh": "文本", "en": "text"},
    "type:integer": {"zh": "整数", "en": "a whole number"},
    "type:number": {"zh": "数字", "en": "a number"},
    "type:boolean": {"zh": "布尔值", "en": "a boolean (true/false)"},
    "type:array": {"zh": "列表", "en": "a list"},
    "type:object": {"zh": "映射（字段: 值）", "en": "a mapping (key: value)"},
    "type:null": {"zh": "空值", "en": "empty"},
    "or": {"zh": "或", "en": " or "},
    "format:date": {"zh": "日期，如 \"2026-12-05\"", "en": "a date such as \"2026-12-05\""},
    "format:date-time": {"zh": "日期时间，如 \"2026-12-05T20：00：00+08：00\"",
                         "en": "a date-time such as \"2026-12-05T20:00:00+08:00\""},
    "format:pattern": {"zh": "符合格式 {0}", "en": "text matching {0}"},
    "summary-valid": {"zh": "{files} 个文件：{valid} 个有效，{invalid} 个无效，{failed} 个无法读取",
                      "en": "{files} file(s): {valid} valid, {invalid} invalid, {failed} unreadable"},
    # ---- SOP schedules (`qunce sop`, engine/sop.py) and document templates (engine/templating.py)
    "sop-no-plan": {"zh": "需要一份计划文件，或者用 --title 和 --start 描述一场分享",
                    "en": "a plan file is needed, or describe one session with --title and --start"},
    "sop-no-sessions": {"zh": "计划里没有分享会（sessions 为空）；先在 sessions 里写一场",
                        "en": "the plan has no sessions; add one under sessions"},
    "sop-choose-session": {"zh": "计划里有 {count} 场分享会，请用 --session 指定一场：{choices}",
                           "en": "the plan has {count} sessions; pick one with --session: {choices}"},
    "sop-unknown-session": {"zh": "计划里没有编号为 {id} 的分享会；已有：{choices}",
                            "en": "the plan has no session with the id {id}; known: {choices}"},
    "sop-no-campaigns": {"zh": "计划里没有裂变活动（campaigns 为空）；先在 campaigns 里写一个",
                         "en": "the plan has no campaigns; add one under campaigns"},
    "sop-choose-campaign": {"zh": "计划里有 {count} 个裂变活动，请用 --campaign 指定一个：{choices}",
                            "en": "the plan has {count} campaigns; pick one with --campaign: {choices}"},
    "sop-unknown-campaign": {"zh": "计划里没有编号为 {id} 的裂变活动；已有：{choices}",
                             "en": "the plan has no campaign with the id {id}; known: {choices}"},
    "sop-no-start": {"zh": "{id} 没有开始时间，无法排日程；请填写 start，例如 \"2026-12-05T20:00:00+08:00\"",
                     "en": "{id} has no start time, so it cannot be scheduled; fill in start, e.g. \"2026-12-05T20:00:00+08:00\""},
    "sop-bad-start": {"zh": "{id} 的开始时间 \"{value}\" 无法识别；请写成 2026-12-05T20:00，可带时区偏移 +08:00",
                      "en": "{id}: the start \"{value}\" cannot be read; write it as 2026-12-05T20:00, optionally with an offset such as +08:00"},
    "sop-no-title": {"zh": "请用 --title 写明分享的标题", "en": "give the session a title with --title"},
    "sop-bad-duration": {"zh": "时长 {value} 无效；应为 1 到 600 之间的分钟数",
                         "en": "duration {value} is invalid; give minutes between 1 and 600"},
    "sop-unknown-timezone": {"zh": "不认识时区 \"{value}\"；请写 IANA 时区名，例如 Asia/Shanghai、America/Los_Angeles",
                             "en": "unknown time zone \"{value}\"; use an IANA name such as Asia/Shanghai or America/Los_Angeles"},
    "sop-bad-offset": {"zh": "日程偏移 \"{value}\"（{where}）写法不对；应如 -7d、-1h、end+5m、start-14d@10:00",
                       "en": "schedule offset \"{value}\" ({where}) is malformed; expected e.g. -7d, -1h, end+5m, start-14d@10:00"},
    "sop-bad-task": {"zh": "facts.sop 的第 {index} 个任务缺少 key", "en": "task {index} in facts.sop has no key"},
    "sop-bad-format": {"zh": "不支持的日程格式 {fmt}；可选：{choices}", "en": "unsupported schedule format {fmt}; choose from: {choices}"},
    "template-not-found": {"zh": "找不到模板 {template}", "en": "template {template} not found"},
    "template-failed": {"zh": "模板 {template} 第 {line} 行出错：{error}",
                        "en": "template {template}, line {line}: {error}"},
}


def resolve_lang(lang: str | None = None) -> str:
    """--lang beats QUNCE_LANG beats the default; `zh-CN`, `en_US` and the like are accepted."""
    value = (lang or os.environ.get("QUNCE_LANG") or DEFAULT_LANG).strip().lower()
    value = value.replace("_", "-").split("-")[0]
    return value if value in LANGS else DEFAULT_LANG


class Key(str):
    """A parameter that is itself a message code, translated when the message is (not before)."""


def t(code: str, lang: str = DEFAULT_LANG, *args: Any, **params: Any) -> str:
    """Translate a code; unknown codes come back as themselves so nothing is lost."""
    entry = MESSAGES.get(code)
    if entry is None:
        return code
    template = entry.get(lang) or entry[DEFAULT_LANG]
    plain = {k: v for k, v in params.items() if not isinstance(v, Key)}
    params = {k: t(v, lang, **plain) if isinstance(v, Key) else v for k, v in params.items()}
    try:
        return template.format(*args, **params)
    except (KeyError, IndexError, ValueError):  # a missing parameter must not hide the message itself
        return template


def pick(text: str, lang: str) -> str:
    """Pick one side of a bilingual "中文 / English" label from the schema."""
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return en if lang == "en" else zh
