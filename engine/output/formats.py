"""Output formats of the document commands, by name: the CLI's choices and help read these, and a
format can be inferred from the output file's extension. Kept import-light for start-up."""

from __future__ import annotations

from pathlib import Path

SOP_FORMATS: dict[str, str] = {
    "md": "a Markdown task list (- [ ]) that pastes into 飞书/Notion/语雀 documents",
    "html": "a self-contained HTML page (inline CSS, print-friendly; campaigns get an SVG funnel)",
    "ics": "an iCalendar file: one event per task with a reminder; re-importing updates the events",
    "json": "the documented JSON contract (version 1)",
}
PLAN_FORMATS: dict[str, str] = {
    "md": "Markdown",
    "html": "one self-contained HTML file (inline CSS and SVG, print CSS for A4)",
}
EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".ics": "ics", ".json": "json"}


def infer(fmt: str | None, output: str | None, choices: dict[str, str], default: str = "md") -> str:
    """--format wins; else the -o extension when it names one of `choices`; else the default."""
    if fmt:
        return fmt
    if output:
        guess = EXTENSIONS.get(Path(output).suffix.lower())
        if guess in choices:
            return guess
    return default
