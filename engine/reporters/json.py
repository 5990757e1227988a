"""The machine-readable contract (schemas/report.schema.json describes it)."""

from __future__ import annotations

import json

from ..report import Report

FORMAT_VERSION = 1


def to_data(report: Report) -> dict:
    return {"version": FORMAT_VERSION, "lang": report.lang,
            "files": [f.to_dict() for f in report.files], "summary": report.summary()}


def render(report: Report) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=2) + "\n"
