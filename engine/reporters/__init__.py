"""Reporters by name: one module per output format, each a small streaming class.

A reporter writes `begin()`, then `file(result)` for each plan as it is checked, then
`end(tally)`: so `qunce check` over 10,000 plans never holds them all. `render(report, fmt)` is
the same three calls over a finished Report. The CLI's --format choices and help come from this
registry; modules are imported on use so that start-up stays light.
"""

from __future__ import annotations

import json as _json  # not `json`: the submodule reporters.json takes that name here
import re
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

# What must never reach a terminal or a code-scanning UI raw: C0 and C1 controls (ESC starts
# colour, cursor and OSC title sequences; a newline would forge a report line), DEL, the bidi
# embeddings, overrides and isolates (they reorder what is shown), and the Unicode line breaks.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_IN_JSON = re.compile(UNSAFE.pattern.replace("\\x00-\\x1f", ""))  # json.dumps escapes C0 itself
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def visible(text: object) -> str:
    """Text for a terminal: every unsafe character shown as an escape (`\\e]0;x\\a` -> `\\e]0;x\\x07`,
    a newline as `\\n`, U+202E as `\\u202e`, a file name's byte 0xFF as `\\xff`), everything else
    (Chinese included) as it is."""
    return UNSAFE.sub(_shown, str(text))


def _shown(m: re.Match) -> str:
    ch = m.group()
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if code < 0x100:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def json_text(data: object, indent: int | None = 2) -> str:
    """JSON with Chinese kept readable and every unsafe character (see UNSAFE) as a \\u escape:
    valid JSON that holds the same strings, with no raw control or bidi character in it."""
    out = _json.dumps(data, ensure_ascii=False, indent=indent)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


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
