"""Tests for engine/charts.py: inline SVG charts embedded in generated HTML."""

from __future__ import annotations

import importlib.util
import math
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

import pytest

try:
    from qunce.engine.output import charts
except ImportError:
    # Until the package is installed, load the module straight from the repo.
    _path = pathlib.Path(__file__).parents[1] / "engine" / "charts.py"
    _spec = importlib.util.spec_from_file_location("qunce_engine_charts", _path)
    assert _spec is not None and _spec.loader is not None
    charts = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = charts  # dataclasses look their module up here
    _spec.loader.exec_module(charts)

SVG = "{http://www.w3.org/2000/svg}"
RISKS = [("失焦", 40), ("无首", 20), ("暴政", 65), ("骚扰", 10),
         ("无聊", 85), ("蒸发", 100), ("陈旧", 55)]
STAGES = [("发起", 1000), ("扫码", 620), ("入群", 480), ("完成任务", 210)]
DAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
EVIL = "<script>alert(1)</script>"


def _all_charts(label: str = "标签") -> list[str]:
    return [
        charts.radar([(label, 50)] + RISKS[1:], title=label),
        charts.timeline([(label, 0, 3), ("成长期", 3, 12)], total=24, unit_label=label,
                        markers=[(label, 18)], title=label),
        charts.funnel([(label, 100), ("入群", 40)], title=label, weakest=label),
        charts.week_grid([(label, 0, label), ("周报", 5, "ops")], title=label,
                         day_labels=DAYS),
    ]


def _points(attr: str) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in attr.split()]  # type: ignore[misc]


def _by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(SVG + tag) if cls in (e.get("class") or "").split()]


def test_every_chart_is_well_formed_accessible_svg() -> None:
    """Each chart parses as XML and carries role, aria-label, title, viewBox and scaling."""
    for svg in _all_charts():
        root = ET.fromstring(svg)
        assert root.tag == SVG + "svg"
        assert root.get("role") == "img"
        assert root.get("aria-label") == "标签"
        assert root.find(SVG + "title") is not None
        assert len(root.get("viewBox", "").split()) == 4
        assert root.get("width") == "100%"
        assert "max-width" in root.get("style", "")
        assert "Noto Sans CJK SC" in root.get("font-family", "")
        assert "<script" not in svg.lower()


def test_untrusted_labels_are_escaped() -> None:
    """A script tag in any label stays text: never raw markup, and the SVG still parses."""
    for svg in _all_charts(EVIL):
        assert "<script>" not in svg
        root = ET.fromstring(svg)
        assert root.find(SVG + "script") is None
        texts = "".join(root.itertext())
        assert "<script>" in texts  # the user's text survives, just escaped


def test_xml_illegal_characters_are_dropped() -> None:
    """Control characters from a plan cannot make the document unparsable."""
    svg = charts.funnel([("a\x00b\x1bc\nd", 5)], title="t\x07")
    ET.fromstring(svg)
    assert "abc d" in svg


def test_radar_full_value_on_first_axis_is_top_of_outer_ring() -> None:
    """A score of 100 on the first axis sits on the outer ring, straight above the centre."""
    root = ET.fromstring(charts.radar([("失焦", 100)] + RISKS[1:], title="风险"))
    outer = _points(_by_class(root, "polygon", "qc-radar-ring")[-1].get("points", ""))
    value = _points(_by_class(root, "polygon", "qc-radar-value")[0].get("points", ""))
    dot = _by_class(root, "circle", "qc-radar-dot")[0]
    assert value[0] == outer[0]
    assert (float(dot.get("cx", "")), float(dot.get("cy", ""))) == outer[0]
    axis = _by_class(root, "line", "qc-radar-axis")[0]
    centre = (float(axis.get("x1", "")), float(axis.get("y1", "")))
    assert outer[0][0] == centre[0] and outer[0][1] < centre[1]
    # Zero sits at the centre; 50 halfway out along its own axis.
    zero = _points(_by_class(ET.fromstring(charts.radar(
        [("a", 0), ("b", 50), ("c", 50)], title="t")), "polygon", "qc-radar-value")[0]
        .get("points", ""))
    assert zero[0] == centre


def test_radar_half_value_is_half_radius() -> None:
    """Point distance from the centre is proportional to the value."""
    root = ET.fromstring(charts.radar([("a", 50), ("b", 25), ("c", 100)], title="t"))
    axis = _by_class(root, "line", "qc-radar-axis")[0]
    cx, cy = float(axis.get("x1", "")), float(axis.get("y1", ""))
    outer = _points(_by_class(root, "polygon", "qc-radar-ring")[-1].get("points", ""))
    r = math.dist((cx, cy), outer[0])
    pts = _points(_by_class(root, "polygon", "qc-radar-value")[0].get("points", ""))
    assert math.dist((cx, cy), pts[0]) == pytest.approx(r / 2, abs=0.15)
    assert math.dist((cx, cy), pts[1]) == pytest.approx(r / 4, abs=0.15)
    assert math.dist((cx, cy), pts[2]) == pytest.approx(r, abs=0.15)


def test_radar_clamps_values() -> None:
    """Scores above max or below zero are drawn (and labelled) at the bounds."""
    clamped = charts.radar([("a", 150), ("b", -20), ("c", float("nan"))], title="t")
    exact = charts.radar([("a", 100), ("b", 0), ("c", 0)], title="t")
    assert clamped == exact
    assert "a 100" in clamped and "b 0" in clamped and "150" not in clamped


def test_radar_labels_include_score() -> None:
    """Axis labels read like "失焦 40" so scores need no legend."""
    texts = [e.text for e in _by_class(ET.fromstring(charts.radar(RISKS, title="t")),
                                       "text", "qc-radar-label")]
    assert texts[0] == "失焦 40"
    assert len(texts) == 7


def test_funnel_shows_conversion_rates() -> None:
    """Step conversion from the previous stage appears with one decimal."""
    svg = charts.funnel(STAGES, title="漏斗")
    rates = [e.text for e in _by_class(ET.fromstring(svg), "text", "qc-funnel-rate")]
    assert rates == ["62.0%", "77.4%", "43.8%"]


def test_funnel_bar_width_tracks_count() -> None:
    """Wider bars mean more people; the first stage is the widest."""
    root = ET.fromstring(charts.funnel(STAGES, title="漏斗"))
    widths = [float(e.get("width", "")) for e in _by_class(root, "rect", "qc-funnel-bar")]
    assert widths == sorted(widths, reverse=True)
    assert widths[1] / widths[0] == pytest.approx(0.62, abs=0.01)


def test_funnel_highlights_weakest_stage() -> None:
    """Only the named weakest stage gets the highlight colour and the ▼ marker."""
    root = ET.fromstring(charts.funnel(STAGES, title="漏斗", weakest="完成任务"))
    bars = _by_class(root, "rect", "qc-funnel-bar")
    hot = [i for i, b in enumerate(bars) if "qc-weakest" in (b.get("class") or "")]
    assert hot == [3]
    assert len({b.get("fill") for b in bars}) == 2
    assert [e.text for e in _by_class(root, "text", "qc-funnel-weakest")] == ["▼"]
    plain = ET.fromstring(charts.funnel(STAGES, title="漏斗"))
    assert not _by_class(plain, "text", "qc-funnel-weakest")


def test_funnel_zero_counts_do_not_divide_by_zero() -> None:
    """A zero stage renders, and the rate after it is shown as "—"."""
    svg = charts.funnel([("发起", 0), ("扫码", 0), ("入群", 5)], title="漏斗")
    rates = [e.text for e in _by_class(ET.fromstring(svg), "text", "qc-funnel-rate")]
    assert rates == ["—", "—"]
    svg = charts.funnel([("发起", 10), ("扫码", 0)], title="漏斗")
    assert "0.0%" in svg


def test_timeline_ticks_and_markers() -> None:
    """Ticks stay at or below ~13 with round steps; markers and phases are drawn."""
    svg = charts.timeline([("冷启动", 0, 3), ("成长期", 3, 12), ("成熟期", 12, 24)],
                          total=24, unit_label="月", markers=[("复制触发", 18)], title="周期")
    root = ET.fromstring(svg)
    ticks = [e.text for e in _by_class(root, "text", "qc-timeline-tick")]
    assert ticks[0] == "0" and ticks[-1] == "24" and len(ticks) <= 13
    assert len(_by_class(root, "rect", "qc-timeline-band")) == 3
    assert [e.text for e in _by_class(root, "text", "qc-timeline-marker-label")] == ["复制触发"]
    many = ET.fromstring(charts.timeline([("a", 0, 100)], total=97, unit_label="周", title="t"))
    assert len(_by_class(many, "text", "qc-timeline-tick")) <= 13


def test_timeline_narrow_band_label_goes_below() -> None:
    """A label wider than its band is moved below the bands instead of overflowing."""
    root = ET.fromstring(charts.timeline([("很长的阶段名称", 0, 0.5), ("宽阶段", 0.5, 24)],
                                         total=24, unit_label="月", title="t"))
    below = [e.text for e in _by_class(root, "text", "qc-below")]
    assert below == ["很长的阶段名称"]


def test_week_grid_places_items_in_columns() -> None:
    """Weekday 0 repeats in all seven columns; others land once; rows stack."""
    root = ET.fromstring(charts.week_grid(
        [("早安打卡", 0, "ritual"), ("分享会", 3, "content"), ("读书会", 3, "social")],
        title="每周", day_labels=DAYS))
    items = [e for e in root.iter(SVG + "g") if e.get("class") == "qc-week-item"]
    assert len(items) == 7 + 2
    days = [e.text for e in _by_class(root, "text", "qc-week-day")]
    assert days == DAYS
    legend = [e.text for e in _by_class(root, "text", "qc-week-legend")]
    assert legend == ["ritual", "content", "social"]


def test_long_labels_are_truncated_with_ellipsis() -> None:
    """Very long labels are cut with "…" while the full text stays in a tooltip."""
    long = "这是一个非常非常非常非常长的活动名称"
    svg = charts.week_grid([(long, 1, "x")], title="t", day_labels=DAYS)
    root = ET.fromstring(svg)
    item = next(e for e in root.iter(SVG + "g") if e.get("class") == "qc-week-item")
    shown = item.find(SVG + "text")
    assert shown is not None and shown.text is not None
    assert shown.text.endswith("…") and len(shown.text) <= 10
    assert item.findtext(SVG + "title") == long


def test_output_is_deterministic_and_free_of_float_noise() -> None:
    """Same input gives byte-identical output; every number has at most one decimal."""
    first, second = _all_charts(), _all_charts()
    assert first == second
    tidy = re.compile(r"-?\d+(\.\d)?")
    for svg in first:
        for el in ET.fromstring(svg).iter():
            for name, value in el.attrib.items():
                if name == "fill-opacity":
                    continue
                for token in re.split(r"[ ,]+", value):
                    try:
                        float(token)
                    except ValueError:
                        continue  # not a number (colour, keyword, ...)
                    assert tidy.fullmatch(token) and token != "-0", (name, token)


@pytest.mark.parametrize("svg", [
    charts.radar([], title="雷达"),
    charts.timeline([], total=12, unit_label="月", title="周期"),
    charts.funnel([], title="漏斗"),
    charts.week_grid([], title="每周", day_labels=DAYS),
])
def test_empty_inputs_render_placeholder(svg: str) -> None:
    """Empty data yields a small valid SVG that says 无数据."""
    root = ET.fromstring(svg)
    assert "无数据" in "".join(root.itertext())
    assert root.get("role") == "img"


def test_empty_text_is_configurable() -> None:
    """English callers can pass their own placeholder text."""
    svg = charts.funnel([], title="Funnel", empty_text="No data")
    assert "No data" in svg and "无数据" not in svg
