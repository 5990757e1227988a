"""Resource bounds on user-driven work: a runaway custom template or rule pack is stopped with a
clear message and exit 2, and nothing is written."""

from __future__ import annotations

import time

from click.testing import CliRunner

from qunce.cli import cli

from conftest import EXAMPLES, FIXTURES


def test_runaway_custom_template_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "1")
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "plan.md.j2").write_text(
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", encoding="utf-8")
    out = tmp_path / "out.md"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["plan", str(EXAMPLES / "data-camp.yaml"), "--templates", str(templates),
                                      "-o", str(out)])
    assert time.monotonic() - started < 8
    assert result.exit_code == 2 and "time-limit" in result.output
    assert not out.exists()


def test_runaway_rule_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "0.5")
    pack = (FIXTURES / "packs" / "good.yaml").read_text(encoding="utf-8").replace(
        "when: not (plan.community.owner is present)",
        "when: range(100000) | select('in_quiet_hours', '00:00-23:59') | list | length > "
        + " + ".join(["(range(100000) | map('string') | map('length') | select('in_quiet_hours', '00:00-23:59') "
                      "| list | length)"] * 40))
    path = tmp_path / "slow.yaml"
    path.write_text(pack, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-default-rules", "--rules", str(path), "--format", "json",
                                      str(FIXTURES / "ok" / "minimal.yaml")])
    assert result.exit_code == 2
    assert "time-limit" in result.output


def test_whole_document_render_is_bounded(tmp_path, monkeypatch):
    """The bound covers the whole document, not only each template: a Markdown-to-HTML step that
    would run for a minute is stopped, and the CLI writes nothing."""
    from qunce.engine import api
    from qunce.engine.api import CheckOptions, check_document
    from qunce.engine.output import markup
    from qunce.engine.run.limits import TimeLimitExceeded
    from qunce.engine.rules.pack import load_rules

    rules = load_rules()
    result, plan = check_document(str(EXAMPLES / "reading-club.yaml"), rules, CheckOptions())
    assert result.valid and result.checked

    def slow_convert(self, body):
        for _ in range(600):  # sleep is interrupted by the alarm, whatever the machine's load
            time.sleep(0.1)
        return body

    monkeypatch.setattr(markup.Writer, "convert", slow_convert)
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "0.5")
    started = time.monotonic()
    try:
        api.render_plan(plan, result, rules, fmt="html")
    except TimeLimitExceeded as err:
        assert err.code == "time-limit"
    else:
        raise AssertionError("a render far over its bound was not stopped")
    assert time.monotonic() - started < 30
    out = tmp_path / "plan.html"
    cli_result = CliRunner().invoke(cli, ["plan", str(EXAMPLES / "reading-club.yaml"), "-o", str(out)])
    assert cli_result.exit_code == 2 and "time-limit" in cli_result.output and not out.exists()


def test_time_bound_is_never_swallowed_as_a_missing_schedule(monkeypatch):
    """Broad handlers (no schedule, a failing rule) must let the bound through, or the rest of
    the document would run unbounded after the one alarm fired."""
    from qunce.engine.schedule import sessions
    from qunce.engine.api import CheckOptions, check_document
    from qunce.engine.run.limits import TimeLimitExceeded
    from qunce.engine.api import render_plan
    from qunce.engine.rules.pack import load_rules

    rules = load_rules()
    result, plan = check_document(str(EXAMPLES / "reading-club.yaml"), rules, CheckOptions())

    def slow_schedule(*args, **kwargs):  # the alarm arrives here, inside `except QunceError`
        for _ in range(600):
            time.sleep(0.1)

    monkeypatch.setattr(sessions, "session_schedule", slow_schedule)
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "0.5")
    try:
        render_plan(plan, result, rules, fmt="md")
    except TimeLimitExceeded:
        pass
    else:
        raise AssertionError("the time bound was swallowed")
