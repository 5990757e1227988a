"""docs/rules.md is generated from the packs; a stale copy fails here (run `make docs`)."""

from __future__ import annotations

from qunce.engine.output.rule_docs import markdown

from conftest import ROOT


def test_rules_doc_is_fresh(ruleset):
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == markdown(ruleset), "docs/rules.md is stale: run `make docs`"


def test_every_rule_is_documented(ruleset):
    doc = markdown(ruleset)
    for rule in ruleset.rules:
        assert f"`{rule.id}`" in doc


def test_starter_texts_are_fresh():
    """playbooks/01-starter-texts.yaml lists the starters' sample text (make docs regenerates it):
    a plan that still holds it has not answered yet."""
    import subprocess
    import sys

    from conftest import ROOT

    run = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_starter_texts.py"), "--check"])
    assert run.returncode == 0, "playbooks/01-starter-texts.yaml is stale: run make docs"
