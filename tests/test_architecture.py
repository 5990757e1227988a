"""The library stays a library: engine/ never imports click, prints, or exits (STYLE.md §1)."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ROOT


def _engine_files():
    return sorted((ROOT / "engine").rglob("*.py"))


def test_engine_never_imports_click_prints_or_exits():
    offenders = []
    for path in _engine_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
                if any(n.split(".")[0] == "click" for n in names):
                    offenders.append(f"{path.name}: imports click")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "exit"):
                offenders.append(f"{path.name}:{node.lineno}: {node.func.id}()")
            if isinstance(node, ast.Attribute) and node.attr == "exit" and getattr(node.value, "id", "") == "sys":
                offenders.append(f"{path.name}:{node.lineno}: sys.exit")
    assert not offenders


def test_startup_is_light():
    """`import qunce.cli` must not pull in jsonschema, jinja2, markdown or icalendar (lazy imports)."""
    code = ("import sys, qunce.cli; heavy = [m for m in ('jsonschema', 'jinja2', 'markdown', 'icalendar') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
