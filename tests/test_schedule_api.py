"""The schedule side of the library API (engine/api.py): `qunce sop` does all of its work, rules
included, inside the one time bound; findings and rule errors are attached per item exactly as
`qunce check` reports them."""

from __future__ import annotations

import time

import pytest
import yaml
from click.testing import CliRunner

from qunce.cli import cli
from qunce.engine import api
from qunce.engine.rules.pack import load_rules

from conftest import EXAMPLES, FIXTURES, TODAY

_SLOW = " and ".join(["(range(100000) | select('in_quiet_hours', '00:00-23:59') | list | length) >= 0"] * 40)


def _slow_pack(tmp_path) -> str:
    """A user pack whose one `when:` runs for about fifteen seconds."""
    text = (FIXTURES / "packs" / "good.yaml").read_text(encoding="utf-8").replace(
        "when: not (plan.community.owner is present)", f"when: {_SLOW}")
    path = tmp_path / "slow.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("args", [
    [str(EXAMPLES / "reading-club.yaml"), "--session", "author-talk-dec"],
    [str(EXAMPLES / "reading-club.yaml"), "--campaign", "new-year-fission"],
    ["--title", "夜读会", "--start", "2026-12-05T20:00"],
], ids=["session", "campaign", "adhoc"])
def test_sop_with_a_slow_rule_pack_stops_at_the_bound_and_writes_nothing(args, tmp_path, monkeypatch):
    """Rules run inside `qunce sop`'s one bound: a looping `when:` ends the command with
    time-limit (exit 2) within seconds, and no output file appears."""
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "0.5")
    out = tmp_path / "sop.md"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["sop", *args, "--rules", _slow_pack(tmp_path), "-o", str(out),
                                      "--today", "2026-11-23"])
    assert time.monotonic() - started < 10
    assert result.exit_code == 2 and "time-limit" in result.output, result.output
    assert not out.exists()


def test_sop_document_runs_validation_inside_the_bound(tmp_path, monkeypatch):
    """A plan that takes too long to load is stopped by the same bound (nothing escapes it)."""
    from qunce.engine.load import yaml as loader
    from qunce.engine.run.limits import TimeLimitExceeded

    real = loader.load_plan

    def slow_load(*args, **kwargs):
        for _ in range(300):
            time.sleep(0.1)
        return real(*args, **kwargs)

    monkeypatch.setattr(api.checking, "load_plan", slow_load)
    monkeypatch.setenv("QUNCE_TIME_LIMIT", "0.3")
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        api.sop_document(str(EXAMPLES / "reading-club.yaml"), load_rules(), fmt="md")
    assert time.monotonic() - started < 10


def test_sop_document_returns_the_problems_of_an_unusable_plan(ruleset):
    """An invalid plan gives its validation result and no text; a good one gives both."""
    result, text = api.sop_document(str(FIXTURES / "multi-error.yaml"), ruleset, fmt="md")
    assert text is None and not result.valid and result.errors
    result, text = api.sop_document(str(EXAMPLES / "reading-club.yaml"), ruleset, fmt="json", today=TODAY)
    assert result.valid and '"session": "author-talk-dec"' in text
    none, adhoc = api.sop_document(None, ruleset, adhoc={"title": "夜读会", "start": "2026-12-05T20:00"},
                                   fmt="md", today=TODAY)
    assert none is None and "夜读会" in adhoc


def test_schedules_from_the_schedule_layer_carry_no_findings(ruleset):
    """The schedule layer never runs rules; the API attaches the findings of the whole plan's check."""
    from qunce.engine.load.yaml import load_plan_bytes
    from qunce.engine.schedule.sessions import session_schedule

    # without its observed figures the plan has no date of its own, so a year on its session is past
    # (a plan dated by observed.as_of is read as of that date: session.start-in-past)
    text = (EXAMPLES / "reading-club.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("\nobserved:")
    plan = load_plan_bytes((head + "\n" + rest[rest.index("\ncheck:"):]).encode("utf-8"), "reading-club.yaml")
    bare = session_schedule(plan, None, facts=ruleset.facts)
    full = api.session_schedule(plan, None, rules=ruleset, today=TODAY.replace(year=2027))
    assert bare.findings == [] and bare.engine_errors == []
    assert [task.to_dict() for task in bare.tasks] == [task.to_dict() for task in full.tasks]
    assert [f.rule for f in full.findings] == ["session.start-in-past"]


def test_rule_errors_stay_with_their_own_session(tmp_path):
    """A rule that fails on sessions[10] is reported with sessions[10], not with sessions[1]
    (the old prefix match took "sessions[1]" as a prefix of "sessions[10]")."""
    pack = {"pack": "errs", "version": 1, "rules": [{
        "id": "custom.breaks-on-seven", "category": "session", "severity": "info", "each": "sessions",
        "title": {"zh": "t", "en": "t"}, "message": {"zh": "m", "en": "m"},
        "when": "item.duration_minutes == 7 and (2 ** 100) > 0", "at": "start",
        "examples": {"fail": [{"sessions": [{"id": "a", "duration_minutes": 7}]}],
                     "pass": [{"sessions": [{"id": "a"}]}]},
        "rationale": {"zh": "r", "en": "r"}, "remedy": {"zh": "r", "en": "r"}}]}
    pack_path = tmp_path / "errs.yaml"
    pack_path.write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    rules = load_rules([str(pack_path)], defaults=False)
    sessions = [{"id": f"s{i}", "title": f"t{i}", "start": "2027-01-05T20:00", "duration_minutes": 60}
                for i in range(11)]
    sessions[10]["duration_minutes"] = 7
    plan_path = tmp_path / "plan.yaml"
    plan_path.write_text(yaml.safe_dump({"version": 1, "community": {"name": "x"}, "sessions": sessions},
                                        allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = api.load(plan_path)
    assert api.session_schedule(plan, "s1", rules=rules, today=TODAY).engine_errors == []
    tenth = api.session_schedule(plan, "s10", rules=rules, today=TODAY).engine_errors
    assert [e.path for e in tenth] == ["sessions[10]"] and tenth[0].code == "rule-failed"
