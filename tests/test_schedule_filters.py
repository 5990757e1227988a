"""The rules' view of the schedule (engine/schedule/filters.py): `sop_tasks` is computed once per
distinct schedule however many rules ask, and its cache can never hand one item's times to
another item, to a changed plan, or to other facts."""

from __future__ import annotations

import copy
import json

import pytest

from qunce.engine.api import CheckOptions, check_document
from qunce.engine.rules.evaluate import evaluate
from qunce.engine.schedule import filters
from qunce.engine.schedule.filters import filter_funnel, filter_start, filter_tasks

from conftest import TODAY


def _session(i: int, start: str) -> dict:
    return {"id": f"s{i}", "title": f"分享 {i}", "guest": {"name": "王老师", "bio": "作者"}, "host": "小周",
            "start": start, "perks": "书单"}


def _big_plan(n: int) -> dict:
    return {"version": 1, "community": {"name": "读书会", "timezone": "Asia/Shanghai"},
            "sessions": [_session(i, f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}T20:{i % 60:02d}:00+08:00")
                         for i in range(n)]}


def test_a_plan_with_300_sessions_computes_each_schedule_once(tmp_path, ruleset, monkeypatch):
    """Every session rule asks for the schedule; each of the 300 is still computed only once,
    and a second check of the same file (a fresh plan object) reuses nothing it should not."""
    import yaml

    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(_big_plan(300), allow_unicode=True, sort_keys=False), encoding="utf-8")
    computed, asked = [], []
    real_tasks, real_filter = filters._tasks, filters.filter_tasks

    def counting_tasks(item, *args):
        computed.append(item["id"])
        return real_tasks(item, *args)

    def counting_filter(*args, **kwargs):
        asked.append(1)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(filters, "_tasks", counting_tasks)
    monkeypatch.setattr(filters, "filter_tasks", counting_filter)
    filters._cache.clear()
    result, _ = check_document(str(path), ruleset, CheckOptions(today=TODAY))
    assert result.valid and result.checked and not result.engine_errors
    assert len(asked) >= 3 * 300  # several rules ask for every session's tasks...
    assert sorted(computed) == sorted(f"s{i}" for i in range(300))  # ...each schedule is built once


def test_same_plan_object_changed_between_checks_gets_fresh_times(ruleset):
    """The old cache was kept per plan object: editing that object in place (a library caller,
    the page) and checking again returned the times of before the edit."""
    data = _big_plan(1)
    item = data["sessions"][0]
    first = filter_tasks(item, data, ruleset.facts)
    item["start"] = "2027-06-01T09:00:00+08:00"
    second = filter_tasks(item, data, ruleset.facts)
    assert first[0]["at"] != second[0]["at"]
    assert second == [t for t in filter_tasks(copy.deepcopy(item), copy.deepcopy(data), ruleset.facts)]
    data["community"]["timezone"] = "America/Los_Angeles"  # the zone is an input too
    assert filter_tasks(item, data, ruleset.facts)[0]["at"].endswith("-07:00")


def test_items_with_the_same_inputs_share_and_different_ones_do_not(ruleset):
    """Two sessions with one start give the same times; notices, offsets and length count."""
    data = _big_plan(0)
    a, b = _session(1, "2027-03-01T20:00"), _session(2, "2027-03-01T20:00")
    assert filter_tasks(a, data, ruleset.facts) == filter_tasks(b, data, ruleset.facts)
    b["notices"] = ["-2d"]
    notices = [t["key"] for t in filter_tasks(b, data, ruleset.facts) if t["phase"] == "notify"]
    assert notices == ["notify-2d"]
    b["offsets"] = {"summary": "+30m"}
    summary = next(t for t in filter_tasks(b, data, ruleset.facts) if t["key"] == "summary")
    assert summary["at"] == "2027-03-01T20:30:00+08:00"
    b["duration_minutes"] = 120
    assert next(t for t in filter_tasks(b, data, ruleset.facts) if t["key"] == "perks")["at"].startswith(
        "2027-03-01T22:00")
    # 1 and True are equal in Python but not as a plan value
    c, d = dict(a, duration_minutes=1), dict(a, duration_minutes=True)
    assert filter_tasks(c, data, ruleset.facts) != filter_tasks(d, data, ruleset.facts)


def test_other_facts_get_their_own_schedule(ruleset):
    """A pack that moves a playbook offset gets its own times, not the cached ones of the bundled
    facts (the facts object is compared by identity, and held so its id cannot be reused)."""
    data = _big_plan(0)
    item = _session(1, "2027-03-01T20:00")
    bundled = filter_tasks(item, data, ruleset.facts)
    facts = json.loads(json.dumps(ruleset.facts))
    for task in facts["sop"]["session"]["tasks"]:
        if task["key"] == "warmup":
            task["offset"] = "-30m"
    moved = filter_tasks(item, data, facts)
    at = {t["key"]: t["at"] for t in moved}
    assert at["warmup"] == "2027-03-01T19:30:00+08:00"
    assert {t["key"]: t["at"] for t in bundled}["warmup"] == "2027-03-01T19:50:00+08:00"
    assert filter_tasks(item, data, ruleset.facts) == bundled


def test_unhashable_oddities_and_non_items_are_handled(ruleset):
    """Draft data the schema would reject still gives an answer, never a TypeError."""
    data = _big_plan(0)
    odd = _session(1, "2027-03-01T20:00")
    odd["offsets"] = {"summary": {"not": "a string"}}
    odd["notices"] = [{"x": 1}, "-1d"]
    assert filter_tasks(odd, data, ruleset.facts)
    odd["start"] = ["2027-03-01"]  # a list where a time belongs: no schedule
    assert filter_tasks(odd, data, ruleset.facts) == []
    assert filter_tasks(None, data, ruleset.facts) == [] and filter_tasks("s1", data) == []
    assert filter_start({"start": "2027-03-01T12:00:00Z"}, {"community": {"timezone": "Asia/Shanghai"}}) \
        == "2027-03-01T20:00:00+08:00"
    assert filter_start({"start": "明天"}, {}) is None and filter_start([], {}) is None
    assert filter_funnel(None, ruleset.facts) == {"stages": [], "weakest": None, "weakest_label": None,
                                                  "suggestion": None}


def test_cache_stays_bounded(ruleset, monkeypatch):
    """A long batch of distinct plans cannot grow the cache without end."""
    monkeypatch.setattr(filters, "_CACHE_SIZE", 5)
    filters._cache.clear()
    data = _big_plan(0)
    for minute in range(12):
        filter_tasks(_session(1, f"2027-03-01T20:{minute:02d}"), data, ruleset.facts)
    assert len(filters._cache) == 5


@pytest.mark.parametrize("kind", ["session", "campaign"])
def test_rules_see_the_filters(kind, ruleset):
    """The rules' sandbox reaches the filters through engine.rules.environment's lazy hooks."""
    from qunce.engine.rules.environment import sandbox

    item = ({"id": "c", "start": "2027-03-01", "end": "2027-03-03"} if kind == "campaign"
            else _session(1, "2027-03-01T20:00"))
    expr = sandbox().compile_expression(f"item | sop_tasks(plan, facts, '{kind}') | length")
    assert expr(item=item, plan=_big_plan(0), facts=ruleset.facts) == len(filter_tasks(item, _big_plan(0),
                                                                                       ruleset.facts, kind)) > 0
    need = sandbox().compile_expression("450 | sop_groups_needed(platform)")
    assert need(platform={"group_cap": 500, "scan_join_cap": 200}) == 3


def test_check_findings_unchanged_by_the_cache(ruleset):
    """Checking with a warm cache and with a cold one gives the same findings."""
    from qunce.engine.load.yaml import load_plan

    from conftest import REFERENCE

    plan = load_plan(REFERENCE)
    filters._cache.clear()
    cold = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY).findings
    warm = evaluate(ruleset, plan.data, plan.locator, plan.path, today=TODAY).findings
    assert cold == warm
