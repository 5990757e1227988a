"""Rule documentation generated from the packs' metadata: `qunce rules`, `rules explain`, docs/rules.md.

Rules are described once, in the packs; every listing is derived here so none can go stale.
"""

from __future__ import annotations

import difflib

from ..model.domain import CATEGORIES, SEVERITY_LABELS, SINS, label
from ..errors import UsageError
from ..i18n import t
from ..i18n.format import pad, width
from ..rules.pack import Rule, RuleSet


def _kind(rule: Rule, lang: str) -> str:
    return label(SINS, rule.sin, lang) if rule.sin else label(CATEGORIES, rule.category, lang)


def _order(rules: list[Rule]) -> list[Rule]:
    sins, cats = list(SINS), list(CATEGORIES)
    return sorted(rules, key=lambda r: (0 if r.sin else 1, sins.index(r.sin) if r.sin else cats.index(r.category),
                                        r.id))


def rule_table(ruleset: RuleSet, lang: str = "zh") -> str:
    rows = [(r.id, _kind(r, lang), label(SEVERITY_LABELS, r.severity, lang), str(r.weight), r.title[lang])
            for r in _order(ruleset.rules)]
    header = tuple(t(k, lang) for k in ("col-id", "col-kind", "col-severity", "col-weight", "col-title"))
    w = [max(width(x[i]) for x in [header, *rows]) for i in range(4)]
    lines = ["  ".join(pad(c, w[i]) for i, c in enumerate(row[:4])) + "  " + row[4] for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * n for n in w) + "  " + "-" * 8)
    lines.append(t("rule-count", lang, n=len(rows)))
    return "\n".join(lines) + "\n"


def find(ruleset: RuleSet, rule_id: str, lang: str) -> Rule:
    rule = ruleset.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(ruleset.index), n=1, cutoff=0.5)
        raise UsageError("unknown-rule", {"id": rule_id, "hint": t("did-you-mean", lang, close[0]) if close else ""})
    return rule


def scope_text(rule: Rule) -> str | None:
    """The rule's `scope:` as written, on one line (None when the rule states none)."""
    scope = getattr(rule, "scope", None)
    if scope is None:
        return None
    if isinstance(scope, dict):
        return "; ".join(f"{key}: {', '.join(str(v) for v in values)}" if isinstance(values, list)
                         else f"{key}: {values}" for key, values in scope.items())
    return str(scope)


def basis_text(rule: Rule) -> str | None:
    """The rule's `basis:` (missing, declared or observed), or None for a rule that has none."""
    basis = getattr(rule, "basis", None)
    return str(basis) if basis else None


def let_lines(rule: Rule) -> list[tuple[str, str]]:
    """The rule's named values in the order they are computed, each with its definition on one line."""
    return [(name, " ".join(str(text).split())) for name, text in rule.let_text.items()]


def explain(ruleset: RuleSet, rule_id: str, lang: str = "zh") -> str:
    """One rule for `qunce rules explain`: what it says, what it reads (let:, when:) and where it applies."""
    r = find(ruleset, rule_id, lang)
    lines = [f"{r.id}  [{_kind(r, lang)} · {label(SEVERITY_LABELS, r.severity, lang)} · {t('col-weight', lang)} {r.weight}]",
             r.title[lang], "",
             f"{t('why', lang)}: {r.rationale[lang]}",
             f"{t('todo', lang)}: {r.remedy[lang]}"]
    for key, value in (("scope", scope_text(r)), ("basis", basis_text(r))):
        if value is not None:
            lines.append(f"{key}: {value}")
    if r.let_text:
        lines.append("let:")
        lines += [f"  {name} = {text}" for name, text in let_lines(r)]
    lines.append(f"when: {' '.join(r.when_text.split())}")
    if r.source:
        lines.append(f"{t('col-source', lang)}: {r.source}")
    if r.aliases:
        lines.append(f"aliases: {', '.join(r.aliases)}")
    lines.append(f"{t('col-pack', lang)}: {r.pack}:{r.line}")
    return "\n".join(lines) + "\n"


def markdown(ruleset: RuleSet) -> str:
    """docs/rules.md: every rule in Chinese with its English title, grouped by sin and category."""
    out = ["# qunce 规则手册 / Rule reference", "",
           "> 本文件由 `python tools/gen_docs.py` 从 `playbooks/` 生成，请勿手改。",
           "> Generated from `playbooks/` by `python tools/gen_docs.py`; do not edit by hand.", "",
           f"共 {len(ruleset.rules)} 条规则 / {len(ruleset.rules)} rules.", ""]
    current = None
    for r in _order(ruleset.rules):
        group = (r.sin or r.category)
        if group != current:
            current = group
            table = SINS if r.sin else CATEGORIES
            out += [f"## {label(table, group, 'zh')} / {label(table, group, 'en')}", ""]
        out += [f"### `{r.id}` {r.title['zh']}", "",
                f"*{r.title['en']}* · {label(SEVERITY_LABELS, r.severity, 'zh')} / {r.severity} · 权重 weight {r.weight}"
                + (f" · {r.source}" if r.source else ""), "",
                f"- 依据：{r.rationale['zh']}",
                f"- 对策：{r.remedy['zh']}",
                f"- Why: {r.rationale['en']}",
                f"- What to do: {r.remedy['en']}"]
        scope, basis = scope_text(r), basis_text(r)
        if scope is not None:
            out.append(f"- 适用范围 / scope: `{scope}`")
        if basis is not None:
            out.append(f"- 依据类型 / basis: `{basis}`")
        if r.let_text:
            out.append("- 命名值 / let:")
            out += [f"  - `{name}` = `{text}`" for name, text in let_lines(r)]
        out += [f"- 条件 / when: `{' '.join(r.when_text.split())}`", ""]
    return "\n".join(out).rstrip() + "\n"
