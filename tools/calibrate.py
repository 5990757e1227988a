"""How well `qunce check` agrees with human reviewers on the calibration corpus.

    python tools/calibrate.py                 # dev and holdout, per platform and overall
    python tools/calibrate.py --set dev -v    # per plan, with the findings nobody labelled
    python tools/calibrate.py --record        # write the figures to tests/calibration/results.json

The corpus (tests/calibration/): plans written the way operators write, each labelled by two
reviewers before qunce ran on it (labels/A, labels/B). Labels are merged as the corpus README
says: health range = the span of both ranges, point = the mean, acceptable first sins = the union
of both top-twos, must-appear = concepts both listed, must-not = concepts either listed. A concept
is raised when a finding of one of its rules (mapping.yaml) is reported.

Measures, per set and platform: health inside the range; the engine's first sin inside the set
(a plan where no sin stands out counts as right when the reviewers call it healthy); recall
of must-appear concepts; must-not hits as a share of all findings; Spearman rank correlation of
health with the point estimates. Findings whose rule maps to no concept the reviewers named are
listed apart, for review after the run, never relabelled.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qunce.engine.model.report import HEALTHY_FROM as HEALTHY  # the reviewers' bands are the report's

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "calibration"
RESULTS = CORPUS / "results.json"
SETS = ("dev", "holdout")
MEASURES = ("health_in_range", "first_sin", "recall", "must_not_share", "rank_correlation")
# Direction of each measure: higher is better, except the must-not share.
LOWER_IS_BETTER = {"must_not_share"}


@dataclass
class Label:
    low: float
    high: float
    point: float
    sins: set[str]
    must: set[str]
    must_not: set[str]
    completeness: float | None


@dataclass
class Outcome:
    plan: str
    platform: str
    label: Label
    health: int | None
    completeness: int | None
    first_sin: str
    rules: list[str]
    raised: set[str] = field(default_factory=set)

    @property
    def in_range(self) -> bool:
        return self.health is not None and self.label.low <= self.health <= self.label.high

    @property
    def sin_ok(self) -> bool:
        if self.first_sin == "none":
            return self.label.point >= HEALTHY
        return self.first_sin in self.label.sins


def merge(labels: list[dict[str, Any]]) -> Label:
    """Two reviewers' labels as one (see the module docstring)."""
    healths = [lb["health"] for lb in labels]
    comp = [lb["completeness"] for lb in labels if isinstance(lb.get("completeness"), (int, float))]
    return Label(
        low=min(h["low"] for h in healths), high=max(h["high"] for h in healths),
        point=sum(h["point"] for h in healths) / len(healths),
        sins=set().union(*(set(lb["top_sins"][:2]) for lb in labels)),
        must=set.intersection(*(set(lb.get("must_appear") or []) for lb in labels)),
        must_not=set().union(*(set(lb.get("must_not") or []) for lb in labels)),
        completeness=sum(comp) / len(comp) if comp else None)


def load_labels(set_name: str) -> dict[str, Label]:
    reviewers = sorted(p for p in (CORPUS / "labels").iterdir() if p.is_dir())
    by_plan: dict[str, list[dict]] = defaultdict(list)
    for reviewer in reviewers:
        for f in sorted((reviewer / set_name).glob("*.yaml")):
            by_plan[f.stem].append(yaml.safe_load(f.read_text(encoding="utf-8")))
    return {name: merge(lbs) for name, lbs in by_plan.items()}


def load_mapping() -> dict[str, Any]:
    return yaml.safe_load((CORPUS / "mapping.yaml").read_text(encoding="utf-8"))["concepts"]


def raised(concept: str, mapping: dict[str, Any], rules: set[str], completeness: int | None,
           reassured: list[str] | None = None) -> bool:
    spec = mapping.get(concept) or []
    if isinstance(spec, dict):
        if "reassured" in spec:
            return bool(reassured)
        below = spec.get("completeness-below")
        return completeness is not None and below is not None and completeness < below
    return bool(rules & set(spec))


def concept_rules(concepts: set[str], mapping: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for c in concepts:
        spec = mapping.get(c) or []
        if isinstance(spec, list):
            out |= set(spec)
    return out


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def run_set(set_name: str, mapping: dict[str, Any], today: str | None = None) -> list[Outcome]:
    from datetime import date

    from qunce.engine.api import CheckOptions, check_file, load_rules

    rules = load_rules()
    options = CheckOptions(today=date.fromisoformat(today) if today else None)
    labels = load_labels(set_name)
    out = []
    for path in sorted((CORPUS / "plans" / set_name).glob("*.yaml")):
        if path.stem not in labels:
            raise SystemExit(f"{path}: no labels (label every plan before running qunce on it)")
        result = check_file(str(path), rules, options)
        # the loader qunce itself uses (libyaml's): the pure-Python one rejects a '?' inside a flow list
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}
        platform = str((data.get("structure") or {}).get("platform") or "none")
        fired = [f.rule for f in result.findings]
        completeness = getattr(result, "completeness", None)
        o = Outcome(path.stem, platform, labels[path.stem], result.health, completeness,
                    result.first_sin or "none", fired)
        o.raised = {c for c in o.label.must if raised(c, mapping, set(fired), completeness, result.reassured)}
        out.append(o)
    return out


def spearman(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None

    def ranks(v: list[float]) -> list[float]:
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else None


def measure(outcomes: list[Outcome], mapping: dict[str, Any]) -> dict[str, Any]:
    n = len(outcomes)
    must = sum(len(o.label.must) for o in outcomes)
    findings = sum(len(o.rules) for o in outcomes)
    wrong = sum(1 for o in outcomes for r in o.rules if r in concept_rules(o.label.must_not, mapping))
    rho = spearman([o.health or 0 for o in outcomes], [o.label.point for o in outcomes])
    return {
        "plans": n,
        "health_in_range": round(sum(o.in_range for o in outcomes) / n, 3) if n else None,
        "first_sin": round(sum(o.sin_ok for o in outcomes) / n, 3) if n else None,
        "recall": round(sum(len(o.raised) for o in outcomes) / must, 3) if must else None,
        "must_not_share": round(wrong / findings, 3) if findings else 0.0,
        "rank_correlation": round(rho, 3) if rho is not None else None,
        "findings": findings,
    }


def unlabelled(outcomes: list[Outcome], mapping: dict[str, Any]) -> Counter:
    """Findings whose rule maps to no concept the reviewers named on that plan."""
    c: Counter = Counter()
    for o in outcomes:
        named = concept_rules(o.label.must | o.label.must_not, mapping)
        c.update(r for r in o.rules if r not in named)
    return c


def pct(v: Any) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def table(name: str, outcomes: list[Outcome], mapping: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rows = []
    overall = measure(outcomes, mapping)
    by_platform: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_platform[o.platform].append(o)
    head = f"{'set/platform':<22}{'plans':>6}{'health':>8}{'sin':>6}{'recall':>8}{'must-not':>10}{'rho':>7}"
    rows.append(head)
    for platform in sorted(by_platform):
        m = measure(by_platform[platform], mapping)
        rows.append(f"{name + '/' + platform:<22}{m['plans']:>6}{pct(m['health_in_range']):>8}{pct(m['first_sin']):>6}"
                    f"{pct(m['recall']):>8}{pct(m['must_not_share']):>10}"
                    f"{'' if m['rank_correlation'] is None else format(m['rank_correlation'], '.2f'):>7}")
    m = overall
    rows.append(f"{name + '/ALL':<22}{m['plans']:>6}{pct(m['health_in_range']):>8}{pct(m['first_sin']):>6}"
                f"{pct(m['recall']):>8}{pct(m['must_not_share']):>10}"
                f"{'' if m['rank_correlation'] is None else format(m['rank_correlation'], '.2f'):>7}")
    return "\n".join(rows), overall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=(*SETS, "all"), default="all")
    ap.add_argument("--record", action="store_true", help="write the figures to tests/calibration/results.json")
    ap.add_argument("--today", default="2026-11-27", help="date rules are evaluated as of (default: the corpus date)")
    ap.add_argument("-v", "--verbose", action="store_true", help="per plan, and the findings nobody labelled")
    args = ap.parse_args(argv)
    mapping = load_mapping()
    figures = {}
    for name in (SETS if args.set == "all" else (args.set,)):
        outcomes = run_set(name, mapping, args.today)
        text, overall = table(name, outcomes, mapping)
        figures[name] = overall
        print(text)
        if args.verbose:
            for o in outcomes:
                missed = sorted(o.label.must - o.raised)
                wrong = sorted(set(o.rules) & concept_rules(o.label.must_not, mapping))
                print(f"  {o.plan:<34} health {o.health!s:>3} in [{o.label.low:g},{o.label.high:g}] "
                      f"{'ok ' if o.in_range else 'OUT'}  sin {o.first_sin:<11}{'ok' if o.sin_ok else 'NO'}"
                      f"  missed {missed}  wrong {wrong}")
            print("  findings nobody labelled: " + ", ".join(f"{r} ×{n}" for r, n in unlabelled(outcomes, mapping).most_common()))
        print()
    if args.record:  # a set not run this time keeps its recorded figures
        recorded = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        figures = {name: figures.get(name, recorded.get(name)) for name in SETS if name in figures or name in recorded}
        RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"recorded in {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
