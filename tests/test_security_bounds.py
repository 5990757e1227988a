"""Bounds that hold whatever a rule pack or template does (issue 11, item 3).

The sandbox refuses amplifying operations before they run; what it lets through runs, for user
packs and templates, in a worker that is killed at its deadline and whose memory is bounded; the
same mechanism works from a thread other than the main one. Each case ends quickly with a
located error and exit 2.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2 import StrictUndefined
from jinja2.sandbox import SecurityError

from qunce.cli import cli
from qunce.engine.output.templating import DocumentSandbox
from qunce.engine.rules.environment import sandbox

from conftest import EXAMPLES, FIXTURES

GOOD = (FIXTURES / "packs" / "good.yaml").read_text(encoding="utf-8")
MINIMAL = FIXTURES / "ok" / "minimal.yaml"
QUICK = 5.0  # seconds: a refusal happens before any work; loose for a loaded CI machine

AMPLIFYING = [
    "([[0]*100]*10000)|sum(start=[])|length > 0",  # the issue's example: 25 s past a 10 s bound
    "'x'.ljust(2**32)",  # the issue's example: 4.2 GB
    "'x'.rjust(2**32)", "'x'.center(2**32)", "'x'.zfill(2**40)", "('\t' * 1000).expandtabs(100000)",
    "''.join(['x' * 100000] * 1000)", "(['x' * 100000] * 1000) | join", "(['x' * 100000] * 1000) | join(',')",
    "('x' * 100000).replace('x', 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy')",
    "('x' * 100000) | replace('x', 'y' * 100)", "'{:>999999999}'.format(1)", "'{:>{w}}'.format(1, w=999999999)",
    "'{a:>999999999}'.format_map({'a': 1})", "'%999999999d' % 1", "'%*d' % (999999999, 1)",
    "'%0999999999d' | format(1)", "'x' | center(999999999)", "'x' | indent(999999999)",
    "('a ' * 50000) | wordwrap(1, wrapstring='x' * 1000)", "[1] | batch(1000000000) | list",
    "[1] | slice(1000000000) | list", "(range(100000) | list) + (range(100000) | list)", "'x' * 100001",
    "10 ** 65", "(((10 ** 64) ** 64) ** 64) ** 64", "[0] * 100001",
]


@pytest.mark.parametrize("expression", AMPLIFYING)
def test_amplifying_operations_are_refused_before_they_run(expression):
    """Each would take seconds to minutes or gigabytes; each is refused from its arguments alone."""
    started = time.monotonic()
    with pytest.raises(SecurityError, match="limit"):
        sandbox().compile_expression(expression)()
    assert time.monotonic() - started < QUICK


@pytest.mark.parametrize("expression, expected", [
    ("[[1, 2], [3]] | sum(start=[])", [1, 2, 3]), ("[1, 2, 3] | sum", 6), ("'ab'.replace('a', 'c')", "cb"),
    ("'a,b'.split(',') | join('-')", "a-b"), ("'x'.ljust(3)", "x  "), ("'{:>4}'.format(1)", "   1"),
    ("'%3d' % 7", "  7"), ("'%s-%s' | format(1, 2)", "1-2"), ("'ab' | center(6)", "  ab  "),
    ("(('x' * 60000) ~ ('y' * 60000)) | length", 120000), ("2 ** 64 * 2 ** 64", 2 ** 128),
    ("[1, 2, 3] | batch(2) | list", [[1, 2], [3]]), ("'a' + 'b'", "ab"), ("7 % 3", 1),
])
def test_ordinary_operations_still_work(expression, expected):
    """The bounds refuse sizes, not operations: ordinary uses give Jinja2's own results."""
    assert sandbox().compile_expression(expression)() == expected


def test_a_render_is_capped_as_it_grows():
    """Output written piece by piece (no single operation over a cap) stops at MAX_OUTPUT."""
    env = DocumentSandbox(undefined=StrictUndefined)
    started = time.monotonic()
    with pytest.raises(SecurityError, match="32,000,000"):
        env.from_string("{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}").render()
    assert time.monotonic() - started < QUICK


@pytest.mark.parametrize("op", ["~", "+"])
def test_text_doubled_in_a_loop_is_refused(op):
    """`{% set ns.s = ns.s ~ ns.s %}` doubles a text each turn: refused at the cap, not at 100 GB."""
    env = DocumentSandbox(undefined=StrictUndefined)
    source = ("{% set ns = namespace(s='x' * 100000) %}{% for i in range(40) %}"
              f"{{% set ns.s = ns.s {op} ns.s %}}{{% endfor %}}{{{{ ns.s | length }}}}")
    with pytest.raises(SecurityError, match="4,000,000"):
        env.from_string(source).render()


def _pack(tmp_path: Path, *, when: str | None = None, message: str | None = None) -> Path:
    text = GOOD
    if when is not None:
        text = text.replace("when: not (plan.community.owner is present)", f"when: {json.dumps(when)}")
    if message is not None:
        text = text.replace('message: {zh: "社群 {{ plan.community.name }} 没有写群主", en: "{{ plan.community.name }} names no owner"}',
                            f"message: {{zh: {json.dumps(message)}, en: {json.dumps(message)}}}")
    path = tmp_path / "pack.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _check(pack: Path, *extra: str) -> tuple[int, dict, float]:
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["check", "--no-default-rules", "--rules", str(pack), "--format", "json",
                                      "--lang", "en", *extra, str(MINIMAL)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, json.loads(result.stdout), time.monotonic() - started


@pytest.mark.parametrize("when", AMPLIFYING[:2])
def test_issue_examples_end_as_located_rule_errors(tmp_path, when):
    """The two examples of the issue: exit 2 with rule-failed at the plan's line, in seconds."""
    code, report, seconds = _check(_pack(tmp_path, when=when))
    assert code == 2 and seconds < 10
    errors = report["files"][0]["engine_errors"]
    assert errors[0]["code"] == "rule-failed" and "SecurityError" in errors[0]["message"]
    assert errors[0]["line"] == 1


# Every step within the caps (a text of 100,000 characters), 100,000 of them kept: 10 GB.
HOARD = "{{ range(100000) | map('center', 100000) | list | length }}"


def test_pack_hoarding_memory_hits_the_memory_bound(tmp_path):
    """A message that passes every single-operation cap but keeps 10 GB of texts stops at the
    worker's memory bound: a located rule error, exit 2, quickly."""
    code, report, seconds = _check(_pack(tmp_path, message=HOARD))
    assert code == 2 and seconds < 30
    errors = report["files"][0]["engine_errors"] + report["files"][0]["errors"]
    assert errors and ("MemoryError" in errors[0]["message"] or errors[0]["code"] == "memory-limit")


def test_the_machine_is_unharmed_by_a_memory_hungry_pack(tmp_path):
    """Measured from outside: the whole run, workers included, stays under 1 GiB of memory."""
    pack = _pack(tmp_path, message=HOARD)
    probe = ("import resource, subprocess, sys\n"
             f"rc = subprocess.run([{str(Path(sys.executable).parent / 'qunce')!r}, 'check', '--no-default-rules', '--rules', "
             f"{str(pack)!r}, {str(MINIMAL)!r}], capture_output=True).returncode\n"
             "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    rc, max_kib = (int(x) for x in out.stdout.split())
    assert rc == 2, out.stderr
    assert max_kib < 1024 * 1024, f"{max_kib} KiB"


def test_runaway_template_output_is_stopped_and_nothing_written(tmp_path, monkeypatch):
    """A custom template that prints 10 GB: stopped by the output cap, the memory or the time bound,
    exit 2, no file."""
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "2")
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "plan.md.j2").write_text("{% for a in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
                                          encoding="utf-8")
    out = tmp_path / "out.md"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["plan", str(EXAMPLES / "data-camp.yaml"), "--templates", str(templates),
                                      "-o", str(out), "--lang", "en"])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    assert any(word in result.output for word in ("32,000,000", "MemoryError", "memory-limit", "time-limit")), \
        result.output
    assert not out.exists()


def _stuck_in_c(*args, **kwargs):
    """One C call that never checks for signals: a timer cannot interrupt it, a kill can."""
    return sum(range(10 ** 14))


def test_a_c_level_loop_cannot_outlive_the_bound(monkeypatch):
    """What the sandbox lets through and a timer cannot stop: the worker is killed at the deadline."""
    from qunce.engine.api import check_file, load_rules
    from qunce.engine.rules import evaluate

    rules = load_rules([str(FIXTURES / "packs" / "good.yaml")])
    monkeypatch.setattr(evaluate, "_holds", _stuck_in_c)
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "1")
    started = time.monotonic()
    result = check_file(str(MINIMAL), rules)
    assert time.monotonic() - started < 10
    assert result.load_failed and result.errors[0].code == "time-limit"


@pytest.mark.parametrize("packs", [[], [str(FIXTURES / "packs" / "good.yaml")]], ids=["bundled", "user"])
def test_the_bound_holds_outside_the_main_thread(monkeypatch, packs):
    """The page's request handlers call api from threads, where no alarm can be set: the bound
    still holds there, for the bundled playbook and for user packs."""
    from qunce.engine.api import check_file, load_rules
    from qunce.engine.rules import evaluate

    rules = load_rules(packs)
    monkeypatch.setattr(evaluate, "_holds", _stuck_in_c)
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "1")
    out: list = []
    worker = threading.Thread(target=lambda: out.append(check_file(str(MINIMAL), rules)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(30)
    assert not worker.is_alive() and time.monotonic() - started < 10
    assert out[0].errors[0].code == "time-limit"


def test_a_thread_gets_the_same_result_as_the_main_thread():
    """Isolation changes where the work runs, not what it finds."""
    from qunce.engine.api import check_file, load_rules

    rules = load_rules([str(FIXTURES / "packs" / "good.yaml")])
    here = check_file(str(EXAMPLES / "reading-club.yaml"), rules)
    out: list = []
    worker = threading.Thread(target=lambda: out.append(check_file(str(EXAMPLES / "reading-club.yaml"), rules)))
    worker.start()
    worker.join(60)
    assert out[0].to_dict() == here.to_dict() and here.findings


def test_isolated_results_equal_in_process_results():
    """A user pack's findings through the worker equal the same rules run in-process."""
    from qunce.engine.api import CheckOptions, check_file, load_rules
    from qunce.engine.api.checking import _check

    rules = load_rules([str(FIXTURES / "packs" / "good.yaml")])
    for plan in sorted(EXAMPLES.glob("*.yaml")):
        assert check_file(str(plan), rules).to_dict() == _check(str(plan), rules, CheckOptions())[0].to_dict()


def test_errors_raised_in_the_worker_keep_their_location(tmp_path):
    """A template error in a user folder reaches the caller with its template and line."""
    from qunce.engine.api import load_rules, render_plan_file
    from qunce.engine.errors import TemplateError

    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "plan.md.j2").write_text("line one\n{{ no_such_name.x }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_plan_file(str(EXAMPLES / "reading-club.yaml"), load_rules(), templates_dir=str(templates))
    assert caught.value.code == "template-failed" and caught.value.line == 2


def test_no_worker_is_left_behind(monkeypatch):
    """After a deadline the killed worker is reaped: no child process remains."""
    import os

    from qunce.engine.run.isolate import TimeLimitExceeded, run

    with pytest.raises(TimeLimitExceeded):
        run(_stuck_in_c, limit=0.5, what="test")
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_record_keys_read_as_jinja_reads_them():
    """The sandbox's direct path for `record.key` on plain data gives Jinja's own answers: a key,
    undefined for a missing key, dict methods before keys of the same name, dunders refused."""
    from jinja2 import ChainableUndefined, Undefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from qunce.engine.run.sandbox import BoundedSandbox

    ours = BoundedSandbox(undefined=ChainableUndefined)
    theirs = ImmutableSandboxedEnvironment(undefined=ChainableUndefined)
    record = {"name": "x", "items": "shadowed", "n": {"deep": 1}}
    for expr in ["r.name", "r.n.deep", "r.missing is defined", "r.missing.deeper is defined", "r.items is callable",
                 "r.keys() | list | length"]:
        assert ours.compile_expression(expr)(r=record) == theirs.compile_expression(expr)(r=record), expr
    assert isinstance(ours.getattr(record, "__class__"), Undefined)  # unsafe, as in Jinja's sandbox
    assert ours.getattr(record, "name") == "x"
