"""Test helpers shared by every app: two tenants, A and B.

Tenant A: office A, company A (owner alice), facility A. Alice holds every role in tenant A:
company owner, staff of office A and an expert of office A assigned to company A (company A's
consent to office A is in force), with TOTP active. Tenant B mirrors it with bob. So every page
alice opens with B's ids must answer 404, whatever role the page needs.
"""

import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from cnnavi.accounts.models import User
from cnnavi.accounts.services import user_activate_totp, user_create_verified
from cnnavi.measure.models import EnergyRecord, SupplyContract
from cnnavi.orgs import services
from cnnavi.orgs.models import (
    Company,
    ConsentScope,
    Expert,
    Facility,
    FacilityKind,
    Invitation,
    OfficeStaff,
    Role,
    SupportOffice,
)

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105


def totp_now(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@dataclass
class Tenant:
    office: SupportOffice
    company: Company
    facility: Facility
    owner: User
    expert: Expert
    invitation: Invitation
    extra: dict = field(default_factory=dict)


@dataclass
class World:
    a: Tenant
    b: Tenant
    outsider: User  # a verified user with no company and no role


def make_user(email: str, *, totp: bool = False, name: str = "") -> User:
    user = user_create_verified(email=email, password=PASSWORD, name=name)
    if totp:
        user_activate_totp(user=user, secret=TOTP_SECRET)
    return user


def make_company(
    owner: User, *, name: str = "テスト株式会社", prefecture: str = "16", **fields
) -> Company:
    defaults = dict(industry="E", employees=50, capital_yen=10_000_000)
    defaults.update(fields)
    return services.company_create(user=owner, name=name, prefecture=prefecture, **defaults)


def make_tenant(letter: str) -> Tenant:
    owner = make_user(f"{letter}-owner@example.com", totp=True)
    office = SupportOffice.objects.create(name=f"Office {letter}", prefectures=["16"])
    OfficeStaff.objects.create(office=office, user=owner)
    company = make_company(owner, name=f"Company {letter}")
    facility = services.facility_create(
        actor=owner,
        company=company,
        name=f"Factory {letter}",
        prefecture="16",
        kind=FacilityKind.FACTORY,
        floor_area_m2=1000,
    )
    expert = Expert.objects.create(office=office, user=owner, display_name=f"Expert {letter}")
    services.consent_grant(
        actor=owner, company=company, office=office, scope=ConsentScope.EDIT, valid_until=None
    )
    services.expert_assign(actor=owner, office=office, company=company, expert=expert)
    invitation = services.invitation_create(
        actor=owner, company=company, email=f"{letter}-invitee@example.com", role=Role.VIEWER
    )
    return Tenant(
        office=office,
        company=company,
        facility=facility,
        owner=owner,
        expert=expert,
        invitation=invitation,
    )


def build_world() -> World:
    return World(a=make_tenant("a"), b=make_tenant("b"), outsider=make_user("outsider@example.com"))


# --- Energy data: the fixtures measure's and statements' tests share -----------------------
# Their conftests import them (``from cnnavi.testing import company, factory, ...``), which is
# how pytest finds a fixture defined outside a conftest.


@pytest.fixture
def company(world):
    return world.a.company


@pytest.fixture
def factory(world):
    return world.a.facility  # "Factory a", 1000 m2


@pytest.fixture
def office(world, company):
    return services.facility_create(
        actor=world.a.owner,
        company=company,
        name="Office a",
        prefecture="16",
        kind=FacilityKind.OFFICE,
        floor_area_m2=200,
    )


@pytest.fixture(autouse=True)
def _back_to_japanese():
    """Requests under /en/ leave English active in this thread; later tests (the tenancy walk
    skips en/ routes) expect the default language."""
    yield
    from django.utils import translation

    translation.activate("ja")


def months_from(first: date, n: int) -> list[date]:
    """``n`` months (first days) from ``first`` on."""
    out, y, m = [], first.year, first.month
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def make_energy_data(factory: Facility, office: Facility, *, months: int) -> list[EnergyRecord]:
    """``months`` months from April 2025: the factory buys electricity from 北陸電力 (A0271,
    residual menu; 10,000 kWh rising by 100 a month) and burns 1,000 m3 of city gas a month
    without a named supplier; the office buys 2,000 kWh in April 2025 with no contract (the
    default value)."""
    SupplyContract.objects.create(
        facility=factory,
        kind="electricity",
        supplier_reg="A0271",
        supplier_name="北陸電力(株)",
        valid_from=date(2025, 4, 1),
    )
    rows = []
    for i, month in enumerate(months_from(date(2025, 4, 1), months)):
        rows.append(
            EnergyRecord(
                facility=factory,
                month=month,
                energy="electricity",
                amount=Decimal(10000 + 100 * i),
                unit="kWh",
                cost_yen=280000 + i,
            )
        )
        rows.append(
            EnergyRecord(
                facility=factory,
                month=month,
                energy="city_gas",
                amount=Decimal(1000),
                unit="m3",
                cost_yen=180000,
            )
        )
    rows.append(
        EnergyRecord(
            facility=office,
            month=date(2025, 4, 1),
            energy="electricity",
            amount=Decimal(2000),
            unit="kWh",
            cost_yen=60000,
        )
    )
    EnergyRecord.objects.bulk_create(rows)
    return rows
