"""The `qunce` command as users call it: through click's runner and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine.model.domain import KINDS

from conftest import EXAMPLES, FIXTURES, ROOT, SHARED_EXAMPLE


def run(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_validate_shared_example_and_examples_dir():
    """The issue's acceptance line: the reference plan and every bundled example are valid."""
    paths = [EXAMPLES] + ([SHARED_EXAMPLE] if SHARED_EXAMPLE.exists() else [])
    result = run("validate", *paths)
    assert result.exit_code == 0, result.output
    assert "0 个无效" in result.output


def test_directory_is_searched_recursively_in_stable_order(tmp_path):
    """Directories yield *.yaml/*.yml files sorted, hidden folders skipped."""
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for p in ["b/2.yml", "a.yaml", ".git/x.yaml", "notes.txt"]:
        (tmp_path / p).write_text("version: 1\ncommunity: {name: x}\n", encoding="utf-8")
    data = json.loads(run("validate", "--format", "json", tmp_path).output)
    assert [os.path.relpath(f["path"], tmp_path) for f in data["files"]] == ["a.yaml", os.path.join("b", "2.yml")]


def test_all_errors_in_a_file_are_reported():
    """Not just the first: the multi-problem plan lists each problem on its own line."""
    plan = FIXTURES / "multi-error.yaml"
    result = run("validate", plan)
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if "error[" in ln]
    assert len(lines) >= 4
    assert all(ln.startswith(f"{plan}:") for ln in lines)


def test_english_via_env():
    """QUNCE_LANG=en switches messages to English (and accepts locale-like values)."""
    result = run("validate", FIXTURES / "bad" / "unknown-key.yaml", env={"QUNCE_LANG": "en_US.UTF-8"})
    assert "did you mean \"timezone\"" in result.output


def test_bad_lang_is_usage_error():
    assert run("validate", "--lang", "fr", FIXTURES / "ok" / "minimal.yaml").exit_code == 2


def test_validate_json_summary():
    data = json.loads(run("validate", "--format", "json", FIXTURES / "ok", FIXTURES / "bad" / "empty.yaml").output)
    assert data["version"] == 2
    assert data["summary"]["unreadable"] == 1 and data["summary"]["valid"] == len(list((FIXTURES / "ok").iterdir()))


@pytest.mark.parametrize("kind", KINDS)
def test_init_writes_a_valid_starter(kind, tmp_path):
    """`qunce init --kind K -o x.yaml && qunce validate x.yaml` exits 0 for all five kinds."""
    out = tmp_path / f"{kind}.yaml"
    assert run("init", "--kind", kind, "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=.qunce/plan.schema.json"  # relative: any machine
    assert (tmp_path / ".qunce" / "plan.schema.json").is_file()
    assert run("validate", out).exit_code == 0


def test_init_never_overwrites_without_force(tmp_path):
    """An existing file is kept byte for byte unless --force is given."""
    out = tmp_path / "plan.yaml"
    out.write_text("我的旧计划\n", encoding="utf-8")
    result = run("init", "--kind", "interest", "-o", out)
    assert result.exit_code == 2 and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "我的旧计划\n"
    assert run("init", "--kind", "interest", "-o", out, "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_init_unknown_kind():
    assert run("init", "--kind", "fans").exit_code == 2


def test_schema_command_prints_the_schema():
    data = json.loads(run("schema").output)
    assert data["$schema"].endswith("2020-12/schema")


def test_usage_errors_exit_2():
    assert run("validate").exit_code == 2
    assert run("nonsense").exit_code == 2
    assert run("check", "--fail-on", "sometimes", FIXTURES / "ok" / "minimal.yaml").exit_code == 2


def test_real_subprocess_without_traceback(tmp_path):
    """The installed console script: exit codes and no traceback on a bad file, from another cwd."""
    exe = [sys.executable, "-m", "qunce"]
    ok = subprocess.run([*exe, "validate", str(FIXTURES / "ok" / "minimal.yaml")], capture_output=True,
                        text=True, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([*exe, "validate", str(FIXTURES / "bad" / "binary.yaml")], capture_output=True,
                         text=True, cwd=tmp_path)
    assert bad.returncode == 2
    assert "Traceback" not in bad.stdout + bad.stderr


def test_no_color_when_piped():
    """CliRunner is not a TTY: no ANSI escapes."""
    assert "\x1b[" not in run("validate", FIXTURES / "bad" / "unknown-key.yaml").output


def test_sop_ics_round_trip(tmp_path):
    """The issue's acceptance line: the reference session as ICS, read back by icalendar."""
    from icalendar import Calendar

    plan = SHARED_EXAMPLE if SHARED_EXAMPLE.exists() else EXAMPLES / "reading-club.yaml"
    out = tmp_path / "s.ics"
    result = run("sop", plan, "--session", "author-talk-dec", "--format", "ics", "-o", out, "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(out.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) >= 9
    assert all(e.walk("VALARM") for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert cal.walk("VTIMEZONE")


def test_sop_campaign_names_weakest_stage_and_infers_format(tmp_path):
    out = tmp_path / "c.json"
    result = run("sop", EXAMPLES / "reading-club.yaml", "--campaign", "new-year-fission", "-o", out,
                 "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["campaign"] == "new-year-fission" and data["funnel"]["weakest"] == "completions"


def test_sop_without_a_plan():
    result = run("sop", "--title", "周末分享", "--start", "2026-12-05T20:00", "--guest", "王老师",
                 "--format", "json", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["timezone"] == "Asia/Shanghai" and {t["step"] for t in data["tasks"]} == set(range(1, 10))


def test_sop_errors():
    """Unknown session: usage error (2); an invalid plan: its problems and exit 1."""
    assert run("sop", EXAMPLES / "reading-club.yaml", "--session", "nope").exit_code == 2
    bad = run("sop", FIXTURES / "multi-error.yaml")
    assert bad.exit_code == 1 and "unknown-key" in bad.output
    assert run("sop", "--title", "x", "--start", "明天晚上").exit_code == 2


def test_plan_on_an_invalid_plan_prints_its_problems_and_writes_nothing(tmp_path):
    out = tmp_path / "方案.html"
    result = run("plan", FIXTURES / "multi-error.yaml", "-o", out)
    assert result.exit_code == 1 and "error[unknown-key]" in result.output
    assert not out.exists()


def test_sop_ics_to_standard_output():
    result = run("sop", EXAMPLES / "reading-club.yaml", "--format", "ics", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("BEGIN:VCALENDAR") and "BEGIN:VALARM" in result.output
