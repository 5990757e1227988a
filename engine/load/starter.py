"""From nothing to a starter plan: the wizard's questions, and its answers written into a starter.

`qunce init` asks these questions on a terminal and the local page asks them in a form; both
hand the answers to `starter_plan`, which takes the kind's commented starter (in Chinese, or in
English with lang="en") and puts each answer in its field, keeping every comment. The five
pre-launch questions of DOMAIN §2 (goal, members, mode, strategy, revenue model) come after the
kind, which picks the starter, and the platform.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import yaml

from ..errors import UsageError
from ..i18n import t
from ..model.domain import KINDS
from .choices import ITEM
from .files import package_data
from .schema import SCHEMA_FILE, choice_at

EDITOR_SCHEMA = ".qunce/plan.schema.json"  # beside the plan, so completion works for anyone who opens the folder
MODELINE = f"# yaml-language-server: $schema={EDITOR_SCHEMA}\n"
MAX_ANSWER = 2000  # characters: an answer is a sentence or two, not a document


@dataclass(frozen=True)
class Question:
    """One question of the wizard: its key (also the CLI flag), where the answer goes, and the
    fixed choice it picks from (None for free text)."""

    key: str
    path: tuple
    choice: tuple | None = None

    def text(self, lang: str) -> str:
        return t(f"init:q-{self.key}", lang)

    def hint(self, lang: str) -> str:
        return t(f"init:h-{self.key}", lang)

    def options(self, lang: str) -> list[tuple[str, str]]:
        """(id, name in `lang`) of each choice offered; kinds only those with a starter, and no alias."""
        found = choice_at(self.choice) if self.choice else None
        if found is None:
            return []
        ids = [k for k in found.ids if k in KINDS] if self.key == "kind" else [k for k in found.ids if k != "telegram"]
        return [(k, found.name(k, lang)) for k in ids]


QUESTIONS = (
    Question("kind", ("positioning", "kind"), ("positioning", "kind")),
    Question("platform", ("structure", "platform"), ("structure", "platform")),
    Question("name", ("community", "name")),
    Question("goal", ("positioning", "goal")),
    Question("members", ("positioning", "audience", "portrait")),
    Question("mode", ("positioning", "mode")),
    Question("strategy", ("positioning", "strategy")),
    Question("revenue", ("positioning", "revenue_model")),
)


def resolve_answer(question: Question, value: str) -> str | None:
    """A fixed-choice answer as its id: the id, any of its names, or the number of an option."""
    value = value.strip()
    if question.choice is None:
        return value
    options = question.options("zh")
    if value.isdigit() and 1 <= int(value) <= len(options):
        return options[int(value) - 1][0]
    found = choice_at(question.choice)
    choice = found.resolve(value) if found is not None else None
    if question.key == "kind" and choice not in KINDS:
        return None  # only the five kinds have a starter
    return choice


def starter_text(kind: str, lang: str = "zh") -> str:
    """The commented starter of one kind, without a modeline (English ones live under starters/en)."""
    folder = t("init:starter-folder", lang)  # the catalog says where each language's starters live
    return package_data("output_templates", "starters", *(folder.split("/") if folder else ()), f"{kind}.yaml"
                        ).read_text("utf-8")


def starter_plan(answers: Mapping[str, Any], lang: str = "zh", *, modeline: bool = True,
                 group_cap: Callable[[str], int | None] | None = None, near_full: float = 0.9) -> str:
    """The starter plan for the wizard's answers: kind (required; an id or a name such as 兴趣型)
    picks the starter, every other answer given replaces its sample in place, comments kept.
    Unanswered questions keep the starter's sample text (recognised later as a placeholder).
    `group_cap(platform)` gives the chosen platform's members per group: a sample group larger
    than that (a 知识星球 starter of 3,000 turned into a WeChat group) is cut to the cap, and a
    sample split point above it moves to `near_full` of the cap, so a fresh starter does not open
    with a diagnosis of its own sample figures."""
    kind_q = QUESTIONS[0]
    kind = resolve_answer(kind_q, str(answers.get("kind") or ""))
    if kind is None:
        raise UsageError("unknown-kind", {"kind": answers.get("kind") or "", "choices": ", ".join(KINDS)})
    text = starter_text(kind, lang)
    wanted: dict[tuple, Any] = {}
    for question in QUESTIONS[1:]:
        raw = answers.get(question.key)
        if raw is None or not str(raw).strip():
            continue
        value = resolve_answer(question, str(raw))
        if value is None:
            choices = ", ".join(k for k, _ in question.options(lang))
            raise UsageError("init-bad-choice", {"question": question.text(lang), "value": raw, "choices": choices})
        if len(value) > MAX_ANSWER:
            raise UsageError("init-too-long", {"question": question.text(lang), "limit": MAX_ANSWER})
        wanted[question.path] = value
    name = wanted.get(("community", "name"))
    if name is not None:  # the starter's groups are named after the community: rename them too
        old = yaml.safe_load(text)["community"]["name"]
        for i, group in enumerate(yaml.safe_load(text)["structure"].get("groups") or []):
            if isinstance(group.get("name"), str) and group["name"].startswith(old):
                wanted[("structure", "groups", i, "name")] = name + group["name"][len(old):]
    platform = wanted.get(("structure", "platform"))
    cap = group_cap(platform) if group_cap is not None and platform else None
    if isinstance(cap, int):
        for i, group in enumerate(yaml.safe_load(text)["structure"].get("groups") or []):
            if isinstance(group.get("capacity"), int) and group["capacity"] > cap:
                wanted[("structure", "groups", i, "capacity")] = cap
        split_at = ((yaml.safe_load(text)["structure"].get("size") or {}).get("split_at"))
        if isinstance(split_at, int) and split_at > cap:
            wanted[("structure", "size", "split_at")] = int(cap * near_full)
    text = _replace_scalars(text, wanted)
    _verify(text, wanted)
    return (MODELINE if modeline else "") + text


def _scalar(value: str | int) -> str:
    """One answer as a one-line YAML scalar: plain when YAML 1.1 reads it back as the same text,
    else double-quoted (JSON's escapes are YAML's); a number as itself."""
    if isinstance(value, int):
        return str(value)
    if "\n" not in value and value == value.strip() and value and not value.startswith(("#", "'", '"')):
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value} and " #" not in value:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def _replace_scalars(text: str, wanted: dict[tuple, Any]) -> str:
    """Replace the scalar at each path by its new value, by character offsets of the composed
    nodes, so every comment, blank line and key order stays as the starter has it."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    spans: list[tuple[int, int, str]] = []
    for path, value in wanted.items():
        node = root
        for part in path:
            if isinstance(part, int) and isinstance(node, yaml.SequenceNode):
                node = node.value[part]
            else:
                node = next(v for k, v in node.value if k.value == part)
        spans.append((node.start_mark.index, node.end_mark.index, _scalar(value)))
    for start, end, new in sorted(spans, reverse=True):
        gap = len(text[end:]) - len(text[end:].lstrip(" "))
        if text[end + gap:end + gap + 1] == "#":  # keep the comment where it stood, if there is room
            pad = max(1, _width(text[start:end]) + gap - _width(new))
            text = text[:start] + new + " " * pad + text[end + gap:]
        else:
            text = text[:start] + new + text[end:]
    return text


def _width(text: str) -> int:
    """Columns on a terminal or in an editor: a Chinese character takes two."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def _verify(text: str, wanted: dict[tuple, Any]) -> None:
    """Read the result back with qunce's own loader: each answer must be exactly what was given."""
    from .yaml import plan_from_bytes

    data = plan_from_bytes(text.encode("utf-8"), "starter").data
    for path, value in wanted.items():
        node: Any = data
        for part in path:
            node = node[part]
        if node != value:
            raise UsageError("init-not-written", {"field": ".".join(str(p) for p in path), "value": value})


def questions(lang: str = "zh") -> list[dict[str, Any]]:
    """The wizard as data, for a form: key, question, hint and (for fixed choices) the options."""
    return [{"key": q.key, "question": q.text(lang), "hint": q.hint(lang),
             "options": [{"id": k, "name": n} for k, n in q.options(lang)]} for q in QUESTIONS]


def schema_for_editors() -> str:
    """The text of `.qunce/plan.schema.json`: the plan schema with every name of every choice."""
    from .choices import editor_schema
    from .schema import load_schema

    return json.dumps(editor_schema(load_schema(SCHEMA_FILE)), ensure_ascii=False, indent=2) + "\n"


__all__ = ["QUESTIONS", "Question", "EDITOR_SCHEMA", "MODELINE", "ITEM", "starter_plan", "starter_text",
           "questions", "resolve_answer", "schema_for_editors"]
