"""Target paths, the SBTi SME route check and progress against a path.

The SBTi SME criteria applied here are those of the SBTi page "Set a target as a small or
medium-sized enterprise (SME)" (https://sciencebasedtargets.org/small-and-medium-enterprise-sme-target-setting-process),
whose turnover and asset figures were updated in December 2023 (see docs/decisions/06*).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SBT_SME_CRITERIA = {
    "name": "SBTi SME route (Set a target as a small or medium-sized enterprise)",
    "version": "SBTi SME definition as updated in December 2023 (CSRD turnover/asset figures)",
    "url": "https://sciencebasedtargets.org/small-and-medium-enterprise-sme-target-setting-process",
    "emissions_limit_t": Decimal(10000),
    "employees_limit": 250,
    "turnover_limit_eur": 50_000_000,
    "assets_limit_eur": 25_000_000,
    "optional_needed": 3,
    "near_term_year": 2030,
    # Not confirmed in an official text (see docs/decisions/0600): at least 42 % by 2030, and
    # 4.2 % a year (1.5 °C absolute contraction) from a base year before 2020 -- what approved
    # SME targets with base years 2018 to FY2023 show. Shown as "to be confirmed".
    "near_term_min_share": Decimal("0.42"),
    "near_term_rate_per_year": Decimal("0.042"),
    "near_term_rate_confirmed": False,
    "net_zero_year": 2050,
}


@dataclass(frozen=True)
class PathPoint:
    year: int
    t: Decimal


def linear_path(base_year: int, base_t: Decimal, milestones: list[tuple[int, Decimal]]):
    """Straight lines from the base year through each (year, reduction share from the base
    year) milestone, one point per year. Milestones must be after the base year, ascending."""
    points = [PathPoint(base_year, base_t)]
    year0, t0 = base_year, base_t
    for year, share in sorted(milestones):
        if year <= year0:
            raise ValueError(f"milestone year {year} must be after {year0}")
        t1 = base_t * (1 - share)
        for y in range(year0 + 1, year + 1):
            points.append(PathPoint(y, t0 + (t1 - t0) * (y - year0) / (year - year0)))
        year0, t0 = year, t1
    return points


def sbt_sme_near_term_share(base_year: int) -> Decimal | None:
    """The reduction by 2030 this module proposes for the SME near-term target (to be
    confirmed): at least 42 %, or 4.2 % a year from an earlier base year (50.4 % from 2018);
    None for a base year of 2030 or later."""
    c = SBT_SME_CRITERIA
    years = c["near_term_year"] - base_year
    if years <= 0:
        return None
    share = max(c["near_term_min_share"], c["near_term_rate_per_year"] * years)
    return min(share, Decimal(1))


@dataclass(frozen=True)
class Criterion:
    code: str
    met: bool | None  # None: unknown (the company has not said)
    value: str = ""


@dataclass(frozen=True)
class Eligibility:
    eligible: bool | None
    mandatory: tuple[Criterion, ...]
    optional: tuple[Criterion, ...]

    @property
    def optional_met(self) -> int:
        return sum(1 for c in self.optional if c.met)


def _not(value: bool | None) -> bool | None:
    return None if value is None else not value


def sbt_sme_eligibility(
    *,
    scope1_plus_scope2_location_t: Decimal | None,
    employees: int | None,
    turnover_under_limit: bool | None = None,
    assets_under_limit: bool | None = None,
    fi_or_oil_gas: bool | None = None,
    sector_specific_required: bool | None = None,
    subsidiary_of_standard_parent: bool | None = None,
    mandatory_flag_sector: bool | None = None,
) -> Eligibility:
    """All four mandatory criteria, and at least three of the four size criteria."""
    c = SBT_SME_CRITERIA
    t = scope1_plus_scope2_location_t
    mandatory = (
        Criterion(
            "emissions_under_10000t",
            None if t is None else t < c["emissions_limit_t"],
            "" if t is None else f"{t:.1f}",
        ),
        Criterion("not_fi_or_oil_gas", _not(fi_or_oil_gas)),
        Criterion("no_sector_specific_method", _not(sector_specific_required)),
        Criterion("not_subsidiary_of_standard_route_parent", _not(subsidiary_of_standard_parent)),
    )
    optional = (
        Criterion(
            "employees_under_250",
            None if employees is None else employees < c["employees_limit"],
            "" if employees is None else str(employees),
        ),
        Criterion("turnover_under_50m_eur", turnover_under_limit),
        Criterion("assets_under_25m_eur", assets_under_limit),
        Criterion("not_mandatory_flag_sector", _not(mandatory_flag_sector)),
    )
    met = sum(1 for x in optional if x.met is True)
    unknown = sum(1 for x in optional if x.met is None)
    if any(x.met is False for x in mandatory) or met + unknown < c["optional_needed"]:
        eligible = False
    elif all(x.met is True for x in mandatory) and met >= c["optional_needed"]:
        eligible = True
    else:
        eligible = None
    return Eligibility(eligible, mandatory, optional)


@dataclass(frozen=True)
class Progress:
    year: int
    target_t: Decimal
    actual_t: Decimal | None
    on_track: bool | None  # None: no data, or fewer than 12 months (no verdict on part of a year)
    budget_left_t: Decimal  # the path's cumulative allowance to the last year, minus use so far
    months: int = 12  # months of the fiscal year the actual covers

    @property
    def partial(self) -> bool:
        """The actual covers only part of the year: it is not comparable with the path's year."""
        return self.actual_t is not None and self.months < 12


def progress(
    path: list[PathPoint], actuals: dict[int, Decimal], months: dict[int, int] | None = None
) -> list[Progress]:
    """Each year after the base year: on track when actual emissions are at or under the path.
    ``months``: how many months of each year the actual covers (12 when not given). A year with
    fewer than 12 months gets no verdict (``on_track`` None): a part of a year's emissions is
    not compared with the path's whole year, and not scaled up either (energy use is seasonal).
    The budget is the sum of the path's yearly allowances after the base year; a complete year
    uses its actual emissions, a year without data its allowance, and a partial year its
    allowance, or its actual emissions so far when they are already higher."""
    months = months or {}
    budget = sum((p.t for p in path[1:]), Decimal(0))
    used = Decimal(0)
    out = []
    for p in path[1:]:
        actual = actuals.get(p.year)
        n = months.get(p.year, 12)
        partial = actual is not None and n < 12
        if actual is None:
            used += p.t
        elif partial:
            used += max(p.t, actual)
        else:
            used += actual
        out.append(
            Progress(
                year=p.year,
                target_t=p.t,
                actual_t=actual,
                on_track=None if actual is None or partial else actual <= p.t,
                budget_left_t=budget - used,
                months=n,
            )
        )
    return out
