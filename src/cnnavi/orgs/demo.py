"""Demo data: the brochure's 北陸本部 office, its staff and experts, and three companies that
match the brochure's industries. Figures are invented and every company is marked as demo."""

from django.db import transaction

from cnnavi.accounts.models import User
from cnnavi.accounts.services import user_activate_totp, user_create_verified
from cnnavi.orgs import services
from cnnavi.orgs.models import (
    Company,
    ConsentScope,
    Expert,
    ExpertiseField,
    FacilityKind,
    Membership,
    OfficeStaff,
    Role,
    SupportOffice,
)

# Fixed TOTP secrets so that demo staff and experts can log in (cnnavi totp_code EMAIL).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

OFFICE_NAME = "中小機構 北陸本部（デモ）"

COMPANIES = {
    "toyama": {
        "fields": dict(
            name="北陸精密工業株式会社（デモ）",
            corporate_number="2230001000008",
            prefecture="16",
            municipality="高岡市",
            industry="E",
            employees=85,
            capital_yen=50_000_000,
            fiscal_year_start_month=4,
        ),
        "owner": ("demo-sme@example.com", "富山 太郎"),
        "members": [("demo-sme-editor@example.com", "富山 花子", Role.EDITOR)],
        "facilities": [
            dict(
                name="高岡工場",
                prefecture="16",
                municipality="高岡市",
                kind=FacilityKind.FACTORY,
                floor_area_m2=4200,
            ),
            dict(
                name="本社事務所",
                prefecture="16",
                municipality="富山市",
                kind=FacilityKind.OFFICE,
                floor_area_m2=350,
            ),
        ],
        "consent": ConsentScope.EDIT,
    },
    "fukui": {
        "fields": dict(
            name="越前フーズ株式会社（デモ）",
            corporate_number="6210001000006",
            prefecture="18",
            municipality="坂井市",
            industry="E",
            employees=42,
            capital_yen=20_000_000,
            fiscal_year_start_month=4,
        ),
        "owner": ("demo-fukui@example.com", "福井 一郎"),
        "members": [],
        "facilities": [
            dict(
                name="坂井食品工場",
                prefecture="18",
                municipality="坂井市",
                kind=FacilityKind.FACTORY,
                floor_area_m2=2600,
            ),
            dict(
                name="福井配送センター",
                prefecture="18",
                municipality="福井市",
                kind=FacilityKind.WAREHOUSE,
                floor_area_m2=900,
            ),
        ],
        "consent": ConsentScope.READ,
    },
    "ishikawa": {
        "fields": dict(
            name="金沢印刷株式会社（デモ）",
            corporate_number="4220001000007",
            prefecture="17",
            municipality="金沢市",
            industry="E",
            employees=28,
            capital_yen=10_000_000,
            fiscal_year_start_month=4,
        ),
        "owner": ("demo-ishikawa@example.com", "石川 次郎"),
        "members": [],
        "facilities": [
            dict(
                name="金沢印刷工場",
                prefecture="17",
                municipality="金沢市",
                kind=FacilityKind.FACTORY,
                floor_area_m2=1500,
            ),
            dict(
                name="野々市営業所",
                prefecture="17",
                municipality="野々市市",
                kind=FacilityKind.OFFICE,
                floor_area_m2=120,
            ),
        ],
        "consent": None,
    },
}


def _user(email: str, name: str, password: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or user_create_verified(email=email, password=password, name=name)


def load(ctx: dict) -> None:
    password = ctx["password"]
    with transaction.atomic():
        office, _ = SupportOffice.objects.get_or_create(
            name=OFFICE_NAME,
            defaults=dict(
                prefectures=["16", "17", "18"],
                address="石川県金沢市広岡3-1-1 金沢パークビル10階",
                phone="076-223-5546",
            ),
        )
        staff = _user("demo-staff@example.com", "北陸 支援課", password)
        OfficeStaff.objects.get_or_create(office=office, user=staff)
        user_activate_totp(user=staff, secret=DEMO_TOTP_SECRET)
        experts = []
        for email, name, fields in [
            (
                "demo-expert@example.com",
                "坂本 環（デモ専門家）",
                [
                    ExpertiseField.CO2_ACCOUNTING,
                    ExpertiseField.ENERGY_SAVING,
                    ExpertiseField.SBT_RE100,
                ],
            ),
            (
                "demo-expert2@example.com",
                "立山 省吾（デモ専門家）",
                [ExpertiseField.RENEWABLES, ExpertiseField.SUBSIDIES, ExpertiseField.PRODUCTION],
            ),
        ]:
            user = _user(email, name, password)
            user_activate_totp(user=user, secret=DEMO_TOTP_SECRET)
            expert, _ = Expert.objects.get_or_create(
                office=office,
                user=user,
                defaults=dict(display_name=name, title="中小企業アドバイザー", fields=fields),
            )
            experts.append(expert)
    ctx["office"] = office
    ctx["staff"] = staff
    ctx["experts"] = experts
    ctx["companies"] = {}
    for key, spec in COMPANIES.items():
        owner = _user(*spec["owner"], password)
        company = Company.objects.filter(
            corporate_number=spec["fields"]["corporate_number"]
        ).first()
        if company is None:
            company = services.company_create(user=owner, is_demo=True, **spec["fields"])
            for facility in spec["facilities"]:
                services.facility_create(actor=owner, company=company, **facility)
            for email, name, role in spec["members"]:
                member = _user(email, name, password)
                Membership.objects.get_or_create(
                    company=company, user=member, defaults={"role": role}
                )
            if spec["consent"]:
                services.consent_grant(
                    actor=owner,
                    company=company,
                    office=office,
                    scope=spec["consent"],
                    valid_until=None,
                )
                services.expert_assign(
                    actor=staff, office=office, company=company, expert=experts[0]
                )
        ctx["companies"][key] = company
    ctx["logins"] += [
        ("demo-sme@example.com", "owner of 北陸精密工業 (Toyama metal-working plant)"),
        ("demo-sme-editor@example.com", "editor at 北陸精密工業"),
        ("demo-fukui@example.com", "owner of 越前フーズ (Fukui food processor)"),
        ("demo-ishikawa@example.com", "owner of 金沢印刷 (Ishikawa printing company)"),
        ("demo-staff@example.com", "support staff of 北陸本部 (two-factor: see below)"),
        ("demo-expert@example.com", "expert assigned to the Toyama and Fukui companies"),
        ("demo-expert2@example.com", "expert (no companies yet)"),
    ]
    ctx["notes"].append(
        f"Staff and experts use TOTP. Authenticator secret: {DEMO_TOTP_SECRET}; "
        "or print the current code with: .venv/bin/cnnavi totp_code demo-staff@example.com"
    )
