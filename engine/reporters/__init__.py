"""Reporters by name: one module per output format, each a `render(report, ...)` over one Report.

The CLI's --format choices and help come from this registry, so adding a format is one entry.
Modules are imported on use so that start-up stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ..report import Report

REPORTERS: dict[str, str] = {
    "text": "aligned terminal output (colour on a TTY)",
    "json": "the stable JSON contract (schemas/report.schema.json)",
    "sarif": "SARIF 2.1.0 for code-scanning tools",
    "markdown": "a Markdown review report",
}
VALIDATE_FORMATS = ("text", "json")


def render(report: Report, fmt: str, *, color: bool = False, rules: list | None = None) -> str:
    module: Any = import_module(f"{__name__}.{fmt}")
    if fmt == "text":
        return module.render(report, color=color)
    if fmt == "sarif":
        return module.render(report, rules)
    return module.render(report)
