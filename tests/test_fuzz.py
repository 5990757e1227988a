"""Fuzzing every command with plausible plans: bundled examples mutated (wrong types, missing
sections, huge strings, deep nesting, odd Unicode, control characters), byte damage, and raw
bytes and text; and hostile cases (below): symlinks and devices among inputs and
outputs, bad core tags, amplifying expressions in packs and templates, control characters on
the terminal, and signals during writes.

Every case must end with exit 0, 1 or 2 (128+n after a signal) and a message, never a traceback,
never a hang, and never a partial output file. A valid plan must always render.

The normal suite runs a short burst; the long run is `make fuzz` (tools/fuzz.py: 100,000 cases
in seeded chunks on every core), which the README documents. QUNCE_FUZZ_EXAMPLES is the number
of cases, ordinary and hostile together.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.cli import cli

from conftest import EXAMPLES, FIXTURES

pytestmark = pytest.mark.fuzz

EXAMPLES_N = int(os.environ.get("QUNCE_FUZZ_EXAMPLES", "12"))
CASE_SECONDS = 60  # far above the engine's own 10 s bounds: a case this slow is a hang
SETTINGS = settings(max_examples=EXAMPLES_N, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

BASES = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]

ODD_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
CONTROL = st.text(alphabet=st.sampled_from(["\x00", "\x07", "\x1b", "\u202e", "\u200b", "\ufeff", "\r", "\t",
                                            "群", "<script>", "{{ 7*7 }}", "`", "|", "\\"]), max_size=20)


def _deep(depth: int):
    value: object = "底"
    for i in range(depth):
        value = [value] if i % 2 else {"x": value}
    return value


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    ODD_TEXT, CONTROL,
    st.integers(1000, 150_000).map(lambda n: "长" * n),
    st.integers(1, 120).map(_deep),
    st.sampled_from(["20:00", "no", "2026-12-05", "-3d", "+1d", "end-5m", "24:00-07:00", "weekly", "admin",
                     "2026-12-05T20:00:00+08:00", "1999-01-01T00:00", "9999-12-31T23:59:59+14:00"]),
    st.lists(ODD_TEXT, max_size=4),
    st.dictionaries(st.sampled_from(["name", "id", "start", "members", "kind", "x"]), ODD_TEXT, max_size=3),
)


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


@st.composite
def plans(draw) -> bytes:
    data = copy.deepcopy(draw(st.sampled_from(BASES)))
    paths = list(_paths(data))
    for _ in range(draw(st.integers(0, 6))):
        path = draw(st.sampled_from(paths))
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            action = draw(st.sampled_from(["set", "set", "delete", "repeat"]))
            if action == "delete" and isinstance(node, dict):
                node.pop(path[-1], None)
            elif action == "repeat" and isinstance(node[path[-1]], list) and node[path[-1]]:
                node[path[-1]] = node[path[-1]] * draw(st.integers(2, 60))
            else:
                node[path[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue
    try:
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000)
    except (yaml.YAMLError, RecursionError, ValueError):
        text = "version: 1\n"
    raw = text.encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "none", "bytes", "truncate", "gbk", "bom", "crlf"]))
    if damage == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    elif damage == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "gbk":
        try:
            raw = text.encode("gbk")
        except UnicodeEncodeError:
            pass
    elif damage == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif damage == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    return raw


def _invoke(args):
    started = time.monotonic()
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert time.monotonic() - started < CASE_SECONDS, f"hang: {args}"
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-2000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal-error" not in result.output, result.output[-2000:]
    return result


def _no_partial(directory, out, exit_code):
    if exit_code == 0:
        assert out.exists() and out.stat().st_size > 0
    else:
        assert not out.exists(), "a failed run left an output file"
    assert not [p for p in directory.iterdir() if p.name.endswith(".tmp")], "temp file left behind"


# Mostly mutated plans; some raw bytes and raw text, which reach the loader's decoding and YAML traps.
INPUTS = st.one_of(*[plans()] * 6, st.binary(max_size=2000), st.text(max_size=2000).map(str.encode))


# ---- hostile cases (issue 11): each class that was once a hole stays in the fuzzer ---------------

GOOD_PACK = (FIXTURES / "packs" / "good.yaml").read_text(encoding="utf-8")
SIZES = st.sampled_from([3, 1000, 100_000, 4_000_000, 4_000_001, 2 ** 31, 2 ** 32, 10 ** 12])
# Each would build a result of about n (characters, items or bits): both sides of every cap.
AMPLIFYING = st.sampled_from([
    "'x'.ljust(N)", "'x'.rjust(N)", "'x'.center(N)", "'7'.zfill(N)", "('a\\tb' * 10).expandtabs(N)",
    "(['x' * 1000] * (N % 100001)) | join", "''.join(['x' * 1000] * (N % 100001))",
    "('x' * 1000).replace('x', 'y' * (N % 100001))", "'{:>N}'.format(1)", "('%Nd' % 1)", "('%Ns' | format('x'))",
    "('x' | center(N))", "('x' | indent(N))", "([[0] * 100] * (N % 100001)) | sum(start=[])",
    "([1] | batch(N) | list)", "(range(N % 100001) | list) + (range(N % 100001) | list)", "(N ** 64)",
    "((10 ** 60) ** (N % 65)) * ((10 ** 60) ** (N % 65))", "('ab' * (N % 100001)) ~ ('cd' * (N % 100001))",
])
LOOPS = st.sampled_from([
    "{% for i in range(N % 100001) %}{{ 'x' * 1000 }}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(N % 64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    "{% for a in range(N % 100001) %}{% for b in range(N % 100001) %}{% endfor %}{% endfor %}",
])
BAD_TAGS = st.sampled_from(["!!bool maybe", '!!int ""', "!!int 1_0x", "!!float nope", "!!timestamp 2026-13-45",
                            "!!binary '???'", "!!null x", "!!python/object:os.system ls", "!!set [1]",
                            "!!omap 3", "!!str", "!<tag:yaml.org,2002:int> 3.5", "!!map []", "!!seq {}"])
TERMINAL = st.lists(st.sampled_from(["\x1b]0;pwned\x07", "\x1b[2J", "\u202e", "\u2066", "\x85", "\x9b31m", "\r\n",
                                     "\x00", "群"]), min_size=1, max_size=6).map("".join)
ESCAPES = re.compile("[\x1b\x9b\u202a-\u202e\u2066-\u2069]")
OK_EXITS = ("rule-failed", "template-failed", "time-limit", "memory-limit")


def _example() -> bytes:
    return (EXAMPLES / "reading-club.yaml").read_bytes()


def _hostile_amplifying(work: Path, where: str, expression: str, n: int) -> None:
    """An amplifying expression in a pack's `when:`, in a rule message, or in a custom template:
    refused or stopped, with a located error, never a crash, a hang or a huge process."""
    expr = expression.replace("N", str(n))
    previous = os.environ.get("QUNCE_TIME_LIMIT")
    os.environ["QUNCE_TIME_LIMIT"] = "2"  # nested loops end at the bound: keep the run's pace
    try:
        _amplify(work, where, expr)
    finally:
        if previous is None:
            os.environ.pop("QUNCE_TIME_LIMIT", None)
        else:
            os.environ["QUNCE_TIME_LIMIT"] = previous


def _amplify(work: Path, where: str, expr: str) -> None:
    plan = work / "plan.yaml"
    plan.write_bytes(_example())
    if where == "template":
        folder = work / "tpl"
        folder.mkdir()
        body = expr if "{%" in expr else "{{ " + expr + " }}"
        (folder / "plan.md.j2").write_text(body, encoding="utf-8")
        out = work / "out.md"
        result = _invoke(["plan", plan, "--templates", folder, "-o", out, "--lang", "en"])
        _no_partial(work, out, result.exit_code)
    else:
        if where == "when":
            pack = GOOD_PACK.replace("when: not (plan.community.owner is present)",
                                     f"when: {json.dumps(expr + ' is defined')}")
        else:
            body = expr if "{%" in expr else "{{ " + expr + " }}"
            pack = GOOD_PACK.replace('message: {zh: "社群 {{ plan.community.name }} 没有写群主", '
                                     'en: "{{ plan.community.name }} names no owner"}',
                                     f"message: {{zh: {json.dumps(body)}, en: {json.dumps(body)}}}").replace(
                                     "when: not (plan.community.owner is present)", "when: \"true\"")
        (work / "pack.yaml").write_text(pack, encoding="utf-8")
        result = _invoke(["check", "--rules", work / "pack.yaml", "--format", "json", "--fail-on", "never",
                          "--lang", "en", plan])
    if result.exit_code == 2:
        assert any(code in result.output for code in OK_EXITS), result.output[-2000:]
    assert plan.read_bytes() == _example()


def _special(work: Path, name: str, kind: str) -> Path:
    """A symlink, device node or FIFO made in the case's own folder (never the machine's /dev)."""
    path = work / name
    if kind == "device":
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a null device, like /dev/null
            return path
        except (PermissionError, OSError):
            kind = "fifo"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "dangling":
        path.symlink_to("nowhere.yaml")
    elif kind == "link":
        path.symlink_to("plan.yaml")
    elif kind == "folder":
        path.mkdir()
    return path


def _hostile_paths(work: Path, inputs: list[str], output: str) -> None:
    """Links, devices and FIFOs among the inputs and as the output: the real plan keeps its result,
    nothing read is overwritten, a device stays a device, no temp file is left."""
    plan = work / "plan.yaml"
    plan.write_bytes(_example())
    paths = [_special(work, f"in{i}.yaml", kind) for i, kind in enumerate(inputs)]
    target = _special(work, "out.json", output) if output != "file" else work / "out.json"
    before = target.lstat() if output != "file" else None
    result = _invoke(["check", "--format", "json", "--fail-on", "never", plan, *paths, "-o", target])
    assert plan.read_bytes() == _example(), "an input was overwritten"
    if before is not None and output in ("device", "fifo", "folder"):
        after = target.lstat()
        assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode), "the output's kind changed"
        assert result.exit_code == 2
    if output == "file" and target.is_file():
        files = {f["path"]: f for f in json.loads(target.read_text(encoding="utf-8"))["files"]}
        assert files[str(plan)]["valid"], "a bad neighbour cost the plan its result"
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")], "temp file left behind"


def _hostile_tag(work: Path, line: int, tag: str) -> None:
    """A core tag with a bad value on some line of a valid plan: a located error, not internal-error."""
    lines = _example().decode("utf-8").splitlines()
    keyed = [i for i, text in enumerate(lines) if re.match(r"^\s*[a-z_]+:\s+\S", text)]
    i = keyed[line % len(keyed)]
    key = lines[i].split(":", 1)[0]
    lines[i] = f"{key}: {tag}"
    plan = work / "plan.yaml"
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _invoke(["check", "--format", "json", "--fail-on", "never", plan])
    _invoke(["validate", plan])


def _hostile_terminal(work: Path, text: str) -> None:
    """Terminal escapes and bidi overrides in plan values and in a file name never reach the
    terminal raw from the text reports."""
    data = yaml.safe_load(_example())
    data["community"]["name"] = text
    data["community"]["owner"] = text
    plan = work / f"p{text.replace('/', '')[:3]}.yaml".replace("\x00", "")
    plan.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for args in (["check", "--fail-on", "never", plan], ["validate", plan]):
        result = _invoke(args)
        assert not ESCAPES.search(result.output), repr(ESCAPES.search(result.output).group())


def _wait_for_write(folder: Path, proc: subprocess.Popen) -> None:
    """Until the report's temp file appears (qunce is running and writing) or the process ends."""
    deadline = time.monotonic() + CASE_SECONDS
    while proc.poll() is None and time.monotonic() < deadline:
        if any(p.name.endswith(".tmp") for p in folder.iterdir()):
            return
        time.sleep(0.01)


def _hostile_signal(work: Path, signum: int, delay: float) -> None:
    """A signal while a report is written: 128+n (or a normal end), no traceback, no temp file,
    and a report that exists is whole."""
    plans = work / "plans"
    plans.mkdir()
    for i in range(4):
        (plans / f"{i}.yaml").write_bytes(_example())
    out = work / "r.json"
    proc = subprocess.Popen([str(Path(sys.executable).parent / "qunce"), "check", "--format", "json",
                             "--fail-on", "never", "-o", str(out), str(plans)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    _wait_for_write(work, proc)  # during the write; a signal during Python's own start-up is Python's
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signum)
    try:
        _, err = proc.communicate(timeout=CASE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"hang after signal {signum}")
    assert proc.returncode in (0, 128 + signum, -signum), (proc.returncode, err[-2000:])  # -n: before start-up
    assert "Traceback" not in err, err[-2000:]
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")], "temp file left behind"
    if out.exists():
        assert len(json.loads(out.read_text(encoding="utf-8"))["files"]) == 4


HOSTILE_RUNS = {"amplifying": _hostile_amplifying, "paths": _hostile_paths, "tag": _hostile_tag,
                "terminal": _hostile_terminal, "signal": _hostile_signal}
SPECIALS = st.sampled_from(["link", "loop", "dangling", "device", "fifo", "folder"])
AMPLIFY_CASE = st.tuples(st.just("amplifying"), st.sampled_from(["when", "message", "template"]), AMPLIFYING, SIZES)
PATHS_CASE = st.tuples(st.just("paths"), st.lists(SPECIALS, max_size=3),
                       st.sampled_from(["file", "link", "device", "fifo", "folder", "dangling"]))
TAG_CASE = st.tuples(st.just("tag"), st.integers(0, 1000), BAD_TAGS)
TERMINAL_CASE = st.tuples(st.just("terminal"), TERMINAL)
# Weighted by repetition: a signal case starts a real process (about a second), so it is the rarest.
HOSTILE = st.one_of(
    AMPLIFY_CASE, AMPLIFY_CASE, AMPLIFY_CASE,
    st.tuples(st.just("amplifying"), st.sampled_from(["message", "template"]), LOOPS, SIZES),
    PATHS_CASE, PATHS_CASE, TAG_CASE, TAG_CASE, TERMINAL_CASE, TERMINAL_CASE,
    st.tuples(st.just("signal"), st.sampled_from([signal.SIGINT, signal.SIGTERM, signal.SIGHUP]),
              st.floats(0.0, 0.5)),
)


# Two ordinary cases for one hostile one.
CASES = st.one_of(st.tuples(st.just("plan"), INPUTS, st.sampled_from(["md", "html"])),
                  st.tuples(st.just("plan"), INPUTS, st.sampled_from(["md", "html"])),
                  st.tuples(st.just("hostile"), HOSTILE, st.none()))


@SETTINGS
@given(case=CASES)
def test_every_command_survives(tmp_path_factory, case):
    kind, payload, fmt = case
    work = tmp_path_factory.mktemp("fuzz")
    try:
        if kind == "plan":
            _every_command(work, payload, fmt)
        else:
            HOSTILE_RUNS[payload[0]](work, *payload[1:])
    finally:  # a long run would otherwise leave 100,000 folders behind
        shutil.rmtree(work, ignore_errors=True)


def _every_command(work, raw, fmt):
    plan = work / "计划.yaml"
    plan.write_bytes(raw)
    check = _invoke(["check", "--format", "json", "--fail-on", "never", "--today", "2026-11-23", plan])
    data = json.loads(check.output)
    assert len(data["files"]) == 1
    valid = data["files"][0]["valid"]
    if check.exit_code:
        assert data["files"][0]["errors"] or data["files"][0].get("engine_errors")
    validate = _invoke(["validate", plan])
    assert (validate.exit_code == 0) == valid
    out = work / f"out.{fmt}"  # html renders the markdown document first, then wraps it
    result = _invoke(["plan", plan, "-o", out, "--today", "2026-11-23"])
    if valid:  # a valid plan renders, unless it is so large that the render bound stops it
        assert result.exit_code == 0 or "error[time-limit]" in result.output, result.output[-2000:]
    _no_partial(work, out, result.exit_code)
    if valid:
        loaded = yaml.safe_load(raw.decode("utf-8-sig", errors="replace")) if raw else None
        sessions = loaded.get("sessions") if isinstance(loaded, dict) else None
        if isinstance(sessions, list) and sessions and isinstance(sessions[0], dict) and "id" in sessions[0]:
            out = work / "s.ics"
            result = _invoke(["sop", plan, "--session", sessions[0]["id"], "-o", out, "--today", "2026-11-23"])
            assert result.exit_code in (0, 2)
            _no_partial(work, out, result.exit_code)
    assert plan.read_bytes() == raw, "the input was modified"
