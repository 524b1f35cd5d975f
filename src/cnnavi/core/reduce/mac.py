"""The marginal abatement cost (MAC) curve: measures ordered by cost per tonne avoided, each a
bar as wide as the tonnes it avoids and as high as its cost per tonne."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .effects import ZERO, Effect


@dataclass(frozen=True)
class MacBar:
    key: str
    name: str
    t: Decimal  # width: tCO2 avoided per year on the basis
    cost_per_t: Decimal  # height: yen per tCO2 (negative: saves money)
    x_start: Decimal  # cumulative tonnes before this bar
    x_end: Decimal


def mac_curve(effects: list[Effect], basis: str) -> tuple[list[MacBar], list[Effect]]:
    """Bars in ascending cost per tonne (ties: larger first, then name), and the effects left
    out because they avoid nothing on the basis (e.g. a certificate on the location basis) or
    are offsets."""
    ranked = []
    left_out = []
    for e in effects:
        cost = e.cost_per_t(basis) if e.kind != "offset" else None
        t = e.t_saved.get(basis, ZERO)
        if cost is None or t <= 0:
            left_out.append(e)
            continue
        ranked.append((cost, -t, e.name, e))
    ranked.sort(key=lambda item: item[:3])
    bars = []
    x = ZERO
    for cost, neg_t, _name, e in ranked:
        bars.append(MacBar(e.key, e.name, -neg_t, cost, x, x - neg_t))
        x -= neg_t
    return bars, left_out
