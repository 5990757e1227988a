"""SARIF 2.1.0, so findings show up in code-scanning tools (GitHub code scanning and others)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from ..model.domain import SINS
from ..model.report import FileResult, Tally
from . import Reporter as Base, json_text

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


def _descriptor(rule: Any, lang: str) -> dict:
    return {
        "id": rule.id,
        "name": rule.id.replace(".", "/"),
        "shortDescription": {"text": rule.title[lang]},
        "fullDescription": {"text": rule.rationale[lang]},
        "help": {"text": rule.remedy[lang]},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [x for x in (rule.sin, rule.category) if x], "weight": rule.weight},
    }


def _dump(data: object) -> str:
    return json_text(data)


class Reporter(Base):
    """Results are written as files are checked; the rule descriptors (the bundled rules plus any
    error code met on the way) and the per-file scores close the run."""

    def __init__(self, lang: str = "zh", **kwargs: Any) -> None:
        super().__init__(lang, **kwargs)
        self.descriptors = {r.id: _descriptor(r, lang) for r in self.rules}
        self.index = {rule_id: i for i, rule_id in enumerate(self.descriptors)}
        self.scores: dict[str, dict] = {}
        self.first = True

    def begin(self) -> str:
        return f'{{\n  "$schema": "{SCHEMA_URI}",\n  "version": "2.1.0",\n  "runs": [\n    {{\n      "results": ['

    def _rule_index(self, rule_id: str, severity: str) -> int:
        if rule_id not in self.index:
            self.descriptors[rule_id] = {"id": rule_id, "shortDescription": {"text": rule_id},
                                         "defaultConfiguration": {"level": LEVELS.get(severity, "error")}}
            self.index[rule_id] = len(self.index)
        return self.index[rule_id]

    def file(self, f: FileResult) -> str:
        uri = _uri(f.path)
        if f.checked:
            self.scores[f.path] = {"risk": f.risk, "health": f.health, "completeness": f.completeness,
                                   "first_sin": f.first_sin}
        lang = self.lang
        items = [(p.code, p.severity, p.message(lang), p.line, p.column, None) for p in [*f.errors, *f.engine_errors]]
        items += [(x.rule, x.severity, x.text(lang).message, x.line, x.column, x) for x in f.findings]
        chunks = []
        for rule_id, severity, message, line, column, finding in items:
            location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}}}
            if line:
                location["physicalLocation"]["region"] = {"startLine": line, "startColumn": column or 1}
            result: dict[str, Any] = {"ruleId": rule_id, "ruleIndex": self._rule_index(rule_id, severity),
                                      "level": LEVELS.get(severity, "error"), "message": {"text": message},
                                      "locations": [location]}
            if finding is not None:
                result["properties"] = {"sin": finding.sin, "category": finding.category,
                                        "remedy": finding.text(lang).remedy, "path": finding.path}
                result["partialFingerprints"] = {"qunceRule/path": f"{finding.rule}@{finding.path}"}
            chunks.append(("\n" if self.first else ",\n") + textwrap.indent(_dump(result), " " * 8))
            self.first = False
        return "".join(chunks)

    def end(self, tally: Tally) -> str:
        from qunce import __version__

        driver = {"name": "qunce", "version": __version__, "informationUri": "https://pypi.org/project/qunce/",
                  "rules": list(self.descriptors.values())}
        tail = {"tool": {"driver": driver}, "properties": {"scores": self.scores, "sins": list(SINS)}}
        body = _dump(tail)[1:-1].strip("\n")  # the object's members, to continue the open run object
        close = "]" if self.first else "\n      ]"
        return f"{close},\n{textwrap.indent(body, ' ' * 4)}\n    }}\n  ]\n}}\n"
