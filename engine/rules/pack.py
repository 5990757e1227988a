"""Rule packs: load and check them, compile every expression once, evaluate them on plan data.

A rule is data (playbooks/*.yaml, checked by schemas/rule.schema.json): an id, a sin or category,
optional named values (`let:`), a `when:` Jinja2 expression evaluated in the sandbox, the path it
points at, and bilingual text. Every expression is compiled once, cached with the pack.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..errors import QunceError, RulePackError
from ..i18n import Key, say
from ..load.files import discover, package_data, read_regular
from ..load.schema import validate_plan
from ..load.yaml import MAX_BYTES, load_plan_bytes
from ..model.domain import DEFAULT_WEIGHTS
from ..model.plan import Document, parse_path

RULE_SCHEMA = "rule.schema.json"
# Names a rule already sees; a `let:` value may not hide one of them.
RESERVED = frozenset({"plan", "facts", "platform", "today", "comments", "item", "index", "result", "range", "dict",
                      "loop", "when", "true", "false", "none", "True", "False", "None"})
LET_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")
TOO_DEEP = Key("nested-too-deep")

if TYPE_CHECKING:
    from .reading import Negation


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
    scope: Any = None  # as written: "any", {platforms: [...], kinds: [...]}, or None (a user pack: everywhere)
    basis: str = "declared"  # missing | declared | observed (docs/scoring.md)
    platforms: frozenset[str] | None = None  # the scope's platform ids, groups expanded (None: all)
    kinds: frozenset[str] | None = None
    condition: Any = field(default=None, repr=False)  # a compiled Jinja template assigning `result`
    lets: list[tuple[str, Any]] = field(default_factory=list, repr=False)  # (name, compiled expression)
    let_text: dict[str, str] = field(default_factory=dict)
    # let: names whose value is the same for every item of the rule (they read neither the item nor
    # a value that does): computed once per plan, not once per output, session or group
    plan_lets: frozenset[str] = frozenset()
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
                "remedy": self.remedy[lang], "let": dict(self.let_text), "when": self.when_text, "pack": self.pack, "source": self.source,
                "aliases": list(self.aliases),
                "scope": self.scope if self.scope is not None else "any", "basis": self.basis}


@dataclass
class RuleSet:
    """All rules of a run, compiled once, plus the merged facts they read."""

    rules: list[Rule]
    facts: dict[str, Any]
    packs: list[str]

    def __post_init__(self) -> None:
        self.spec: tuple = ((), True)
        self.env_globals: dict[str, Any] = {}
        self.index: dict[str, Rule] = {}
        for rule in self.rules:
            for name in (rule.id, *rule.aliases):
                self.index[name] = rule

    def get(self, rule_id: str) -> Rule | None:
        return self.index.get(rule_id)

    @cached_property
    def negation(self) -> Negation | None:
        """The facts' `negation` compiled once for the rule set (what the keyword readers skip as
        negated); None when the facts hold none."""
        from .reading import Negation  # with the readers, which the rules' sandbox loads anyway

        spec = self.facts.get("negation")
        return Negation(spec, self.facts.get("keywords")) if isinstance(spec, dict) else None


def bundled_packs() -> list[Any]:
    """The playbook shipped with qunce, in name order (later packs' facts win)."""
    folder = package_data("playbooks")
    return sorted((f for f in folder.iterdir() if f.name.endswith((".yaml", ".yml"))), key=lambda f: f.name)


def pack_files(paths: Iterable[str | Path]) -> list[Path]:
    """Pack files are found as plan files are (load.files.discover); a missing one is an error."""
    out = [Path(f) for f in discover(paths)]
    for p in out:
        if not os.path.lexists(p):
            raise RulePackError("pack-not-found", {"path": str(p)}, file=str(p))
    return out


def load_rules(extra: Iterable[str | Path] = (), *, defaults: bool = True) -> RuleSet:
    """The bundled playbook plus user packs (which add to it, never silently replace it). A rule
    set speaks every language: its findings carry each language's texts."""
    from .environment import sandbox

    extra = list(extra)
    env = sandbox()
    sources: list[tuple[str, bytes]] = []
    if defaults:
        sources += [(f"playbooks/{f.name}", f.read_bytes()) for f in bundled_packs()]
    for f in pack_files(extra):  # a user's pack: a regular file, read up to the plan cap only
        try:
            sources.append((str(f), read_regular(f, MAX_BYTES, RulePackError)))
        except RulePackError as err:
            if err.code == "not-found":
                raise RulePackError("pack-not-found", {"path": str(f)}, file=str(f)) from None
            raise
    key = tuple(sources)
    if key in _LOADED:  # the same packs again in this process (a test run, a library caller)
        return _LOADED[key]
    rules: list[Rule] = []
    facts: dict[str, Any] = {}
    seen: dict[str, tuple[str, int]] = {}
    for name, data in sources:
        pack = _compiled_pack(name, data, env)
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
    from .scope import parse

    for rule in rules:  # scopes name platform groups, known once every pack's facts are merged
        rule.platforms, rule.kinds = parse(rule.scope, facts)
    ruleset = RuleSet(rules, facts, [name for name, _ in sources])
    ruleset.env_globals = dict(env.globals)
    ruleset.spec = (tuple(str(p) for p in extra), defaults)  # how a worker process rebuilds it
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


def _compiled_pack(name: str, data: bytes, env: Any) -> dict[str, Any]:
    """A pack checked and compiled to code objects, from the cache when its bytes are known.

    Parsing the YAML, validating it and compiling ~200 Jinja expressions takes most of a
    one-file check's start-up; a cached pack needs none of it."""
    from . import cache

    key = cache.key(data, env)
    hit = cache.get(key)
    if (isinstance(hit, dict) and {"rules", "codes", "facts"} <= set(hit) and hit.get("source") == data
            and hit.get("versions") == list(cache.versions(env))):
        return hit
    try:
        doc = load_plan_bytes(data, name)
    except QunceError as err:
        raise RulePackError(err.code, err.params, file=err.file, line=err.line, column=err.column) from None
    problems = validate_plan(doc, RULE_SCHEMA)
    if problems:
        p = problems[0]
        raise RulePackError("pack-invalid", {"detail": say(p.code, **p.params), "count": len(problems)},
                            file=doc.path, line=p.line, column=p.column)
    from jinja2 import TemplateSyntaxError

    rules, codes = [], []
    for i, raw in enumerate(doc.data.get("rules", [])):
        base = ("rules", i)
        rid = raw["id"]
        lets = {name: text.strip() if isinstance(text, str) else text for name, text in (raw.get("let") or {}).items()}
        compiled = []  # the let: values in order, then the condition, which sees them all
        for name in lets:
            if not isinstance(lets[name], str) or not lets[name]:
                raise _pack_error(doc, "bad-expression", base + ("let", name), id=rid,
                                  problem=f"let: {name!r} must be an expression written as text")
            if name in RESERVED or not LET_NAME.match(name):
                raise _pack_error(doc, "bad-expression", base + ("let", name), id=rid,
                                  problem=f"let: {name!r} is not a usable name (lower-case letters, digits and _, "
                                          f"not one of {', '.join(sorted(n for n in RESERVED if n.islower()))})")
        reads: dict[str, set[str]] = {}  # the names each let: value reads
        for where, text in [*((("let", n), x) for n, x in lets.items()), (("when",), raw["when"].strip())]:
            if "{{" in text or "{%" in text:
                raise _pack_error(doc, "when-is-template", base + where, id=rid)
            try:
                code, names = _expression_code(env, text)
                compiled.append((where[-1], code))
                if where[0] == "let":
                    reads[where[-1]] = names
            except TemplateSyntaxError as e:
                raise _pack_error(doc, "bad-expression", base + where, id=rid, problem=e.message) from None
            except (RecursionError, SyntaxError, MemoryError):  # 100 nested parentheses and the like
                raise _pack_error(doc, "bad-expression", base + where, id=rid, problem=TOO_DEEP) from None
        when = raw["when"].strip()
        when_code, let_codes = compiled[-1][1], compiled[:-1]
        messages = {}
        for lg, text in raw["message"].items():
            try:
                messages[lg] = env.compile(text)
            except TemplateSyntaxError as e:
                raise _pack_error(doc, "bad-expression", base + ("message", lg), id=rid, problem=e.message) from None
            except (RecursionError, SyntaxError, MemoryError):  # 150 nested for loops: Python's own limit
                raise _pack_error(doc, "bad-expression", base + ("message", lg), id=rid, problem=TOO_DEEP) from None
        per_item = {"item", "index", "platform"}  # platform: a group's own, on rules over groups
        for name in lets:  # in order: a value may read the ones before it
            if reads[name] & per_item:
                per_item.add(name)
        rules.append(dict(raw, when=when, let=lets, line=doc.locator.value(base)[0],
                          plan_lets=[n for n in lets if n not in per_item]))
        codes.append((when_code, messages, let_codes))
    pack = {"rules": rules, "codes": codes, "facts": doc.data.get("facts") or {}, "source": data,
            "versions": list(cache.versions(env))}
    cache.put(key, pack)
    return pack


def _expression_code(env: Any, source: str) -> tuple[Any, set[str]]:
    """What `compile_expression` builds, as a code object that can be cached, and the names the
    expression reads."""
    from jinja2 import TemplateSyntaxError, nodes
    from jinja2.parser import Parser

    parser = Parser(env, source, state="variable")
    expr = parser.parse_expression()
    if not parser.stream.eos:
        raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno, None, None)
    expr.set_environment(env)
    names = {n.name for n in expr.find_all(nodes.Name) if n.ctx == "load"}
    return env.compile(nodes.Template([nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)], lineno=1)), names


def _rule(raw: dict, codes: tuple, env: Any, pack: str) -> Rule:
    def template(code: Any) -> Any:
        return env.template_class.from_code(env, code, env.make_globals(None), None)

    when_code, messages, let_codes = codes
    at = raw["at"] if isinstance(raw["at"], list) else [raw["at"]]
    return Rule(
        id=raw["id"], sin=raw.get("sin"), category=raw.get("category", "sin"), severity=raw["severity"],
        weight=raw.get("weight", DEFAULT_WEIGHTS[raw["severity"]]), title=raw["title"], message=raw["message"],
        rationale=raw["rationale"], remedy=raw["remedy"], when_text=raw["when"],
        at=[parse_path(a) for a in at], each=parse_path(raw["each"]) if raw.get("each") else None,
        examples=raw["examples"], pack=pack, line=raw["line"], aliases=tuple(raw.get("aliases", [])),
        source=raw.get("source", ""), scope=raw.get("scope"), basis=raw.get("basis", "declared"),
        condition=template(when_code),
        lets=[(name, template(code)) for name, code in let_codes], let_text=dict(raw.get("let") or {}),
        plan_lets=frozenset(raw.get("plan_lets") or ()),
        message_code=messages, make_template=template)
