"""Regenerate docs/rules.md from the bundled playbook (tests fail when it is stale)."""

from __future__ import annotations

from pathlib import Path

from qunce.engine.output.rule_docs import markdown
from qunce.engine.rules.pack import load_rules

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    target = ROOT / "docs" / "rules.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text(markdown(load_rules()), encoding="utf-8")
    print(target)
