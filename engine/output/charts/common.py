"""What every chart shares: the font stack and colours, XML-safe text, approximate text widths
(SVG has no text measurement offline), number formatting, and the card each chart is drawn on.

Labels come from untrusted user plans, so every piece of text is cleaned of XML-illegal
characters and escaped before it reaches the markup. Coordinates are rounded to one decimal so
output is byte-identical across runs and platforms.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence

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
