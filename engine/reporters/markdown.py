"""A review report in Markdown: one section per plan, findings grouped by sin, for pasting into a
PR comment, 飞书 or 语雀."""

from __future__ import annotations

from ..model.domain import CATEGORIES, SEVERITY_LABELS, SINS, label
from ..i18n import t
from ..model.report import FileResult
from ..output.markup import escape_markdown
from . import Reporter as Base


def cell(text: object) -> str:
    """Plan text in a cell or list item, made inert by the one Markdown escaper: no pipe, newline,
    link, image or raw HTML from a plan can break the table or reach the reader as markup."""
    return escape_markdown(text)


class Reporter(Base):
    def begin(self) -> str:
        return f"# {t('md-title', self.lang)}\n"

    def file(self, result: FileResult) -> str:
        return "\n" + "\n".join(_section(result, self.lang)).rstrip() + "\n"


def _section(f: FileResult, lang: str) -> list[str]:
    out: list[str] = []
    out.append(f"## {cell(f.name or f.path)}")
    out.append("")
    out.append(cell(f.path))
    out.append("")
    if f.errors or f.engine_errors:
        out += [f"| {t('col-where', lang)} | {t('col-code', lang)} | {t('col-message', lang)} |", "|---|---|---|"]
        for p in [*f.errors, *f.engine_errors]:
            out.append(f"| {p.line or ''}:{p.column or ''} | `{p.code}` | {cell(p.message(lang))} |")
        out.append("")
    if not f.checked:
        return out
    out.append(f"**{t('health', lang)}: {f.health}/100** · {t('completeness', lang)}: {f.completeness}/100"
               + (f" · {t('first-sin', lang, sin=label(SINS, f.first_sin, lang))}" if f.first_sin else ""))
    out.append("")
    out += [f"| {t('col-sin', lang)} | {t('risk', lang)} |", "|---|---:|"]
    out += [f"| {label(SINS, s, lang)} | {f.risk.get(s, 0)} |" for s in SINS]
    out.append("")
    groups: dict[str, list] = {}
    for x in f.findings:
        key = label(SINS, x.sin, lang) if x.sin else label(CATEGORIES, x.category, lang)
        groups.setdefault(key, []).append(x)
    for key, items in groups.items():
        out.append(f"### {key}")
        out.append("")
        for x in items:
            text = x.text(lang)
            out.append(f"- **[{label(SEVERITY_LABELS, x.severity, lang)}] {cell(text.title)}** "
                       f"(`{x.rule}`, {t('at-line', lang, x.line)})  ")
            out.append(f"  {cell(text.message)}  ")
            out.append(f"  *{t('why', lang)}*: {cell(text.rationale)}  ")
            out.append(f"  *{t('todo', lang)}*: {cell(text.remedy)}")
        out.append("")
    if not f.findings:
        out += [t("no-findings", lang), ""]
    if f.suppressed:
        out.append(t("suppressed-count", lang, n=len(f.suppressed),
                     rules=", ".join(sorted({s["rule"] for s in f.suppressed}))))
        out.append("")
    return out
