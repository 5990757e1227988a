"""The risk radar: one spoke per sin, the plan's risk (0–100) as a filled polygon."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .common import _GRID, _BG, _RED, _clean, _esc, _fmt, _num, _clamp, _truncate, _text, _pts, _open, _close, _empty


def radar(
    axes: Sequence[tuple[str, float]],
    *,
    title: str,
    max_value: float = 100,
    empty_text: str = "无数据",
) -> str:
    """Spider chart of risk scores, so all failure modes are compared at a glance.

    The first axis points straight up and the rest follow clockwise.  Values are
    clamped to ``[0, max_value]`` and the clamped score is what the label shows.
    Three or more axes give a proper polygon; fewer still render without error.
    A non-positive ``max_value`` is a caller bug and raises ``ValueError``.
    """
    title = _clean(title)
    if not axes:
        return _empty("radar", title, empty_text)
    max_value = _num(max_value, 100.0)
    if max_value <= 0:
        raise ValueError("max_value must be positive")

    items = [(_clean(label), _clamp(_num(v), 0.0, max_value)) for label, v in axes]
    n = len(items)
    width = 540.0
    cx, cy, r = 270.0, 200.0, 125.0
    label_r = r + 14
    size = 13.0

    def angle(i: int) -> float:
        return -math.pi / 2 + 2 * math.pi * i / n

    def point(i: int, radius: float) -> tuple[float, float]:
        a = angle(i)
        # Round here so the same vertex is emitted identically everywhere.
        return (round(cx + radius * math.cos(a), 1), round(cy + radius * math.sin(a), 1))

    # Height follows the lowest label, so a 3-axis chart has no empty band.
    lowest = max(math.sin(angle(i)) for i in range(n))
    height = round(max(cy + r, cy + label_r * lowest + size * (0.35 + 0.5 * lowest)) + 18)

    desc = "; ".join(f"{label} {_fmt(v)}" for label, v in items)
    parts = _open("radar", width, height, title, desc)

    # Grid rings at 25/50/75/100 % of the scale.
    for frac in (0.25, 0.5, 0.75, 1.0):
        ring = [point(i, r * frac) for i in range(n)]
        fill = "#f9fafb" if frac == 1.0 else "none"
        stroke = "#9ca3af" if frac == 1.0 else _GRID
        parts.append(f'<polygon class="qc-radar-ring" points="{_pts(ring)}" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="1"/>')
    for i in range(n):
        x, y = point(i, r)
        parts.append(f'<line class="qc-radar-axis" x1="{_fmt(cx)}" y1="{_fmt(cy)}" '
                     f'x2="{_fmt(x)}" y2="{_fmt(y)}" stroke="{_GRID}" stroke-width="1"/>')
    # Scale values along the first (top) axis.
    for frac in (0.25, 0.5, 0.75, 1.0):
        parts.append(_text(cx + 4, cy - r * frac + 11, _fmt(max_value * frac), size=9,
                           fill="#9ca3af", cls="qc-radar-scale"))

    values = [point(i, r * v / max_value) for i, (_, v) in enumerate(items)]
    parts.append(f'<polygon class="qc-radar-value" points="{_pts(values)}" fill="{_RED}" '
                 f'fill-opacity="0.25" stroke="{_RED}" stroke-width="2" stroke-linejoin="round"/>')
    for (label, v), (x, y) in zip(items, values):
        parts.append(f'<circle class="qc-radar-dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.5" '
                     f'fill="{_RED}" stroke="{_BG}" stroke-width="1"><title>'
                     f"{_esc(label)} {_fmt(v)}</title></circle>")

    for i, (label, v) in enumerate(items):
        a = angle(i)
        c, s = round(math.cos(a), 6), round(math.sin(a), 6)
        lx, ly = cx + label_r * c, cy + label_r * s
        # Labels on the right start at the ring, on the left end at it, and near
        # the vertical axis they are centred, so text always grows away from it.
        anchor = "middle" if abs(c) < 0.2 else ("start" if c > 0 else "end")
        # Nudge top labels up and bottom labels down by half a line.
        y = ly + size * 0.35 + s * size * 0.5
        shown = f"{_truncate(label, 7)} {_fmt(v)}"
        parts.append(_text(lx, y, shown, size=size, anchor=anchor, weight="500",
                           full=f"{label} {_fmt(v)}", cls="qc-radar-label"))
    return _close(parts)
