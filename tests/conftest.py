"""Shared fixtures: the repository layout and a rule set compiled once per test session."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
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


@pytest.fixture(scope="session")
def ruleset():
    from qunce.engine.rules.pack import load_rules

    return load_rules()


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
