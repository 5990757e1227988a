"""Inline SVG charts for qunce's HTML outputs, one module per chart over a common base.

Every function is pure and returns one self-contained ``<svg>`` string: no scripts, no external
fonts or images, no element ids (several charts may share one HTML page), so a generated report
opens offline and can be diffed against golden files. The views hand over the data (points,
labels); only this package draws.
"""

from __future__ import annotations

from .common import FONT_STACK
from .funnel import funnel
from .radar import radar
from .timeline import timeline
from .week import week_grid

__all__ = ["FONT_STACK", "radar", "timeline", "funnel", "week_grid"]
