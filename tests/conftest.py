"""Shared fixtures: the repository layout and a rule set compiled once per test session."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_EXAMPLE = ROOT.parent / "shared" / "examples" / "reading-club.yaml"
# The reference plan, as bundled: byte-identical to SHARED_EXAMPLE (test_examples.py checks), and
# present in every clone, where ../shared is not.
REFERENCE = EXAMPLES / "reading-club.yaml"
TODAY = date(2026, 11, 23)  # rules that look at "today" are tested against a fixed day


def load_tool(name: str) -> ModuleType:
    """A fresh copy of tools/<name>.py as a module (the tools are scripts, not a package), registered
    in sys.modules under its own name because dataclasses look their module up while it runs."""
    spec = importlib.util.spec_from_file_location(f"qunce_tool_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Tests write only to temporary directories: the compiled-pack cache too."""
    import os

    os.environ["QUNCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("qunce-cache"))


@lru_cache(maxsize=1)
def bundled_rules():
    """The bundled rule set, compiled once for the session and only when a test first asks (never at
    collection, before the cache directory above is set)."""
    from qunce.engine.rules.pack import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def ruleset():
    return bundled_rules()


def said(text: str, *lists: str) -> list[str]:
    """The words of the bundled keyword lists named that `text` mentions, read as the rules read
    them: a hit the operator negated (从不踢人, we never ban) is no mention."""
    from qunce.engine.rules.reading import mentions

    rules = bundled_rules()
    return mentions(text, [w for name in lists for w in rules.facts["keywords"][name]], rules.negation)


def checked(text: str) -> set[str]:
    """The rules a plan written as YAML text fires through `check_text`, as the page and the CLI
    check it (validation included): the plan must be valid and no rule may fail on it."""
    from qunce.engine.api.checking import check_text

    result, _ = check_text(text.encode("utf-8"), "plan.yaml", bundled_rules(), sidecar=False)
    assert not result.errors and not result.engine_errors, (result.errors, result.engine_errors)
    return {f.rule for f in result.findings}


def with_group_rules(rules: list[str]) -> str:
    """The reference plan with `rules` as its group rules, as YAML text."""
    import yaml

    plan = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    plan["structure"]["rules"] = rules
    return yaml.safe_dump(plan, allow_unicode=True)


def fired_rules(ruleset, plan: dict | str) -> set[str]:
    """The rules a small plan fires, run through the real loader and engine: a dict gets a version
    and a community name and is written out as YAML; YAML text (comments and all) is read as is."""
    import yaml

    from qunce.engine.load.yaml import load_plan_bytes
    from qunce.engine.rules.evaluate import evaluate

    if isinstance(plan, dict):
        plan = yaml.safe_dump(dict(plan, version=1, community=plan.get("community") or {"name": "示例社群"}),
                              allow_unicode=True)
    loaded = load_plan_bytes(plan.encode("utf-8"), "t.yaml")
    outcome = evaluate(ruleset, loaded.data, loaded.locator, loaded.path, today=TODAY)
    assert not outcome.engine_errors, [e.message("en") for e in outcome.engine_errors]
    return {f.rule for f in outcome.findings}
