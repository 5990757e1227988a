"""The result records every reporter reads: one Finding per rule hit, one FileResult per plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Problem:
    """One reason a plan cannot be used: a load error or a schema violation."""

    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    severity: str = "error"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "line": self.line, "column": self.column, "path": self.path}


@dataclass(frozen=True)
class Finding:
    """A rule's verdict on one plan: what, where, why it matters and what to do."""

    rule: str
    sin: str | None
    category: str
    severity: str
    title: str
    message: str
    file: str
    line: int | None
    column: int | None
    path: str
    rationale: str
    remedy: str
    weight: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "sin": self.sin, "category": self.category, "severity": self.severity,
                "title": self.title, "message": self.message, "line": self.line, "column": self.column,
                "path": self.path, "rationale": self.rationale, "remedy": self.remedy, "weight": self.weight}


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
    name: str | None = None  # the community's name, for summaries

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "valid": self.valid,
            "errors": [p.to_dict() for p in self.errors],
            "notices": [p.to_dict() for p in self.notices],
        }
        if self.checked:
            out.update({
                "findings": [f.to_dict() for f in self.findings],
                "suppressed": self.suppressed,
                "engine_errors": [p.to_dict() for p in self.engine_errors],
                "risk": self.risk,
                "health": self.health,
            })
        return out


@dataclass
class Report:
    """The results of one run over one or more files, in a stable order."""

    files: list[FileResult] = field(default_factory=list)
    lang: str = "zh"

    def summary(self) -> dict[str, Any]:
        counts = {s: 0 for s in SEVERITIES}
        for f in self.files:
            for finding in f.findings:
                counts[finding.severity] += 1
        return {
            "files": len(self.files),
            "valid": sum(1 for f in self.files if f.valid),
            "invalid": sum(1 for f in self.files if not f.valid and not f.load_failed),
            "unreadable": sum(1 for f in self.files if f.load_failed),
            "findings": counts,
            "suppressed": sum(len(f.suppressed) for f in self.files),
            "engine_errors": sum(len(f.engine_errors) for f in self.files),
        }

    def exit_code(self, fail_on: str = "warning") -> int:
        """2 when an input could not be read (or a rule could not run), 1 for invalid plans or
        findings at or above `fail_on`, else 0."""
        if any(f.load_failed or f.engine_errors for f in self.files):
            return EXIT_ERROR
        if any(not f.valid for f in self.files):
            return EXIT_FINDINGS
        if fail_on != "never":
            limit = SEVERITIES.index(fail_on)
            for f in self.files:
                if any(SEVERITIES.index(x.severity) <= limit for x in f.findings):
                    return EXIT_FINDINGS
        return EXIT_OK
