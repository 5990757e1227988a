"""SARIF 2.1.0, so findings show up in code-scanning tools (GitHub code scanning and others)."""

from __future__ import annotations

import json
from pathlib import Path

from ..domain import SINS
from ..report import Report

LEVELS = {"error": "error", "warning": "warning", "info": "note", "notice": "note"}
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def to_data(report: Report, rules: list | None = None) -> dict:
    from qunce import __version__

    descriptors: dict[str, dict] = {}
    for rule in rules or []:
        descriptors[rule.id] = {
            "id": rule.id,
            "name": rule.id.replace(".", "/"),
            "shortDescription": {"text": rule.title[report.lang]},
            "fullDescription": {"text": rule.rationale[report.lang]},
            "help": {"text": rule.remedy[report.lang]},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
            "properties": {"tags": [x for x in (rule.sin, rule.category) if x], "weight": rule.weight},
        }
    results = []
    for f in report.files:
        uri = _uri(f.path)
        items = [(p.code, p.severity, p.message, p.line, p.column, None) for p in [*f.errors, *f.engine_errors]]
        items += [(x.rule, x.severity, x.message, x.line, x.column, x) for x in f.findings]
        for rule_id, severity, message, line, column, finding in items:
            if rule_id not in descriptors:
                descriptors[rule_id] = {"id": rule_id, "shortDescription": {"text": rule_id},
                                        "defaultConfiguration": {"level": LEVELS.get(severity, "error")}}
            location = {"physicalLocation": {"artifactLocation": {"uri": uri}}}
            if line:
                location["physicalLocation"]["region"] = {"startLine": line, "startColumn": column or 1}
            result = {"ruleId": rule_id, "level": LEVELS.get(severity, "error"), "message": {"text": message},
                      "locations": [location]}
            if finding is not None:
                result["properties"] = {"sin": finding.sin, "category": finding.category,
                                        "remedy": finding.remedy, "path": finding.path}
                result["partialFingerprints"] = {"qunceRule/path": f"{finding.rule}@{finding.path}"}
            results.append(result)
    ids = list(descriptors)
    for r in results:
        r["ruleIndex"] = ids.index(r["ruleId"])
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "qunce", "version": __version__, "informationUri": "https://pypi.org/project/qunce/",
                                "rules": list(descriptors.values())}},
            "results": results,
            "properties": {"risk": {f.path: f.risk for f in report.files if f.checked},
                           "health": {f.path: f.health for f in report.files if f.checked},
                           "sins": list(SINS)},
        }],
    }


def render(report: Report, rules: list | None = None) -> str:
    return json.dumps(to_data(report, rules), ensure_ascii=False, indent=2) + "\n"
