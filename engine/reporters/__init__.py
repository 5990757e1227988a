"""Reporters by name: one module per output format, each a small streaming class.

A reporter writes `begin()`, then `file(result)` for each plan as it is checked, then
`end(tally)`: so `qunce check` over 10,000 plans never holds them all. `render(report, fmt)` is
the same three calls over a finished Report. The CLI's --format choices and help come from this
registry; modules are imported on use so that start-up stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Iterable, Iterator

from ..model.report import FileResult, Report, Tally

REPORTERS: dict[str, str] = {
    "text": "aligned terminal output (colour on a TTY)",
    "json": "the stable JSON contract (schemas/report.schema.json)",
    "sarif": "SARIF 2.1.0 for code-scanning tools",
    "markdown": "a Markdown review report",
}
VALIDATE_FORMATS = ("text", "json")


class Reporter:
    """The interface every format implements."""

    def __init__(self, lang: str = "zh", *, color: bool = False, rules: list | None = None) -> None:
        self.lang, self.color, self.rules = lang, color, rules or []

    def begin(self) -> str:
        return ""

    def file(self, result: FileResult) -> str:
        raise NotImplementedError

    def end(self, tally: Tally) -> str:
        return ""


def reporter(fmt: str, lang: str = "zh", *, color: bool = False, rules: list | None = None) -> Reporter:
    module: Any = import_module(f"{__name__}.{fmt}")
    return module.Reporter(lang, color=color, rules=rules)


def stream(results: Iterable[FileResult], fmt: str, tally: Tally, lang: str = "zh", *, color: bool = False,
           rules: list | None = None) -> Iterator[str]:
    """Output chunks as results arrive; `tally` is filled in on the way for the exit code."""
    r = reporter(fmt, lang, color=color, rules=rules)
    yield r.begin()
    for result in results:
        tally.add(result)
        yield r.file(result)
    yield r.end(tally)


def render(report: Report, fmt: str, *, color: bool = False, rules: list | None = None) -> str:
    return "".join(stream(report.files, fmt, Tally(), report.lang, color=color, rules=rules))
