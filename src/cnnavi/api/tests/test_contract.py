"""The API keeps its contract: every error is a documented Problem, out-of-range parameters are
422 (never 500), POST's body is documented as POST requires it, and a supplier the year's
table does not know is refused instead of breaking the year."""

import pytest

from cnnavi.api.services import token_create
from cnnavi.measure.models import EnergyRecord
from cnnavi.reduce.tests.factories import add_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer(world):
    _token, key = token_create(actor=world.a.owner, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _is_problem(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str)
    assert isinstance(body.get("errors", []), list)
    return body


@pytest.mark.parametrize("year", ["-668", "0", "99999", "10000", "1989", "2101"])
@pytest.mark.parametrize("endpoint", ["energy-records", "emissions", "statement"])
def test_out_of_range_fiscal_years_are_422(client, world, bearer, endpoint, year):
    url = f"/api/v1/companies/{world.a.company.pk}/{endpoint}?fiscal_year={year}"
    body = _is_problem(client.get(url, **bearer), 422)
    assert body["errors"][0]["field"] == "fiscal_year"


def test_out_of_range_ids_are_not_500(client, world, bearer):
    huge = 2**70
    base = f"/api/v1/companies/{world.a.company.pk}"
    _is_problem(client.get(f"{base}/energy-records?facility_id={huge}", **bearer), 422)
    _is_problem(client.get(f"/api/v1/companies/{huge}/facilities", **bearer), 404)
    _is_problem(client.get(f"{base}/energy-records/{huge}", **bearer), 404)


def test_path_errors_answer_as_the_schema_says(client, world, bearer):
    response = client.get("/api/v1/companies/abc/facilities", **bearer)
    assert response.status_code in (404, 422)
    if response.status_code == 422:
        _is_problem(response, 422)
    body = _is_problem(client.get("/api/v1/companies", HTTP_AUTHORIZATION="Bearer x"), 401)
    assert body["detail"]


def test_every_operation_documents_its_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "Problem" in schema["components"]["schemas"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            for status in ("401", "403", "404", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Problem"}, (
                    path,
                    method,
                    status,
                )
    imports = schema["paths"]["/api/v1/companies/{company_id}/energy-imports"]["post"]
    assert "413" in imports["responses"]


def test_post_documents_the_fields_it_requires(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    records = paths["/api/v1/companies/{company_id}/energy-records"]
    post = records["post"]["requestBody"]["content"]["application/json"]["schema"]
    # the unit is optional: without it, the unit the facility's bills print (decision 0410)
    assert set(post["required"]) == {"facility_id", "month", "energy", "amount"}
    put = paths["/api/v1/companies/{company_id}/energy-records/{record_id}"]["put"]
    assert "required" not in put["requestBody"]["content"]["application/json"]["schema"]


def test_a_supplier_the_years_table_does_not_know_is_refused(client, world, bearer):
    add_year(world.a.owner, world.a.facility, 2025)
    base = f"/api/v1/companies/{world.a.company.pk}"
    before = client.get(f"{base}/emissions?fiscal_year=2025", **bearer)
    assert before.status_code == 200
    record = {
        "facility_id": world.a.facility.pk,
        "month": "2025-06",
        "energy": "electricity",
        "amount": "100",
        "unit": "kWh",
        "use": "空調",
    }
    response = client.post(
        f"{base}/energy-records",
        dict(record, supplier="@SUM(1+1)"),
        content_type="application/json",
        **bearer,
    )
    body = _is_problem(response, 422)
    assert [e["field"] for e in body["errors"]] == ["supplier"]
    response = client.post(
        f"{base}/energy-records",
        dict(record, supplier="A0271", menu="no such menu"),
        content_type="application/json",
        **bearer,
    )
    assert [e["field"] for e in _is_problem(response, 422)["errors"]] == ["menu"]
    # Changing a stored record to an unknown supplier is refused the same way.
    stored = EnergyRecord.objects.filter(facility=world.a.facility, energy="electricity").first()
    response = client.put(
        f"{base}/energy-records/{stored.pk}",
        {"supplier": "Z9999"},
        content_type="application/json",
        **bearer,
    )
    assert [e["field"] for e in _is_problem(response, 422)["errors"]] == ["supplier"]
    after = client.get(f"{base}/emissions?fiscal_year=2025", **bearer)
    assert after.status_code == 200 and after.json() == before.json()
    # A known supplier is stored.
    ok = client.post(
        f"{base}/energy-records",
        dict(record, supplier="A0271"),
        content_type="application/json",
        **bearer,
    )
    assert ok.status_code == 201
