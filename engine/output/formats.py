"""The one registry of document formats: for each document (the SOP checklist, the operations plan)
each format's name, description, media type, file extensions and renderer. The CLI's choices and
help, `infer()` and the tests read it; rendering dispatches through it. The evidence report of
`qunce observe --report` has its formats here too.

Import-light on purpose (the CLI imports it at start-up): a renderer is named as
"module:function" inside engine.output and imported only when a document is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any, Callable


@dataclass(frozen=True)
class Format:
    """One output format of one document."""

    name: str
    description: str
    media_type: str
    extensions: tuple[str, ...]
    renderer: str  # "module:function" in engine.output

    def __str__(self) -> str:  # the CLI's help prints "name: description"
        return self.description

    def render(self) -> Callable[..., Any]:
        """The renderer function, imported now (not at start-up)."""
        module, _, function = self.renderer.partition(":")
        return getattr(import_module(f"{__package__}.{module}"), function)


SOP_FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("md", "a Markdown task list (- [ ]) that pastes into 飞书/Notion/语雀 documents", "text/markdown",
           (".md", ".markdown"), "sop_document:render_template"),
    Format("html", "a self-contained HTML page (inline CSS, print-friendly; campaigns get an SVG funnel)", "text/html",
           (".html", ".htm"), "sop_document:render_template"),
    Format("ics", "an iCalendar file: one event per task with a reminder; re-importing updates the events",
           "text/calendar", (".ics",), "sop_document:render_ics"),
    Format("json", "the documented JSON contract (version 1)", "application/json", (".json",),
           "sop_document:render_json"),
)}
PLAN_FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("md", "Markdown", "text/markdown", (".md", ".markdown"), "plan_document:render_plan"),
    Format("html", "one self-contained HTML file (inline CSS and SVG, print CSS for A4)", "text/html",
           (".html", ".htm"), "plan_document:render_plan"),
)}
REPORT_FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("html", "one self-contained HTML file (inline CSS and SVG, no script; prints on A4, reads on a phone)",
           "text/html", (".html", ".htm"), "evidence_report:render_report"),
    Format("md", "Markdown (the same sections and figures; tables instead of charts)", "text/markdown",
           (".md", ".markdown"), "evidence_report:render_report"),
)}


def infer(fmt: str | None, output: str | None, choices: dict[str, Format], default: str = "md") -> str:
    """--format wins; else the -o extension when it names one of `choices`; else the default."""
    if fmt:
        return fmt
    if output:
        suffix = Path(output).suffix.lower()
        for spec in choices.values():
            if suffix in spec.extensions:
                return spec.name
    return default
