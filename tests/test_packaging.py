"""`pip install .` gives a working `qunce` from any directory: build a wheel, install it into a
fresh virtual environment, and run it away from the checkout (issue #2)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True)
    return next(out.glob("qunce-*.whl"))


def test_wheel_ships_data_and_no_generic_top_level_names(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("qunce-")}
    assert tops == {"qunce"}
    for required in ("qunce/schemas/plan.schema.json", "qunce/schemas/report.schema.json",
                     "qunce/playbooks/00-facts.yaml", "qunce/output_templates/starters/product.yaml",
                     "qunce/cli.py", "qunce/engine/api/__init__.py"):
        assert required in names
    # every module of the engine, in whatever subpackage, ships (a subpackage missing from
    # pyproject's package list would otherwise only fail once installed)
    modules = {"qunce/" + str(f.relative_to(ROOT)) for f in (ROOT / "engine").rglob("*.py")
               if "__pycache__" not in f.parts}
    assert modules <= set(names), sorted(modules - set(names))
    shipped = {n for n in names if n.startswith("qunce/engine/") and n.endswith(".py")}
    assert shipped <= modules, sorted(shipped - modules)  # nothing stale from an old build/ folder
    assert not any(n.startswith("qunce/tests/") or n.startswith("qunce/bench/") for n in names)


def test_installed_wheel_runs_from_elsewhere(wheel, tmp_path):
    """A venv that sees the test environment's dependencies but only the wheel's qunce."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(env_dir)
    py = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    # dependencies come from the test environment; qunce itself only from the wheel
    deps = [p for p in sys.path if p.endswith("site-packages")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(deps), "PYTHONNOUSERSITE": "1"}
    env.pop("PYTHONSAFEPATH", None)
    check = subprocess.run([str(py), "-c", "import qunce, sys; print(qunce.__file__)"], capture_output=True,
                           text=True, env=env, cwd=tmp_path)
    assert check.stdout.strip().startswith(site), check.stdout + check.stderr
    plan = tmp_path / "starter.yaml"
    init = subprocess.run([str(py), "-m", "qunce", "init", "--kind", "resource", "-o", str(plan)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    result = subprocess.run([str(py), "-m", "qunce", "check", "--fail-on", "never", str(plan)],
                            capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert site in plan.read_text(encoding="utf-8").splitlines()[0] or "plan.schema.json" in plan.read_text(encoding="utf-8")
