"""One exception base and the exit codes, named in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXIT_OK = 0
EXIT_FINDINGS = 1  # findings at or above --fail-on, or an invalid plan
EXIT_ERROR = 2  # usage or input error: the input could not be read as a plan at all


@dataclass
class QunceError(Exception):
    """An error that stops one input from being processed; it carries where and why.

    `code` is a stable slug (tests and SARIF use it); the text is looked up in `engine.i18n`
    so the same error reads in Chinese or English.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.code)

    def message(self, lang: str = "zh") -> str:
        from .i18n import t

        return t(self.code, lang, **self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.message('en')}"


class PlanLoadError(QunceError):
    """The plan's bytes could not be turned into data (encoding, YAML, bounds)."""


class RulePackError(QunceError):
    """A rule pack is broken; refusing it beats silently skipping its rules."""


class TemplateError(QunceError):
    """A user or bundled template failed to load or render."""


class OutputError(QunceError):
    """An output file could not be written safely."""


class UsageError(QunceError):
    """The request itself is wrong (unknown session id, missing argument...)."""
