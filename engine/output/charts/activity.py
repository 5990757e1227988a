"""Activity over time: messages per week as bars, distinct speakers as a line on its own scale."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .common import _BLUE, _GRID, _MUTED, _RED, _clean, _close, _empty, _esc, _fmt, _num, _open, _pts, _text, _width_em

MAX_TICKS = 6  # date labels under the axis; more would collide at 720 px


def activity(data: Sequence[Mapping[str, object]], *, title: str, bar_label: str, line_label: str,
             empty_text: str = "无数据") -> str:
    """One bar per period (``bar``) and a line (``line``), each scaled to its own maximum, so the
    week the talk thinned out and the week the speakers left both show. ``label`` names the period
    (an ISO date: the axis shows its first and every n-th label)."""
    title = _clean(title)
    rows = [(_clean(d.get("label", "")), max(0.0, _num(d.get("bar"))), max(0.0, _num(d.get("line"))))
            for d in data]
    if not rows:
        return _empty("activity", title, empty_text)
    width, height = 720.0, 300.0
    left, right, top, bottom = 48.0, 48.0, 64.0, 250.0
    plot_w, plot_h = width - left - right, bottom - top
    bar_max = max(r[1] for r in rows) or 1.0
    line_max = max(r[2] for r in rows) or 1.0
    step = plot_w / len(rows)
    desc = "; ".join(f"{lbl}: {_fmt(b)} / {_fmt(l)}" for lbl, b, l in rows)
    parts = _open("activity", width, height, title, desc)
    bar_name, line_name = _clean(bar_label), _clean(line_label)
    parts.append(f'<rect x="{_fmt(left)}" y="38" width="10" height="10" fill="{_BLUE}"/>')
    parts.append(_text(left + 14, 47, bar_name, size=11, fill=_MUTED))
    lx = left + 14 + _width_em(bar_name) * 11 + 20
    parts.append(f'<line x1="{_fmt(lx)}" y1="43" x2="{_fmt(lx + 14)}" y2="43" stroke="{_RED}" stroke-width="2"/>')
    parts.append(_text(lx + 18, 47, line_name, size=11, fill=_MUTED))
    parts.append(f'<line x1="{_fmt(left)}" y1="{_fmt(bottom)}" x2="{_fmt(width - right)}" y2="{_fmt(bottom)}" '
                 f'stroke="{_GRID}" stroke-width="1"/>')
    parts.append(_text(left - 6, top + 4, _fmt(bar_max), size=10, anchor="end", fill=_BLUE))
    parts.append(_text(width - right + 6, top + 4, _fmt(line_max), size=10, fill=_RED))
    parts.append(_text(left - 6, bottom, "0", size=10, anchor="end", fill=_MUTED))
    gap = min(2.0, step * 0.2)
    points = []
    for i, (lbl, bar, line) in enumerate(rows):
        x = left + i * step
        h = plot_h * bar / bar_max
        parts.append(f'<rect class="qc-activity-bar" x="{_fmt(x + gap / 2)}" y="{_fmt(bottom - h)}" '
                     f'width="{_fmt(max(0.5, step - gap))}" height="{_fmt(h)}" fill="{_BLUE}" fill-opacity="0.55">'
                     f'<title>{_esc(lbl)}: {_fmt(bar)} / {_fmt(line)}</title></rect>')
        points.append((x + step / 2, bottom - plot_h * line / line_max))
    if len(points) > 1:
        parts.append(f'<polyline points="{_pts(points)}" fill="none" stroke="{_RED}" stroke-width="2"/>')
    for x, y in points if len(points) <= 60 else ():
        parts.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="2.5" fill="{_RED}"/>')
    every = max(1, -(-len(rows) // MAX_TICKS))
    for i in range(0, len(rows), every):
        parts.append(_text(left + i * step + step / 2, bottom + 18, rows[i][0], size=10, anchor="middle",
                           fill=_MUTED))
    return _close(parts)

