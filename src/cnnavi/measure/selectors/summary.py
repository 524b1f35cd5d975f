"""The dashboard's plain headline (issue #17 point 7, decision 0411): one sentence an owner
understands, built from the dashboard's figures (which all come from the core)."""

from __future__ import annotations

from decimal import Decimal

from cnnavi.measure.selectors.dashboard import Dashboard


def tonnes_text(value) -> str:
    """t-CO2 for a sentence: whole tonnes from 100 t, one decimal from 10 t, else three."""
    v = Decimal(str(value))
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:,.1f}"
    return f"{v:,.3f}"


def change_text(ratio: float | None) -> str:
    """A change as a whole percentage with a real minus sign (−3%, +12%, ±0%)."""
    if ratio is None:
        return ""
    pct = round(ratio * 100)
    if pct == 0:
        return "±0%"
    return f"+{pct:,}%" if pct > 0 else f"\u2212{abs(pct):,}%"


def headline(d: Dashboard) -> dict | None:
    """What the headline says: the year's total on the reporting basis (Scope 1 + Scope 2 with
    the basic factors, as the 温対法 report), the change against the same months a year before,
    and the biggest source; ``None`` where the year has no data. ``computable`` is False where
    some records cannot be computed (the page then says what to do instead of a total)."""
    if not d.has_data:
        return None
    if not d.ok or d.partial:
        return {"computable": False, "fiscal_year": d.fiscal_year}
    total = d.totals["total_basic_t"]
    biggest = None
    if d.by_energy and total:
        top = max(d.by_energy, key=lambda g: g["tco2"])
        biggest = {
            "label": top["label"],
            "share": round(top["tco2"] / float(total) * 100),
        }
    return {
        "computable": True,
        "fiscal_year": d.fiscal_year,
        "total": tonnes_text(total),
        "change": change_text(d.changes.get("total_basic_t")) if d.previous_totals else "",
        "same_period": d.previous_period is not None,
        "biggest": biggest,
        "provisional": d.provisional,
        "estimated": d.estimated,
        "user_entered": d.user_entered,
    }
