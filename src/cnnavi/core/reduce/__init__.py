"""Reduction planning arithmetic (framework-free; no Django).

* ``profile``: the company's energy use of a base year (per energy: amount, cost, GJ and tCO2 on
  three bases), the input every other function works on;
* ``effects``: what a measure does to a profile (energy, CO2 on SHK basic, location- and
  market-based Scope 2, yen, investment, payback, cost per tCO2); ``apply_measures`` applies
  measures one after another, each on what the earlier ones left;
* ``mac``: the marginal abatement cost curve (ordered by cost per tonne);
* ``targets``: target paths, the SBTi SME route check, progress against a path;
* ``roadmap``: emissions year by year as measures start;
* ``tracking``: planned versus actual saving after a measure is done (energy amounts and, for
  every lever, tCO2 on a basis from the core's per-record results).
"""

from .effects import (
    BASES,
    Effect,
    EnergyLine,
    MeasureSpec,
    Profile,
    apply_measure,
    apply_measures,
)
from .mac import MacBar, mac_curve
from .roadmap import RoadmapYear, roadmap
from .targets import (
    SBT_SME_CRITERIA,
    Criterion,
    Eligibility,
    PathPoint,
    Progress,
    linear_path,
    progress,
    sbt_sme_eligibility,
    sbt_sme_near_term_share,
)
from .tracking import (
    PlannedVsActual,
    co2_planned_share,
    monthly_tco2,
    months_involved,
    planned_vs_actual,
    tracked_energies,
)

__all__ = [
    "BASES",
    "SBT_SME_CRITERIA",
    "Criterion",
    "Effect",
    "Eligibility",
    "EnergyLine",
    "MacBar",
    "MeasureSpec",
    "PathPoint",
    "PlannedVsActual",
    "Profile",
    "Progress",
    "RoadmapYear",
    "apply_measure",
    "apply_measures",
    "co2_planned_share",
    "linear_path",
    "mac_curve",
    "monthly_tco2",
    "months_involved",
    "planned_vs_actual",
    "progress",
    "roadmap",
    "sbt_sme_eligibility",
    "sbt_sme_near_term_share",
    "tracked_energies",
]
