"""Starting from nothing: starter plans, the wizard's questions, the schema copy editors read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.platforms import profile_of
from ..output.write import write_atomic
from .checking import load_rules, run_inputs


def starter(kind: str, lang: str = "zh") -> str:
    """The starter plan text for `qunce init --kind` (an id or a name such as 兴趣型), in Chinese
    or English, headed by a modeline pointing at the schema copy beside it (install_schema)."""
    return starter_plan({"kind": kind}, lang)


def starter_plan(answers: dict[str, Any], lang: str = "zh") -> str:
    """The wizard's answers (kind, platform, name, goal, members, mode, strategy, revenue; see
    wizard_questions) as a starter plan: kind picks the starter, each answer lands in its field,
    comments kept, sample group sizes and split point fitted to the chosen platform's cap. Raises UsageError for an unknown kind or a choice that names nothing."""
    from ..load.starter import starter_plan as build

    facts = load_rules().facts
    near_full = (facts.get("structure") or {}).get("near_full", 0.9)
    return build(answers, lang, group_cap=lambda platform: profile_of(platform, facts).get("group_cap"),
                 near_full=near_full)


def wizard_questions(lang: str = "zh") -> list[dict[str, Any]]:
    """The wizard's questions as data (key, question, hint, options), for the CLI and the page."""
    from ..load.starter import questions

    return questions(lang)


def install_schema(folder: str | Path = ".") -> Path:
    """Write (or refresh) `.qunce/plan.schema.json` in `folder`: the plan schema as editors read
    it, every fixed choice with its Chinese names, so a starter's relative modeline resolves."""
    from ..load.starter import EDITOR_SCHEMA, schema_for_editors

    target = Path(folder) / EDITOR_SCHEMA
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(target, schema_for_editors(), inputs=run_inputs())
