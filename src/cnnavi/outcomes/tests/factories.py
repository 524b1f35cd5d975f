"""A small world for the outcomes tests, every figure countable by hand.

Office A (world.a.office, 富山) has consent from:
* T1..T5: 富山, manufacturing (E), 30 employees; kerosene 100 L in every month of FY2025 and
  120 L in every month of FY2024 (0.00250 t-CO2/L, official: 3.0 t and 3.6 t a year each);
* I1: 石川, E, 30 employees; 50 L in every month of FY2025 only (1.5 t);
* R1: like T1 but its consent was revoked (must never count);
* company A (the tenant's own, E, 50 employees): no records.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from cnnavi.know.models import Diagnosis, DiagnosisVersion, SelfCheck
from cnnavi.know.reference import load as load_know
from cnnavi.measure.models import EnergyRecord
from cnnavi.orgs import services as orgs
from cnnavi.orgs.models import Company, Consent, ConsentScope, Facility, FacilityKind
from cnnavi.outcomes.rules import add_months
from cnnavi.testing import make_company, make_user

# official (SHK), FY2024 and FY2025, by the ordinance's formula: heat value 36.5 GJ/kL x carbon
# factor 0.0187 t-C/GJ x 44/12, per litre (0.0025027 t-CO2/L; 参考 table: 2.50 t/kL)
KEROSENE_T_PER_L = Decimal("36.5") * Decimal("0.0187") * Decimal(44) / Decimal(12) / 1000


@dataclass
class Small:
    office: object
    staff: object
    toyama: list[Company] = field(default_factory=list)
    ishikawa: Company | None = None
    revoked: Company | None = None


def _company(owner_email: str, name: str, prefecture: str, employees: int = 30) -> Company:
    owner = make_user(owner_email)
    company = make_company(owner, name=name, prefecture=prefecture, industry="E",
                           employees=employees)  # fmt: skip
    Facility.objects.create(company=company, name="本社工場", prefecture=prefecture,
                            kind=FacilityKind.FACTORY, floor_area_m2=Decimal(500))  # fmt: skip
    company._owner = owner
    return company


def _records(company: Company, fiscal_year: int, litres: int) -> None:
    facility = company.facilities.get()
    EnergyRecord.objects.bulk_create(
        EnergyRecord(
            facility=facility,
            month=add_months(date(fiscal_year, 4, 1), i),
            energy="kerosene",
            amount=Decimal(litres),
            unit="L",
        )  # fmt: skip
        for i in range(12)
    )


def _consent(company: Company, office) -> Consent:
    return orgs.consent_grant(actor=company._owner, company=company, office=office,
                              scope=ConsentScope.READ, valid_until=None)  # fmt: skip


def build(world) -> Small:
    small = Small(office=world.a.office, staff=world.a.owner)
    for n in range(1, 6):
        c = _company(f"t{n}@example.com", f"Toyama {n}", "16")
        _records(c, 2025, 100)
        _records(c, 2024, 120)
        _consent(c, small.office)
        small.toyama.append(c)
    small.ishikawa = _company("i1@example.com", "Ishikawa 1", "17")
    _records(small.ishikawa, 2025, 50)
    _consent(small.ishikawa, small.office)
    small.revoked = _company("r1@example.com", "Revoked 1", "16")
    _records(small.revoked, 2025, 100)
    _records(small.revoked, 2024, 120)
    consent = _consent(small.revoked, small.office)
    orgs.consent_revoke(actor=small.revoked._owner, consent=consent)
    return small


def at(y: int, m: int, d: int = 15) -> datetime:
    return timezone.make_aware(datetime(y, m, d, 10, 0))


def diagnosis(company, stage: str, when: datetime) -> Diagnosis:
    load_know()
    version = DiagnosisVersion.objects.get(number=1)
    d = Diagnosis.objects.create(version=version, stage=stage, company=company, saved_at=when,
                                 prefecture=company.prefecture if company else "16")  # fmt: skip
    Diagnosis.objects.filter(pk=d.pk).update(created_at=when)
    return d


def anonymous_diagnosis(stage: str, when: datetime, prefecture: str = "16") -> Diagnosis:
    load_know()
    version = DiagnosisVersion.objects.get(number=1)
    d = Diagnosis.objects.create(version=version, stage=stage, prefecture=prefecture)
    Diagnosis.objects.filter(pk=d.pk).update(created_at=when)
    return d


def self_check(company, when: datetime, prefecture: str = "16") -> SelfCheck:
    s = SelfCheck.objects.create(checked=[1, 2], checked_count=2, company=company,
                                 prefecture=prefecture)  # fmt: skip
    SelfCheck.objects.filter(pk=s.pk).update(created_at=when)
    return s
