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
        "when: range(100000) | select('in_quiet_hours', '00:00-23:59') | list | length > range(100000) "
        "| select('in_quiet_hours', '00:00-23:59') | list | length + (range(100000) | map('string') | "
        "map('length') | list | length) * 0 + (range(100000) | select('in_quiet_hours', '00:00-23:59') | list "
        "| length) * 0")
    path = tmp_path / "slow.yaml"
    path.write_text(pack, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--no-default-rules", "--rules", str(path), "--format", "json",
                                      str(FIXTURES / "ok" / "minimal.yaml")])
    assert result.exit_code == 2
    assert "time-limit" in result.output


def test_whole_document_render_is_bounded(tmp_path, monkeypatch):
    """The bound covers the whole document (view, templates, Markdown to HTML), not only each
    template: a plan with hundreds of sessions is stopped, with nothing written."""
    import yaml

    from qunce.engine.check import CheckOptions, check_document
    from qunce.engine.limits import TimeLimitExceeded
    from qunce.engine.render import render_plan
    from qunce.engine.rules import load_rules

    data = yaml.safe_load((EXAMPLES / "reading-club.yaml").read_text(encoding="utf-8"))
    data["sessions"] = data["sessions"] * 150
    data["campaigns"] = data["campaigns"] * 150
    path = tmp_path / "huge.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rules = load_rules()
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "600")  # the check must finish even on a loaded machine
    result, plan = check_document(str(path), rules, CheckOptions())
    assert result.valid and result.checked
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "0.2")  # unbounded, this render takes seconds
    try:
        render_plan(plan, result, rules, fmt="html")
    except TimeLimitExceeded as err:
        assert err.code == "time-limit"
    else:
        raise AssertionError("a render far over its bound was not stopped")
    out = tmp_path / "huge.html"
    cli_result = CliRunner().invoke(cli, ["plan", str(path), "-o", str(out)])
    assert cli_result.exit_code == 2 and "time-limit" in cli_result.output and not out.exists()


def test_time_bound_is_never_swallowed_as_a_missing_schedule(monkeypatch):
    """Broad handlers (no schedule, a failing rule) must let the bound through, or the rest of
    the document would run unbounded after the one alarm fired."""
    from qunce.engine import sop
    from qunce.engine.check import CheckOptions, check_document
    from qunce.engine.limits import TimeLimitExceeded
    from qunce.engine.render import render_plan
    from qunce.engine.rules import load_rules

    rules = load_rules()
    result, plan = check_document(str(EXAMPLES / "reading-club.yaml"), rules, CheckOptions())

    def alarm(*args, **kwargs):
        raise TimeLimitExceeded("time-limit", {"what": "plan", "seconds": "1"})

    monkeypatch.setattr(sop, "session_schedule", alarm)
    try:
        render_plan(plan, result, rules, fmt="md")
    except TimeLimitExceeded:
        pass
    else:
        raise AssertionError("the time bound was swallowed")
