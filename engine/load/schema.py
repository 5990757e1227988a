"""Validate plan data against the shipped JSON Schema and explain each error in the user's words.

jsonschema's own messages speak of instances and subschemas; an operator needs the field, the
line, what was expected, and the most likely fix (a did-you-mean, or "quote it" for YAML traps).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .choices import Choices, choices_at, choices_of, compile_tree, normalise
from .fastschema import FORMATS, Unsupported, compile_schema
from ..i18n import both, joined, pick, say
from ..model.plan import Locator, Plan, dotted
from .files import package_data
from ..model.report import Problem

SCHEMA_FILE = "plan.schema.json"


def schema_path(name: str = SCHEMA_FILE) -> Path:
    """The shipped schema file (package data, found beside the code in a wheel or a checkout)."""
    return package_data("schemas", name)


@lru_cache(maxsize=None)
def load_schema(name: str = SCHEMA_FILE) -> dict[str, Any]:
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(name: str = SCHEMA_FILE) -> Any:
    """Compiled once per process: building a validator costs far more than running it."""
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(formats=())
    for format_name, check in FORMATS.items():
        checker.checks(format_name)(check)
    return Draft202012Validator(load_schema(name), format_checker=checker)


@lru_cache(maxsize=None)
def fast_check(name: str = SCHEMA_FILE) -> Any:
    """The compiled yes/no check, or None when the schema needs jsonschema's full generality."""
    try:
        return compile_schema(load_schema(name))
    except Unsupported:
        return None


@lru_cache(maxsize=None)
def choice_tree(name: str = SCHEMA_FILE) -> Any:
    """The schema's fixed-choice paths, compiled once per process (load.choices)."""
    return compile_tree(load_schema(name))


def normalise_choices(plan: Plan, name: str = SCHEMA_FILE) -> int:
    """Fixed choices written by a name (兴趣型, 企微) become their ids, before validation."""
    return normalise(plan.data, choice_tree(name), plan.locator)


def choice_at(path: tuple, name: str = SCHEMA_FILE) -> Choices | None:
    """The fixed choice at a schema path, e.g. ("structure", "platform"), or None."""
    return choices_at(load_schema(name), path)


def resolve_choice(path: tuple, value: str, name: str = SCHEMA_FILE) -> str | None:
    """The id `value` (an id or any of its names) stands for at `path`, e.g. for a command-line
    option such as `qunce init --platform 企微`; None when it names nothing there."""
    found = choice_at(path, name)
    return found.resolve(value) if found is not None else None


def validate_plan(plan: Plan, schema: str = SCHEMA_FILE) -> list[Problem]:
    """All schema problems of a loaded document (a plan, or a rule pack), sorted by position,
    each a code and its parameters (said in a language when shown).

    Valid documents are recognised by the compiled fast check; jsonschema is loaded only to
    explain what is wrong with an invalid one."""
    fast = fast_check(schema)
    if fast is not None and fast(plan.data):
        return []
    v = validator(schema)
    problems: list[Problem] = []
    for error in v.iter_errors(plan.data):
        problems.extend(_explain(error, plan, schema))
    unique = {(p.line, p.column, p.code, json.dumps(p.params, sort_keys=True)): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.column or 0, p.code))


# ---------------------------------------------------------------------------------------------


def _explain(error: Any, plan: Plan, schema_name: str) -> list[Problem]:
    path = tuple(error.absolute_path)
    loc = plan.locator
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}

    def make(code: str, at: tuple[int, int], problem_path: tuple = path, **params: Any) -> Problem:
        return Problem(code, params, plan.path, at[0], at[1], dotted(problem_path))

    if kind in ("anyOf", "oneOf") and error.context:
        same_level = [e for e in error.context if len(e.relative_path) == 0 and e.validator == "type"]
        others = [e for e in error.context if e not in same_level]
        if not others:
            expected = []
            for e in same_level:
                types = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
                expected += [x for x in types if x not in expected]
            return [_type_problem(expected, error.instance, path, loc, plan, schema_name)]
        out: list[Problem] = []
        for sub in others:
            out.extend(_explain(sub, plan, schema_name))
        return out
    if kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        extras = [k for k in error.instance if k not in schema.get("properties", {})]
        return [make("unknown-key", loc.key(path + (k,)), path + (k,), where=_where(path), key=k,
                     hint=_suggest_key(k, schema.get("properties", {}), known)) for k in extras]
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        props = schema.get("properties", {})
        return [make("missing-required", loc.value(path), path + (k,), where=_where(path), key=k,
                     label=both(props.get(k, {}).get("title", k))) for k in missing]
    if kind == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return [_type_problem(types, error.instance, path, loc, plan, schema_name, schema)]
    field_name = _field(path, schema, schema_name)
    at = loc.value(path)
    if kind == "enum":
        labels = schema.get("x-enum-labels", {})
        choices = joined("list-sep", [say("choice-labelled", value=c, label=both(labels[c])) if c in labels
                                      else str(c) for c in error.validator_value])
        return [make("bad-enum", at, field=field_name, value=_short(error.instance), choices=choices,
                     hint=_suggest_enum(error.instance, schema))]
    if kind == "const":
        return [make("bad-const", at, field=field_name, expected=json.dumps(error.validator_value))]
    if kind == "format" and error.validator_value == "calendar-date":
        from calendar import monthrange  # only now: calendar pulls in locale at import

        year, month = int(error.instance[:4]), int(error.instance[5:7])
        why = (say("month-days", year=year, month=month, days=monthrange(year, month)[1]) if year
               else say("no-year-zero"))
        return [make("no-such-day", at, field=field_name, value=_short(error.instance), why=why)]
    if kind == "pattern":
        examples = schema.get("examples") or []
        expected = say("format:pattern", f'"{examples[0]}"' if examples else error.validator_value)
        return [make("bad-format", at, field=field_name, value=_short(error.instance), expected=expected)]
    if kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = say("min" if kind.endswith("inimum") else "max", error.validator_value)
        return [make("out-of-range", at, field=field_name, value=error.instance, bound=bound)]
    if kind in ("minLength", "minItems", "minProperties"):
        return [make("too-short", at, field=field_name)]
    if kind == "uniqueItems":
        return [make("not-unique", at, field=field_name)]
    return [make("invalid", at, field=field_name, detail=error.message)]


def _type_problem(types: list[str], instance: Any, path: tuple, loc: Locator, plan: Plan,
                  schema_name: str, schema: dict | None = None) -> Problem:
    expected = joined("or", [say(f"type:{x}") for x in types])
    got = say(f"type:{_json_type(instance)}")
    field_name = _field(path, schema or {}, schema_name)
    at = loc.value(path)
    trap = loc.scalars.get(path)
    if trap is not None and trap.raw not in ("", "~", "null", "Null", "NULL") and "string" in types:
        shown = json.dumps(instance, ensure_ascii=False)
        code, params = "yaml-trap", dict(field=field_name, expected=expected, raw=trap.raw, got=got,
                                         value=shown, quoted=f'"{trap.raw}"')
    else:
        code, params = "wrong-type", dict(field=field_name, expected=expected, got=got)
    return Problem(code, params, plan.path, at[0], at[1], dotted(path))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _field(path: tuple, schema: dict, schema_name: str) -> Any:
    name = dotted(path) or "plan"
    title = schema.get("title") if isinstance(schema, dict) else None
    if not title:
        title = _title_for(path, schema_name)
    return say("field-titled", name=name, title=both(title)) if title else name


@lru_cache(maxsize=4096)
def _title_for(path: tuple, schema_name: str) -> str | None:
    """Walk the schema along a data path to find a property's title (for type errors in anyOf)."""
    node: Any = load_schema(schema_name)
    defs = node.get("$defs", {})
    for part in path:
        node = _deref(node, defs)
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part)
        if node is None:
            return None
    node = _deref(node, defs)
    return node.get("title")


def _deref(node: dict, defs: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/$defs/"):
        node = {**defs.get(node["$ref"][len("#/$defs/"):], {}), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _where(path: tuple) -> dict[str, Any]:
    return say("in-section", dotted(path)) if path else say("at-top")


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


_SEP = re.compile(r"[\s_\-]+")


def _suggest_key(key: str, props: dict, known: list[str]) -> Any:
    import difflib

    """Did-you-mean for keys: close spelling, or a Chinese key that is a property's Chinese title."""
    for name, sub in props.items():
        title = sub.get("title", "") if isinstance(sub, dict) else ""
        if key and (key == pick(title, "zh") or key.lower() == pick(title, "en").lower()):
            return say("did-you-mean", name)
    normal = {_SEP.sub("_", k.lower()): k for k in known}
    probe = _SEP.sub("_", str(key).lower())
    if probe in normal:
        return say("did-you-mean", normal[probe])
    match = difflib.get_close_matches(probe, list(normal), n=1, cutoff=0.6)
    return say("did-you-mean", normal[match[0]]) if match else ""


def _suggest_enum(value: Any, node: dict) -> Any:
    """Did-you-mean for a fixed choice, over its ids, its names and its English labels. A Chinese
    value read in zh output is answered with the Chinese name (兴趣群 -> 兴趣型), else the id."""
    import difflib

    found = choices_of(node)
    if found is None or not isinstance(value, str):
        return ""
    def hint(choice: str) -> dict[str, Any]:  # the catalog says which spelling each language suggests
        name = choice if value.isascii() else found.name(choice, "zh")
        return say("did-you-mean-choice", id=choice, name=name)

    spellings: dict[str, str] = {}
    for choice in found.ids:
        for name in found.spellings(choice) + [found.name(choice, "en")]:
            spellings.setdefault(_SEP.sub("_", name.strip().lower()), choice)
    probe = _SEP.sub("_", value.strip().lower())
    if probe in spellings:
        return hint(spellings[probe])
    match = difflib.get_close_matches(probe, list(spellings), n=1, cutoff=0.6)
    return hint(spellings[match[0]]) if match else ""
