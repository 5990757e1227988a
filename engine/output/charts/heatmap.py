"""The cohort heatmap: one row per join month, one cell per month since joining, shaded by share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .common import _GRID, _INK, _MUTED, _clamp, _clean, _close, _empty, _esc, _fmt, _num, _open, _text, _truncate

_LOW, _HIGH = (255, 255, 255), (15, 118, 110)  # white to the report's teal


def _shade(share: float) -> str:
    s = _clamp(share, 0.0, 1.0)
    return "#" + "".join(f"{round(lo + (hi - lo) * s):02x}" for lo, hi in zip(_LOW, _HIGH))


def heatmap(data: Sequence[Mapping[str, object]], *, title: str, columns: Sequence[str],
            empty_text: str = "无数据") -> str:
    """Rows of ``values`` (shares 0-1) under ``columns``, each row named by ``label`` with its
    ``size``; darker is more of the cohort still there, so a cohort that fades shows as a row
    going pale, and a community that stopped keeping newcomers as a pale lower-left."""
    title = _clean(title)
    cols = [_clean(c) for c in columns]
    rows = [(_clean(d.get("label", "")), int(_num(d.get("size"))),
             [_num(v) for v in (d.get("values") or [])][: len(cols)]) for d in data]  # type: ignore[union-attr]
    if not rows or not cols:
        return _empty("heatmap", title, empty_text)
    label_w, size_w, cell_w, cell_h, top = 84.0, 48.0, 48.0, 26.0, 62.0
    width = max(320.0, label_w + size_w + cell_w * len(cols) + 16)
    height = top + cell_h * len(rows) + 14
    desc = "; ".join(f"{lbl} ({size}): " + ", ".join(f"{100 * v:.0f}%" for v in vals) for lbl, size, vals in rows)
    parts = _open("heatmap", width, height, title, desc)
    x0 = 8 + label_w + size_w
    for j, c in enumerate(cols):
        parts.append(_text(x0 + j * cell_w + cell_w / 2, top - 8, _truncate(c, 4), size=10, anchor="middle",
                           fill=_MUTED, full=c))
    for i, (lbl, size, vals) in enumerate(rows):
        y = top + i * cell_h
        parts.append(_text(8, y + cell_h / 2 + 4, _truncate(lbl, 7), size=11, full=lbl))
        parts.append(_text(8 + label_w + size_w - 8, y + cell_h / 2 + 4, str(size), size=10, anchor="end",
                           fill=_MUTED))
        for j, v in enumerate(vals):
            x = x0 + j * cell_w
            ink = "#ffffff" if v >= 0.55 else _INK
            parts.append(f'<g class="qc-heat-cell"><title>{_esc(lbl)} {_esc(cols[j])}: {100 * v:.0f}%</title>'
                         f'<rect x="{_fmt(x + 1)}" y="{_fmt(y + 1)}" width="{_fmt(cell_w - 2)}" '
                         f'height="{_fmt(cell_h - 2)}" rx="3" fill="{_shade(v)}" stroke="{_GRID}" stroke-width="0.5"/>'
                         + _text(x + cell_w / 2, y + cell_h / 2 + 4, f"{100 * v:.0f}%", size=10, anchor="middle",
                                 fill=ink) + "</g>")
    return _close(parts)
