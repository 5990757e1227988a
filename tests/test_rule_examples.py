"""Every bundled rule's own pass and fail examples, run through the real engine.

Parametrised from the packs, so a new rule brings its cases with it, and a rule whose `fail`
examples do not fire (or whose `pass` examples do) fails here.
"""

from __future__ import annotations

import copy
import re

import pytest

from qunce.engine.load.yaml import load_plan_bytes
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.rules.pack import load_rules
from qunce.engine.load.schema import validate_plan

from conftest import TODAY

RULES = load_rules().rules


def _plan(fragment: dict | str):
    """A fragment becomes a whole plan: version and a community name are added when absent. A
    fragment written as YAML text is loaded as written, comments and all (the rules that read what
    operators note beside an answer are shown on real comments)."""
    import yaml

    if isinstance(fragment, str):
        head = "" if re.search(r"^version:", fragment, re.M) else "version: 1\n"
        head += "" if re.search(r"^community:", fragment, re.M) else "community: {name: 示例社群}\n"
        return load_plan_bytes((head + fragment).encode("utf-8"), "example.yaml")
    data = copy.deepcopy(fragment)
    data.setdefault("version", 1)
    data.setdefault("community", {"name": "示例社群"})
    if isinstance(data["community"], dict):
        data["community"].setdefault("name", "示例社群")
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return load_plan_bytes(text.encode("utf-8"), "example.yaml")


PROFILES = sorted(p for p in load_rules().facts["platforms"])


def _claimed(rule, fragment) -> list[str | None]:
    """The platforms an example runs under: the one it names, else every one its rule's scope
    claims (every profile for a neutral rule), so a rule is shown right wherever it says it applies.
    A fragment in YAML text runs as written, under the platform it names."""
    if isinstance(fragment, str):
        return [None]
    if isinstance(fragment.get("structure"), dict) and fragment["structure"].get("platform"):
        return [None]
    if "structure.platform" in rule.when_text:  # a rule about the platform field itself (no-platform)
        return [None]
    return sorted(rule.platforms) if rule.platforms is not None else PROFILES


def _with_platform(fragment: dict | str, platform: str | None, rule) -> dict | str:
    if isinstance(fragment, str):
        return fragment
    data = copy.deepcopy(fragment)
    if platform is not None:
        structure = data.setdefault("structure", {})
        structure["platform"] = platform
    if (rule.kinds is not None and "other" not in rule.kinds
            and not (isinstance(data.get("positioning"), dict) and data["positioning"].get("kind"))):
        data.setdefault("positioning", {})["kind"] = sorted(rule.kinds)[0]
    return data


CASES = [(rule, kind, i, _with_platform(fragment, platform, rule), platform) for rule in RULES
         for kind in ("fail", "pass") for i, fragment in enumerate(rule.examples[kind])
         for platform in _claimed(rule, fragment)]


@pytest.mark.parametrize("rule,kind,i,fragment,platform", CASES,
                         ids=[f"{r.id}-{k}{i}-{p or 'own'}" for r, k, i, _, p in CASES])
def test_rule_example(rule, kind, i, fragment, platform, ruleset):
    """A fail example fires the rule (with a located, non-empty message); a pass example does not;
    under every platform profile the rule's scope claims."""
    plan = _plan(fragment)
    problems = validate_plan(plan)
    assert not problems, f"{rule.id} {kind}[{i}] is not a valid plan: {[p.message('en') for p in problems]}"
    outcome = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY, only=[rule])
    assert not outcome.engine_errors, [e.message("en") for e in outcome.engine_errors]
    hits = [f for f in outcome.findings if f.rule == rule.id]
    if kind == "fail":
        assert hits, f"{rule.id} did not fire on fail example {i}"
        for f in hits:
            for lang in ("zh", "en"):
                message = f.text(lang).message
                assert message and "Undefined" not in message and f.line >= 1
    else:
        assert not hits, f"{rule.id} fired on pass example {i}: {hits[0].text('en').message}"


def test_every_rule_has_both_kinds_of_example():
    """The rule schema demands them; this guards the bundled packs against a schema slip."""
    for rule in RULES:
        assert rule.examples["fail"] and rule.examples["pass"], rule.id


SCOPED = [rule for rule in RULES if rule.platforms is not None and rule.examples["fail"]]


@pytest.mark.parametrize("rule", SCOPED, ids=[r.id for r in SCOPED])
def test_scope_keeps_a_rule_off_other_platforms(rule, ruleset):
    """A platform-scoped rule stays silent on every platform outside its scope: its own fail
    examples, moved to such a platform, do not fire it (quiet hours on a forum, nickname formats
    on Discord, a WeChat admin ratio on a Telegram channel)."""
    outside = [p for p in PROFILES if p not in rule.platforms]
    assert outside, rule.id
    for platform in outside:
        for fragment in rule.examples["fail"]:
            if isinstance(fragment, str):  # YAML text runs under the platform it names
                continue
            data = _with_platform(fragment, None, rule)
            data.setdefault("structure", {})["platform"] = platform
            for group in (data["structure"].get("groups") or []):
                group.pop("platform", None)
            plan = _plan(data)
            outcome = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY, only=[rule])
            assert not [f for f in outcome.findings if f.rule == rule.id], (rule.id, platform)


def test_every_bundled_rule_declares_its_scope_and_basis():
    """Bundled rules say which platforms and kinds they speak for, and what they rest on; user
    packs may leave both out (every platform, declared)."""
    import yaml

    from qunce.engine.load.files import package_data

    for pack in sorted(package_data("playbooks").glob("*.yaml")):
        for raw in (yaml.safe_load(pack.read_text(encoding="utf-8")).get("rules") or []):
            assert "scope" in raw and raw.get("basis") in ("missing", "declared", "observed"), (pack.name, raw["id"])
