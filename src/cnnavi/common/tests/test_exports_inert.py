"""Every spreadsheet cell and CSV field the project writes is inert: hostile text in every text
field a user can type (company, facility, supplier, menu, use, names, organisations, themes)
comes out of every export with a leading apostrophe, never as a formula."""

import csv
import io
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from cnnavi.consultations import services as consultation_services
from cnnavi.consultations.tests.tenancy import book, make_slot
from cnnavi.core.cli import co2_main
from cnnavi.core.spreadsheet import FORMULA_STARTS, spreadsheet_safe
from cnnavi.measure import services as measure_services
from cnnavi.measure.models import EnergyRecord
from cnnavi.orgs.models import Company, Facility, OfficeStaff
from cnnavi.programmes import services as programme_services
from cnnavi.programmes.tests.factories import make_course, make_event
from cnnavi.reduce.models import CatalogueMeasure
from cnnavi.reduce.tests.factories import add_year
from cnnavi.surveys import services as survey_services
from cnnavi.surveys.tests.tenancy import make_invitation
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _csv_fields(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [field for row in rows for field in row]


def _assert_inert_csv(content: bytes) -> list[str]:
    fields = _csv_fields(content)
    live = [f for f in fields if f.startswith(FORMULA_STARTS) and not _is_number(f)]
    assert live == []
    return fields


def _assert_inert_xlsx(content: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(content))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (ws.title, cell.value)
                    texts.append(cell.value)
    return texts


def _contains_hostile(texts: list[str], *hostile: str) -> None:
    joined = "\n".join(texts)
    for h in hostile:
        assert spreadsheet_safe(h) in joined, h


@pytest.fixture
def hostile_world(world):
    a = world.a
    Company.objects.filter(pk=a.company.pk).update(name=HOSTILE[0])
    Facility.objects.filter(pk=a.facility.pk).update(name=HOSTILE[3])
    a.company.refresh_from_db()
    a.facility.refresh_from_db()
    add_year(a.owner, a.facility, 2025)
    EnergyRecord.objects.filter(facility=a.facility, use="照明").update(use=HOSTILE[2])
    # FY2024: a supplier and menu the tables do not know (the year cannot be computed; the
    # export still gives every input back).
    from datetime import date

    measure_services.record_create(
        actor=a.owner,
        facility=a.facility,
        month=date(2024, 5, 1),
        energy="electricity",
        amount=Decimal(100),
        unit="kWh",
        supplier=HOSTILE[3],
        menu=HOSTILE[1],
        use=HOSTILE[4],
    )
    staff = make_user("staff-export@example.com", totp=True)
    OfficeStaff.objects.create(office=a.office, user=staff)
    event = make_event(a.office)
    for n, text in enumerate(HOSTILE):
        programme_services.application_create(
            user=make_user(f"hostile{n}@example.com"),
            event=event,
            applicant_kind="support_institution",
            organisation=text,
            name=HOSTILE[-1 - n],
            consent=True,
        )
    book(make_slot(a.expert, days=5), a, company=None, contact_company=HOSTILE[1])
    consultation_services.handson_apply(
        actor=a.owner,
        company=a.company,
        office=a.office,
        themes_wanted=HOSTILE[5],
        current_issues="x",
        project_members="x",
    )
    course = make_course(a.office, title=HOSTILE[1], lessons=1)
    learner = make_user("hostile-learner@example.com")
    learner.name = HOSTILE[0]
    learner.save(update_fields=["name"])
    programme_services.enrolment_create(user=learner, course=course)
    programme_services.invoice_settings_save(
        actor=staff, office=a.office, issuer_name=HOSTILE[3], registration_number="T9234567890123"
    )
    paid = make_event(a.office, title=HOSTILE[0], fee_yen=5_500)
    programme_services.invoice_send(  # issued on acceptance: this sends it again
        actor=staff,
        application=programme_services.application_create(
            user=make_user("hostile-invoice@example.com"),
            event=paid,
            applicant_kind="support_institution",
            organisation=HOSTILE[2],
            name=HOSTILE[1],
            consent=True,
        ),
    )
    world.staff = staff
    world.event = event
    world.course = course
    return world


EXPORTS = {
    "measure:import_template",
    "measure:export_xlsx",
    "measure:export_csv",
    "reduce:export_xlsx",
    "consultations_staff:export_csv",
    "know_staff:export",
    "programmes_staff:participants_csv",
    "programmes_staff:course_progress_csv",
    "surveys_staff:export_csv",
    "programmes_staff:invoices_csv",
}


def test_every_export_url_is_scanned_here():
    found = {
        name
        for route, name in _walk(get_resolver())
        if route.rstrip("$").endswith((".csv", ".xlsx"))
    }
    names = {n.split(":")[-1] for n in EXPORTS}
    assert {n for n in found if n} <= names, "a new export: add it to EXPORTS and scan it"


def test_measure_exports_are_inert(client, hostile_world):
    a = hostile_world.a
    client.force_login(a.owner)
    template = client.get(reverse("measure:import_template") + f"?company={a.company.pk}")
    _contains_hostile(_assert_inert_xlsx(template.content), HOSTILE[3])
    for year in (2025, 2024):
        url = reverse("measure:export_xlsx", args=[a.company.pk]) + f"?year={year}"
        xlsx = _assert_inert_xlsx(client.get(url).content)
        url = reverse("measure:export_csv", args=[a.company.pk]) + f"?year={year}"
        fields = _assert_inert_csv(client.get(url).content)
        if year == 2025:
            _contains_hostile(xlsx, HOSTILE[0], HOSTILE[2], HOSTILE[3])
            _contains_hostile(fields, HOSTILE[2], HOSTILE[3])
        else:
            _contains_hostile(xlsx + fields, HOSTILE[1], HOSTILE[3], HOSTILE[4])


def test_reduce_plan_xlsx_is_inert(client, hostile_world):
    a = hostile_world.a
    client.force_login(a.owner)
    client.post(
        reverse("reduce:target", args=[a.company.pk]),
        {
            "base_year": "2025",
            "basis": "location",
            "near_year": "2030",
            "near_pct": "21",
            "long_year": "2050",
            "long_pct": "100",
            "turnover_under_limit": "true",
            "assets_under_limit": "unknown",
            "fi_or_oil_gas": "false",
            "sector_specific_required": "false",
            "subsidiary_of_standard_parent": "false",
            "mandatory_flag_sector": "false",
        },
    )
    ids = list(CatalogueMeasure.objects.filter(code="led-lighting").values_list("pk", flat=True))
    client.post(
        reverse("reduce:measures_add", args=[a.company.pk]),
        {"measures": ids, "start_year": "2026"},
    )
    response = client.get(reverse("reduce:export_xlsx", args=[a.company.pk]))
    assert response.status_code == 200
    _contains_hostile(_assert_inert_xlsx(response.content), HOSTILE[0])


def test_staff_csv_exports_are_inert(client, hostile_world):
    client.force_login(hostile_world.staff)
    cases = client.get(reverse("consultations_staff:export_csv"))
    assert cases.status_code == 200
    _contains_hostile(_assert_inert_csv(cases.content), HOSTILE[0], HOSTILE[1], HOSTILE[5])
    know = client.get(reverse("know_staff:export"))
    assert know.status_code == 200
    _assert_inert_csv(know.content)
    participants = client.get(
        reverse("programmes_staff:participants_csv", args=[hostile_world.event.pk])
    )
    assert participants.status_code == 200
    # (the form strips the leading tab and CR; what is left is still made inert)
    _contains_hostile(_assert_inert_csv(participants.content), *HOSTILE[:4], "=1+1")
    progress = client.get(
        reverse("programmes_staff:course_progress_csv", args=[hostile_world.course.pk])
    )
    assert progress.status_code == 200
    _contains_hostile(_assert_inert_csv(progress.content), HOSTILE[0])
    invitation, token = make_invitation(hostile_world.a.office, label=HOSTILE[1])
    survey_services.response_submit(token=token, score=3, comment=HOSTILE[0])
    surveys = client.get(reverse("surveys_staff:export_csv"))
    assert surveys.status_code == 200
    _contains_hostile(_assert_inert_csv(surveys.content), HOSTILE[0], HOSTILE[1])
    invoices = client.get(reverse("programmes_staff:invoices_csv"))
    assert invoices.status_code == 200
    _contains_hostile(_assert_inert_csv(invoices.content), HOSTILE[0], HOSTILE[2], HOSTILE[3])


def test_the_cli_csv_is_inert(tmp_path, capsys):
    data = tmp_path / "records.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["事業所", "年月", "エネルギー", "使用量", "単位", "用途"])
        writer.writerow([HOSTILE[0], "2025-04", "電気", "1000", "kWh", HOSTILE[2]])
    assert co2_main([str(data), "--format", "csv", "--accept-default"]) == 0, capsys.readouterr()
    out = capsys.readouterr().out.encode()
    _contains_hostile(_assert_inert_csv(out), HOSTILE[0], HOSTILE[2])
