"""Reads of the statements app. Every figure comes from measure's computation of the
company's records (``measure.calc.year_calc`` on ``core_records_by_year``: the same path as the dashboard,
the API's emissions endpoint and ``cnnavi co2``); this module only picks the months of the
period, adds up the SHK fiscal years it spans and arranges the result."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.db.models import Count, Max
from django.utils import timezone

from cnnavi.core.factors import DATA_DIR
from cnnavi.core.periods import month_of, month_text
from cnnavi.measure.calc import (
    RequestFactorBook,
    core_records_by_year,
    default_fiscal_year,
    year_calc,
)
from cnnavi.measure.labels import energy_label, energy_sort_key
from cnnavi.measure.selectors import estimate_allowed, facilities_of
from cnnavi.measure.selectors.plausibility import dashboard_flags
from cnnavi.orgs.models import Company, Facility
from cnnavi.statements import rules
from cnnavi.statements.models import Evidence, ShareLink, ShareLinkOpen, Statement

# the keys of the emissions endpoint (and ``cnnavi co2 --format json``) a statement carries
TOTAL_KEYS = (
    "scope1_t",
    "scope1_adjusted_t",
    "scope2_basic_t",
    "scope2_adjusted_t",
    "scope2_location_t",
    "scope2_market_t",
    "total_basic_t",
    "total_adjusted_t",
    "energy_gj",
    "crude_oil_kl",
)
# factor bases that are a supplier's own published value (menu, residual, whole company)
SUPPLIER_BASES = ("supplier_menu", "residual", "whole")


def default_year(*, company: Company) -> int:
    return default_fiscal_year(company=company)


def period_for(*, company: Company, kind: str, year: int) -> rules.Period:
    return rules.period_of(kind, year, company.fiscal_year_start_month)


@lru_cache(maxsize=1)
def _factor_tables_digest() -> str:
    """Changes when the core's official tables change."""
    h = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*.tsv")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class _Inputs:
    period: rules.Period
    by_year: dict[int, list]  # SHK fiscal year -> core Records of the period's months
    facilities: list[Facility]


def _inputs(*, company: Company, period: rules.Period) -> _Inputs:
    months = {month_text(m) for m in period.months}
    by_year = core_records_by_year(company=company, fiscal_years=period.shk_years)
    by_year = {fy: [r for r in recs if r.month in months] for fy, recs in by_year.items()}
    return _Inputs(period, by_year, facilities_of(company=company))


def _fingerprint(company: Company, inputs: _Inputs) -> str:
    """A digest of everything the figures depend on: the period, every record as computed
    (amount, unit, supplier and menu after the contract look-up, cost, use, facility), the
    employees, the facilities and the official tables."""
    parts = [
        inputs.period.kind,
        inputs.period.year,
        inputs.period.start_month,
        company.employees,
        [(f.pk, f.name) for f in inputs.facilities],
        _factor_tables_digest(),
    ]
    # the choice to estimate and a record's supplier-notice factors change the figures too;
    # added only where present, so the fingerprints of statements without them stay as they were
    if estimate_allowed(company=company):
        parts.append("estimate")
    for fy in sorted(inputs.by_year):
        for r in sorted(inputs.by_year[fy], key=lambda r: r.line):
            row = (r.line, r.month, r.energy, str(r.amount), r.unit, r.facility, r.supplier,
                   r.menu, r.cost_yen, r.use)  # fmt: skip
            if r.basic_factor is not None or r.adjusted_factor is not None:
                row += (str(r.basic_factor), str(r.adjusted_factor))
            parts.append(row)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def current_fingerprint(*, company: Company, period: rules.Period) -> str:
    return _fingerprint(company, _inputs(company=company, period=period))


def _evidence_counts(*, company: Company, inputs: _Inputs) -> dict:
    """How many facility-month-energy entries of the period have a bill attached, and how
    many months have every entry backed."""
    cells = {(r.facility, r.month, r.energy) for recs in inputs.by_year.values() for r in recs}
    backed = {
        (fname, month_text(month), energy)
        for fname, month, energy in Evidence.objects.filter(
            facility__company=company,
            month__gte=inputs.period.first,
            month__lte=inputs.period.last,
        ).values_list("facility__name", "month", "energy")
    }
    by_month: dict = defaultdict(list)
    for cell in cells:
        by_month[cell[1]].append(cell in backed)
    return {
        "entries": len(cells),
        "entries_with_evidence": len(cells & backed),
        "months_with_evidence": sum(1 for flags in by_month.values() if all(flags)),
    }


def _outlier_counts(*, company: Company, period: rules.Period) -> dict:
    """The period's questioned values (measure's plausibility check, each SHK year the period
    touches, cached under the year's data versions as on the dashboard): how many, how many
    the company confirmed as right, and the still unconfirmed ones (to be checked before
    issuing)."""
    months = set(period.months)
    flags = [
        f
        for fy in period.shk_years
        for f in dashboard_flags(company=company, fiscal_year=fy)
        if f.month in months
    ]
    open_flags = sorted(
        (f for f in flags if not f.confirmed), key=lambda f: (f.month, f.facility.name, f.energy)
    )
    return {
        "outliers_questioned": len(flags),
        "outliers_confirmed": len(flags) - len(open_flags),
        "outliers_unconfirmed": len(open_flags),
        "outliers_unconfirmed_cells": [
            {
                "facility": f.facility.name,
                "facility_id": f.facility.pk,
                "month": month_text(f.month),
                "energy": f.energy,
            }
            for f in open_flags
        ],  # fmt: skip
    }


# the completeness's counts of records, in the order the statement lists them
_RECORD_COUNTS = (
    "records",
    "records_provisional",
    "records_estimated",
    "records_supplier_notice",
    "records_default_factor",
    "records_supplier_factor",
)


@dataclass
class _Sums:
    """The figures of the SHK fiscal years a period spans, added up year by year."""

    totals: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(TOTAL_KEYS, Decimal(0))
    )
    by_facility: dict[str, dict] = field(default_factory=dict)
    by_energy: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    factors: dict[tuple, dict] = field(default_factory=dict)
    months_with_data: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_RECORD_COUNTS, 0))
    provisional: bool = False

    def add(self, result) -> None:
        """Adds one SHK fiscal year's result (the core's ``FiscalYearResult``)."""
        for key in TOTAL_KEYS:
            self.totals[key] += getattr(result, key)
        self.provisional = self.provisional or bool(result.provisional)
        for g in result.by_facility:
            row = self.by_facility.setdefault(
                g.key, {"facility": g.label, "tco2": Decimal(0), "market_t": Decimal(0),
                        "location_t": Decimal(0), "energy_gj": Decimal(0)}
            )  # fmt: skip
            row["tco2"] += g.tco2
            row["market_t"] += g.tco2_market
            row["location_t"] += g.tco2_location
            row["energy_gj"] += g.energy_gj
        for g in result.by_energy:
            self.by_energy[g.key] += g.energy_gj
        for r in result.records:
            self._count(r)
        for f in result.factors_used():
            self.factors.setdefault(
                (f.source.document, f.fiscal_year),
                {
                    "document": f.source.document,
                    "publisher": f.source.publisher,
                    "published": f.source.published,
                    "fiscal_year": f.fiscal_year,
                    "provisional": bool(f.provisional),
                },
            )

    def _count(self, r) -> None:
        """Counts one computed record: its month, and what its factors are."""
        counts = self.counts
        counts["records"] += 1
        self.months_with_data.add(r.record.month)
        counts["records_provisional"] += r.provisional
        counts["records_estimated"] += r.estimated
        counts["records_supplier_notice"] += r.user_entered
        counts["records_default_factor"] += (
            r.factor_market.basis == "default" or r.factor.basis == "default"
        )
        counts["records_supplier_factor"] += r.factor_market.basis in SUPPLIER_BASES

    def facility_rows(self) -> list[dict]:
        return [
            {k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()}
            for _key, row in sorted(self.by_facility.items())
        ]

    def energy_rows(self) -> list[dict]:
        return [
            {
                "energy": code,
                "label_ja": energy_label(code, "ja"),
                "label_en": energy_label(code, "en"),
                "energy_gj": str(gj),
            }
            for code, gj in sorted(self.by_energy.items(), key=lambda kv: energy_sort_key(kv[0]))
        ]  # fmt: skip


def _completeness(*, company: Company, period: rules.Period, inputs: _Inputs, sums: _Sums) -> dict:
    """How complete the period's data is: months with data among those ended, the records and
    their factors, the invoices' evidence and the questioned values."""
    months = [month_text(m) for m in period.months]
    today = timezone.localdate()
    ended = [month_text(m) for m in period.months if m < month_of(today)]
    return {
        "months": len(months),
        "months_ended": len(ended),
        "months_with_data": len(sums.months_with_data),
        "months_missing": [m for m in ended if m not in sums.months_with_data],
        **sums.counts,
        **_evidence_counts(company=company, inputs=inputs),
        **_outlier_counts(company=company, period=period),
    }


def statement_figures(*, company: Company, period: rules.Period) -> tuple[dict, str]:
    """The statement's figures for the period (plain JSON: tonnages as exact decimal text)
    and the fingerprint of their inputs. Each month is computed with the factors of the SHK
    fiscal year it falls in; a period spanning two SHK years adds up the two computations."""
    inputs = _inputs(company=company, period=period)
    fingerprint = _fingerprint(company, inputs)
    book = RequestFactorBook()
    sums = _Sums()
    errors: list[str] = []
    has_data = False
    estimate = estimate_allowed(company=company)  # read once for every fiscal year
    for fy in period.shk_years:
        records = inputs.by_year.get(fy, [])
        if not records:
            continue
        has_data = True
        calc = year_calc(
            company=company, fiscal_year=fy, records=records, book=book, estimate=estimate
        )
        if not calc.ok:
            errors.extend(g["message"] for g in calc.grouped_errors())
            continue
        sums.add(calc.result)
    figures = {
        "period": period_dict(period),
        "company": {
            "name": company.name,
            "corporate_number": company.corporate_number,
            "prefecture": company.prefecture,
            "municipality": company.municipality,
        },
        "facilities": [
            {"name": f.name, "prefecture": f.prefecture, "municipality": f.municipality}
            for f in inputs.facilities
        ],
        "has_data": has_data,
        "ok": has_data and not errors,
        "errors": errors,
        "provisional": sums.provisional,
        "totals": {k: str(v) for k, v in sums.totals.items()},
        "by_facility": sums.facility_rows(),
        "by_energy": sums.energy_rows(),
        "factors": sorted(sums.factors.values(), key=lambda f: (f["fiscal_year"], f["document"])),
        "completeness": _completeness(company=company, period=period, inputs=inputs, sums=sums),
    }
    return figures, fingerprint


def period_dict(period: rules.Period) -> dict:
    """A period as the figures carry it (what ``present.period_label`` names)."""
    return {
        "kind": period.kind,
        "year": period.year,
        "start_month": period.start_month,
        "first": month_text(period.first),
        "last": month_text(period.last),
        "shk_years": period.shk_years,
    }


def dashboard_period(*, company: Company, kind: str, year: int) -> dict:
    """The period measure's dashboard shows (issue #18 point 5): the SHK fiscal year ``year``
    (the dashboard's own figures, nothing computed here), or the company's business year or
    the calendar year starting in ``year``, computed as a statement is (each month with the
    factors of the SHK fiscal year it falls in) -> kind, period, figures (None for SHK)."""
    if kind not in rules.PERIOD_KINDS:
        kind = rules.PERIOD_SHK
    period = period_for(company=company, kind=kind, year=year)
    figures = None
    if kind != rules.PERIOD_SHK:
        figures, _fingerprint = statement_figures(company=company, period=period)
    return {"kind": kind, "period": period_dict(period), "figures": figures}


def allocation_of(statement: Statement) -> rules.Allocation | None:
    if not statement.allocation_method or not statement.figures.get("ok"):
        return None
    t = statement.figures["totals"]
    return rules.allocate(
        method=statement.allocation_method,
        part=statement.allocation_part,
        total=statement.allocation_total,
        scope1_t=Decimal(t["scope1_t"]),
        scope2_market_t=Decimal(t["scope2_market_t"]),
        scope2_location_t=Decimal(t["scope2_location_t"]),
    )


def statement_period(statement: Statement) -> rules.Period:
    return rules.Period(statement.period_kind, statement.period_year, statement.period_start_month)


def data_changed(statement: Statement) -> bool:
    """Whether the inputs of the statement's figures differ now from when it was issued."""
    period = statement_period(statement)
    return current_fingerprint(company=statement.company, period=period) != statement.fingerprint


# --------------------------------------------------------------------------- lists, look-ups


def statements_of(*, company: Company):
    return (
        Statement.objects.filter(company=company)
        .annotate(n_links=Count("links"))
        .order_by("-issued_at", "-id")
    )


def statement_by_code(code: str) -> Statement | None:
    code = rules.normalise_code(code)
    if len(code) != rules.CODE_LENGTH:
        return None
    return Statement.objects.filter(code=code).select_related("company").first()


def links_of(*, statement: Statement):
    return (
        ShareLink.objects.filter(statement=statement)
        .annotate(n_opens=Count("opens"), last_open=Max("opens__at"))
        .order_by("-created_at", "-id")
    )


def last_opens(*, link: ShareLink, limit: int = 20):
    return ShareLinkOpen.objects.filter(link=link).order_by("-at", "-id")[:limit]


def link_by_token(token: str) -> ShareLink | None:
    """The link whose token this is (open, expired or revoked); None for an unknown token."""
    if not token or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        ShareLink.objects.filter(token_hash=digest)
        .select_related("statement", "statement__company")
        .first()
    )


def evidence_of_facility_year(*, facility: Facility, months) -> dict[tuple[str, str], list]:
    """(YYYY-MM, energy) -> the evidence of that cell, for the grid (one query)."""
    months = list(months)
    out: dict[tuple[str, str], list] = defaultdict(list)
    if not months:
        return out
    for ev in (
        Evidence.objects.filter(facility=facility, month__gte=min(months), month__lte=max(months))
        .defer("data")
        .order_by("month", "energy", "id")
    ):
        out[(month_text(ev.month), ev.energy)].append(ev)
    return out


def evidence_of_company(*, company: Company, first=None, last=None):
    """The company's evidence (without the bytes), e.g. for the expert's view."""
    qs = Evidence.objects.filter(facility__company=company).defer("data").select_related("facility")
    if first is not None:
        qs = qs.filter(month__gte=first)
    if last is not None:
        qs = qs.filter(month__lte=last)
    return qs.order_by("facility__name", "month", "energy", "id")
