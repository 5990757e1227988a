"""The campaign funnel: one bar per stage, conversions between them, the weakest step marked."""

from __future__ import annotations

from collections.abc import Sequence

from .common import _INK, _BG, _RED, _BLUE, _clean, _fmt, _num, _width_em, _truncate, _text, _pts, _open, _close, _empty


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
