"""engine/views: a missing-part note cites only rules that really flag that part: rules with a
finding at the note's path or under it, or a finding placed on a parent only because the part
the rule looks for (its `at:`) is absent. A finding at a parent is otherwise about the parent: a
missing 成员差异 once cited `launch.no-lifespan`, which is about the positioning's lifespan."""

from __future__ import annotations

from pathlib import Path

import pytest

from qunce.engine.api import CheckOptions, check_file
from qunce.engine.model.plan import dotted
from qunce.engine.load.yaml import load_plan
from qunce.engine.views import build_view
from qunce.engine.views.context import path_prefixes

from conftest import EXAMPLES, ROOT, TODAY

PLANS = sorted([*EXAMPLES.glob("*.yaml"), *(EXAMPLES / "sick").glob("*.yaml"),
                *(ROOT / "tests" / "calibration" / "plans" / "dev").glob("*.yaml")])


def _notes(value):
    """Every missing note in a view (a dict with what, path, rules and text)."""
    if isinstance(value, dict):
        if {"what", "path", "rules", "text"} <= set(value):
            yield value
        for v in value.values():
            yield from _notes(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _notes(v)


def _view(path: Path, ruleset, lang: str = "zh"):
    result = check_file(str(path), ruleset, CheckOptions(lang=lang, today=TODAY))
    return build_view(load_plan(str(path)), result, ruleset, lang=lang, today=TODAY), result


def _aims_at(rule, finding_path: str, note_path: str) -> bool:
    """The finding sits at a parent of the note's part, and the rule's `at:` names that part."""
    if not (note_path.startswith(finding_path + ".") or note_path.startswith(finding_path + "[")):
        return False
    return any(note_path == dotted(at) or note_path.endswith("." + dotted(at)) for at in rule.at)


@pytest.mark.parametrize("path", PLANS, ids=[p.name for p in PLANS])
def test_every_cited_rule_really_flags_the_part(path, ruleset):
    view, result = _view(path, ruleset)
    at_or_under: dict[str, set[str]] = {}
    for f in result.findings:
        for prefix in path_prefixes(f.path):
            at_or_under.setdefault(prefix, set()).add(f.rule)
    for note in _notes(view):
        for rule in note["rules"]:
            ok = rule in at_or_under.get(note["path"], set()) or any(
                f.rule == rule and _aims_at(ruleset.get(rule), f.path, note["path"]) for f in result.findings)
            assert ok, f"{path.name}: the note on {note['path']} cites {rule}, which does not flag it"


def test_the_reference_plan_has_notes_and_some_cite_rules(ruleset):
    """The check above is not vacuous: the plans give notes, and notes that cite rules."""
    cited = 0
    for path in PLANS:
        view, _ = _view(path, ruleset)
        cited += sum(1 for n in _notes(view) if n["rules"])
    assert cited >= 10


def test_a_finding_at_a_parent_is_not_cited_for_a_missing_child(ruleset, tmp_path):
    """A plan with positioning but no audience differences and no lifespan: launch.no-lifespan
    fires on positioning.lifespan_months (or positioning), and the 成员差异 note must not cite it."""
    plan = tmp_path / "p.yaml"
    plan.write_text("version: 1\ncommunity: {name: 读书会}\npositioning:\n  kind: interest\n"
                    "  shared_interest: 每月共读一本商业书，把方法用到工作中\n"
                    "  audience: {portrait: 25-35岁职场人}\n", encoding="utf-8")
    view, result = _view(plan, ruleset)
    assert any(f.rule == "launch.no-lifespan" for f in result.findings)
    notes = {n["path"]: n["rules"] for n in _notes(view)}
    assert "positioning.audience.differences" in notes
    assert "launch.no-lifespan" not in notes["positioning.audience.differences"]


def test_a_rule_aimed_at_the_missing_part_is_cited_though_placed_on_its_parent(ruleset, tmp_path):
    """session.guest-no-bio looks for sessions[0].guest.bio; with no bio it sits at the guest."""
    plan = tmp_path / "p.yaml"
    plan.write_text("version: 1\ncommunity: {name: 读书会}\nsessions:\n  - {id: s1, title: 分享, guest: {name: 王老师}}\n",
                    encoding="utf-8")
    view, result = _view(plan, ruleset)
    assert any(f.rule == "session.guest-no-bio" and f.path == "sessions[0].guest" for f in result.findings)
    notes = {n["path"]: n["rules"] for n in _notes(view)}
    assert "session.guest-no-bio" in notes.get("sessions[0].guest.bio", [])
    assert all("session.guest-no-bio" not in rules for p, rules in notes.items() if p != "sessions[0].guest.bio"
               and not p.startswith("sessions[0].guest"))
