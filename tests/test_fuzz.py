"""Fuzzing every command with plausible plans: bundled examples mutated (wrong types, missing
sections, huge strings, deep nesting, odd Unicode, control characters), byte damage, and raw
bytes and text.

Every case must end with exit 0, 1 or 2 and a message, never a traceback, never a hang, and
never a partial output file. A valid plan must always render.

The normal suite runs a short burst; the long run is `make fuzz` (tools/fuzz.py: 100,000 cases
in seeded chunks on every core), which the README documents.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import time

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.cli import cli

from conftest import EXAMPLES

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


@SETTINGS
@given(raw=INPUTS, fmt=st.sampled_from(["md", "html"]))
def test_every_command_survives(tmp_path_factory, raw, fmt):
    work = tmp_path_factory.mktemp("fuzz")
    try:
        _every_command(work, raw, fmt)
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
