"""From a plan's findings to the numbers people read: completeness apart from risk and health
(docs/scoring.md). The formula is model.report's; the playbook's facts set its weights."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from ..model.domain import SINS
from ..model.plan import as_dict, is_number
from ..model.report import Finding, Scoring, risk


def reassured_sins(data: Any, findings: Iterable[Finding], facts: Any) -> frozenset[str]:
    """Sins whose observed figures are given and raised no alarm: the evidence outweighs what the
    plan declares about them (facts.scoring.sin_signals names each sin's figures)."""
    observed = as_dict(as_dict(data).get("observed"))
    signals = as_dict(as_dict(as_dict(facts).get("scoring")).get("sin_signals"))
    alarmed = {f.sin for f in findings if f.basis == "observed"}
    return frozenset(sin for sin, fields in signals.items()
                     if sin not in alarmed and isinstance(fields, list)
                     and any(is_number(observed.get(k)) for k in fields))


def stopped(data: Any) -> bool:
    """The figures say the group no longer talks (no message in the last 7 days): then nothing is
    left unseen to hold its health up."""
    observed = as_dict(as_dict(data).get("observed"))
    return is_number(observed.get("messages_7d")) and observed["messages_7d"] == 0


def cause_of(findings: list[Finding], weights: Scoring, spec: Any) -> tuple[str, str] | None:
    """(consequence, cause) when the consequence sin's observed findings (members leaving) have a
    cause the evidence shows: a sin of facts.scoring.consequence.causes that stands out on its own
    (risk at least first_sin_min) and rests on an observed figure or an error, not only on weaknesses
    the plan declares; a sin its figures show comes before one only an error shows. The strongest such
    sin is the cause; ties go to the earlier, deadlier sin."""
    spec = as_dict(spec)
    consequence, causes = spec.get("sin"), spec.get("causes")
    if consequence not in SINS or not isinstance(causes, list):
        return None
    if not any(f.sin == consequence and f.basis == "observed" and weights.weight(f) for f in findings):
        return None
    own = risk(findings, weights)
    counting = [f for f in findings if weights.weight(f)]
    # the chat's own figures first (DOMAIN §13): an error the plan declares explains the departures
    # only when no sin that stands out shows in the figures
    for shown in ({f.sin for f in counting if f.basis == "observed"}, {f.sin for f in counting if f.severity == "error"}):
        able = [s for s in SINS if s in causes and s != consequence and s in shown and own[s] >= weights.first_sin_min]
        if able:
            return consequence, max(able, key=lambda s: own[s])
    return None


def scoring(data: Any, findings: list[Finding], facts: Any) -> Scoring:
    """The weights of facts.scoring, with the sins the observed figures reassure about and the cause
    the departures are put down to."""
    spec = as_dict(as_dict(facts).get("scoring"))
    defaults = Scoring()
    observed = spec.get("observed_weight")
    reassured = spec.get("reassured_weight")
    scale = spec.get("health_scale")
    least = spec.get("first_sin_min")
    unseen = spec.get("unseen_risk")
    strength = spec.get("unseen_strength")
    declared = spec.get("declared_warning_health")
    at_risk = spec.get("at_risk_min")
    weights = Scoring(observed_weight=float(observed) if is_number(observed) else defaults.observed_weight,
                   reassured_weight=float(reassured) if is_number(reassured) else defaults.reassured_weight,
                   reassured=reassured_sins(data, findings, facts),
                   health_scale=float(scale) if is_number(scale) and scale >= 100 else defaults.health_scale,
                   category_weight=tuple((k, float(v)) for k, v in as_dict(spec.get("category_weight")).items()
                                         if isinstance(k, str) and is_number(v) and 0 <= v <= 1),
                   first_sin_min=int(least) if is_number(least) and 0 < least <= 100 else defaults.first_sin_min,
                   unseen=float(unseen) if is_number(unseen) and 0 <= unseen < 100 else defaults.unseen,
                   unseen_strength=(float(strength) if is_number(strength) and 0 <= strength < 100 and not stopped(data)
                                    else defaults.unseen_strength),
                   declared_health=(float(declared) if is_number(declared) and 0 <= declared <= 1
                                    else defaults.declared_health),
                   at_risk_min=int(at_risk) if is_number(at_risk) and 0 < at_risk <= 100 else defaults.at_risk_min,
                   same_fact=tuple((figure, fact) for fact, figures in as_dict(spec.get("same_fact")).items()
                                   if isinstance(fact, str) and isinstance(figures, list)
                                   for figure in figures if isinstance(figure, str)),
                   rule_once=spec.get("rule_once") is True)
    return replace(weights, cause=cause_of(findings, weights, spec.get("consequence")))
