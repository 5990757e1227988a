"""The library stays a library: engine/ never imports click, prints, or exits (STYLE.md §1)."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path
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
    """`import qunce.cli` must not pull in jsonschema, jinja2, markdown, icalendar or duckdb (lazy imports)."""
    code = ("import sys, qunce.cli; heavy = [m for m in ('jsonschema', 'jinja2', 'markdown', 'icalendar', 'duckdb') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_layer_contract_holds():
    """cli → web → api → reporters | evidence → output → views → rules → schedule → load → model →
    run → errors → i18n (pyproject.toml, [tool.importlinter]): nothing imports a layer above it."""
    exe = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(exe), "--config", str(ROOT / "pyproject.toml")], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "1 kept, 0 broken" in run.stdout


def test_no_import_cycles_in_the_engine():
    """No two engine modules import each other, directly or around a circle, not even through an
    import inside a function (grimp reads them all)."""
    import grimp

    graph = grimp.build_graph("qunce")
    modules = {m for m in graph.modules if m.startswith("qunce.engine") or m == "qunce.cli"}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.find_modules_directly_imported_by(v) & modules:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for m in sorted(modules):
        if m not in index:
            visit(m)
    assert circles == []


def test_no_module_over_400_lines():
    """One concept per module: nothing in engine/ passes 400 lines."""
    long = {str(f.relative_to(ROOT)): n for f in (ROOT / "engine").rglob("*.py")
            if (n := len(f.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_no_language_branches_outside_the_catalog():
    """Wording differs between languages only in engine/i18n: no `lang == "en"` style branch
    elsewhere in the engine or the CLI."""
    import re

    pattern = re.compile(r"""lang\w*\s*[=!]=\s*["'](?:en|zh)["']""")
    offenders = [f"{f.relative_to(ROOT)}:{i}" for f in [*(ROOT / "engine").rglob("*.py"), ROOT / "cli.py"]
                 if "i18n" not in f.parts
                 for i, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []
