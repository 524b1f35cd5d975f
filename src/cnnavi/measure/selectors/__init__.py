"""Reads of the measure app, one module per page: ``grid`` (the monthly entry grid),
``dashboard`` (the dashboard and its cache), ``imports`` (planning a file import and the
import list). This module holds the small reads several pages share. Computing with the core
is ``cnnavi.measure.calc``'s."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from cnnavi.core.periods import FiscalYear
from cnnavi.measure.models import (
    ActivityVolume,
    CalcSettings,
    EnergyRecord,
    SupplierNotice,
    SupplyContract,
    UseShare,
)
from cnnavi.orgs.models import Company, Facility, SupportOffice
from cnnavi.orgs.selectors import companies_of_expert, companies_of_office


def companies_supported_by(*, user) -> list[Company]:
    """Companies the user sees as office staff or as an assigned expert (consent in force)."""
    member_ids = set(user.memberships.values_list("company_id", flat=True))
    out: dict[int, Company] = {}
    for office in SupportOffice.objects.filter(staff__user=user):
        for c in companies_of_office(office=office):
            out.setdefault(c.pk, c)
    for c in companies_of_expert(user=user):
        out.setdefault(c.pk, c)
    return sorted((c for c in out.values() if c.pk not in member_ids), key=lambda c: c.name)


# --------------------------------------------------------------------------- facilities, contracts


def facilities_of(*, company: Company) -> list[Facility]:
    return list(Facility.objects.filter(company=company).order_by("name", "id"))


def facility_of_company(*, company: Company, facility_id: int) -> Facility | None:
    """The company's facility of that id, or None (an API body naming another one is 422)."""
    return Facility.objects.filter(company=company, pk=facility_id).first()


def records_of_company(
    *, company: Company, fiscal_year: int | None = None, facility_id: int | None = None
) -> list[EnergyRecord]:
    """The company's energy records (optionally of a fiscal year or a facility), by month."""
    qs = EnergyRecord.objects.filter(facility__company=company).select_related("facility")
    if fiscal_year is not None:
        fy = FiscalYear(fiscal_year)
        qs = qs.filter(month__gte=fy.first_month, month__lte=fy.last_month)
    if facility_id is not None:
        qs = qs.filter(facility_id=facility_id)
    return list(qs.order_by("month", "facility__name", "energy", "id"))


def contracts_of_company(*, company: Company):
    return (
        SupplyContract.objects.filter(facility__company=company)
        .select_related("facility")
        .order_by("facility__name", "kind", "-valid_from")
    )


# --------------------------------------------------------------------------- volumes


def volumes_of(*, company: Company, fiscal_year: int) -> dict[str, tuple[Decimal, str]]:
    """Sales / production of a fiscal year: the yearly value, else the sum of its months."""
    return volumes_of_years(company=company, fiscal_years=[fiscal_year])[fiscal_year]


def volumes_of_years(
    *, company: Company, fiscal_years: list[int]
) -> dict[int, dict[str, tuple[Decimal, str]]]:
    """volumes_of for several fiscal years, in one query."""
    yearly: dict[int, dict[str, tuple[Decimal, str]]] = {fy: {} for fy in fiscal_years}
    monthly: dict[int, dict[str, tuple[Decimal, str]]] = {fy: {} for fy in fiscal_years}
    for v in ActivityVolume.objects.filter(company=company, fiscal_year__in=fiscal_years):
        if v.month is None:
            yearly[v.fiscal_year][v.kind] = (v.value, v.unit)
        else:
            total, _unit = monthly[v.fiscal_year].get(v.kind, (Decimal(0), v.unit))
            monthly[v.fiscal_year][v.kind] = (total + v.value, v.unit)
    return {fy: {**monthly[fy], **yearly[fy]} for fy in fiscal_years}


def volumes_list(*, company: Company):
    return ActivityVolume.objects.filter(company=company).order_by("-fiscal_year", "kind", "month")


def use_shares_of_facility(*, facility: Facility) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for s in UseShare.objects.filter(facility=facility):
        out[s.energy][s.use] = s.percent
    return out


def notices_of_contract(*, contract: SupplyContract):
    """The supplier's own factors the user entered for the contract, latest year first."""
    return (
        SupplierNotice.objects.filter(contract=contract)
        .defer("evidence")
        .select_related("entered_by")
    )


def notice_years_by_contract(*, company: Company) -> dict[int, list[int]]:
    """contract id -> the fiscal years with a user-entered supplier factor."""
    out: dict[int, list[int]] = defaultdict(list)
    for cid, fy in (
        SupplierNotice.objects.filter(contract__facility__company=company)
        .order_by("contract_id", "fiscal_year")
        .values_list("contract_id", "fiscal_year")
    ):
        out[cid].append(fy)
    return dict(out)


def estimate_allowed(*, company: Company) -> bool:
    """Whether the company chose to estimate years without published tables (推計)."""
    return CalcSettings.objects.filter(company=company, allow_estimate=True).exists()
