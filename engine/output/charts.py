"""Inline SVG charts for qunce's HTML outputs.

Every function is pure and returns one self-contained ``<svg>`` string: no
scripts, no external fonts or images, no element ids (several charts may share
one HTML page), so a generated report opens offline and can be diffed against
golden files.  Labels come from untrusted user plans, so every piece of text is
cleaned of XML-illegal characters and escaped before it reaches the markup.
Coordinates are rounded to one decimal so output is byte-identical across runs
and platforms.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["FONT_STACK", "radar", "timeline", "funnel", "week_grid"]

# Chinese UI fonts first so CJK labels never fall back to a serif face.
FONT_STACK = (
    '"PingFang SC","Hiragino Sans GB","Microsoft YaHei",'
    '"Noto Sans CJK SC","Source Han Sans SC",sans-serif'
)

_INK = "#1f2937"
_MUTED = "#6b7280"
_GRID = "#d1d5db"
_BG = "#ffffff"
_RED = "#e5484d"
_BLUE = "#3b82f6"
# Light fills: dark text stays readable on every one of them.
_PALETTE = (
    "#93c5fd", "#86efac", "#fcd34d", "#fca5a5",
    "#c4b5fd", "#f9a8d4", "#5eead4", "#fdba74",
)

_WS_RE = re.compile(r"[\t\r\n\x0b\x0c]+")
# Characters XML 1.0 forbids even when escaped; a plan must not break the page.
_ILLEGAL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_HEX_COLOUR_RE = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def _clean(value: object) -> str:
    """Turn anything into a single-line string that is legal inside XML."""
    s = str(value)
    # Lone surrogates (e.g. from broken JSON) cannot be encoded as UTF-8.
    s = s.encode("utf-8", "replace").decode("utf-8")
    s = _WS_RE.sub(" ", s)
    return _ILLEGAL_RE.sub("", s).strip()


def _esc(s: str) -> str:
    """Escape text for element content and attribute values alike."""
    return html.escape(s, quote=True)


def _fmt(x: float) -> str:
    """Format a number with at most one decimal and no float noise or "-0"."""
    x = float(x)
    if not math.isfinite(x):
        return "0"
    r = round(x, 1)
    if r == 0:
        r = 0.0
    s = f"{r:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _num(x: object, default: float = 0.0) -> float:
    """Coerce to a finite float so NaN/inf from a plan cannot poison geometry."""
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    if math.isnan(v):
        return default
    return v


def _clamp(v: float, lo: float, hi: float) -> float:
    """Keep a value inside [lo, hi]."""
    return min(max(v, lo), hi)


def _char_em(ch: str) -> float:
    """Approximate advance width of one character in em (CJK is full width)."""
    if unicodedata.combining(ch):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.6


def _width_em(s: str) -> float:
    """Approximate rendered width in em; SVG has no text measurement offline."""
    return sum(_char_em(c) for c in s)


def _truncate(s: str, max_em: float) -> str:
    """Shorten to roughly ``max_em`` em, ending in "…" when cut."""
    if _width_em(s) <= max_em:
        return s
    out: list[str] = []
    used = 1.0  # room for the ellipsis
    for ch in s:
        w = _char_em(ch)
        if used + w > max_em:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 12,
    anchor: str = "start",
    fill: str = _INK,
    weight: str | None = None,
    full: str | None = None,
    cls: str | None = None,
) -> str:
    """One ``<text>``; ``full`` adds a hover tooltip when the label was cut."""
    attrs = [f'x="{_fmt(x)}"', f'y="{_fmt(y)}"', f'font-size="{_fmt(size)}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    attrs.append(f'fill="{fill}"')
    if weight:
        attrs.append(f'font-weight="{weight}"')
    if cls:
        attrs.append(f'class="{cls}"')
    tip = f"<title>{_esc(full)}</title>" if full is not None and full != content else ""
    return f"<text {' '.join(attrs)}>{tip}{_esc(content)}</text>"


def _pts(points: Sequence[tuple[float, float]]) -> str:
    """Serialise a point list for ``points=""``."""
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)


def _open(kind: str, width: float, height: float, title: str, desc: str = "") -> list[str]:
    """Root element, accessible name, white card background and visible title."""
    w, h = _fmt(width), _fmt(height)
    t = _esc(title)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qc-chart qc-{kind}" '
        f'viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px;height:auto" '
        f"role=\"img\" aria-label=\"{t}\" font-family='{FONT_STACK}'>",
        f"<title>{t}</title>",
    ]
    if desc:
        parts.append(f"<desc>{_esc(desc)}</desc>")
    parts.append(f'<rect width="{w}" height="{h}" rx="8" fill="{_BG}"/>')
    shown = _truncate(title, (width - 32) / 15)
    parts.append(_text(16, 26, shown, size=15, weight="600", full=title, cls="qc-chart-title"))
    return parts


def _close(parts: list[str]) -> str:
    """Finish the document; newline-joined so golden-file diffs stay readable."""
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _empty(kind: str, title: str, empty_text: str) -> str:
    """Small placeholder so an empty section still renders something honest."""
    title, empty_text = _clean(title), _clean(empty_text)
    parts = _open(kind, 320, 96, title, empty_text)
    parts.append(_text(160, 66, _truncate(empty_text, 20), size=14, anchor="middle",
                       fill=_MUTED, full=empty_text, cls="qc-empty"))
    return _close(parts)


def _place_row(rows: list[list[tuple[float, float]]], left: float, right: float,
               gap: float = 6) -> int:
    """First row where [left, right] overlaps nothing, so labels never collide."""
    for i, row in enumerate(rows):
        if all(right + gap <= a or left >= b + gap for a, b in row):
            row.append((left, right))
            return i
    rows.append([(left, right)])
    return len(rows) - 1


# ---------------------------------------------------------------------------
# radar
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# timeline
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# funnel
# ---------------------------------------------------------------------------


def funnel(
    stages: Sequence[tuple[str, int]],
    *,
    title: str,
    weakest: str | None = None,
    empty_text: str = "无数据",
) -> str:
    """Centred conversion funnel, so the leakiest step stands out.

    Bar width is proportional to the count (with a floor so the count always
    fits); the rate from the previous stage sits between bars ("—" when the
    previous count is zero).  The first stage whose label equals ``weakest`` is
    drawn in red with a "▼" beside it.
    """
    title = _clean(title)
    if not stages:
        return _empty("funnel", title, empty_text)

    width = 600.0
    cx, max_w = 300.0, 440.0
    bar_h, gap, size = 34.0, 30.0, 13.0
    top = 46.0

    rows = [(_clean(label), max(int(_num(c)), 0)) for label, c in stages]
    weakest_clean = _clean(weakest) if weakest is not None else None
    weak_idx = next((i for i, (lbl, _) in enumerate(rows) if lbl == weakest_clean), None)
    peak = max(c for _, c in rows)

    rates: list[str | None] = [None]
    for (_, prev), (_, cur) in zip(rows, rows[1:]):
        rates.append(f"{cur / prev * 100:.1f}%" if prev > 0 else "—")

    widths: list[float] = []
    for _, c in rows:
        min_w = max(_width_em(f"{c:,}") * size + 20, 56.0)
        w = max_w * c / peak if peak > 0 else 0.0
        widths.append(round(max(w, min_w), 1))

    height = top + len(rows) * bar_h + (len(rows) - 1) * gap + 16
    desc = "; ".join(
        f"{lbl} {c:,}" + (f" ({rate})" if rate else "") for (lbl, c), rate in zip(rows, rates)
    )
    parts = _open("funnel", width, height, title, desc)

    ys = [top + i * (bar_h + gap) for i in range(len(rows))]
    # Connectors with the step conversion rate.
    for i in range(1, len(rows)):
        yb, yt = ys[i - 1] + bar_h, ys[i]
        wa, wb = widths[i - 1] / 2, widths[i] / 2
        poly = [(cx - wa, yb), (cx + wa, yb), (cx + wb, yt), (cx - wb, yt)]
        parts.append(f'<polygon class="qc-funnel-link" points="{_pts(poly)}" fill="#e5e7eb"/>')
        hot = i == weak_idx
        parts.append(_text(cx, (yb + yt) / 2 + 4.5, str(rates[i]), size=12, anchor="middle",
                           fill="#b91c1c" if hot else _INK, weight="700" if hot else None,
                           cls="qc-funnel-rate"))

    for i, ((label, c), w, y) in enumerate(zip(rows, widths, ys)):
        hot = i == weak_idx
        fill = _RED if hot else _BLUE
        x0 = cx - w / 2
        cls = "qc-funnel-bar qc-weakest" if hot else "qc-funnel-bar"
        parts.append(f'<rect class="{cls}" x="{_fmt(x0)}" y="{_fmt(y)}" width="{_fmt(w)}" '
                     f'height="{_fmt(bar_h)}" rx="3" fill="{fill}"/>')
        count = f"{c:,}"
        ty = y + bar_h / 2 + size * 0.35
        shown = _truncate(label, 10)
        inside = f"{shown} {count}"
        if _width_em(inside) * size + 16 <= w:
            parts.append(_text(cx, ty, inside, size=size, anchor="middle", fill=_BG,
                               weight="600", full=f"{label} {count}", cls="qc-funnel-label"))
        else:
            parts.append(_text(cx, ty, count, size=size, anchor="middle", fill=_BG,
                               weight="600", cls="qc-funnel-count"))
            lx = cx + w / 2 + 8
            shown = _truncate(label, min(10.0, (width - 8 - lx) / size))
            parts.append(_text(lx, ty, shown, size=size, full=label, cls="qc-funnel-label"))
        if hot:
            parts.append(_text(x0 - 6, ty, "▼", size=12, anchor="end", fill="#b91c1c",
                               cls="qc-funnel-weakest"))
    return _close(parts)


# ---------------------------------------------------------------------------
# week grid
# ---------------------------------------------------------------------------


def week_grid(
    items: Sequence[tuple[str, int, str]],
    *,
    title: str,
    day_labels: Sequence[str],
    empty_text: str = "无数据",
) -> str:
    """Weekly rhythm as a day-column grid, so recurring rituals read at a glance.

    ``weekday`` is 1-based into ``day_labels``; 0 means every day and those
    items go first so they line up across columns.  Other weekdays are
    ignored.  The colour key is either a ``#rgb``/``#rrggbb`` colour or a
    category name that gets a palette colour by first appearance and a legend
    entry.
    """
    title = _clean(title)
    days = [_clean(d) for d in day_labels]
    if not items or not days:
        return _empty("week_grid", title, empty_text)

    ncol = len(days)
    col_w, margin = 130.0, 10.0
    width = margin * 2 + ncol * col_w
    head_top, head_h = 40.0, 26.0
    box_h, pitch, size = 26.0, 32.0, 11.0

    colours: dict[str, str] = {}
    legend: list[tuple[str, str]] = []

    def colour_of(key: str) -> str:
        if _HEX_COLOUR_RE.fullmatch(key):
            return key
        if key not in colours:
            colours[key] = _PALETTE[len(colours) % len(_PALETTE)]
            if key:
                legend.append((key, colours[key]))
        return colours[key]

    norm = []
    for label, day, key in items:
        d = int(_num(day, -1.0))
        norm.append((_clean(label), d, _clean(key)))
    columns: list[list[tuple[str, str]]] = [[] for _ in range(ncol)]
    for label, d, key in [it for it in norm if it[1] == 0] + [it for it in norm if it[1] != 0]:
        if d == 0:
            for col in columns:
                col.append((label, key))
        elif 1 <= d <= ncol:
            columns[d - 1].append((label, key))
    # Assign colours in input order, independent of the column shuffle above.
    for _, d, key in norm:
        if d == 0 or 1 <= d <= ncol:
            colour_of(key)

    nrows = max(1, max(len(c) for c in columns))
    body_top = head_top + head_h
    body_bottom = body_top + nrows * pitch + 6

    # Legend rows under the grid.
    legend_pos: list[tuple[float, float, str, str, str]] = []
    lx, ly = margin, body_bottom + 12
    for key, colour in legend:
        shown = _truncate(key, 8)
        item_w = 12 + 5 + _width_em(shown) * 12 + 16
        if lx + item_w > width - margin and lx > margin:
            lx, ly = margin, ly + 20
        legend_pos.append((lx, ly, shown, key, colour))
        lx += item_w
    height = (ly + 22) if legend else body_bottom + 10

    desc = "; ".join(
        f"{day}: " + (", ".join(lbl for lbl, _ in col) if col else "-")
        for day, col in zip(days, columns)
    )
    parts = _open("week_grid", width, height, title, desc)

    for i, (day, col) in enumerate(zip(days, columns)):
        x = margin + i * col_w
        bg = "#f9fafb" if i % 2 == 0 else "#f3f4f6"
        parts.append(f'<rect x="{_fmt(x)}" y="{_fmt(head_top)}" width="{_fmt(col_w)}" '
                     f'height="{_fmt(body_bottom - head_top)}" fill="{bg}"/>')
        parts.append(_text(x + col_w / 2, head_top + 17.5, _truncate(day, 8), size=12,
                           anchor="middle", weight="600", full=day, cls="qc-week-day"))
        for r, (label, key) in enumerate(col):
            by = body_top + 6 + r * pitch
            shown = _truncate(label, 10)
            parts.append(f'<g class="qc-week-item"><title>{_esc(label)}</title>'
                         f'<rect x="{_fmt(x + 5)}" y="{_fmt(by)}" width="{_fmt(col_w - 10)}" '
                         f'height="{_fmt(box_h)}" rx="5" fill="{colour_of(key)}"/>'
                         + _text(x + col_w / 2, by + box_h / 2 + size * 0.35, shown, size=size,
                                 anchor="middle")
                         + "</g>")
    parts.append(f'<line x1="{_fmt(margin)}" y1="{_fmt(body_top)}" x2="{_fmt(width - margin)}" '
                 f'y2="{_fmt(body_top)}" stroke="{_GRID}" stroke-width="1"/>')

    for x, y, shown, key, colour in legend_pos:
        parts.append(f'<rect x="{_fmt(x)}" y="{_fmt(y)}" width="12" height="12" rx="3" '
                     f'fill="{colour}"/>')
        parts.append(_text(x + 17, y + 10.5, shown, size=12, fill=_MUTED, full=key,
                           cls="qc-week-legend"))
    return _close(parts)
