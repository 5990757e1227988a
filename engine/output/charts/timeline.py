"""The lifecycle timeline: phases as bands on a month axis, with markers such as "now"."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .common import _MUTED, _BG, _PALETTE, _clean, _esc, _fmt, _num, _clamp, _width_em, _truncate, _text, _open, _close, _empty, _place_row


def _nice_step(total: float, max_intervals: int = 12) -> float:
    """Smallest 1/2/3/5×10ⁿ step giving at most ``max_intervals`` ticks gaps."""
    exp = math.floor(math.log10(total / max_intervals)) if total > 0 else 0
    exp = max(exp, -1)  # never finer than 0.1: labels only carry one decimal
    while True:
        for m in (1, 2, 3, 5):
            step = round(m * 10.0**exp, 6)
            if total / step <= max_intervals + 1e-9:
                return step
        exp += 1


@dataclass
class _Band:
    """One timeline phase after clamping, lane packing and label placement."""

    label: str
    start: float
    end: float
    lane: int
    colour: str
    shown: str = ""
    x0: float = 0.0
    x1: float = 0.0
    below_row: int | None = None  # None: label sits inside the band
    below_x: float = 0.0


@dataclass
class _Marker:
    """One timeline marker with its flag label's horizontal extent and row."""

    label: str
    shown: str
    pos: float
    x: float
    anchor: str = "start"
    text_x: float = 0.0
    left: float = 0.0
    right: float = 0.0
    row: int = 0


def _marker_row_ok(m: _Marker, k: int, placed: Sequence[_Marker]) -> bool:
    """True if marker ``m``'s label may sit in row ``k`` without any collision.

    Same row: labels must not overlap.  A marker in a higher row has its line
    running through row ``k``, so our label must not cover it; and our own line
    runs through lower rows, so it must not cross their labels.
    """
    for p in placed:
        if p.row == k and not (m.right + 6 <= p.left or m.left >= p.right + 6):
            return False
        if p.row > k and m.left - 2 <= p.x <= m.right + 2:
            return False
        if p.row < k and p.left - 2 <= m.x <= p.right + 2:
            return False
    return True


def timeline(
    phases: Sequence[tuple[str, float, float]],
    *,
    total: float,
    unit_label: str,
    markers: Sequence[tuple[str, float]] = (),
    title: str,
    empty_text: str = "无数据",
) -> str:
    """Lifecycle bands on one axis, so operators see what happens when.

    Overlapping phases move to extra lanes instead of hiding each other; labels
    too wide for their band go below the bands with a colour chip; markers are
    dashed vertical lines with a flag label above the bands.  A non-positive
    ``total`` falls back to the latest phase end.
    """
    title, unit_label = _clean(title), _clean(unit_label)
    if not phases:
        return _empty("timeline", title, empty_text)
    total = _num(total)
    if total <= 0:
        total = max(max(_num(s), _num(e)) for _, s, e in phases)
    if total <= 0:
        return _empty("timeline", title, empty_text)

    width = 760.0
    left, right = 24.0, 736.0
    lane_h, lane_gap, band_size, mk_size = 30.0, 6.0, 12.0, 11.0

    def xpos(v: float) -> float:
        return round(left + _clamp(v, 0.0, total) / total * (right - left), 1)

    # Normalise phases and pack overlapping ones into extra lanes.
    bands: list[_Band] = []
    lane_ends: list[float] = []
    for i, (label, start, end) in enumerate(phases):
        s, e = _clamp(_num(start), 0, total), _clamp(_num(end), 0, total)
        s, e = min(s, e), max(s, e)
        lane = next((k for k, le in enumerate(lane_ends) if le <= s + 1e-9), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(e)
        else:
            lane_ends[lane] = e
        bands.append(_Band(_clean(label), s, e, lane, _PALETTE[i % len(_PALETTE)]))

    # Marker labels are flags beside their line, stacked in rows above the
    # bands (row 0 nearest).  Placing right-to-left keeps every line clear of
    # the labels it passes on its way up.
    mks: list[_Marker] = []
    for label, pos in markers:
        full = _clean(label)
        mks.append(_Marker(full, _truncate(full, 10), _num(pos), xpos(_num(pos))))
    def flag(m: _Marker, anchor: str) -> None:
        tw = _width_em(m.shown) * mk_size
        if anchor == "start":
            m.anchor, m.text_x, m.left, m.right = "start", m.x + 4, m.x + 4, m.x + 4 + tw
        else:
            m.anchor, m.text_x, m.left, m.right = "end", m.x - 4, m.x - 4 - tw, m.x - 4

    placed: list[_Marker] = []
    for m in sorted(mks, key=lambda m: -m.x):  # stable: ties keep input order
        fits_right = m.x + 4 + _width_em(m.shown) * mk_size <= width - 4
        anchors = ("start", "end") if fits_right else ("end", "start")
        new_row = max((p.row for p in placed), default=-1) + 1
        for anchor in anchors:
            flag(m, anchor)
            row = next((k for k in range(new_row + 1) if _marker_row_ok(m, k, placed)), None)
            if row is not None:
                m.row = row
                break
        else:  # crowded beyond repair: new top row; label halos keep it legible
            flag(m, anchors[0])
            m.row = new_row
        placed.append(m)
    mk_rows = max((m.row for m in mks), default=-1) + 1

    top = 44.0 + mk_rows * 16.0 + (4.0 if mk_rows else 0.0)
    bands_bottom = top + len(lane_ends) * (lane_h + lane_gap) - lane_gap

    # Labels that do not fit inside their band go below all lanes.
    below_rows: list[list[tuple[float, float]]] = []
    for b in bands:
        b.shown = _truncate(b.label, 12)
        b.x0, b.x1 = xpos(b.start), xpos(b.end)
        tw = _width_em(b.shown) * band_size
        if tw + 10 > b.x1 - b.x0:
            item_w = 9 + 4 + tw
            mid = _clamp((b.x0 + b.x1) / 2, 4 + item_w / 2, width - 4 - item_w / 2)
            b.below_x = mid - item_w / 2
            b.below_row = _place_row(below_rows, b.below_x, b.below_x + item_w)
    below_top = bands_bottom + 6
    axis_y = below_top + len(below_rows) * 18.0 + 10.0
    height = axis_y + (44.0 if unit_label else 28.0)

    def span(b: _Band) -> str:
        return f"{b.label} {_fmt(b.start)}–{_fmt(b.end)}"

    desc = "; ".join(span(b) for b in bands)
    if unit_label:
        desc += f" ({unit_label})"
    if mks:
        desc += "; " + "; ".join(f"{m.label} @ {_fmt(m.pos)}" for m in mks)
    parts = _open("timeline", width, height, title, desc)

    # Ticks first so bands and markers draw over the guide lines.
    step = _nice_step(total)
    ticks = [round(k * step, 6) for k in range(int(total / step + 1e-9) + 1)]
    if total - ticks[-1] >= 0.6 * step:
        ticks.append(total)
    for t in ticks:
        x = _fmt(xpos(t))
        parts.append(f'<line class="qc-timeline-grid" x1="{x}" y1="{_fmt(top)}" '
                     f'x2="{x}" y2="{_fmt(axis_y)}" stroke="#f3f4f6" stroke-width="1"/>')
    parts.append(f'<line class="qc-timeline-axis" x1="{_fmt(left)}" y1="{_fmt(axis_y)}" '
                 f'x2="{_fmt(right)}" y2="{_fmt(axis_y)}" stroke="#9ca3af" stroke-width="1"/>')
    for t in ticks:
        x = xpos(t)
        parts.append(f'<line x1="{_fmt(x)}" y1="{_fmt(axis_y)}" x2="{_fmt(x)}" '
                     f'y2="{_fmt(axis_y + 5)}" stroke="#9ca3af" stroke-width="1"/>')
        parts.append(_text(x, axis_y + 18, _fmt(t), size=11, anchor="middle",
                           fill=_MUTED, cls="qc-timeline-tick"))
    if unit_label:
        parts.append(_text(right, axis_y + 36, _truncate(unit_label, 20), size=11,
                           anchor="end", fill=_MUTED, full=unit_label, cls="qc-timeline-unit"))

    for b in bands:
        y = top + b.lane * (lane_h + lane_gap)
        tip = span(b) + (f" {unit_label}" if unit_label else "")
        parts.append(f'<rect class="qc-timeline-band" x="{_fmt(b.x0)}" y="{_fmt(y)}" '
                     f'width="{_fmt(max(b.x1 - b.x0, 1.0))}" height="{_fmt(lane_h)}" rx="4" '
                     f'fill="{b.colour}" stroke="{_BG}" stroke-width="1">'
                     f"<title>{_esc(tip)}</title></rect>")
        if b.below_row is None:
            parts.append(_text((b.x0 + b.x1) / 2, y + lane_h / 2 + band_size * 0.35, b.shown,
                               size=band_size, anchor="middle", full=b.label,
                               cls="qc-timeline-label"))
        else:
            ly = below_top + b.below_row * 18.0
            parts.append(f'<rect x="{_fmt(b.below_x)}" y="{_fmt(ly + 3)}" width="9" height="9" '
                         f'rx="2" fill="{b.colour}"/>')
            parts.append(_text(b.below_x + 13, ly + 11.5, b.shown, size=band_size,
                               full=b.label, cls="qc-timeline-label qc-below"))

    # All lines before all labels, and labels get a white halo, so even a
    # line that must cross a label never strikes through its text.
    for m in mks:
        ty = top - 8 - m.row * 16.0
        parts.append(f'<line class="qc-timeline-marker" x1="{_fmt(m.x)}" y1="{_fmt(ty - 9)}" '
                     f'x2="{_fmt(m.x)}" y2="{_fmt(axis_y)}" stroke="#dc2626" stroke-width="1.5" '
                     f'stroke-dasharray="4 3"/>')
    for m in mks:
        ty = top - 8 - m.row * 16.0
        label = _text(m.text_x, ty, m.shown, size=mk_size, anchor=m.anchor, fill="#dc2626",
                      weight="600", full=m.label, cls="qc-timeline-marker-label")
        parts.append(label.replace("<text ", f'<text stroke="{_BG}" stroke-width="3" '
                                   'paint-order="stroke" ', 1))
    return _close(parts)
