"""The server-drawn charts: geometry follows the data, labels do not collide, text is escaped."""

import re

import pytest

from cnnavi.common import charts
from cnnavi.common.charts import NARROW, WIDE, Series


def _rects(chart):
    return [s for s in chart.shapes if s.kind == "rect"]


def _texts(chart):
    return [s for s in chart.shapes if s.kind == "text"]


def test_nice_ticks_cover_the_range_with_round_steps():
    assert charts.nice_ticks(0, 9.3) == [0, 2, 4, 6, 8, 10]
    assert charts.nice_ticks(-1200, 5100) == [-2000, 0, 2000, 4000, 6000]
    assert charts.nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert charts.number(1234.5, 500) == "1,234"
    assert charts.number(0.25, 0.05) == "0.25"


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_stacked_bars_are_as_high_as_their_values(width):
    chart = charts.bars(
        ["4月", "5月", "6月"],
        [Series("電気", [10, 20, 0]), Series("ガス", [5, 0, 30])],
        key="m", title="t", desc="d", lines=[Series("前年度", [12, None, 25])], width=width,
    )  # fmt: skip
    rects = _rects(chart)
    assert len(rects) == 4  # a zero draws nothing
    per_unit = rects[0].h / 10
    assert [round(r.h / per_unit, 6) for r in rects] == [10, 5, 20, 30]
    # the second series sits on the first one
    assert rects[1].y + rects[1].h == pytest.approx(rects[0].y)
    assert chart.rows == [("4月", 10, 5, 12), ("5月", 20, 0, None), ("6月", 0, 30, 25)]
    assert [i.label for i in chart.legend] == ["電気", "ガス", "前年度"]
    assert all(0 <= s.x <= width for s in chart.shapes)


def test_labels_that_do_not_fit_are_rotated_and_thinned_not_overlapped():
    labels = [f"事業所{i:03d} / 電気" for i in range(120)]
    chart = charts.pareto(
        labels, [120 - i for i in range(120)], [(i + 1) / 120 for i in range(120)],
        key="p", title="t", desc="d", share_label="累積", width=NARROW,
    )  # fmt: skip
    under = [t for t in _texts(chart) if t.rotate]
    assert under and len(under) < 120
    xs = sorted(t.x for t in under)
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= charts.FONT - 1
    assert chart.rows[0] == (labels[0], 120, 1 / 120)


def test_pareto_line_ends_at_100_percent_on_the_right_axis():
    chart = charts.pareto(["A", "B"], [3, 1], [0.75, 1.0], key="p", title="t", desc="d")
    path = next(s for s in chart.shapes if s.kind == "path")
    top = min(float(v) for v in re.findall(r" ([\d.]+)", path.d))
    hundred = next(t for t in _texts(chart) if t.text == "100%")
    assert top == pytest.approx(hundred.y - 4, abs=0.1)


def test_sankey_bands_keep_the_flow():
    links = [
        ("電気", "本社", 6.0),
        ("ガス", "本社", 2.0),
        ("本社", "空調", 5.0),
        ("本社", "照明", 3.0),
    ]
    chart = charts.sankey(links, key="f", title="t", desc="d")
    assert chart.rows == links
    nodes = {s.tip.split(":")[0]: s for s in _rects(chart)}
    # a node is as tall as what flows through it; the columns follow the links
    assert nodes["本社"].h == pytest.approx(nodes["電気"].h + nodes["ガス"].h)
    assert nodes["本社"].h == pytest.approx(nodes["空調"].h + nodes["照明"].h)
    assert nodes["電気"].x < nodes["本社"].x < nodes["空調"].x


def test_mac_columns_are_as_wide_as_the_tonnes_and_green_below_zero():
    items = [("LED", 2.0, -5000.0), ("断熱", 6.0, 12000.0)]
    chart = charts.mac(items, key="mac", title="t", desc="d", x_title="t", y_title="円/t")
    a, b = _rects(chart)
    assert b.w == pytest.approx(3 * a.w)
    assert a.fill == charts.PALETTE[2] and b.fill == charts.PALETTE[1]
    zero = next(s for s in chart.shapes if s.kind == "line" and s.stroke == charts.INK)
    assert a.y == pytest.approx(zero.y) and b.y + b.h == pytest.approx(zero.y)


def test_areas_are_the_co2():
    items = [("電気", 100.0, 5.0, 80.0, 4.0), ("重油", 50.0, 3.5, 0.0, 0.0)]
    chart = charts.areas(items, key="a", title="t", desc="d", before_label="前",
                         after_label="後", x_title="GJ", y_title="t/GJ")  # fmt: skip
    before = [r for r in _rects(chart) if r.fill == "#9bb7d4"]
    ratio = before[0].w * before[0].h / (before[1].w * before[1].h)
    assert ratio == pytest.approx(5.0 / 3.5)


def test_lines_leave_gaps_and_draw_points_only_series_as_markers():
    chart = charts.lines(
        [2025, 2026, 2030], [Series("排出", [10, 8, 6]), Series("実績", [None, 9, None])],
        key="r", title="t", desc="d", styles=["line", "marker"],
    )  # fmt: skip
    assert len([s for s in chart.shapes if s.kind == "polygon"]) == 1
    assert chart.rows == [(2025, 10, None), (2026, 8, 9), (2030, 6, None)]


def test_svg_is_accessible_and_escapes_text():
    chart = charts.hbars(["<b>&工場"], [1.5], key="x", title="A & B", desc="<desc>")
    svg = charts.to_svg(chart, "u1")
    assert 'role="img"' in svg and 'aria-labelledby="chart-u1-720-t"' in svg
    assert '<title id="chart-u1-720-t">A &amp; B</title>' in svg
    assert "&lt;desc&gt;" in svg and '&lt;b&gt;&amp;<tspan lang="ja">工場</tspan>' in svg
    assert "<b>" not in svg
    # Japanese data on an English page is marked as Japanese, the hover text too
    assert '<title lang="ja">&lt;b&gt;&amp;工場: 1.50</title>' in svg


def test_shorten_keeps_within_the_width():
    text = charts.shorten("とても長い事業所の名前です", 60)
    assert text.endswith("…") and charts.text_width(text) <= 60


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_a_sankey_with_many_nodes_stays_inside_the_chart(width):
    links = [(e, f"事業所{i:02d}", 1.0 + i) for i in range(20) for e in ("電気", "ガス")]
    links += [(f"事業所{i:02d}", u, 1.0 + i) for i in range(20) for u in ("照明", "空調")]
    chart = charts.sankey(links, key="f", title="t", desc="d", width=width)
    for r in _rects(chart):
        assert r.y >= 0 and r.y + r.h <= chart.height + 0.01 and r.h > 0
    labels = sorted(t.y for t in _texts(chart) if 0 < t.x < width / 2 and "事業所" in t.text)
    assert all(b - a >= charts.FONT - 4 for a, b in zip(labels, labels[1:], strict=False))
