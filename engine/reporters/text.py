"""Terminal output: one `path:line:col: severity[code]: message` line per problem, then a summary."""

from __future__ import annotations

from ..i18n import t
from ..report import FileResult, Report

_COLORS = {"error": "31", "warning": "33", "info": "36", "notice": "35", "ok": "32", "dim": "2", "bold": "1"}


def paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if color else text


def location(path: str, line: int | None, column: int | None) -> str:
    if line is None:
        return path
    return f"{path}:{line}:{column or 1}"


def problem_lines(result: FileResult, color: bool) -> list[str]:
    lines = []
    for p in [*result.notices, *result.errors, *result.engine_errors]:
        tag = paint(f"{p.severity}[{p.code}]", p.severity if p.severity in _COLORS else "error", color)
        lines.append(f"{paint(location(result.path, p.line, p.column), 'bold', color)}: {tag}: {p.message}")
    return lines


def render(report: Report, *, color: bool = False) -> str:
    lines: list[str] = []
    for result in report.files:
        lines.extend(problem_lines(result, color))
    s = report.summary()
    summary = t("summary-valid", report.lang, files=s["files"], valid=s["valid"], invalid=s["invalid"],
                failed=s["unreadable"])
    style = "ok" if s["valid"] == s["files"] else "error"
    lines.append(paint(summary, style, color))
    return "\n".join(lines) + "\n"
