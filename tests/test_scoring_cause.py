"""Members leaving are put down to their cause (docs/scoring.md, "departures and their cause"):
evaporation's observed findings count toward a sin the evidence shows driving people out, so the
diagnosis names the cause first, while health and evaporation's own risk stay what they were."""

from __future__ import annotations

from dataclasses import replace

from qunce.engine.model.report import HEALTHY_FROM, Finding, FindingText, first_sin, health, risk
from qunce.engine.rules.pack import load_rules
from qunce.engine.rules.scoring import scoring


_FIGURES = iter(range(10**6))  # each finding reads its own figure (one figure counts once, docs/scoring.md)


def _finding(sin: str, weight: int, basis: str = "declared", severity: str = "warning") -> Finding:
    return Finding(f"{sin}.x", sin, "sin", severity, {"zh": FindingText("t", "m", "", "")}, "f", 1, 1,
                   f"observed.figure_{next(_FIGURES)}", weight, basis)


FACTS = load_rules().facts
LEAVING = [_finding("evaporation", 20, "observed"), _finding("evaporation", 20, "observed")]  # churn, core quiet
ADS = [_finding("harassment", 15, "observed"), _finding("harassment", 20)]  # ads at 40% of messages, no ad rule


def _judge(findings: list[Finding]) -> tuple[dict[str, int], int, str | None]:
    weights = scoring({}, findings, FACTS)
    r = risk(findings, weights)
    h = health(findings, weights)
    return r, h, first_sin(r, weights.lead_min(h))


def test_departures_go_to_an_observed_cause():
    """Ads flooding the chat (an observed alarm, harassment risk 38) explain the departures:
    harassment leads; evaporation's risk and the health are unchanged."""
    weights = scoring({}, LEAVING + ADS, FACTS)
    apart = replace(weights, cause=None)
    r, h, sin = _judge(LEAVING + ADS)
    assert sin == "harassment" and weights.cause == ("evaporation", "harassment")
    assert r["evaporation"] == risk(LEAVING + ADS, apart)["evaporation"] == 51
    assert r["harassment"] == round(100 * (1 - 0.775 * 0.8 * 0.7 * 0.7))
    assert h == health(LEAVING + ADS, apart)


def test_an_error_is_a_cause_too():
    """No owner at all (an error, leaderless 30) explains why members leave."""
    owner = _finding("leaderless", 30, severity="error")
    assert _judge(LEAVING + [owner])[2] == "leaderless"


def test_declared_weaknesses_alone_explain_nothing():
    """Only declared warnings (no ad rule, no filter: harassment 32) say what could go wrong, not
    why these members left: evaporation keeps the lead."""
    declared = [_finding("harassment", 20), _finding("harassment", 15)]
    r, _, sin = _judge(LEAVING + declared)
    assert sin == "evaporation" and r["harassment"] == 32


def test_a_weak_alarm_explains_nothing():
    """Ads just over the line (harassment 23, under the 25 a sin needs to lead) are no cause."""
    assert _judge(LEAVING + [_finding("harassment", 15, "observed")])[2] == "evaporation"


def test_the_strongest_cause_takes_the_departures():
    """Two causes: the departures count toward the stronger only."""
    owner = _finding("leaderless", 30, severity="error")
    strong_ads = ADS + [_finding("harassment", 20, "observed")]
    r, _, sin = _judge(LEAVING + [owner] + strong_ads)
    assert sin == "harassment" and r["leaderless"] == 30


def test_without_departures_nothing_moves():
    """No observed departures: the cause's risk is its own."""
    r, _, _ = _judge(ADS)
    assert r["harassment"] == 38 and r["evaporation"] == 0


def test_a_pack_can_switch_it_off():
    """facts.scoring.consequence is data: without it the departures stay evaporation's alone."""
    spec = {**FACTS["scoring"], "consequence": None}
    weights = scoring({}, LEAVING + ADS, {**FACTS, "scoring": spec})
    assert weights.cause is None and first_sin(risk(LEAVING + ADS, weights)) == "evaporation"


def test_a_plan_at_risk_names_its_risk():
    """Under the healthy line a sin leads from at_risk_min (20): an owner leaving with no successor
    (error 20) beside two best-practice gaps names leaderless; the same risk in a healthy plan, or
    only gaps of 10-15 in an unhealthy one, name none (docs/scoring.md)."""
    leaving = _finding("leaderless", 20, severity="error")
    gaps = [_finding("evaporation", 15), _finding("staleness", 10)]
    r, h, sin = _judge([leaving] + gaps)
    assert (r["leaderless"], h, sin) == (20, 64, "leaderless")
    weights = scoring({}, [leaving], FACTS)
    assert health([leaving], weights) >= HEALTHY_FROM and _judge([leaving])[2] is None
    small = [_finding("leaderless", 15), _finding("evaporation", 15), _finding("staleness", 10), _finding("boredom", 10)]
    r, h, sin = _judge(small)
    assert h < HEALTHY_FROM and max(r.values()) < 20 and sin is None


def test_the_figures_come_before_a_declared_error():
    """A declared tyranny error with warnings (tyranny 39) and unanswered questions over their line
    (leaderless 38): the departures go to the sin the figures show, though its own risk is lower
    (docs/scoring.md, "the figures first")."""
    tyranny = [_finding("tyranny", 20, severity="error"), _finding("tyranny", 15), _finding("tyranny", 10)]
    leaderless = [_finding("leaderless", 15, "observed"), _finding("leaderless", 20)]
    weights = scoring({}, LEAVING + tyranny + leaderless, FACTS)
    own = risk(LEAVING + tyranny + leaderless, replace(weights, cause=None))
    assert own["tyranny"] > own["leaderless"] >= weights.first_sin_min
    assert weights.cause == ("evaporation", "leaderless")
    assert _judge(LEAVING + tyranny + leaderless)[2] == "leaderless"
    assert _judge(LEAVING + tyranny)[2] == "tyranny"  # with no figure of its own, the error still explains
