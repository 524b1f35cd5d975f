import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "CN Navi API"


def test_companies_lists_only_the_users_companies(world, alice_client):
    data = alice_client.get("/api/v1/companies").json()
    assert [c["name"] for c in data] == ["Company a"]
    assert data[0]["role"] == "owner"


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/companies").status_code == 401
