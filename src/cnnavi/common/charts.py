"""Charts drawn as SVG on the server (docs/decisions/1200-server-rendered-svg-charts.md).

Pure Python (no Django): each function takes the figures a page already shows in its table,
lays them out for one width and returns a :class:`Chart` (the shapes, the legend and the data
it drew, in ``rows``). :func:`to_svg` turns a chart into escaped SVG markup; the template tag
``{% chart %}`` (common/templatetags/cnnavi.py) puts a phone-width and a wide rendering of the
same figure into the page, one of which CSS hides. Text width is estimated (a CJK character
takes about one em, a Latin one about 0.6 em): labels that would collide are thinned, rotated
or shortened, never drawn on top of each other; every value stays in the table view.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import escape

NARROW = 360  # viewBox widths: a phone (shown at about 1:1) and a wide screen
WIDE = 720
FONT = 12  # px in the viewBox
PALETTE = (
    "#1f5fa8",  # blue
    "#e08a00",  # orange
    "#2e7d32",  # green
    "#8e3fa0",  # purple
    "#c62828",  # red
    "#00838f",  # teal
    "#6d4c41",  # brown
    "#546e7a",  # grey blue
)
INK = "#222"
MUTED = "#666"
GRID = "#ddd"


@dataclass
class Shape:
    kind: str  # rect, line, path, text, circle, polygon
    x: float = 0
    y: float = 0
    w: float = 0  # rect width, circle radius
    h: float = 0
    x2: float = 0
    y2: float = 0
    d: str = ""  # path data or polygon points
    text: str = ""
    fill: str = "none"
    stroke: str = ""
    dash: bool = False
    opacity: float = 1.0
    anchor: str = "start"
    rotate: float = 0
    size: float = FONT
    tip: str = ""  # a <title> (hover text) for the shape


@dataclass
class LegendItem:
    label: str
    color: str
    kind: str = "box"  # box, line, dashed, marker


@dataclass
class Chart:
    key: str
    width: int
    height: int
    title: str
    desc: str
    shapes: list[Shape] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # the data drawn, for tests and tables


@dataclass
class Figure:
    """The same chart laid out for a phone and for a wide screen."""

    narrow: Chart
    wide: Chart

    @property
    def legend(self) -> list[LegendItem]:
        return self.wide.legend

    @property
    def rows(self) -> list[tuple]:
        return self.wide.rows


@dataclass
class Series:
    label: str
    values: list[float | None]
    color: str = ""


def figure(draw, *args, **kwargs) -> Figure:
    """Call a chart function for both widths."""
    return Figure(draw(*args, width=NARROW, **kwargs), draw(*args, width=WIDE, **kwargs))


# --- helpers -------------------------------------------------------------------------------
def text_width(text: str, size: float = FONT) -> float:
    return sum(size * (1.0 if ord(c) > 0x2E7F else 0.56 if c.isdigit() else 0.6) for c in text)


def shorten(text: str, max_width: float, size: float = FONT) -> str:
    """The text, cut with an ellipsis to fit max_width."""
    if text_width(text, size) <= max_width:
        return text
    out = ""
    for c in text:
        if text_width(out + c + "…", size) > max_width:
            break
        out += c
    return out + "…" if out else ""


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high (low <= 0 <= high is not required)."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1 if low >= 0 else 0
        if low > 0:
            low = 0
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high - step * 1e-9:
        ticks.append(round(value, 10))
    return ticks


def number(value: float, step: float | None = None) -> str:
    """A number for a label: thousands separators, as many decimals as the step needs."""
    if step is None:
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    else:
        digits = 0 if step >= 1 else min(4, max(0, -math.floor(math.log10(step) + 1e-9)))
    text = f"{value:,.{digits}f}"
    return "0" if text.strip("-0.,") == "" else text


def _f(value) -> float:
    return 0.0 if value is None else float(value)


def _r(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Scale:
    def __init__(self, domain_low, domain_high, range_low, range_high):
        self.d0, self.d1, self.r0, self.r1 = domain_low, domain_high, range_low, range_high

    def __call__(self, value: float) -> float:
        if self.d1 == self.d0:
            return self.r0
        return self.r0 + (value - self.d0) * (self.r1 - self.r0) / (self.d1 - self.d0)


def _y_axis(chart, scale, ticks, left, right, *, title=""):
    """Grid lines and tick values on the left; the axis title above them (right-aligned to the
    values when it fits in the margin, else from the chart's left edge)."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    for t in ticks:
        y = scale(t)
        chart.shapes.append(Shape("line", x=left, y=y, x2=right, y2=y, stroke=GRID))
        chart.shapes.append(Shape("text", x=left - 4, y=y + 4, text=number(t, step),
                                  anchor="end", fill=MUTED, size=FONT - 1))  # fmt: skip
    if title:
        fits = text_width(title, FONT - 1) < left
        chart.shapes.append(Shape("text", x=left - 4 if fits else 2, y=scale(ticks[-1]) - 10,
                                  text=title, anchor="end" if fits else "start", fill=MUTED,
                                  size=FONT - 1))  # fmt: skip


def _x_axis(chart, total, left, right, bottom, title, count):
    """A numeric x axis from 0 to total (ticks inside it only) with its title under it."""
    ticks = [t for t in nice_ticks(0, total, count) if t <= total + 1e-9]
    x = _Scale(0, total or 1, left, right)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    for t in ticks:
        text = number(t, step)
        near_end = x(t) + text_width(text, FONT - 1) / 2 > right + 6
        chart.shapes.append(Shape("text", x=x(t), y=bottom + 14, text=text,
                                  anchor="end" if near_end else "middle", fill=MUTED,
                                  size=FONT - 1))  # fmt: skip
    chart.shapes.append(Shape("text", x=right, y=bottom + 32, text=title, anchor="end",
                              fill=MUTED, size=FONT - 1))  # fmt: skip
    return x


def _left_margin(ticks) -> float:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    return 8 + max(text_width(number(t, step), FONT - 1) for t in ticks)


def _x_labels(chart, labels, centres, band, baseline, *, max_label=None):
    """Category labels under the axis: level if they fit, else rotated, thinned so that no
    two overlap. Returns the height they take."""
    size = FONT - 1
    if not labels:
        return 0
    widest = max(text_width(label, size) for label in labels)
    if widest + 2 <= band:
        for label, x in zip(labels, centres, strict=True):
            chart.shapes.append(Shape("text", x=x, y=baseline + size + 4, text=label,
                                      anchor="middle", fill=INK, size=size))  # fmt: skip
        return size + 8
    limit = max_label or 110
    every = max(1, math.ceil((size + 2) / max(band, 0.1)))  # rotated labels need ~one line each
    longest = 0.0
    for i, (label, x) in enumerate(zip(labels, centres, strict=True)):
        if i % every:
            continue
        text = shorten(label, limit, size)
        longest = max(longest, text_width(text, size))
        chart.shapes.append(Shape("text", x=x + 3, y=baseline + 8, text=text, anchor="end",
                                  fill=INK, size=size, rotate=-45))  # fmt: skip
    return longest * 0.72 + size + 6


# --- bars ------------------------------------------------------------------------------------
def bars(
    categories: list[str],
    series: list[Series],
    *,
    key: str,
    title: str,
    desc: str,
    y_title: str = "",
    lines: list[Series] | None = None,
    width: int = WIDE,
    height: int | None = None,
) -> Chart:
    """Vertical bars stacked per category (one colour per series), with optional lines drawn
    over them on the same axis (a dashed dark line for the first one)."""
    lines = lines or []
    height = height or (280 if width <= NARROW else 320)
    chart = Chart(key, width, height, title, desc)
    for i, s in enumerate(series):
        s.color = s.color or PALETTE[i % len(PALETTE)]
        chart.legend.append(LegendItem(s.label, s.color))
    for s in lines:
        s.color = s.color or INK
        chart.legend.append(LegendItem(s.label, s.color, "dashed"))
    n = len(categories)
    totals = [sum(max(_f(s.values[i]), 0) for s in series) for i in range(n)]
    negatives = [sum(min(_f(s.values[i]), 0) for s in series) for i in range(n)]
    line_values = [_f(v) for s in lines for v in s.values if v is not None]
    high = max(totals + line_values + [0])
    low = min(negatives + line_values + [0])
    ticks = nice_ticks(low, high)
    left = _left_margin(ticks)
    right = width - 8
    top = 24
    band = (right - left) / max(n, 1)
    # room for the labels under the axis, measured before the plot is laid out
    probe = Chart(key, width, height, title, desc)
    label_h = _x_labels(probe, categories, [0] * n, band, 0)
    bottom = height - label_h - 4
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    _y_axis(chart, y, ticks, left, right, title=y_title)
    centres = [left + band * (i + 0.5) for i in range(n)]
    bar_w = max(band * 0.7, 1)
    for i, cat in enumerate(categories):
        up, down = 0.0, 0.0
        for s in series:
            v = _f(s.values[i])
            if v >= 0:
                y0, y1 = y(up), y(up + v)
                up += v
            else:
                y0, y1 = y(down + v), y(down)
                down += v
            if v:
                chart.shapes.append(
                    Shape("rect", x=centres[i] - bar_w / 2, y=min(y0, y1), w=bar_w,
                          h=abs(y1 - y0), fill=s.color, tip=f"{cat} {s.label}: {number(v)}")
                )  # fmt: skip
        chart.rows.append((cat, *(s.values[i] for s in series), *(s.values[i] for s in lines)))
    for s in lines:
        points = [(centres[i], y(_f(v))) for i, v in enumerate(s.values) if v is not None]
        if points:
            chart.shapes.append(Shape("path", d=_polyline(points), stroke=s.color, dash=True))
            for (cx, cy), v, cat in zip(points, [v for v in s.values if v is not None],
                                        [c for c, v in zip(categories, s.values, strict=True)
                                         if v is not None], strict=True):  # fmt: skip
                chart.shapes.append(Shape("circle", x=cx, y=cy, w=2.5, fill=s.color,
                                          tip=f"{cat} {s.label}: {number(_f(v))}"))  # fmt: skip
    chart.shapes.append(Shape("line", x=left, y=y(0), x2=right, y2=y(0), stroke=INK))
    _x_labels(chart, categories, centres, band, bottom)
    return chart


def hbars(
    labels: list[str],
    values: list[float],
    *,
    key: str,
    title: str,
    desc: str,
    unit: str = "",
    color: str = PALETTE[0],
    width: int = WIDE,
) -> Chart:
    """Horizontal bars, one per label, the value written after each bar."""
    row_h = 26
    label_w = min(width * 0.38, max([text_width(t, FONT) for t in labels] + [0]) + 8)
    height = 12 + row_h * len(labels) + 8
    chart = Chart(key, width, height, title, desc)
    high = max([_f(v) for v in values] + [0]) or 1
    value_w = max([text_width(number(_f(v)) + " " + unit, FONT - 1) for v in values] + [0]) + 6
    x = _Scale(0, high, label_w, width - value_w)
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        top = 12 + i * row_h
        chart.shapes.append(Shape("text", x=label_w - 6, y=top + 16, text=shorten(label, label_w - 8),
                                  anchor="end", fill=INK, tip=label))  # fmt: skip
        w = max(x(_f(v)) - label_w, 0)
        chart.shapes.append(Shape("rect", x=label_w, y=top + 4, w=w, h=row_h - 8, fill=color,
                                  tip=f"{label}: {number(_f(v))} {unit}".strip()))  # fmt: skip
        chart.shapes.append(Shape("text", x=label_w + w + 4, y=top + 16,
                                  text=f"{number(_f(v))} {unit}".strip(), fill=INK,
                                  size=FONT - 1))  # fmt: skip
        chart.rows.append((label, v))
    chart.shapes.append(Shape("line", x=label_w, y=8, x2=label_w, y2=height - 8, stroke=INK))
    return chart


def grouped_hbars(
    groups: list[tuple[str, list[tuple[str, float | None]], str]],
    *,
    key: str,
    title: str,
    desc: str,
    width: int = WIDE,
) -> Chart:
    """Small multiples: per group (label, [(bar label, value)], unit) a few horizontal bars on
    the group's own scale (their units differ)."""
    row_h = 22
    chart = Chart(key, width, 0, title, desc)
    y = 4.0
    bar_labels = [b for _g, items, _u in groups for b, _v in items]
    label_w = max([text_width(b, FONT - 1) for b in bar_labels] + [0]) + 8
    for gi, (group, items, unit) in enumerate(groups):
        chart.shapes.append(Shape("text", x=0, y=y + 14, text=shorten(group, width), fill=INK,
                                  size=FONT))  # fmt: skip
        y += 20
        high = max([_f(v) for _b, v in items] + [0]) or 1
        value_w = max([text_width(number(_f(v)) + " " + unit, FONT - 1) for _b, v in items]) + 6
        x = _Scale(0, high, label_w, width - value_w)
        for bi, (label, v) in enumerate(items):
            chart.shapes.append(Shape("text", x=label_w - 6, y=y + 15, text=label, anchor="end",
                                      fill=MUTED, size=FONT - 1))  # fmt: skip
            if v is None:
                chart.shapes.append(Shape("text", x=label_w + 4, y=y + 15, text="—", fill=MUTED))
            else:
                w = max(x(_f(v)) - label_w, 0)
                color = PALETTE[0] if bi == len(items) - 1 else "#9bb7d4"
                chart.shapes.append(Shape("rect", x=label_w, y=y + 4, w=w, h=row_h - 8, fill=color,
                                          tip=f"{group} {label}: {number(_f(v))} {unit}"))  # fmt: skip
                chart.shapes.append(Shape("text", x=label_w + w + 4, y=y + 15,
                                          text=f"{_sig(_f(v))} {unit}", fill=INK,
                                          size=FONT - 1))  # fmt: skip
            y += row_h
            chart.rows.append((group, label, v))
        y += 8 if gi < len(groups) - 1 else 0
    chart.height = int(y + 6)
    return chart


def _sig(value: float) -> str:
    """Four significant digits (intensities are small numbers)."""
    if value == 0:
        return "0"
    digits = max(0, 3 - math.floor(math.log10(abs(value))))
    return f"{value:,.{min(digits, 6)}f}"


def _polyline(points) -> str:
    return "M" + " L".join(f"{_r(x)} {_r(y)}" for x, y in points)


# --- Pareto ----------------------------------------------------------------------------------
def pareto(
    labels: list[str],
    values: list[float],
    shares: list[float],
    *,
    key: str,
    title: str,
    desc: str,
    bar_label: str = "t-CO2",
    share_label: str = "",
    width: int = WIDE,
) -> Chart:
    """Bars largest first with the cumulative share (0..1) as a line on a 0-100 % right axis."""
    height = 340 if width <= NARROW else 360
    chart = Chart(key, width, height, title, desc)
    chart.legend = [LegendItem(bar_label, PALETTE[0]), LegendItem(share_label, PALETTE[1], "line")]
    ticks = nice_ticks(0, max([_f(v) for v in values] + [0]))
    left = _left_margin(ticks)
    right = width - 8 - text_width("100%", FONT - 1) - 4
    top = 24
    n = len(labels)
    band = (right - left) / max(n, 1)
    probe = Chart(key, width, height, title, desc)
    label_h = _x_labels(probe, labels, [0] * n, band, 0, max_label=120 if width <= NARROW else 160)
    bottom = height - label_h - 4
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    y2 = _Scale(0, 1, bottom, top)
    _y_axis(chart, y, ticks, left, right, title=bar_label)
    for t in (0, 0.25, 0.5, 0.75, 1):
        chart.shapes.append(Shape("text", x=right + 4, y=y2(t) + 4, text=f"{round(t * 100)}%",
                                  fill=MUTED, size=FONT - 1))  # fmt: skip
    centres = [left + band * (i + 0.5) for i in range(n)]
    bar_w = max(band * 0.75, 1)
    for label, v, s, cx in zip(labels, values, shares, centres, strict=True):
        chart.shapes.append(Shape("rect", x=cx - bar_w / 2, y=y(_f(v)), w=bar_w,
                                  h=max(bottom - y(_f(v)), 0), fill=PALETTE[0],
                                  tip=f"{label}: {number(_f(v))} {bar_label}"))  # fmt: skip
        chart.rows.append((label, v, s))
    points = [(cx, y2(_f(s))) for cx, s in zip(centres, shares, strict=True)]
    if points:
        chart.shapes.append(Shape("path", d=_polyline(points), stroke=PALETTE[1]))
        for (cx, cy), label, s in zip(points, labels, shares, strict=True):
            chart.shapes.append(Shape("circle", x=cx, y=cy, w=2.5 if n <= 40 else 1.2,
                                      fill=PALETTE[1], tip=f"{label}: {_f(s) * 100:.1f}%"))  # fmt: skip
    chart.shapes.append(Shape("line", x=left, y=bottom, x2=right, y2=bottom, stroke=INK))
    _x_labels(chart, labels, centres, band, bottom, max_label=120 if width <= NARROW else 160)
    return chart


# --- Sankey ----------------------------------------------------------------------------------
def sankey(
    links: list[tuple[str, str, float]],
    *,
    key: str,
    title: str,
    desc: str,
    unit: str = "t-CO2",
    width: int = WIDE,
) -> Chart:
    """Flows between columns of nodes (sources left). A node's column is its longest path from
    a source; a band's thickness is its value. Names too long for the gap are shortened (the
    full name is the hover text and in the table); nodes too thin for a label get none."""
    links = [(s, t, _f(v)) for s, t, v in links if _f(v) > 0]
    nodes: list[str] = []
    for s, t, _v in links:
        for name in (s, t):
            if name not in nodes:
                nodes.append(name)
    depth = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes)):
        changed = False
        for s, t, _v in links:
            if depth[t] < depth[s] + 1 and depth[s] + 1 < len(nodes):
                depth[t] = depth[s] + 1
                changed = True
        if not changed:
            break
    columns = max(depth.values(), default=0) + 1
    inflow = dict.fromkeys(nodes, 0.0)
    outflow = dict.fromkeys(nodes, 0.0)
    for s, t, v in links:
        outflow[s] += v
        inflow[t] += v
    size = {n: max(inflow[n], outflow[n]) for n in nodes}
    per_column = [[n for n in nodes if depth[n] == c] for c in range(columns)]
    for col in per_column:
        col.sort(key=lambda n: -size[n])
    height = 300 if width <= NARROW else 360
    most = max((len(col) for col in per_column), default=1)
    pad = max(1.0, min(8.0, (height - 16) * 0.3 / max(most - 1, 1)))  # gaps: 30 % at most
    node_w = 8
    usable = height - 16 - pad * max(len(col) - 1 for col in per_column) if nodes else 1
    biggest = max((sum(size[n] for n in col) for col in per_column), default=1) or 1
    k = max(usable, 10) / biggest
    x_of = {c: 4 + (width - 8 - node_w) * c / max(columns - 1, 1) for c in range(columns)}
    y_of: dict[str, float] = {}
    for col in per_column:
        total = sum(size[n] for n in col) * k + pad * (len(col) - 1)
        y0 = 8 + (height - 16 - total) / 2
        for n in col:
            y_of[n] = y0
            y0 += size[n] * k + pad
    chart = Chart(key, width, height, title, desc)
    colour = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(per_column[0] if nodes else [])}
    out_at = dict(y_of)
    in_at = dict(y_of)
    for s, t, v in sorted(links, key=lambda link: (y_of[link[0]], y_of[link[1]])):
        th = v * k
        x0 = x_of[depth[s]] + node_w
        x1 = x_of[depth[t]]
        a0, a1 = out_at[s], in_at[t]
        out_at[s] += th
        in_at[t] += th
        mid = (x0 + x1) / 2
        colour.setdefault(t, colour.get(s, PALETTE[0]))
        d = (f"M{_r(x0)} {_r(a0)} C{_r(mid)} {_r(a0)} {_r(mid)} {_r(a1)} {_r(x1)} {_r(a1)} "
             f"L{_r(x1)} {_r(a1 + th)} C{_r(mid)} {_r(a1 + th)} {_r(mid)} {_r(a0 + th)} "
             f"{_r(x0)} {_r(a0 + th)} Z")  # fmt: skip
        chart.shapes.append(Shape("path", d=d, fill=colour.get(s, PALETTE[0]), opacity=0.35,
                                  tip=f"{s} → {t}: {number(v)} {unit}"))  # fmt: skip
    chart.rows = list(links)
    gap = (width - 8 - node_w) / max(columns - 1, 1) - node_w - 8
    for n in nodes:
        c = depth[n]
        h = max(size[n] * k, 1)
        chart.shapes.append(Shape("rect", x=x_of[c], y=y_of[n], w=node_w, h=h, fill=INK,
                                  tip=f"{n}: {number(size[n])} {unit}"))  # fmt: skip
        if h < FONT - 3 and len(per_column[c]) > 1:
            continue
        last = c == columns - 1 and columns > 1
        text = shorten(n, gap * (0.5 if 0 < c < columns - 1 else 1))
        chart.shapes.append(
            Shape("text", x=x_of[c] - 4 if last else x_of[c] + node_w + 4, y=y_of[n] + h / 2 + 4,
                  text=text, anchor="end" if last else "start", fill=INK, tip=n)
        )  # fmt: skip
    return chart


# --- variable-width columns ------------------------------------------------------------------
def areas(
    items: list[tuple[str, float, float, float, float]],
    *,
    key: str,
    title: str,
    desc: str,
    before_label: str,
    after_label: str,
    x_title: str,
    y_title: str,
    width: int = WIDE,
) -> Chart:
    """Per item (label, gj before, t before, gj after, t after) a column as wide as its energy
    and as high as its t per GJ, before (pale) and after (dark) drawn over each other: the area
    is the CO2."""
    height = 300 if width <= NARROW else 340
    chart = Chart(key, width, height, title, desc)
    chart.legend = [LegendItem(before_label, "#9bb7d4"), LegendItem(after_label, PALETTE[2])]
    rates = [t / gj for _l, gj, t, _g, _t in items if gj > 0]
    rates += [t / gj for _l, _g, _t, gj, t in items if gj > 0]
    ticks = nice_ticks(0, max(rates + [0]))
    left = _left_margin(ticks)
    right = width - 8
    top = 28
    bottom = height - 40
    total_x = max(sum(gj for _l, gj, *_ in items), sum(i[3] for i in items), 0) or 1
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    _y_axis(chart, y, ticks, left, right, title=y_title)
    x = _x_axis(chart, total_x, left, right, bottom, x_title, 3 if width <= NARROW else 6)
    labels = []
    for layer, (gj_i, t_i, fill, stroke) in enumerate(
        ((1, 2, "#9bb7d4", PALETTE[0]), (3, 4, PALETTE[2], "#fff"))
    ):
        pos = 0.0
        for item in items:
            gj, t = item[gj_i], item[t_i]
            if gj <= 0:
                continue
            rate = t / gj
            chart.shapes.append(
                Shape("rect", x=x(pos), y=y(rate), w=x(pos + gj) - x(pos), h=bottom - y(rate),
                      fill=fill, stroke=stroke, opacity=0.6 if layer == 0 else 0.8,
                      tip=f"{item[0]}: {number(gj)} GJ, {number(t)} t-CO2")
            )  # fmt: skip
            wide = x(pos + gj) - x(pos)
            if layer == 0 and wide > text_width(item[0], FONT - 1) + 4:
                after = item[4] / item[3] if item[3] > 0 else 0
                labels.append(Shape("text", x=x(pos) + wide / 2, y=y(max(rate, after)) - 4,
                                    text=item[0], anchor="middle", fill=INK, size=FONT - 1))  # fmt: skip
            pos += gj
    chart.shapes += labels  # over both layers
    chart.rows = [tuple(i) for i in items]
    chart.shapes.append(Shape("line", x=left, y=bottom, x2=right, y2=bottom, stroke=INK))
    return chart


def mac(
    items: list[tuple[str, float, float]],
    *,
    key: str,
    title: str,
    desc: str,
    x_title: str,
    y_title: str,
    width: int = WIDE,
) -> Chart:
    """Marginal abatement cost curve: per measure (name, t per year, yen per t), cheapest first,
    a column as wide as its tonnes and as high (or deep) as its cost; green below zero. Names
    are written in the columns only where they fit."""
    height = 300 if width <= NARROW else 340
    chart = Chart(key, width, height, title, desc)
    costs = [_f(c) for _n, _t, c in items]
    ticks = nice_ticks(min(costs + [0]), max(costs + [0]))
    left = _left_margin(ticks)
    right = width - 8
    top = 28
    bottom = height - 40
    total = sum(_f(t) for _n, t, _c in items) or 1
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    _y_axis(chart, y, ticks, left, right, title=y_title)
    x = _x_axis(chart, total, left, right, bottom, x_title, 3 if width <= NARROW else 6)
    pos = 0.0
    for i, (name, t, cost) in enumerate(items):
        t, cost = _f(t), _f(cost)
        x0, x1 = x(pos), x(pos + t)
        y0, y1 = y(0), y(cost)
        fill = PALETTE[2] if cost < 0 else PALETTE[1]
        chart.shapes.append(Shape("rect", x=x0, y=min(y0, y1), w=x1 - x0, h=abs(y1 - y0),
                                  fill=fill, stroke="#fff",
                                  tip=f"{i + 1}. {name}: {number(t)} t, {number(cost)}"))  # fmt: skip
        label = str(i + 1)
        if x1 - x0 >= text_width(label, FONT - 1) + 2:
            ly = (y0 + y1) / 2 + 4 if abs(y1 - y0) > FONT + 2 else (min(y0, y1) - 3)
            white = abs(y1 - y0) > FONT + 2
            chart.shapes.append(Shape("text", x=(x0 + x1) / 2, y=ly, text=label, anchor="middle",
                                      fill="#fff" if white else INK, size=FONT - 1))  # fmt: skip
        chart.rows.append((name, t, cost))
        pos += t
    chart.shapes.append(Shape("line", x=left, y=y(0), x2=right, y2=y(0), stroke=INK))
    return chart


# --- lines -----------------------------------------------------------------------------------
def lines(
    xs: list[int],
    series: list[Series],
    *,
    key: str,
    title: str,
    desc: str,
    y_title: str = "",
    styles: list[str] | None = None,
    width: int = WIDE,
) -> Chart:
    """Lines over numeric x values (years); per series a style: "line" (with markers),
    "dashed" or "marker" (points only). A value of None is a gap."""
    styles = styles or ["line"] * len(series)
    height = 280 if width <= NARROW else 320
    chart = Chart(key, width, height, title, desc)
    colours = [PALETTE[0], PALETTE[4], INK, PALETTE[2]]
    for i, s in enumerate(series):
        s.color = s.color or colours[i % len(colours)]
        chart.legend.append(LegendItem(s.label, s.color, styles[i]))
    values = [_f(v) for s in series for v in s.values if v is not None]
    ticks = nice_ticks(0, max(values + [0]))
    left = _left_margin(ticks)
    right = width - 12
    top = 24
    bottom = height - 28
    lo, hi = (min(xs), max(xs)) if xs else (0, 1)
    x = _Scale(lo, hi if hi > lo else lo + 1, left + 6, right - 6)
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    _y_axis(chart, y, ticks, left, right, title=y_title)
    span = max(hi - lo, 1)
    room = (right - left) / text_width("2050", FONT - 1) / 1.6
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if span / s <= room)
    for year in range(lo - lo % step + (step if lo % step else 0), hi + 1, step):
        chart.shapes.append(Shape("text", x=x(year), y=bottom + 16, text=str(year),
                                  anchor="middle", fill=MUTED, size=FONT - 1))  # fmt: skip
    for s, style in zip(series, styles, strict=True):
        points = [(x(xv), y(_f(v)), xv, v) for xv, v in zip(xs, s.values, strict=True)
                  if v is not None]  # fmt: skip
        if style != "marker" and len(points) > 1:
            chart.shapes.append(Shape("path", d=_polyline([(p[0], p[1]) for p in points]),
                                      stroke=s.color, dash=style == "dashed"))  # fmt: skip
        if style != "dashed":
            for px, py, xv, v in points:
                if style == "marker":
                    d = f"{_r(px)},{_r(py - 6)} {_r(px + 6)},{_r(py)} {_r(px)},{_r(py + 6)} {_r(px - 6)},{_r(py)}"
                    chart.shapes.append(Shape("polygon", d=d, fill=s.color,
                                              tip=f"{xv} {s.label}: {number(_f(v))}"))  # fmt: skip
                else:
                    chart.shapes.append(Shape("circle", x=px, y=py, w=2.5, fill=s.color,
                                              tip=f"{xv} {s.label}: {number(_f(v))}"))  # fmt: skip
    chart.rows = [(xv, *(s.values[i] for s in series)) for i, xv in enumerate(xs)]
    chart.shapes.append(Shape("line", x=left, y=bottom, x2=right, y2=bottom, stroke=INK))
    return chart


# --- markup ----------------------------------------------------------------------------------
_JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]+")


def _marked(text: str) -> str:
    """Escaped text with its Japanese runs (data such as facility names or units on an English
    page) in <tspan lang="ja">."""
    out, at = [], 0
    for m in _JAPANESE.finditer(text):
        out.append(escape(text[at : m.start()]))
        out.append(f'<tspan lang="ja">{escape(m.group())}</tspan>')
        at = m.end()
    out.append(escape(text[at:]))
    return "".join(out)


def _tip(text: str) -> str:
    """A hover <title>; lang="ja" when it holds Japanese (a <title> takes no markup)."""
    if not text:
        return ""
    lang = ' lang="ja"' if _JAPANESE.search(text) else ""
    return f"<title{lang}>{escape(text)}</title>"


def to_svg(chart: Chart, uid: str = "") -> str:
    """The chart as an <svg> element: role="img", its <title> and <desc> named by
    aria-labelledby / aria-describedby, a hover <title> on each mark."""
    ident = f"chart-{escape(uid or chart.key)}-{chart.width}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'class="chart-svg" role="img" aria-labelledby="{ident}-t" aria-describedby="{ident}-d" '
        f'font-size="{FONT}">'
        f'<title id="{ident}-t">{escape(chart.title)}</title>'
        f'<desc id="{ident}-d">{escape(chart.desc)}</desc>'
    ]
    for s in chart.shapes:
        tip = _tip(s.tip)
        extra = ""
        if s.stroke:
            extra += f' stroke="{s.stroke}"'
        if s.opacity != 1:
            extra += f' fill-opacity="{s.opacity:g}"'
        if s.kind == "rect":
            out.append(
                f'<rect x="{_r(s.x)}" y="{_r(s.y)}" width="{_r(max(s.w, 0))}" '
                f'height="{_r(max(s.h, 0))}" fill="{s.fill}"{extra}>{tip}</rect>'
            )
        elif s.kind == "line":
            out.append(
                f'<line x1="{_r(s.x)}" y1="{_r(s.y)}" x2="{_r(s.x2)}" y2="{_r(s.y2)}"{extra}/>'
            )
        elif s.kind == "path":
            dash = ' stroke-dasharray="5 4"' if s.dash else ""
            width = ' stroke-width="2"' if s.stroke else ""
            out.append(f'<path d="{s.d}" fill="{s.fill}"{extra}{width}{dash}>{tip}</path>')
        elif s.kind == "polygon":
            out.append(f'<polygon points="{s.d}" fill="{s.fill}"{extra}>{tip}</polygon>')
        elif s.kind == "circle":
            out.append(
                f'<circle cx="{_r(s.x)}" cy="{_r(s.y)}" r="{_r(s.w)}" fill="{s.fill}"{extra}>'
                f"{tip}</circle>"
            )
        elif s.kind == "text":
            rotate = f' transform="rotate({s.rotate:g} {_r(s.x)} {_r(s.y)})"' if s.rotate else ""
            anchor = f' text-anchor="{s.anchor}"' if s.anchor != "start" else ""
            size = f' font-size="{s.size:g}"' if s.size != FONT else ""
            out.append(
                f'<text x="{_r(s.x)}" y="{_r(s.y)}" fill="{s.fill}"{anchor}{size}{rotate}>'
                f"{tip}{_marked(s.text)}</text>"
            )
    out.append("</svg>")
    return "".join(out)
