"""Every page of the know app under /en/ shows no Japanese (outside user data and the shared
choice lists and page chrome, which belong to the common app's catalogue)."""

import pytest

from cnnavi.common.choices import Industry, Prefecture
from cnnavi.know.models import DiagnosisVersion
from cnnavi.know.tests.helpers import (
    QUIET,
    STEP_QUESTIONS,
    answer_all,
    japanese_in_main,
    make_diagnosis,
)

pytestmark = pytest.mark.django_db


def english(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    found = japanese_in_main(response.content.decode())
    assert found == [], f"{url}: {found}"
    return response.content.decode()


def test_self_check_pages_in_english(client):
    html = english(client, "/en/self-check/")
    assert "Self-check sheet towards carbon neutrality" in html
    client.post("/en/self-check/", {"checked": ["1"]})
    assert "You already do 1 of the 11 items." in english(client, "/en/self-check/result/")


def test_diagnosis_pages_in_english(client):
    english(client, "/en/diagnosis/")
    client.post("/en/diagnosis/", {})
    for number, codes in enumerate(STEP_QUESTIONS, start=1):
        html = english(client, f"/en/diagnosis/questions/?step={number}")
        assert f"Step {number} of 4" in html
        client.post("/en/diagnosis/questions/", {"step": number, **{c: QUIET[c] for c in codes}})
    html = english(client, "/en/diagnosis/result/")
    assert "Know stage" in html and "Why this stage" in html


def test_an_error_in_english_names_the_question(client):
    client.post("/en/diagnosis/", {})
    response = client.post("/en/diagnosis/questions/", {"step": 1})
    assert response.status_code == 422
    assert "Has a customer asked you about your CO2 emissions?: Please choose." in (
        response.content.decode()
    )


def test_company_and_staff_pages_in_english(client, world):
    company, owner = world.a.company, world.a.owner
    make_diagnosis(company, owner)
    later = make_diagnosis(company, owner, customer_asked="yes", jigyokei="none")
    client.force_login(owner)
    english(client, f"/en/companies/{company.pk}/diagnoses/")
    html = english(client, f"/en/companies/{company.pk}/diagnoses/{later.pk}/")
    assert "Your stage moved up from Know to Measure." in html
    client.post("/en/diagnosis/", {})
    answer_all(client, prefix="/en")
    # A version's note is text written by support staff (data), like a company name.
    html = client.get("/en/staff/know/versions/").content.decode()
    note = DiagnosisVersion.objects.get(number=1).note
    assert japanese_in_main(html.replace(note, "")) == []
    # Prefecture and industry names come from the common app's shared choice lists.
    html = client.get("/en/staff/know/").content.decode()
    for _code, label in Prefecture.choices + Industry.choices:
        html = html.replace(str(label), "")
    assert japanese_in_main(html) == []
    assert "Diagnosis and self-check counts" in html and "Not given" in html
