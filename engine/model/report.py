"""The result records every reporter reads: one Finding per rule hit, one FileResult per plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple

from ..errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from ..i18n import DEFAULT_LANG, plain, t
from .domain import SINS

SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Problem:
    """One reason a plan cannot be used: a load error or a schema violation (or a notice).

    It keeps the catalog code and its parameters, not a sentence: `message(lang)` says it in the
    reader's language when it is shown. Parameters are JSON data; a piece of text inside them
    (a field's title, a did-you-mean, a list of choices) is an i18n phrase (`say`, `both`,
    `joined`) translated with the message; a library's own words (PyYAML, jsonschema, a Python
    exception) are a plain string parameter."""

    code: str
    params: dict[str, Any]
    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    severity: str = "error"

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", plain(dict(self.params)))

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.code, lang, **self.params)

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message(lang),
                "line": self.line, "column": self.column, "path": self.path}


class FindingText(NamedTuple):
    """A finding's four texts in one language."""

    title: str
    message: str
    rationale: str
    remedy: str


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one plan: what, where, why it matters and what to do.

    Where its texts come from: a finding holds them in every catalog language, keyed by
    language, and `text(lang)` picks one at output. The title, rationale and remedy are the
    rule's own {zh, en} fields (data, shared with the rule, small, picklable); the message is
    the rule's template rendered for each language when the rule fires, inside the evaluation
    (sandboxed, and under the file's time and memory bound, in a killable worker for a user's
    pack). Rendering at output instead would need the plan's data kept in the finding (messages
    read `plan.…` and run filters over it) and would run a user's template outside any bound;
    rendering both languages costs one more small render per finding that fires. So the result
    of a check is the same whatever language it is read in, and a worker need not know it."""

    rule: str
    sin: str | None
    category: str
    severity: str
    texts: dict[str, FindingText]  # language -> its texts (every language in i18n.LANGS)
    file: str
    line: int | None
    column: int | None
    path: str
    weight: int = 0
    basis: str = "declared"  # missing (the plan does not say) | declared | observed

    def text(self, lang: str = DEFAULT_LANG) -> FindingText:
        """The title, message, rationale and remedy in `lang` (the default language's if absent)."""
        return self.texts.get(lang) or self.texts[DEFAULT_LANG]

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        text = self.text(lang)
        return {"rule": self.rule, "sin": self.sin, "category": self.category, "severity": self.severity,
                "title": text.title, "message": text.message, "line": self.line, "column": self.column,
                "path": self.path, "rationale": text.rationale, "remedy": text.remedy, "weight": self.weight,
                "basis": self.basis}


@dataclass
class FileResult:
    """Everything qunce learnt about one input file."""

    path: str
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    load_failed: bool = False
    checked: bool = False
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[dict[str, Any]] = field(default_factory=list)
    engine_errors: list[Problem] = field(default_factory=list)
    risk: dict[str, int] = field(default_factory=dict)
    health: int | None = None
    completeness: int | None = None  # how much of what a plan should answer it answers (0-100)
    open: list[str] = field(default_factory=list)  # what it leaves unanswered (plan paths)
    reassured: list[str] = field(default_factory=list)  # sins whose observed figures raise no alarm
    first_sin: str | None = None  # the sin most likely to kill it first; None when none stands out
    name: str | None = None  # the community's name, for summaries

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self, lang: str = DEFAULT_LANG) -> dict[str, Any]:
        """The result in the JSON report's shape, its texts in `lang`."""
        out: dict[str, Any] = {
            "path": self.path,
            "valid": self.valid,
            "errors": [p.to_dict(lang) for p in self.errors],
            "notices": [p.to_dict(lang) for p in self.notices],
        }
        if self.checked:
            out.update({
                "findings": [f.to_dict(lang) for f in self.findings],
                "suppressed": self.suppressed,
                "engine_errors": [p.to_dict(lang) for p in self.engine_errors],
                "risk": self.risk,
                "health": self.health,
                "completeness": self.completeness,
                "open": self.open,
                "reassured": self.reassured,
                "first_sin": self.first_sin,
            })
        return out


@dataclass
class Tally:
    """Running counts over results: what a summary and an exit code need, without keeping the
    results themselves (so 10,000 plans stream through in constant memory)."""

    files: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    findings: dict[str, int] = field(default_factory=lambda: {s: 0 for s in SEVERITIES})
    suppressed: int = 0
    engine_errors: int = 0
    worst: int | None = None  # index in SEVERITIES of the most severe finding seen

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.valid += result.valid
        self.invalid += not result.valid and not result.load_failed
        self.unreadable += result.load_failed
        for finding in result.findings:
            self.findings[finding.severity] += 1
            rank = SEVERITIES.index(finding.severity)
            self.worst = rank if self.worst is None else min(self.worst, rank)
        self.suppressed += len(result.suppressed)
        self.engine_errors += len(result.engine_errors)

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "valid": self.valid, "invalid": self.invalid, "unreadable": self.unreadable,
                "findings": dict(self.findings), "suppressed": self.suppressed, "engine_errors": self.engine_errors}

    def exit_code(self, fail_on: str = "warning") -> int:
        """2 when an input could not be read (or a rule could not run), 1 for invalid plans or
        findings at or above `fail_on`, else 0."""
        if self.unreadable or self.engine_errors:
            return EXIT_ERROR
        if self.invalid:
            return EXIT_FINDINGS
        if fail_on != "never" and self.worst is not None and self.worst <= SEVERITIES.index(fail_on):
            return EXIT_FINDINGS
        return EXIT_OK


@dataclass
class Report:
    """The results of one run over one or more files, in a stable order, and the language they
    are to be read in (the results themselves hold every language)."""

    files: list[FileResult] = field(default_factory=list)
    lang: str = DEFAULT_LANG

    def tally(self) -> Tally:
        tally = Tally()
        for f in self.files:
            tally.add(f)
        return tally

    def summary(self) -> dict[str, Any]:
        return self.tally().to_dict()

    def exit_code(self, fail_on: str = "warning") -> int:
        return self.tally().exit_code(fail_on)


# ---- risk and health: the formula is in docs/scoring.md ----------------------------------------
# Weights combine like independent chances of failure, so many small findings add up, no score
# passes 100, and one finding cannot be outweighed by counting it twice in two places.

HEALTHY_FROM = 75  # health bands, as the calibration reviewers label them: healthy from 75,
AT_RISK_FROM = 40  # at risk from 40, sick below


@dataclass(frozen=True)
class Scoring:
    """How much a finding counts toward risk and health (docs/scoring.md): only substantive
    signals do. A finding that only says the plan is silent on something (basis `missing`) and an
    info finding count for nothing here (completeness measures gaps); an observed figure over its
    alarm line weighs more; a declared weakness (a warning) of a sin whose observed figures look
    healthy (`reassured`) weighs less."""

    observed_weight: float = 1.5
    reassured_weight: float = 0.5
    reassured: frozenset[str] = frozenset()
    health_scale: float = 100.0  # a counted finding costs health weight/health_scale of it
    category_weight: tuple[tuple[str, float], ...] = ()  # categories that threaten one activity, not the group
    first_sin_min: int = 25  # a sin leads the diagnosis only from this risk on
    # below the healthy band the plan is at risk by its own score: then a sin leads from at_risk_min,
    # the weight of one finding that alone threatens a group
    at_risk_min: int = 20
    # (consequence, cause): the consequence sin's observed findings count toward the cause sin as well
    # (members leaving because of ads or an absent owner are that sin's toll, docs/scoring.md)
    cause: tuple[str, str] | None = None
    unseen: float = 0.0  # the risk no rule sees, taken off every health (a clean check is not a guarantee)
    unseen_strength: float = 0.0  # the strength no rule sees: the floor of every health while the group still talks
    declared_health: float = 1.0  # the share of its weight a declared warning costs health (the plan's word, not evidence)
    # (figure, fact): observed figures that measure one underlying fact (the members went quiet, nobody
    # tends the chat); in health the heaviest alarm of a fact counts, the others are still reported
    same_fact: tuple[tuple[str, str], ...] = ()
    rule_once: bool = False  # in health one rule's judgement on several items of the plan (every group) counts once

    def weight(self, f: Finding) -> float:
        if f.severity == "info" or f.basis == "missing":
            return 0.0
        w = float(min(max(f.weight, 0), 100)) * dict(self.category_weight).get(f.category, 1.0)
        if f.basis == "observed":
            return min(100.0, w * self.observed_weight)
        if f.sin in self.reassured and f.severity != "error":  # evidence never excuses a missing owner
            return w * self.reassured_weight
        return w

    def lead_min(self, health: int | None) -> int:
        """The risk a sin needs to lead: first_sin_min, or at_risk_min when the health is under the
        healthy band (a plan the report calls at risk names what it is at risk of, docs/scoring.md)."""
        if health is not None and health < HEALTHY_FROM:
            return min(self.first_sin_min, self.at_risk_min)
        return self.first_sin_min


def health_band(score: int) -> str:
    """'good' (healthy), 'watch' (at risk) or 'risk' (sick): one reading of the bands for the text
    report, the plan document and the bar a first sin must reach."""
    return "good" if score >= HEALTHY_FROM else "watch" if score >= AT_RISK_FROM else "risk"


def first_sin(risks: dict[str, int], least: int = Scoring.first_sin_min) -> str | None:
    """The sin with the highest risk, when it reaches `least`: a 10% risk is no sin to lead with."""
    if not risks:
        return None
    sin = max(SINS, key=lambda s: risks.get(s, 0))  # ties go to the earlier sin, the deadlier by DOMAIN §7
    return sin if risks.get(sin, 0) >= least else None


def counted(findings: Iterable[Finding], scoring: Scoring = Scoring()) -> list[Finding]:
    """The findings risk and health count: one observed figure counts once. Where several observed
    findings point at the same figure (its alarm line, its trend since the last snapshot), only the
    heaviest counts; the others are still reported (docs/scoring.md)."""
    findings = list(findings)
    heaviest: dict[tuple, Finding] = {}
    for f in findings:
        if f.basis == "observed" and f.path:
            best = heaviest.get((f.sin, f.path))
            if best is None or scoring.weight(f) > scoring.weight(best):
                heaviest[(f.sin, f.path)] = f
    return [f for f in findings if f.basis != "observed" or not f.path or heaviest[(f.sin, f.path)] is f]


def risk(findings: Iterable[Finding], scoring: Scoring = Scoring()) -> dict[str, int]:
    """risk(sin) = 100 × (1 − Π(1 − wᵢ/100)) over that sin's counted findings."""
    survive = {sin: 1.0 for sin in SINS}
    for f in counted(findings, scoring):
        if f.sin in survive:
            survive[f.sin] *= 1 - scoring.weight(f) / 100
        if scoring.cause and f.sin == scoring.cause[0] and f.basis == "observed" and scoring.cause[1] in survive:
            survive[scoring.cause[1]] *= 1 - scoring.weight(f) / 100
    return {sin: round(100 * (1 - s)) for sin, s in survive.items()}


def health(findings: Iterable[Finding], scoring: Scoring = Scoring()) -> int:
    """health = 100 × (f/100 + (1 − (u + f)/100) × Π(1 − dᵢ·wᵢ/s)) over all counted findings,
    s = facts.scoring.health_scale, u = facts.scoring.unseen_risk, f = facts.scoring.unseen_strength,
    dᵢ = facts.scoring.declared_warning_health for a declared warning and 1 otherwise: what no rule
    sees keeps health off both ends, and a plan's own word costs less than an error or a figure.
    One thing costs health once, its heaviest finding: observed alarms on figures of one underlying
    fact (facts.scoring.same_fact), and one rule's judgement of the plan on several of its items
    (every group over the scan-join cap) (docs/scoring.md)."""
    top = 1 - min(max(scoring.unseen, 0.0), 100.0) / 100
    floor = min(max(scoring.unseen_strength, 0.0), 100.0) / 100
    floor = min(floor, top)
    score = 1.0
    facts, told = dict(scoring.same_fact), set()
    for f in sorted(counted(findings, scoring), key=lambda f: -scoring.weight(f)):
        if f.basis == "observed":
            fact = facts.get((f.path or "").rsplit(".", 1)[-1])
        else:
            fact = ("rule", f.rule) if scoring.rule_once else None
        if fact is not None and fact in told:
            continue
        told.add(fact)
        share = scoring.declared_health if f.severity == "warning" and f.basis == "declared" else 1.0
        score *= max(0.0, 1 - share * scoring.weight(f) / scoring.health_scale)
    return round(100 * (floor + (top - floor) * score))
