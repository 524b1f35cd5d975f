"""The roadmap: emissions year by year as the planned measures start, against a target path."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .effects import BASES, Profile, apply_measures


@dataclass(frozen=True)
class RoadmapYear:
    year: int
    t: dict[str, Decimal]  # emissions on each basis after the measures started by this year
    saved: dict[str, dict[str, Decimal]]  # measure key -> basis -> t saved that year
    offset_t: Decimal
    starting: tuple[str, ...]  # keys of the measures that start this year
    target_t: Decimal | None = None


def roadmap(
    profile: Profile,
    specs,
    *,
    first_year: int,
    last_year: int,
    targets: dict[int, Decimal] | None = None,
) -> list[RoadmapYear]:
    """Each year from ``first_year`` to ``last_year`` with the measures whose ``start_year`` is
    on or before it (a measure without a start year is not in the roadmap), applied in the order
    given. The base profile stays constant (no growth assumed)."""
    specs = list(specs)
    out = []
    for year in range(first_year, last_year + 1):
        active = [s for s in specs if s.start_year is not None and s.start_year <= year]
        after, effects = apply_measures(profile, active)
        out.append(
            RoadmapYear(
                year=year,
                t={b: after.total(b) for b in BASES},
                saved={e.key: dict(e.t_saved) for e in effects},
                offset_t=sum((e.offset_t for e in effects), Decimal(0)),
                starting=tuple(s.key for s in specs if s.start_year == year),
                target_t=(targets or {}).get(year),
            )
        )
    return out
