"""Terminal output: problems as `path:line:col: severity[code]: message`; for `check`, findings in an
aligned table per file (CJK characters count two columns) with a risk bar per sin.

Everything that comes from a plan, a pack or a file name goes through `visible` first: an ESC or
OSC sequence, a bidi override, a C1 control or a newline in a value shows as an escape (`\\e`,
`\\u202e`, `\\n`) and cannot recolour the terminal, retitle it or forge a report line. The only
escapes written raw are our own colours."""

from __future__ import annotations

from ..model.domain import CATEGORIES, SEVERITY_LABELS, SINS, label
from ..i18n import t
from ..i18n.format import pad, width
from ..model.report import FileResult, Tally, health_band
from . import Reporter as Base, visible

_COLORS = {"error": "31", "warning": "33", "info": "36", "notice": "35", "ok": "32", "dim": "2", "bold": "1"}


def paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if color and text else text


def location(path: str, line: int | None, column: int | None) -> str:
    path = visible(path)
    return path if line is None else f"{path}:{line}:{column or 1}"


def problem_lines(result: FileResult, color: bool, lang: str) -> list[str]:
    lines = []
    for p in [*result.notices, *result.errors, *result.engine_errors]:
        tag = paint(f"{visible(p.severity)}[{visible(p.code)}]", p.severity if p.severity in _COLORS else "error", color)
        lines.append(f"{paint(location(result.path, p.line, p.column), 'bold', color)}: {tag}: {visible(p.message(lang))}")
    return lines


def bar(value: int, cells: int = 10) -> str:
    full = round(value / 100 * cells)
    return "█" * full + "░" * (cells - full)


def _findings_block(result: FileResult, lang: str, color: bool) -> list[str]:
    head = visible(result.path)
    if result.name:
        head += f"  {visible(result.name)}"
    health = result.health if result.health is not None else 0
    style = {"good": "ok", "watch": "warning", "risk": "error"}[health_band(health)]
    summary = paint(f"{t('health', lang)} {health}/100", style, color)
    if result.completeness is not None:
        summary += "  " + paint(f"{t('completeness', lang)} {result.completeness}/100", "dim", color)
    summary += "  " + t("first-sin", lang, sin=label(SINS, result.first_sin, lang)) if result.first_sin else (
        "  " + t("no-first-sin", lang) if result.checked else "")
    lines = [paint(head, "bold", color) + "  " + summary]
    if result.reassured:
        lines.append("  " + paint(t("reassured", lang, sins=t("list-sep", lang).join(
            label(SINS, s, lang) for s in result.reassured)), "ok", color))
    rows = []
    for f in result.findings:
        kind = label(SINS, f.sin, lang) if f.sin else label(CATEGORIES, f.category, lang)
        text = f.text(lang)
        rows.append((f"{f.line}:{f.column}", visible(label(SEVERITY_LABELS, f.severity, lang)), f.severity,
                     visible(kind), visible(f.rule), visible(text.message), visible(text.remedy)))
    if rows:
        w = [max(width(r[i]) for r in rows) for i in (0, 1, 3, 4)]
        for loc, sev, sev_key, kind, rule, message, remedy in rows:
            lines.append("  " + pad(loc, w[0]) + "  " + paint(pad(sev, w[1]), sev_key, color) + "  "
                         + pad(kind, w[2]) + "  " + paint(pad(rule, w[3]), "dim", color) + "  " + message)
            lines.append("  " + " " * (w[0] + w[1] + w[2] + w[3] + 8) + paint(f"↳ {remedy}", "dim", color))
    else:
        lines.append("  " + paint(t("no-findings", lang), "ok", color))
    if result.suppressed:
        lines.append("  " + paint(t("suppressed-count", lang, n=len(result.suppressed),
                                    rules=visible(", ".join(sorted({s["rule"] for s in result.suppressed})))),
                                    "dim", color))
    lines.append("  " + t("risk", lang) + ":")
    name_w = max(width(label(SINS, s, lang)) for s in SINS)
    for sin in SINS:
        value = result.risk.get(sin, 0)
        style = "error" if value >= 50 else "warning" if value >= 20 else "ok"
        lines.append("    " + pad(label(SINS, sin, lang), name_w) + "  " + paint(bar(value), style, color)
                     + f" {value:>3}")
    return lines


class Reporter(Base):
    def file(self, result: FileResult) -> str:
        lines = problem_lines(result, self.color, self.lang)
        if result.checked:
            lines.extend(_findings_block(result, self.lang, self.color))
            lines.append("")
        return "".join(line + "\n" for line in lines)

    def end(self, tally: Tally) -> str:
        s = tally.to_dict()
        lines = [paint(t("summary-valid", self.lang, files=s["files"], valid=s["valid"], invalid=s["invalid"],
                         failed=s["unreadable"]), "ok" if s["valid"] == s["files"] else "error", self.color)]
        if tally.findings != {k: 0 for k in tally.findings} or tally.suppressed:
            c = s["findings"]
            lines.append(t("summary-findings", self.lang, error=c["error"], warning=c["warning"], info=c["info"],
                           suppressed=s["suppressed"]))
        return "\n".join(lines) + "\n"
