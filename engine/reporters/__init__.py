"""Reporters by name: one function per output format over one Report.

The CLI's --format choices and help come from this registry, so adding a format is one entry.
"""

from __future__ import annotations

from typing import Callable

from ..report import Report

Reporter = Callable[..., str]


def _text(report: Report, *, color: bool = False, **_: object) -> str:
    from .text import render

    return render(report, color=color)


def _json(report: Report, **_: object) -> str:
    from .json import render

    return render(report)


REPORTERS: dict[str, Reporter] = {"text": _text, "json": _json}


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    return REPORTERS[fmt](report, color=color)
