"""Inline SVG charts for qunce's HTML outputs, one module per chart over a common base.

Every function is pure and returns one self-contained ``<svg>`` string: no scripts, no external
fonts or images, no element ids (several charts may share one HTML page), so a generated report
opens offline and can be diffed against golden files. The views hand over the data (points,
labels); only this package draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .activity import activity
from .common import FONT_STACK
from .funnel import funnel
from .heatmap import heatmap
from .radar import radar
from .timeline import timeline
from .week import week_grid

__all__ = ["FONT_STACK", "CHARTS", "draw", "radar", "timeline", "funnel", "week_grid", "activity", "heatmap"]

CHARTS: dict[str, Callable[..., str]] = {"radar": radar, "timeline": timeline, "funnel": funnel, "week_grid": week_grid,
                                 "activity": activity, "heatmap": heatmap}


def draw(spec: Mapping[str, Any]) -> str:
    """Draw a view's chart data: {"chart": name, "data": rows, **the chart's keyword options}."""
    options = {k: v for k, v in spec.items() if k not in ("chart", "data")}
    return CHARTS[spec["chart"]](spec["data"], **options)
