"""The dashboard's charts (and the Pareto and flow charts a CO2-support visit shows), drawn on
the server by cnnavi.common.charts from the same figures as the tables under them; and the
dashboard's figures section (totals, charts, their tables, completeness, intensity, factors)
as rendered HTML, cached under the data versions (decision 1201)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cnnavi.common import charts
from cnnavi.common.templatetags.cnnavi import chart_html
from cnnavi.measure.selectors import dashboard as dashboard_selectors
from cnnavi.measure.selectors import summary

CHARTS_CACHE_SECONDS = 24 * 3600
SECTION_CACHE_SECONDS = 3600
SECTION_TEMPLATE = "measure/_dashboard_figures.html"
# every template the section renders (a new release with other markup never reads old HTML)
SECTION_TEMPLATES = (SECTION_TEMPLATE, "outcomes/_benchmark.html")

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def month_label(month: str) -> str:
    """ "2025-05" -> 「5月」 / "May" (the fiscal year is in the chart's title)."""
    m = int(month[5:7])
    return MONTHS_EN[m - 1] if get_language() == "en" else f"{m}月"


def _demo(demo: bool) -> str:
    return _("（デモデータ）") if demo else ""


def pareto_figure(rows, *, demo: bool = False, key: str = "pareto") -> charts.Figure | None:
    if not rows:
        return None
    return charts.figure(
        charts.pareto,
        [f"{_get(r, 'facility')} / {_get(r, 'energy')}" for r in rows],
        [_get(r, "tco2") for r in rows],
        [_get(r, "cumulative_share") for r in rows],
        key=key,
        title=_("パレート図（事業所 × エネルギー）") + _demo(demo),
        desc=_(
            "排出量の大きい順に並べ、累積の割合を線で示します。上位の組み合わせから対策を考えます。"
        ),
        bar_label="t-CO2",
        share_label=_("累積割合"),
    )


def flow_figure(links, *, demo: bool = False, key: str = "flow") -> charts.Figure | None:
    if not links:
        return None
    return charts.figure(
        charts.sankey,
        [(link["source"], link["target"], link["value"]) for link in links],
        key=key,
        title=_("エネルギーの流れ（エネルギー → 事業所 → 用途）") + _demo(demo),
        desc=_("帯の太さが排出量（t-CO2）です。"),
    )


def intensity_label(key: str) -> str:
    return {
        "employees": _("従業員1人あたり"),
        "floor_area": _("延床面積1m²あたり"),
        "sales": _("売上高あたり"),
    }.get(key, _("生産量あたり"))


def dashboard_figures(d) -> dict:
    """Figures of a measure.selectors Dashboard: monthly (stacked by energy, the previous year
    as a dashed line), by facility, Pareto, flow, intensity."""
    demo = bool(d.company.is_demo)
    monthly = d.monthly
    out: dict = {"monthly": None, "facility": None, "intensity": None}
    if monthly.get("series"):
        previous = monthly.get("previous") or []
        out["monthly"] = charts.figure(
            charts.bars,
            [month_label(m) for m in monthly["months"]],
            [charts.Series(s["label"], list(s["values"])) for s in monthly["series"]],
            lines=[charts.Series(_("前年度"), list(previous))] if previous else None,
            key="monthly",
            title=_("月別の排出量（エネルギー別）") + _demo(demo),
            desc=_("%(year)s年度の月ごとの排出量（t-CO2）をエネルギー別に積み上げています。")
            % {"year": d.fiscal_year},
            y_title="t-CO2",
        )
    if d.by_facility:
        out["facility"] = charts.figure(
            charts.hbars,
            [f["facility"] for f in d.by_facility],
            [f["tco2"] for f in d.by_facility],
            key="facility",
            title=_("事業所別") + _demo(demo),
            desc=_("事業所ごとの排出量（t-CO2）。"),
            unit="t-CO2",
        )
    out["pareto"] = pareto_figure(d.pareto, demo=demo)
    out["flow"] = flow_figure(d.flow, demo=demo)
    if d.intensity:
        out["intensity"] = charts.figure(
            charts.grouped_hbars,
            [
                (
                    intensity_label(i["key"]),
                    [(_("前年度"), i["previous"]), (_("今年度"), i["value"])],
                    f"t-CO2/{i['unit']}",
                )
                for i in d.intensity
            ],
            key="intensity",
            title=_("原単位（t-CO2/単位）") + _demo(demo),
            desc=_(
                "分母ごとに、前年度と今年度の原単位を比べます（単位が違うので目盛りは別々です）。"
            ),
        )
    return out


def dashboard_charts(d) -> dict[str, str]:
    """The dashboard's charts as HTML, cached under a hash of everything they draw (the same
    figures in the same language give the same markup, so there is nothing to invalidate)."""
    drawn = repr(
        (
            get_language(),
            bool(d.company.is_demo),
            d.fiscal_year,
            d.monthly,
            d.by_facility,
            [p.__dict__ for p in d.pareto],
            d.flow,
            d.intensity,
        )
    )
    key = "measure:charts:" + hashlib.sha256(drawn.encode()).hexdigest()[:32]
    html = cache.get(key)
    if html is None:
        html = {name: chart_html(fig) for name, fig in dashboard_figures(d).items()}
        cache.set(key, html, CHARTS_CACHE_SECONDS)
    return html


@dataclass(frozen=True)
class Section:
    """What the dashboard's page shell needs of its figures: the rendered HTML, the headline
    (its sentence is drawn by the shell: it says whether there are questioned values) and
    whether the year has data."""

    html: SafeString
    headline: dict | None
    has_data: bool


@lru_cache(maxsize=1)
def _drawing_fingerprint() -> str:
    """Changes with the code that draws the section: its templates, the chart and filter
    modules and the translations (read once per process)."""
    from cnnavi.common.templatetags import cnnavi as common_tags
    from cnnavi.measure.templatetags import measure as measure_tags

    here = Path(__file__).resolve().parent
    paths = [Path(get_template(name).origin.name) for name in SECTION_TEMPLATES]
    paths += [Path(__file__), Path(charts.__file__), Path(common_tags.__file__)]
    paths += [Path(measure_tags.__file__)]
    paths += sorted(here.parent.glob("*/locale/*/LC_MESSAGES/django.mo"))
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def dashboard_section(
    *, company, fiscal_year: int, use_unset: str, facilities: list, dashboard
) -> Section:
    """The dashboard's figures section, from the cache while nothing it draws has changed:
    the key holds ``dashboard_selectors.figures_stamp`` (the data versions the services bump,
    the company's and facilities' figures, the date and the language) and the drawing code's
    fingerprint. ``dashboard`` is a lazy ``Dashboard``: read only on a miss."""
    stamp = dashboard_selectors.figures_stamp(
        company=company, fiscal_year=fiscal_year, facilities=facilities, use_unset=use_unset
    )
    key = f"measure:section:{company.pk}:{fiscal_year}:{stamp}:{_drawing_fingerprint()}"
    found = cache.get(key)
    if found is None:
        d = dashboard
        headline = summary.headline(d)
        html = render_to_string(
            SECTION_TEMPLATE,
            {
                "d": d,
                "company": company,
                "headline": headline,
                "charts": dashboard_charts(d) if d.ok else {},
            },
        )
        found = {"html": str(html), "headline": headline, "has_data": d.has_data}
        cache.set(key, found, SECTION_CACHE_SECONDS)
    return Section(
        html=mark_safe(found["html"]),  # noqa: S308 - our own template's output
        headline=found["headline"],
        has_data=found["has_data"],
    )
