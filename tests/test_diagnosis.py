"""The bundled playbook on the bundled examples: sick plans show the sins they were written to
show, healthy plans score high, and different communities get different diagnoses."""

from __future__ import annotations

from datetime import date

import pytest

from qunce.engine.api import CheckOptions, check_file

from conftest import EXAMPLES

TODAY = date(2026, 11, 23)

SICK = {
    # an open, ad-filled group run by one domineering owner
    "ad-swamp.yaml": {"harassment", "tyranny", "focus", "evaporation"},
    # an old group nobody runs, with nothing happening and no one new
    "ghost-town.yaml": {"leaderless", "boredom", "staleness"},
}
HEALTHY = ["reading-club.yaml", "data-camp.yaml", "local-business.yaml", "city-reading-club.yaml",
           "coffee-fans.yaml"]


def _check(path, ruleset):
    result = check_file(str(path), ruleset, CheckOptions(today=TODAY))
    assert result.checked and not result.engine_errors, result.engine_errors
    return result


@pytest.mark.parametrize("name", sorted(SICK))
def test_sick_plans_show_their_sins(name, ruleset):
    result = _check(EXAMPLES / "sick" / name, ruleset)
    top = sorted(result.risk, key=result.risk.get, reverse=True)[: len(SICK[name]) + 1]
    for sin in SICK[name]:
        assert result.risk[sin] >= 30, (sin, result.risk)
        assert sin in top, (sin, top, result.risk)
    assert result.health < 40


@pytest.mark.parametrize("name", HEALTHY)
def test_healthy_plans_score_high(name, ruleset):
    result = _check(EXAMPLES / name, ruleset)
    assert result.health >= 75, [(f.rule, f.severity) for f in result.findings]  # the healthy band
    assert result.completeness >= 90  # and they answer what a plan should
    assert not [f for f in result.findings if f.severity == "error"]


def test_realistic_plan_with_warning_signs_is_not_healthy(ruleset):
    """growth-marketing is complete, but three observed alarms (73% silent, 11.7% leaving a month,
    core members quiet) outweigh what it declares: out of the healthy band, 蒸发 first."""
    result = _check(EXAMPLES / "growth-marketing.yaml", ruleset)
    assert result.completeness == 100 and result.health < 75
    assert max(result.risk, key=result.risk.get) == "evaporation" and result.risk["evaporation"] >= 30


def test_examples_get_different_diagnoses(ruleset):
    sets = {name: frozenset(f.rule for f in _check(EXAMPLES / name, ruleset).findings)
            for name in HEALTHY + ["growth-marketing.yaml"]}
    assert len(set(sets.values())) == len(sets)
