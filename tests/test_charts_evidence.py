"""The evidence report's charts: pure, deterministic SVG whose labels stay text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from qunce.engine.output.charts import activity, draw, heatmap

HOSTILE = '<script>alert(1)</script>" onload="x'


def test_activity_bars_scale_and_escape():
    """One bar per week, the tallest at the plot's full height; a hostile label stays text."""
    data = [{"label": "2026-03-02", "bar": 100, "line": 10}, {"label": HOSTILE, "bar": 50, "line": 20}]
    svg = activity(data, title=HOSTILE, bar_label="消息", line_label="发言人数")
    root = ET.fromstring(svg)  # well-formed XML, so the label could not break out
    bars = [e for e in root.iter("{http://www.w3.org/2000/svg}rect") if e.get("class") == "qc-activity-bar"]
    assert len(bars) == 2 and float(bars[0].get("height")) == 2 * float(bars[1].get("height"))
    assert "<script>" not in svg and svg == activity(data, title=HOSTILE, bar_label="消息", line_label="发言人数")


def test_heatmap_cells_and_empty():
    """One shaded cell per value, darker for larger shares; no data draws the empty card."""
    svg = draw({"chart": "heatmap", "title": "留存", "columns": ["+0", "+1"],
                "data": [{"label": "2026-03", "size": 10, "values": [1.0, 0.1]}]})
    root = ET.fromstring(svg)
    cells = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "qc-heat-cell"]
    fills = [c.find("{http://www.w3.org/2000/svg}rect").get("fill") for c in cells]
    assert len(cells) == 2 and fills[0] == "#0f766e" and fills[1] != fills[0]
    assert "100%" in svg and "10%" in svg
    assert "qc-empty" in heatmap([], title="留存", columns=["+0"], empty_text="没有数据")
