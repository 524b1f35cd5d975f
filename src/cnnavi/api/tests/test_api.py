"""The JSON API: personal tokens, companies, facilities, energy records, imports, emissions."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.api.models import ApiToken
from cnnavi.api.services import token_create
from cnnavi.core.cli import co2_main
from cnnavi.measure.models import EnergyRecord, SupplyContract
from cnnavi.orgs.models import Membership, Role
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer(world):
    _token, key = token_create(actor=world.a.owner, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_token_page_creates_shows_once_and_revokes(alice_client, world):
    url = reverse("api_tokens:index")
    r = alice_client.post(url, {"name": "集計用"})
    key = r.context["new_token"]
    assert key.startswith("cnn_") and key in r.content.decode()
    token = ApiToken.objects.get(user=world.a.owner, name="集計用")
    assert token.key_hash != key and key not in alice_client.get(url).content.decode()
    assert (
        alice_client.get("/api/v1/companies", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    )
    alice_client.post(reverse("api_tokens:revoke", args=[token.pk]))
    alice_client.logout()
    assert (
        alice_client.get("/api/v1/companies", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    )


def test_no_auth_is_401(client):
    assert client.get("/api/v1/companies").status_code == 401
    assert client.get("/api/v1/companies", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_companies_and_facilities(client, world, bearer):
    r = client.get("/api/v1/companies", **bearer)
    assert [c["name"] for c in r.json()] == ["Company a"]
    r = client.get(f"/api/v1/companies/{world.a.company.pk}/facilities", **bearer)
    assert r.json()[0]["name"] == "Factory a"
    assert (
        client.get(f"/api/v1/companies/{world.b.company.pk}/facilities", **bearer).status_code
        == 404
    )


def test_record_create_update_delete(client, world, bearer):
    base = f"/api/v1/companies/{world.a.company.pk}/energy-records"
    body = {
        "facility_id": world.a.facility.pk,
        "month": "2025-04",
        "energy": "electricity",
        "amount": "1234.5",
        "unit": "kWh",
        "cost_yen": 35000,
    }
    r = client.post(base, json.dumps(body), content_type="application/json", **bearer)
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["amount"] == "1234.5"
    r = client.put(
        f"{base}/{rid}", json.dumps({"amount": "1300"}), content_type="application/json", **bearer
    )
    assert r.status_code == 200 and EnergyRecord.objects.get(pk=rid).amount == Decimal(1300)
    assert client.get(base + "?fiscal_year=2025", **bearer).json()[0]["id"] == rid
    # bad input names the field
    r = client.post(
        base,
        json.dumps({**body, "unit": "L", "month": "2025-05"}),
        content_type="application/json",
        **bearer,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "unit"
    r = client.post(
        base, json.dumps({"month": "2025-04"}), content_type="application/json", **bearer
    )
    assert r.status_code == 422
    # the unit has a default (the bill unit of the energy, decision 0410)
    assert {e["field"] for e in r.json()["errors"]} == {"facility_id", "energy", "amount"}
    r = client.post(base, json.dumps(body), content_type="application/json", **bearer)
    assert r.status_code == 422  # the same facility/month/energy again
    assert client.delete(f"{base}/{rid}", **bearer).status_code == 204
    assert not EnergyRecord.objects.filter(pk=rid).exists()


def test_viewer_token_cannot_write(client, world):
    viewer = make_user("v@example.com")
    Membership.objects.create(company=world.a.company, user=viewer, role=Role.VIEWER)
    _t, key = token_create(actor=viewer, name="v")
    base = f"/api/v1/companies/{world.a.company.pk}/energy-records"
    assert client.get(base, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    r = client.post(base, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 403


def test_emissions_equal_the_cli_json_for_the_same_data(client, world, bearer, tmp_path, capsys):
    facility = world.a.facility
    SupplyContract.objects.create(
        facility=facility,
        kind="electricity",
        supplier_reg="A0271",
        supplier_name="北陸電力(株)",
        valid_from=date(2025, 4, 1),
    )
    lines = ["事業所,年月,エネルギー,使用量,単位,供給事業者,金額"]
    for i, m in enumerate(["2025-04", "2025-05", "2026-03"]):
        y, mo = int(m[:4]), int(m[5:])
        EnergyRecord.objects.create(
            facility=facility,
            month=date(y, mo, 1),
            energy="electricity",
            amount=Decimal(9000 + i),
            unit="kWh",
            cost_yen=250000 + i,
        )
        EnergyRecord.objects.create(
            facility=facility,
            month=date(y, mo, 1),
            energy="kerosene",
            amount=Decimal("0.4"),
            unit="kL",
        )
        lines.append(f"Factory a,{m},電気,{9000 + i},kWh,A0271,{250000 + i}")
        lines.append(f"Factory a,{m},灯油,0.4,kL,,")
    path = tmp_path / "same.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (
        co2_main([str(path), "--format", "json", "--fiscal-year", "2025", "--employees", "50"]) == 0
    )
    cli = json.loads(capsys.readouterr().out)[0]
    r = client.get(f"/api/v1/companies/{world.a.company.pk}/emissions?fiscal_year=2025", **bearer)
    assert r.status_code == 200
    assert r.json() == cli
    assert (
        client.get(
            f"/api/v1/companies/{world.a.company.pk}/emissions?fiscal_year=2019", **bearer
        ).status_code
        == 404
    )


def test_emissions_of_a_year_that_cannot_be_computed_give_codes(client, world, bearer):
    record = EnergyRecord.objects.create(
        facility=world.a.facility, month=date(2024, 5, 1), energy="electricity", amount=1,
        unit="kWh",
    )  # fmt: skip
    url = f"/api/v1/companies/{world.a.company.pk}/emissions?fiscal_year=2024"
    r = client.get(url, **bearer)
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "record_id": record.pk,
            "column": "supplier",
            "reason": "electricity supplier factors for FY2024 are not available "
            "(tables shipped: FY2025)",
            "code": "factor.year_unavailable",
            "params": {"kind": "electricity", "fiscal_year": 2024, "shipped": "FY2025"},
        }
    ]


def test_import_through_the_api(client, world, bearer):
    url = f"/api/v1/companies/{world.a.company.pk}/energy-imports"
    csv = "事業所,年月,エネルギー,使用量,単位\nFactory a,2025-04,電気,100,kWh\nFactory a,2025-13,電気,1,kWh\n"
    r = client.post(url, {"file": SimpleUploadedFile("a.csv", csv.encode())}, **bearer)
    # 202: stored and parsed by the task worker (run at once by the tests' immediate backend)
    assert r.status_code == 202 and r.json()["state"] == "failed"
    assert r.json()["errors"] == [
        {
            "line": 3,
            "column": "年月",
            "reason": "month 13 is not 1-12",  # English, as the CLI prints it
            "code": "input.month_out_of_range",
            "params": {"month": 13},
        }
    ]
    good = csv.rsplit("Factory a,2025-13", 1)[0]
    r = client.post(url, {"file": SimpleUploadedFile("a.csv", good.encode())}, **bearer)
    assert r.status_code == 202 and r.json()["state"] == "ready" and r.json()["new"] == 1
    assert client.get(r.json()["status_url"], **bearer).json()["state"] == "ready"
    assert not EnergyRecord.objects.exists()
    r = client.post(r.json()["confirm_url"], **bearer)
    assert r.status_code == 202 and r.json()["committed"] is True
    assert EnergyRecord.objects.count() == 1
    r = client.post(
        url + "?dry_run=false", {"file": SimpleUploadedFile("a.csv", good.encode())}, **bearer
    )
    assert r.json()["unchanged"] == 1 and EnergyRecord.objects.count() == 1


def test_openapi_schema_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/companies/{company_id}/emissions" in paths
    assert "/api/v1/companies/{company_id}/energy-records" in paths
    assert "requestBody" in paths["/api/v1/companies/{company_id}/energy-records"]["post"]


def test_staff_see_consenting_companies_read_only(client, world):
    from cnnavi.orgs.models import Consent, ConsentScope, OfficeStaff

    staff = make_user("staff-api@example.com", totp=True)
    OfficeStaff.objects.create(office=world.a.office, user=staff)
    _t, key = token_create(actor=staff, name="s")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    companies = client.get("/api/v1/companies", **auth).json()
    assert [(c["name"], c["role"]) for c in companies] == [("Company a", "staff")]
    Consent.objects.filter(company=world.a.company).update(scope=ConsentScope.READ)
    base = f"/api/v1/companies/{world.a.company.pk}/energy-records"
    assert client.get(base, **auth).status_code == 200
    assert client.post(base, "{}", content_type="application/json", **auth).status_code == 403
    Consent.objects.filter(company=world.a.company).update(valid_until=date(2020, 1, 1))
    assert client.get("/api/v1/companies", **auth).json() == []
    assert client.get(base, **auth).status_code == 404
