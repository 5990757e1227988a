"""A compiled yes/no check for the JSON Schema subset qunce's own schemas use.

Most plans are valid, and for them jsonschema's generality (and its 75 ms import) is pure cost.
This compiles the schema once into nested closures that answer only "certainly valid"; anything
it cannot decide, or any invalid plan, goes to jsonschema, which remains the single source of
error messages. The two must agree on validity (tests/test_fastschema.py checks this on
examples, fixtures and generated plans).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

Check = Callable[[Any], bool]

ANNOTATIONS = {"title", "description", "examples", "default", "$schema", "$id", "$defs", "$comment",
               "deprecated", "readOnly", "writeOnly"}


_DAY = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")  # the patterns' shape


def _calendar_date(value: Any) -> bool:
    """The schema's patterns allow 2026-02-31; only the calendar knows it does not exist."""
    if not isinstance(value, str) or not _DAY.match(value):
        return True  # not date-shaped: the pattern reports it, once
    try:
        date(int(value[0:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return False
    return True


# qunce's own format names (other tools treat an unknown format as a note and skip it, so the
# schema stays usable in editors): the date part of a date or date-time must be a real day.
FORMATS: dict[str, Check] = {"calendar-date": _calendar_date}


class Unsupported(Exception):
    """The schema uses something this compiler does not handle; use jsonschema for everything."""


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float))
    raise Unsupported(name)


# The closures below run about a million times per hundred plans: plain loops, not all() over a
# generator, and the common one-type check straight to isinstance.
_PLAIN_TYPES = {"string": str, "object": dict, "array": list}


def _type_check(names: tuple[str, ...]) -> Check:
    if len(names) == 1 and names[0] in _PLAIN_TYPES:
        kind = _PLAIN_TYPES[names[0]]
        return lambda v: isinstance(v, kind)

    def check(v: Any) -> bool:
        for n in names:
            if _is_type(v, n):
                return True
        return False

    return check


def _each_item(item: Check) -> Check:
    def check(v: Any) -> bool:
        if isinstance(v, list):
            for x in v:
                if not item(x):
                    return False
        return True

    return check


def _all_of(checks: tuple[Check, ...]) -> Check:
    def check(v: Any) -> bool:
        for c in checks:
            if not c(v):
                return False
        return True

    return check


def compile_schema(root: dict) -> Check:
    defs = root.get("$defs", {})
    cache: dict[str, Check] = {}

    def ref(target: str) -> Check:
        if not target.startswith("#/$defs/") or target[8:] not in defs:
            raise Unsupported(target)
        name = target[8:]
        if name not in cache:
            cache[name] = lambda v: compiled[name](v)  # late binding allows recursion
            compiled[name] = build(defs[name])
        return cache[name]

    compiled: dict[str, Check] = {}

    def build(node: Any) -> Check:
        if node is True or node == {}:
            return lambda v: True
        if not isinstance(node, dict):
            raise Unsupported(repr(node))
        checks: list[Check] = []
        for key, arg in node.items():
            if key in ANNOTATIONS or key.startswith("x-"):
                continue
            if key == "type":
                names = arg if isinstance(arg, list) else [arg]
                checks.append(_type_check(tuple(names)))
            elif key == "enum":
                if not all(isinstance(x, str) for x in arg):
                    raise Unsupported("enum")
                allowed = frozenset(arg)
                checks.append(lambda v, a=allowed: isinstance(v, str) and v in a)
            elif key == "const":
                if isinstance(arg, bool) or not isinstance(arg, (int, str)):
                    raise Unsupported("const")
                checks.append(lambda v, c=arg: not isinstance(v, bool) and type(v) in (int, float, str)
                              and v == c and isinstance(v, str) == isinstance(c, str))
            elif key == "minLength":
                checks.append(lambda v, n=arg: not isinstance(v, str) or len(v) >= n)
            elif key == "maxLength":
                checks.append(lambda v, n=arg: not isinstance(v, str) or len(v) <= n)
            elif key == "pattern":
                rx = re.compile(arg)
                checks.append(lambda v, rx=rx: not isinstance(v, str) or rx.search(v) is not None)
            elif key == "format":
                if arg not in FORMATS:
                    raise Unsupported(f"format {arg}")
                checks.append(FORMATS[arg])
            elif key == "minimum":
                checks.append(lambda v, n=arg: not _is_type(v, "number") or v >= n)
            elif key == "maximum":
                checks.append(lambda v, n=arg: not _is_type(v, "number") or v <= n)
            elif key == "minItems":
                checks.append(lambda v, n=arg: not isinstance(v, list) or len(v) >= n)
            elif key == "uniqueItems":
                if arg:
                    checks.append(lambda v: not isinstance(v, list) or (
                        all(isinstance(x, str) for x in v) and len(set(v)) == len(v)))
            elif key == "items":
                item = build(arg)
                checks.append(_each_item(item))
            elif key == "required":
                checks.append(lambda v, req=tuple(arg): not isinstance(v, dict) or all(k in v for k in req))
            elif key == "properties":
                props = {k: build(s) for k, s in arg.items()}
                closed = node.get("additionalProperties") is False
                if "additionalProperties" in node and node["additionalProperties"] not in (False, True):
                    raise Unsupported("additionalProperties schema")

                def check_props(v: Any, props: dict = props, closed: bool = closed) -> bool:
                    if not isinstance(v, dict):
                        return True
                    for k, x in v.items():
                        sub = props.get(k)
                        if sub is None:
                            if closed:
                                return False
                        elif not sub(x):
                            return False
                    return True

                checks.append(check_props)
            elif key == "additionalProperties":
                if "properties" not in node and arg is not True:
                    raise Unsupported("additionalProperties without properties")
            elif key == "anyOf":
                branches = [build(b) for b in arg]
                checks.append(lambda v, bs=branches: any(b(v) for b in bs))
            elif key == "$ref":
                checks.append(ref(arg))
            else:
                raise Unsupported(key)
        if len(checks) == 1:
            return checks[0]
        return _all_of(tuple(checks))

    return build(root)
