"""Risk per sin and overall health, from finding weights (the formula is in docs/scoring.md).

Weights combine like independent chances of failure, so many small findings add up, no score
passes 100, and one finding cannot be outweighed by counting it twice in two places.
"""

from __future__ import annotations

from typing import Iterable

from .domain import SINS
from .report import Finding


def risk(findings: Iterable[Finding]) -> dict[str, int]:
    """risk(sin) = 100 × (1 − Π(1 − wᵢ/100)) over that sin's findings."""
    survive = {sin: 1.0 for sin in SINS}
    for f in findings:
        if f.sin in survive:
            survive[f.sin] *= 1 - min(f.weight, 100) / 100
    return {sin: round(100 * (1 - s)) for sin, s in survive.items()}


def health(findings: Iterable[Finding]) -> int:
    """health = 100 × Π(1 − wᵢ/200) over all findings: a finding costs at most half its weight,
    because one weak spot endangers a community without dooming it."""
    score = 1.0
    for f in findings:
        score *= 1 - min(f.weight, 100) / 200
    return round(100 * score)
