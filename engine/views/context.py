"""The context every section view reads: the plan, its check result, the packs' facts, the two
languages (the reader's, and the plan's own for drafts members read), the findings index that
names the rules flagging a missing part, and the plan schema's titles and enum labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from ..errors import QunceError
from ..i18n import pick, t
from ..load.schema import load_schema
from ..model.domain import CATEGORIES, SEVERITY_LABELS, SINS, label as domain_label
from ..model.plan import Document, dotted, get_path, parse_path
from ..model.report import FileResult, Finding, health_band as band_of
from ..rules.pack import RuleSet
from .placeholders import scrub
from .values import capitalize, dict_of, fmt_number, list_of, text_of

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@lru_cache(maxsize=None)
def schema_node(path: tuple) -> dict:
    schema = load_schema()
    defs = schema.get("$defs", {})
    node: Any = schema
    for part in path:
        while isinstance(node, dict) and "$ref" in node:
            node = {**defs.get(node["$ref"].rsplit("/", 1)[-1], {}), **{k: v for k, v in node.items() if k != "$ref"}}
        if part == "[]":
            node = dict_of(node).get("items", {})
        else:
            node = dict_of(dict_of(node).get("properties")).get(part, {})
    return dict_of(node)


def schema_title(path: tuple, lang: str) -> str:
    """A field's title from the plan schema, in one language."""
    title = schema_node(path).get("title")
    return pick(title, lang) if isinstance(title, str) else str(path[-1])


def enum_label(path: tuple, value: Any, lang: str) -> str:
    """An enum value's label from the plan schema (`x-enum-labels`), in one language."""
    node = schema_node(path)
    labels = node.get("x-enum-labels") or dict_of(node.get("items")).get("x-enum-labels") or {}
    text = labels.get(value) if isinstance(value, str) else None
    return pick(text, lang) if isinstance(text, str) else ("" if value is None else str(value))


def path_prefixes(path: str) -> list[str]:
    """"a.b[0].c" -> ["a", "a.b", "a.b[0]", "a.b[0].c"]: the paths it lies under, and itself."""
    return [path[:m.start()] for m in re.finditer(r"(?<=.)[.\[]", path)] + [path]


@dataclass
class Ctx:
    plan: Document
    result: FileResult
    rules: RuleSet
    lang: str
    today: date
    data: dict = field(default_factory=dict)
    plan_lang: str = "zh"
    schedules: dict = field(default_factory=dict)

    def schedule(self, section: str, index: int, item: dict, lang: str, *, drafts: bool = False) -> Any:
        """The SOP engine's schedule of one session or campaign (None when it has no usable start),
        computed once per language. With `drafts`, the item's placeholders are left out first, so
        the messages members read never repeat "待定" or "TBD"."""
        key = (section, index, lang, drafts)
        if drafts:
            item = scrub(item, self.rules.facts)
        if key not in self.schedules:
            # imported when a document needs a schedule, not before
            from ..schedule.campaigns import campaign_schedule
            from ..schedule.sessions import session_schedule

            make = session_schedule if section == "sessions" else campaign_schedule
            try:
                self.schedules[key] = make(one_item(self.plan, section, item), None, facts=self.rules.facts,
                                           lang=lang)
            except QunceError:
                self.schedules[key] = None
        return self.schedules[key]

    def L(self, key: str, *args: Any, **params: Any) -> str:
        return t("plan:" + key, self.lang, *args, **params)

    def P(self, key: str, *args: Any, **params: Any) -> str:
        """A label in the plan's own language (texts members will read: rules, scripts)."""
        return t("plan:" + key, self.plan_lang, *args, **params)

    def get(self, *path: Any) -> Any:
        return get_path(self.data, path)

    def people(self, n: Any) -> str:
        return self.count("n-people", n)

    def count(self, key: str, n: Any, **params: Any) -> str:
        """A counted phrase ("1 person", "2 people"): the plural form follows `n`, shown as `num`."""
        return self.L(key, n=n, num=fmt_number(n), **params)

    @property
    def sep(self) -> str:
        return self.L("list-sep")

    # -- which rule flags a missing part
    def flagged(self, path: tuple) -> list[str]:
        """Rule ids that really flag the part at `path`, in the report's order: findings at it or
        under it, and findings a rule placed on an existing parent only because the part it looks
        for (the first of its `at:` paths) is absent, e.g. session.guest-no-bio, aimed at
        `sessions[0].guest.bio` and located at `sessions[0].guest`. Any other finding at a parent
        is about the parent (a missing 成员差异 is not what `launch.no-lifespan` flags)."""
        base = dotted(path)
        hits = sorted(self._finding_index[0].get(base, []) + self._finding_index[1].get(base, []))
        return list(dict.fromkeys(rid for _, rid in hits))

    @cached_property
    def _finding_index(self) -> tuple[dict[str, list], dict[str, list]]:
        """(path -> findings at or below it, path -> findings aimed at it but placed on a parent),
        each as (position, rule id); built once, as a long plan asks flagged() for thousands of paths."""
        under: dict[str, list] = {}
        aimed: dict[str, list] = {}
        for i, f in enumerate(self.result.findings):
            for prefix in path_prefixes(f.path):
                under.setdefault(prefix, []).append((i, f.rule))
            for target in self._aimed_at(f):
                aimed.setdefault(target, []).append((i, f.rule))
        return under, aimed

    def _aimed_at(self, f: Finding) -> list[str]:
        """The parts a finding's rule looked for before settling on the parent it sits at: its
        `at:` paths that come before the finding's own, when they lie under it."""
        rule = self.rules.get(f.rule)
        if rule is None:
            return []
        try:
            where = parse_path(f.path) if f.path else ()
        except ValueError:
            return []
        prefix: tuple = ()
        if rule.each is not None:
            n = len(rule.each)
            if where[:n] != rule.each or len(where) <= n:
                return []
            prefix = where[:n + 1]
        candidates = [prefix + at for at in rule.at]
        if where not in candidates:
            return []
        before = candidates[:candidates.index(where)]
        return [dotted(c) for c in before if c[:len(where)] == where and len(c) > len(where)]

    def missing(self, path: tuple, what: str | None = None) -> dict[str, Any]:
        """What is missing, the plan path to fill in, and which rules flag it."""
        schema_path = tuple("[]" if isinstance(p, int) else p for p in path)
        what = what or schema_title(schema_path, self.lang)
        rules = self.flagged(path)
        return {"what": what, "path": dotted(path), "rules": rules, "text": self.L("missing-text", what=what)}

    def field(self, path: tuple, value: Any = None, *, label: str | None = None) -> dict[str, Any]:
        """One labelled fact: its value (text or list) or a missing note."""
        schema_path = tuple("[]" if isinstance(p, int) else p for p in path)
        raw = self.get(*path) if value is None else value
        if isinstance(raw, list):
            shown: Any = [x for x in raw if x not in (None, "")]
        elif isinstance(raw, bool):
            shown = self.L("yes") if raw else self.L("no")
        else:
            shown = text_of(raw)
        row = {"label": label or schema_title(schema_path, self.lang), "value": shown or None, "list": isinstance(shown, list),
               "missing": None}
        if not shown:
            row["missing"] = self.missing(path, row["label"])
        return row

    def owner_label(self, who: Any) -> str | None:
        """An output owner: a team role key becomes its label (with the names the team gives it)."""
        who = text_of(who)
        if not who:
            return None
        roles = schema_node(("structure", "team", "[]", "role")).get("enum", [])
        if who in roles:
            names = [m.get("name") for m in list_of(self.get("structure", "team"))
                     if isinstance(m, dict) and m.get("role") == who and text_of(m.get("name"))]
            label = enum_label(("structure", "team", "[]", "role"), who, self.lang)
            return self.L("paren", text=label, inner=self.sep.join(names)) if names else label
        return who


def finding_view(f: Finding, ctx: Ctx) -> dict[str, Any]:
    group = domain_label(SINS, f.sin, ctx.lang) if f.sin else domain_label(CATEGORIES, f.category, ctx.lang)
    group = capitalize(group)  # English labels start lower case; Chinese has no case
    where = ctx.L("at-line", line=f.line) if f.line else ""
    text = f.text(ctx.lang)
    return {"rule": f.rule, "sin": f.sin, "group": group, "severity": f.severity,
            "severity_label": domain_label(SEVERITY_LABELS, f.severity, ctx.lang), "title": text.title,
            "message": text.message, "rationale": text.rationale, "remedy": text.remedy, "line": f.line, "path": f.path,
            "where": where, "weight": f.weight}


def ranked(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.weight, SEVERITY_ORDER.get(f.severity, 3), f.line or 0, f.rule))


def health_band(score: int | None, ctx: Ctx) -> dict[str, str]:
    if score is None:
        return {"key": "unknown", "label": "—"}
    key = band_of(score)
    return {"key": key, "label": ctx.L(f"band-{key}")}


def one_item(plan: Document, section: str, item: dict) -> Document:
    """The plan narrowed to one session or campaign, so ids missing or repeated cannot confuse the pick."""
    return Document(plan.path, {**plan.data, section: [item]}, plan.locator)


def local_findings(ctx: Ctx, prefix: tuple) -> list[dict[str, Any]]:
    base = dotted(prefix)
    return [finding_view(f, ctx) for f in ctx.result.findings
            if f.path == base or f.path.startswith(base + ".") or f.path.startswith(base + "[")]
