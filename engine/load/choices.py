"""Fixed choices by any of their names: `kind: 兴趣型` is `kind: interest`.

Operators think in Chinese, and the tool itself prints the Chinese names of every fixed choice,
so a plan may write them. The names are data in the plan schema: the Chinese half of each
`x-enum-labels` entry ("兴趣型 / Interest" -> 兴趣型) and the `x-enum-synonyms` lists beside it.
Nothing here knows a Chinese word.

The schema is compiled once into a tree that holds only the paths leading to a fixed choice;
normalising a plan walks that tree (about thirty paths) and does one dictionary lookup per value
found there, so a plan written with ids costs next to nothing. Each replaced value keeps its
position in the Locator and records what was written (a `Scalar` with tag "choice").
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..i18n import pick
from ..model.plan import Locator, PlanPath, Scalar

ITEM = "[]"  # a list's items in a schema path, as the views write it
WRITTEN = "choice"  # the Scalar tag of a value that was written as a name, not an id


@dataclass
class Choices:
    """One fixed choice in the schema: its ids, its labels, and every name that stands for an id."""

    ids: tuple[str, ...]
    labels: dict[str, str]
    names: dict[str, str]  # name -> id, names that are not ids only

    def name(self, choice: str, lang: str = "zh") -> str:
        """The name people read for an id: the label's half in `lang` (the id when unlabelled)."""
        label = self.labels.get(choice)
        return pick(label, lang).strip() if isinstance(label, str) else choice

    def resolve(self, value: Any) -> str | None:
        """The id a value stands for, or None when it names nothing here."""
        if isinstance(value, str):
            if value in self.ids:
                return value
            return self.names.get(value)
        return None

    def spellings(self, choice: str) -> list[str]:
        """Every way of writing one id: the id, then its names."""
        return [choice] + [n for n, c in self.names.items() if c == choice]


@dataclass
class _Node:
    props: dict[str, "_Node"] = field(default_factory=dict)
    items: "_Node | None" = None
    choices: Choices | None = None


class ChoiceConflict(ValueError):
    """The schema gives one name to two ids of the same choice (a mistake in the schema's data)."""


def choices_of(node: dict) -> Choices | None:
    """The Choices of one schema node (or of its items), or None when it is not a fixed choice."""
    if "enum" not in node and isinstance(node.get("items"), dict):
        node = node["items"]
    enum = node.get("enum")
    if not isinstance(enum, list) or not all(isinstance(x, str) for x in enum):
        return None
    labels = node.get("x-enum-labels") or {}
    synonyms = node.get("x-enum-synonyms") or {}
    names: dict[str, str] = {}
    for choice in enum:
        written = [pick(labels[choice], "zh").strip()] if choice in labels else []
        written += list(synonyms.get(choice, ()))
        for name in written:
            if name == choice:
                continue
            if name in enum or names.get(name, choice) != choice:
                raise ChoiceConflict(f"{name!r} names both {names.get(name, name)!r} and {choice!r}")
            names[name] = choice
    return Choices(tuple(enum), dict(labels), names)


def _deref(node: Any, defs: dict) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
        node = {**defs.get(node["$ref"][len("#/$defs/"):], {}), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _compile(node: Any, defs: dict, depth: int = 0) -> _Node | None:
    """The part of the schema that leads to fixed choices; None where no choice lies below."""
    node = _deref(node, defs)
    if not isinstance(node, dict) or depth > 32:
        return None
    out = _Node()
    enum = node.get("enum")
    if isinstance(enum, list) and all(isinstance(x, str) for x in enum):
        found = choices_of(node)
        out.choices = found if found is not None and found.names else None
    for key, sub in (node.get("properties") or {}).items():
        child = _compile(sub, defs, depth + 1)
        if child is not None:
            out.props[key] = child
    if isinstance(node.get("items"), dict):
        out.items = _compile(node["items"], defs, depth + 1)
    for branch in node.get("anyOf") or ():
        child = _compile(branch, defs, depth + 1)
        if child is not None:
            out.props.update(child.props)
            out.items = out.items or child.items
            out.choices = out.choices or child.choices
    return out if out.props or out.items or out.choices else None


def compile_tree(schema: dict) -> _Node | None:
    """The schema reduced to the paths that lead to a fixed choice with names (None: there is none)."""
    return _compile(schema, schema.get("$defs", {}))


def normalise(data: Any, tree: _Node | None, locator: Locator | None = None) -> int:
    """Replace every fixed choice written by a name with its id, in place; returns how many.

    Only the tree's paths are visited; values that name nothing are left for the validator to
    explain (with a did-you-mean)."""
    return 0 if tree is None else _walk(data, tree, (), locator)


def _walk(value: Any, node: _Node, path: PlanPath, locator: Locator | None) -> int:
    if isinstance(value, dict):
        places = [(key, child) for key, child in node.props.items() if key in value]
    elif isinstance(value, list) and node.items is not None:
        places = [(i, node.items) for i in range(len(value))]
    else:
        return 0
    changed = 0
    for key, child in places:
        sub = value[key]
        if child.choices is not None and isinstance(sub, str):
            choice = child.choices.names.get(sub)
            if choice is not None:
                value[key] = choice
                _remember(locator, path + (key,), sub)
                changed += 1
        elif isinstance(sub, (dict, list)):
            changed += _walk(sub, child, path + (key,), locator)
    return changed


def named(value: Any, node: _Node | None, written: Any = None) -> Any:
    """A copy of `value` with every fixed choice in the plan's words: as it was already `written`
    when it still means the same id (the least change), else by its Chinese name (the label's
    first half), which is what a Chinese plan edited by the page should read like."""
    if node is None:
        return value
    if node.choices is not None and isinstance(value, str):
        if isinstance(written, str) and node.choices.resolve(written) == value:
            return written
        label = node.choices.labels.get(value)
        return pick(label, "zh").strip() if isinstance(label, str) and value in node.choices.ids else value
    if isinstance(value, dict):
        old = written if isinstance(written, dict) else {}
        return {k: named(v, node.props.get(k), old.get(k)) for k, v in value.items()}
    if isinstance(value, list):
        old = written if isinstance(written, list) and len(written) == len(value) else [None] * len(value)
        return [named(v, node.items, w) for v, w in zip(value, old)]
    return value


def _remember(locator: Locator | None, path: PlanPath, written: str) -> None:
    if locator is not None:
        locator.scalars[path] = Scalar(written, WRITTEN)


def written_names(locator: Locator) -> dict[PlanPath, str]:
    """The values a plan wrote by a name, by path: {("positioning", "kind"): "兴趣型"}."""
    return {path: s.raw for path, s in locator.scalars.items() if s.tag == WRITTEN}


def choices_at(schema: dict, path: tuple) -> Choices | None:
    """The fixed choice at a schema path such as ("structure", "platform") or ("output", "[]",
    "kind") (list indexes may be given as ints), or None when the path holds no fixed choice."""
    defs = schema.get("$defs", {})
    node: Any = schema
    for part in path:
        node = _deref(node, defs)
        if not isinstance(node, dict):
            return None
        node = node.get("items") if part == ITEM or isinstance(part, int) else (node.get("properties") or {}).get(part)
    node = _deref(node, defs)
    return choices_of(node) if isinstance(node, dict) else None


def iter_choices(schema: dict) -> Iterator[tuple[str, dict]]:
    """Every fixed-choice node of a schema with its JSON pointer, including those under $defs."""

    def walk(node: Any, pointer: str) -> Iterator[tuple[str, dict]]:
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list):
                yield pointer, node
            for key, sub in node.items():
                yield from walk(sub, f"{pointer}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                yield from walk(sub, f"{pointer}/{i}")

    yield from walk(schema, "#")


def editor_schema(schema: dict) -> dict:
    """The schema an editor reads (`qunce schema --install`): every fixed choice also lists its
    names, so completion offers 兴趣型 beside interest and a plan written with names shows no
    error; each entry is described by its label. qunce itself validates after normalising."""
    out = copy.deepcopy(schema)
    for _, node in list(iter_choices(out)):
        found = choices_of(node)
        if found is None or not found.names:
            continue
        node["enum"] = list(found.ids) + list(found.names)
        node["enumDescriptions"] = [found.labels.get(c, c) for c in found.ids] + [
            f"= {c} ({found.labels[c]})" if c in found.labels else f"= {c}" for c in found.names.values()]
    return out
