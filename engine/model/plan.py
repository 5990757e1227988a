"""A loaded plan (or rule pack) as data: the values, where each was written, and plan paths.

Everything that reads plan data (rules, schedules, views) takes a `Document` and addresses its
values by plan path: a tuple of keys and list indexes, e.g. ("structure", "groups", 0, "members").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

PlanPath = tuple  # keys and list indexes, e.g. ("structure", "groups", 0, "members")
_PATH_PART = re.compile(r"([a-z_][a-z0-9_]*)((?:\[\d+\])*)")


@dataclass(frozen=True)
class Scalar:
    """How a plain (unquoted) scalar was written, when YAML read it as something other than text.

    Kept so later stages can explain YAML 1.1 traps: `20:00` became 1200, `no` became false.
    """

    raw: str
    tag: str


@dataclass(frozen=True)
class Comment:
    """A comment the plan's author wrote: where, what, and the path it sits at or inside ("" for
    the whole plan). Operators note there what is not decided yet (家委会的规矩还没定)."""

    line: int
    column: int
    text: str
    path: str


@dataclass
class Locator:
    """Maps a plan path to the 1-based line and column where its value (or key) was written.

    It keeps PyYAML's mark objects and turns them into numbers only when a position is asked
    for: most values of a valid plan are never pointed at."""

    values: dict[PlanPath, Any] = field(default_factory=dict)
    keys: dict[PlanPath, Any] = field(default_factory=dict)
    scalars: dict[PlanPath, Scalar] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    def nearest(self, path: PlanPath) -> PlanPath:
        """The path itself when it was written, else its closest written ancestor."""
        path = tuple(path)
        while path and path not in self.values:
            path = path[:-1]
        return path

    def value(self, path: PlanPath) -> tuple[int, int]:
        """The value's position, or the nearest enclosing one when the value is missing."""
        mark = self.values.get(self.nearest(path))
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def key(self, path: PlanPath) -> tuple[int, int]:
        """Where the key of `path` was written (falls back to the value's position)."""
        mark = self.keys.get(tuple(path))
        return (mark.line + 1, mark.column + 1) if mark is not None else self.value(path)

    def has(self, path: PlanPath) -> bool:
        return tuple(path) in self.values


@dataclass
class Notice:
    """Something the user should know that is not an error (e.g. the file was GBK)."""

    code: str
    params: dict[str, Any]
    line: int = 1
    column: int = 1


@dataclass
class Document:
    """A loaded YAML document (a plan or a rule pack): plain data plus where each value came from."""

    path: str
    data: Any
    locator: Locator
    encoding: str = "utf-8"
    notices: list[Notice] = field(default_factory=list)


Plan = Document  # the name the rest of the engine reads best with



def dotted(path: Iterable[Any]) -> str:
    """("structure", "groups", 0, "members") -> "structure.groups[0].members"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


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


# ---- tolerant readers of draft data: a plan may leave anything out or give it the wrong shape --


def as_dict(value: Any) -> dict:
    """A section as a mapping; anything else (missing, a list, text) as an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def is_number(value: Any) -> bool:
    """A figure: an int or a float, not a bool (YAML's yes/no are not counts)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def whole(value: Any) -> int | None:
    """A whole number the operator wrote (booleans are not numbers here); None otherwise."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_present(value: Any) -> bool:
    """A value the operator actually filled in (not missing, empty, or only blanks): the one
    judgement behind the rules' `present` test, schedules and documents (placeholders aside,
    which rules.reading adds where the playbook's word lists are at hand)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict, tuple)):
        return len(value) > 0
    return True
