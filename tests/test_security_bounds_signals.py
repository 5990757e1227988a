"""Signals (issue 11, item 9): real signals to a real `qunce` process.

SIGTERM or SIGHUP while a report is being written leaves no temp file and no output; Ctrl-C
(SIGINT to the whole process group, as a terminal sends it) with several workers exits promptly
with 128+n, no traceback, no hang, no worker left. Each case runs several times with the signal
at different moments; timings are asserted loosely (seconds), exact ones belong to the fuzzer.
"""

from __future__ import annotations

import json

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES

QUNCE = str(Path(sys.executable).parent / "qunce")
PROMPT = 10.0  # seconds from the signal to the exit, on a loaded machine
RUNS = 4


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """A folder of 240 plans: a batch long enough to be interrupted in the middle, on workers."""
    folder = tmp_path_factory.mktemp("many")
    for i in range(40):
        for plan in sorted(EXAMPLES.glob("*.yaml")):
            shutil.copy(plan, folder / f"{i:02d}-{plan.name}")
    return folder


def _interrupt(args: list[str], signum: int, after: float, cwd: Path, group: bool) -> tuple[int, str, float]:
    """Start qunce, send `signum` `after` seconds into writing its report (to its process group,
    as a terminal does, when `group`), and return the exit code, stderr and the seconds from the
    signal to the exit."""
    proc = subprocess.Popen([QUNCE, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, env=dict(os.environ, QUNCE_LANG="en"))
    deadline = time.monotonic() + 30  # signals during the work, not during Python's own start-up
    while proc.poll() is None and time.monotonic() < deadline and not any(
            p.name.endswith(".tmp") for p in cwd.iterdir()):
        time.sleep(0.01)
    time.sleep(after)
    sent = time.monotonic()
    if proc.poll() is None:
        if group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"qunce hung after {signal.Signals(signum).name}")
    assert _group_gone(proc.pid), "a worker outlived the command: " + subprocess.run(
        ["ps", "-o", "pid,stat,cmd", "-g", str(proc.pid)], capture_output=True, text=True).stdout
    return proc.returncode, err, time.monotonic() - sent


def _group_gone(group: int) -> bool:
    """Whether no process of the group is left (killed workers may take a moment to be reaped)."""
    for _ in range(50):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _clean(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")], "temp file left behind"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_terminating_a_report_leaves_no_temp_file(tmp_path, many, signum):
    """`check … -o r.json` stopped while it writes: exit 128+n, no temp file, no half report."""
    for k in range(RUNS):
        code, err, seconds = _interrupt(["check", str(many), "--format", "json", "-j", "1", "-o", "r.json"],
                                        signum, 0.2 + 0.4 * k, tmp_path, group=False)
        if code == 1 and (tmp_path / "r.json").exists():  # finished before the signal: nothing to prove
            (tmp_path / "r.json").unlink()
            continue
        # -signum: the signal came before Python had started qunce (a slow start), nothing begun
        assert code in (128 + signum, -signum), err
        assert "Traceback" not in err and seconds < PROMPT
        _clean(tmp_path)
        report = tmp_path / "r.json"
        if report.exists():  # the signal came after the rename: the report is whole, never a part
            assert json.loads(report.read_text("utf-8"))["summary"]["files"] == len(list(many.glob("*.yaml")))
            report.unlink()


@pytest.mark.parametrize("jobs", ["4", "8"])
def test_ctrl_c_with_workers_exits_promptly(tmp_path, many, jobs):
    """Ctrl-C reaches qunce and every worker: exit 130 in seconds, no traceback, nobody left."""
    for k in range(RUNS):
        code, err, seconds = _interrupt(["check", str(many), "--format", "json", "-j", jobs, "-o", "r.json"],
                                        signal.SIGINT, 0.1 + 0.4 * k, tmp_path, group=True)
        if code == 1 and (tmp_path / "r.json").exists():
            (tmp_path / "r.json").unlink()
            continue
        assert code in (130, -signal.SIGINT), err
        assert "Traceback" not in err and "Aborted" not in err, err
        assert seconds < PROMPT, f"{seconds:.1f} s"
        _clean(tmp_path)


def test_ctrl_c_stops_a_runaway_user_pack(tmp_path):
    """A pack stuck in a long loop (worker process) still ends at once on Ctrl-C: 130, nothing left."""
    pack = (Path(__file__).parent / "fixtures" / "packs" / "good.yaml").read_text(encoding="utf-8").replace(
        "when: not (plan.community.owner is present)",
        "when: \"range(100000) | map('string') | map('length') | list | length > 0 and "
        "range(100000) | select('in_quiet_hours', '00:00-23:59') | list | length > 0\"")
    (tmp_path / "slow.yaml").write_text(pack, encoding="utf-8")
    many = tmp_path / "plans"
    many.mkdir()
    for i in range(30):
        shutil.copy(EXAMPLES / "reading-club.yaml", many / f"{i}.yaml")
    for k in range(2):
        code, err, seconds = _interrupt(["check", str(many), "--rules", "slow.yaml", "-j", "2", "-o", "r.json"],
                                        signal.SIGINT, 0.5 + k, tmp_path, group=True)
        assert code in (130, -signal.SIGINT) and "Traceback" not in err and seconds < PROMPT, (code, err)
        _clean(tmp_path)
