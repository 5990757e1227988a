"""Rule packs: load and check them, compile every expression once, evaluate them on plan data.

A rule is data (playbooks/*.yaml, checked by schemas/rule.schema.json): an id, a sin or category,
a `when:` Jinja2 expression evaluated in the sandbox, the path it points at, and bilingual text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from .domain import DEFAULT_WEIGHTS
from .errors import QunceError, RulePackError
from .loader import Document, Locator, load_plan_bytes, package_data
from .report import Finding
from .schema import Problem, dotted, validate_plan

RULE_SCHEMA = "rule.schema.json"
_PATH_PART = re.compile(r"([a-z_][a-z0-9_]*)((?:\[\d+\])*)")


@dataclass
class Rule:
    """One compiled rule."""

    id: str
    sin: str | None
    category: str
    severity: str
    weight: int
    title: dict[str, str]
    message: dict[str, str]
    rationale: dict[str, str]
    remedy: dict[str, str]
    when_text: str
    at: list[tuple]
    each: tuple | None
    examples: dict[str, list]
    pack: str
    line: int
    aliases: tuple[str, ...] = ()
    source: str = ""
    condition: Any = field(default=None, repr=False)  # a compiled Jinja template assigning `result`
    message_code: dict[str, Any] = field(default_factory=dict, repr=False)
    make_template: Callable[[Any], Any] | None = field(default=None, repr=False)
    _templates: dict[str, Any] = field(default_factory=dict, repr=False)

    def message_template(self, lang: str) -> Any:
        """Built on first use: a run needs the messages of the rules that fire, not all 250."""
        if lang not in self._templates:
            self._templates[lang] = self.make_template(self.message_code[lang])
        return self._templates[lang]

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"id": self.id, "sin": self.sin, "category": self.category, "severity": self.severity,
                "weight": self.weight, "title": self.title[lang], "rationale": self.rationale[lang],
                "remedy": self.remedy[lang], "when": self.when_text, "pack": self.pack, "source": self.source,
                "aliases": list(self.aliases)}


@dataclass
class RuleSet:
    """All rules of a run, compiled once, plus the merged facts they read."""

    rules: list[Rule]
    facts: dict[str, Any]
    packs: list[str]

    def __post_init__(self) -> None:
        self.spec: tuple = ((), True, "zh")
        self.env_globals: dict[str, Any] = {}
        self.index: dict[str, Rule] = {}
        for rule in self.rules:
            for name in (rule.id, *rule.aliases):
                self.index[name] = rule

    def get(self, rule_id: str) -> Rule | None:
        return self.index.get(rule_id)


def parse_path(text: str) -> tuple:
    """ "structure.groups[0].members" -> ("structure", "groups", 0, "members")."""
    out: list[Any] = []
    for part in text.split("."):
        m = _PATH_PART.fullmatch(part)
        if not m:
            raise ValueError(text)
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return tuple(out)


def get_path(data: Any, path: tuple) -> Any:
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and -len(data) <= part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def bundled_packs() -> list[Any]:
    """The playbook shipped with qunce, in name order (later packs' facts win)."""
    folder = package_data("playbooks")
    return sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml"))), key=lambda f: f.name)


def pack_files(paths: Iterable[str | Path]) -> list[Path]:
    """Pack files are found as plan files are (validate.discover); a missing one is an error."""
    from .validate import discover

    out = [Path(f) for f in discover(paths)]
    for p in out:
        if not p.exists():
            raise RulePackError("pack-not-found", {"path": str(p)}, file=str(p))
    return out


def load_rules(extra: Iterable[str | Path] = (), *, defaults: bool = True, lang: str = "zh") -> RuleSet:
    """The bundled playbook plus user packs (which add to it, never silently replace it)."""
    from .expressions import sandbox

    extra = list(extra)
    env = sandbox()
    sources: list[tuple[str, bytes]] = []
    if defaults:
        sources += [(f"playbooks/{f.name}", f.read_bytes()) for f in bundled_packs()]
    for f in pack_files(extra):
        try:
            sources.append((str(f), f.read_bytes()))
        except OSError as e:
            raise RulePackError("unreadable", {"reason": e.strerror or str(e)}, file=str(f)) from None
    key = (tuple(sources), lang)
    if key in _LOADED:  # the same packs again in this process (a test run, a library caller)
        return _LOADED[key]
    rules: list[Rule] = []
    facts: dict[str, Any] = {}
    seen: dict[str, tuple[str, int]] = {}
    for name, data in sources:
        pack = _compiled_pack(name, data, env, lang)
        for i, (raw, codes) in enumerate(zip(pack["rules"], pack["codes"])):
            for rule_id in (raw["id"], *raw.get("aliases", [])):
                if rule_id in seen:  # only now is the pack's node tree needed, to say where
                    doc = load_plan_bytes(data, name)
                    first = seen[rule_id]
                    raise _pack_error(doc, "duplicate-rule-id", ("rules", i, "id"), id=rule_id,
                                      first=f"{first[0]}:{first[1]}")
                seen[rule_id] = (name, raw["line"])
            rules.append(_rule(raw, codes, env, name))
        _merge(facts, pack["facts"])
    ruleset = RuleSet(rules, facts, [name for name, _ in sources])
    ruleset.env_globals = dict(env.globals)
    ruleset.spec = (tuple(str(p) for p in extra), defaults, lang)  # how a worker process rebuilds it
    if len(_LOADED) >= 8:
        _LOADED.clear()
    _LOADED[key] = ruleset
    return ruleset


# Rule sets already built, keyed by every pack's name and bytes: an edited pack is a new key.
_LOADED: dict[tuple, RuleSet] = {}


def _merge(into: dict, new: dict) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _pack_error(doc: Document, code: str, path: tuple, **params: Any) -> RulePackError:
    line, col = doc.locator.key(path)
    return RulePackError(code, params, file=doc.path, line=line, column=col)


def _compiled_pack(name: str, data: bytes, env: Any, lang: str) -> dict[str, Any]:
    """A pack checked and compiled to code objects, from the cache when its bytes are known.

    Parsing the YAML, validating it and compiling ~200 Jinja expressions takes most of a
    one-file check's start-up; a cached pack needs none of it."""
    from . import cache

    key = cache.key(data)
    hit = cache.get(key)
    if (isinstance(hit, dict) and {"rules", "codes", "facts"} <= set(hit) and hit.get("source") == data
            and hit.get("versions") == list(cache.versions())):
        return hit
    try:
        doc = load_plan_bytes(data, name)
    except QunceError as err:
        raise RulePackError(err.code, err.params, file=err.file, line=err.line, column=err.column) from None
    problems = validate_plan(doc, lang, RULE_SCHEMA)
    if problems:
        p = problems[0]
        raise RulePackError("pack-invalid", {"detail": p.message, "count": len(problems)},
                            file=doc.path, line=p.line, column=p.column)
    from jinja2 import TemplateSyntaxError

    rules, codes = [], []
    for i, raw in enumerate(doc.data.get("rules", [])):
        base = ("rules", i)
        rid = raw["id"]
        when = raw["when"].strip()
        if "{{" in when or "{%" in when:
            raise _pack_error(doc, "when-is-template", base + ("when",), id=rid)
        try:
            when_code = _expression_code(env, when)
        except TemplateSyntaxError as e:
            raise _pack_error(doc, "bad-expression", base + ("when",), id=rid, problem=e.message) from None
        messages = {}
        for lg, text in raw["message"].items():
            try:
                messages[lg] = env.compile(text)
            except TemplateSyntaxError as e:
                raise _pack_error(doc, "bad-expression", base + ("message", lg), id=rid, problem=e.message) from None
        rules.append(dict(raw, when=when, line=doc.locator.value(base)[0]))
        codes.append((when_code, messages))
    pack = {"rules": rules, "codes": codes, "facts": doc.data.get("facts") or {}, "source": data,
            "versions": list(cache.versions())}
    cache.put(key, pack)
    return pack


def _expression_code(env: Any, source: str) -> Any:
    """What `compile_expression` builds, as a code object that can be cached."""
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.parser import Parser

    parser = Parser(env, source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
    expr.set_environment(env)
    return env.compile(nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1))


def _rule(raw: dict, codes: tuple, env: Any, pack: str) -> Rule:
    def template(code: Any) -> Any:
        return env.template_class.from_code(env, code, env.make_globals(None), None)

    when_code, messages = codes
    at = raw["at"] if isinstance(raw["at"], list) else [raw["at"]]
    return Rule(
        id=raw["id"], sin=raw.get("sin"), category=raw.get("category", "sin"), severity=raw["severity"],
        weight=raw.get("weight", DEFAULT_WEIGHTS[raw["severity"]]), title=raw["title"], message=raw["message"],
        rationale=raw["rationale"], remedy=raw["remedy"], when_text=raw["when"],
        at=[parse_path(a) for a in at], each=parse_path(raw["each"]) if raw.get("each") else None,
        examples=raw["examples"], pack=pack, line=raw["line"], aliases=tuple(raw.get("aliases", [])),
        source=raw.get("source", ""), condition=template(when_code),
        message_code=messages, make_template=template)


# ---- evaluation --------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the rules made of one plan."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    engine_errors: list[Problem] = field(default_factory=list)


def context(plan_data: dict, facts: dict, today: date) -> dict[str, Any]:
    """The names an expression sees: the plan, the facts, the plan's platform facts, today."""
    structure = plan_data.get("structure") if isinstance(plan_data.get("structure"), dict) else {}
    platforms = facts.get("platforms", {}) if isinstance(facts.get("platforms"), dict) else {}
    platform = platforms.get(structure.get("platform")) or platforms.get("other") or {}
    return {"plan": plan_data, "facts": facts, "platform": platform, "today": today.isoformat()}


def ignore_list(plan_data: dict) -> list[tuple[str, str]]:
    check = plan_data.get("check") if isinstance(plan_data.get("check"), dict) else {}
    out = []
    for entry in check.get("ignore") or []:
        if isinstance(entry, str):
            out.append((entry, ""))
        elif isinstance(entry, dict) and isinstance(entry.get("rule"), str):
            out.append((entry["rule"], str(entry.get("reason") or "")))
    return out


def evaluate(rules: RuleSet, data: dict, locator: Locator, file: str, *, lang: str = "zh",
             today: date | None = None, ignore: Iterable[str] = (), only: Iterable[Rule] | None = None) -> Outcome:
    """Run rules over one plan's data; a rule that fails to evaluate is an engine error, not a crash."""
    today = today or date.today()
    base = dict(rules.env_globals, **context(data, rules.facts, today))
    plan_ignores = {rid: reason for rid, reason in ignore_list(data)}
    run_ignores = set(ignore)
    outcome = Outcome()
    for rule in (only if only is not None else rules.rules):
        items: list[tuple[tuple, Any]]
        if rule.each is not None:
            seq = get_path(data, rule.each)
            items = [(rule.each + (i,), item) for i, item in enumerate(seq)] if isinstance(seq, list) else []
        else:
            items = [((), None)]
        for prefix, item in items:
            ctx = dict(base, item=item, index=prefix[-1] if prefix else None)
            try:
                fired = _holds(rule.condition, ctx)
                message = rule.message_template(lang).render(**ctx).strip() if fired else ""
            except Exception as e:  # SecurityError, TypeError in a user expression, ...
                line, col = locator.value(prefix)
                outcome.engine_errors.append(Problem(
                    "rule-failed", _rule_failed(rule, e, lang), file, line, col, dotted(prefix)))
                continue
            if not fired:
                continue
            path = _pick_path(rule, prefix, locator)
            line, col = _locate(locator, path)
            finding = Finding(rule.id, rule.sin, rule.category, rule.severity, rule.title[lang], message, file,
                              line, col, dotted(path), rule.rationale[lang], rule.remedy[lang], rule.weight)
            names = {rule.id, *rule.aliases}
            hit = next((n for n in names if n in plan_ignores), None)
            if hit is not None or names & run_ignores:
                source = "plan" if hit is not None else "cli"
                outcome.suppressed.append({"rule": rule.id, "reason": plan_ignores.get(hit, "") if hit else "",
                                           "source": source, "line": line, "path": dotted(path)})
                continue
            outcome.findings.append(finding)
    outcome.findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return outcome


def _holds(template: Any, variables: dict[str, Any]) -> bool:
    """Run a compiled `when:` on one context. What jinja2's TemplateExpression does, minus
    copying the environment's globals for every call: they are already in `variables`."""
    from jinja2 import Undefined

    context = template.new_context(variables, shared=True)
    for _ in template.root_render_func(context):
        pass
    result = context.vars.get("result")
    return bool(result) and not isinstance(result, Undefined)


def _pick_path(rule: Rule, prefix: tuple, locator: Locator) -> tuple:
    candidates = [prefix + at for at in rule.at]
    for path in candidates:
        if locator.has(path):
            return path
    return candidates[0]


def _locate(locator: Locator, path: tuple) -> tuple[int, int]:
    """The key's position for a field that exists; the nearest existing parent's otherwise."""
    return locator.key(locator.nearest(path))


def _rule_failed(rule: Rule, error: Exception, lang: str) -> str:
    from .i18n import t

    return t("rule-failed", lang, id=rule.id, error=f"{type(error).__name__}: {error}")
