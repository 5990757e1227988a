"""The week grid: which regular outputs fall on which weekday."""

from __future__ import annotations

from collections.abc import Sequence

from .common import _MUTED, _GRID, _PALETTE, _HEX_COLOUR_RE, _clean, _esc, _fmt, _num, _width_em, _truncate, _text, _open, _close, _empty


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
