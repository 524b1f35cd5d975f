"""The stage diagnosis as users see it: anonymous, step by step, then saved to a company."""

import pytest
from django.core.exceptions import ValidationError

from cnnavi.audit.models import AuditEntry
from cnnavi.core.diagnosis import initial_definition
from cnnavi.know import selectors, services
from cnnavi.know.models import Diagnosis, DiagnosisVersion, VersionStatus
from cnnavi.know.tests.helpers import QUIET, answer_all, make_diagnosis, v1
from cnnavi.orgs.models import Membership, Role
from cnnavi.testing import make_company, make_user

pytestmark = pytest.mark.django_db


def start(client, **data):
    response = client.post("/diagnosis/", data)
    assert response.status_code == 302
    assert response["Location"].endswith("/diagnosis/questions/?step=1")


def test_anonymous_diagnosis_reaches_a_stage_with_reasons_risks_and_help(client):
    page = client.get("/diagnosis/")
    assert page.status_code == 200
    assert "4つのステップ" in page.content.decode()
    start(client, prefecture="16", industry="E")
    step1 = client.get("/diagnosis/questions/?step=1").content.decode()
    assert "ステップ 1 / 4" in step1 and "取引先から、CO2排出量について" in step1

    response = answer_all(client, customer_asked="yes", fuel_use="much")
    assert response["Location"].endswith("/diagnosis/result/")
    html = client.get("/diagnosis/result/").content.decode()
    assert 'data-stage="measure"' in html and "測るステージ" in html
    # The reasoning: awareness 2 of 2 met for 測る; numbers 0 of 2 for 減らす.
    assert "気づき 2点（必要 2点）" in html and "把握 0点（必要 2点）" in html
    # Each risk is tied to the answer that raised it.
    assert 'data-risk="supply_chain"' in html and 'data-risk="carbon_pricing"' in html
    assert "燃料を、どの程度使っていますか → <strong>生産設備などで多く使っている</strong>" in html
    # Help whose page does not exist yet is shown without a link.
    assert 'data-help="calc_support"' in html

    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.stage, diagnosis.prefecture, diagnosis.industry) == ("measure", "16", "E")
    assert diagnosis.company is None and diagnosis.saved_by is None
    assert not AuditEntry.objects.exists()  # nothing personal, no IP address kept


def test_a_bad_prefecture_is_refused_by_name(client):
    response = client.post("/diagnosis/", {"prefecture": "99"})
    assert response.status_code == 422
    assert "都道府県: 正しく選択してください。 99 は候補にありません。" in response.content.decode()
    assert "know.diagnosis" not in client.session


def test_a_broken_session_starts_again_instead_of_failing(client):
    start(client)
    session = client.session
    session["know.diagnosis"]["answers"] = {"no_such_question": "yes"}
    session["know.diagnosis"]["reached"] = 4
    session.save()
    data = {"step": 4, "jigyokei": "none", "outage": "no", "price_readiness": "no"}
    response = client.post("/diagnosis/questions/", data, follow=True)
    assert "回答を読み取れませんでした。もう一度始めてください。" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_prefecture_and_industry_stay_empty_when_not_given(client):
    start(client)
    answer_all(client)
    assert Diagnosis.objects.values_list("prefecture", "industry").get() == ("", "")
    # Help whose page exists is a link (here the self-check sheet, a next step of 知る).
    html = client.get("/diagnosis/result/").content.decode()
    assert '<a class="know-help" href="/self-check/" data-help="self_check">' in html


def test_a_missing_answer_names_the_question_and_keeps_the_step(client):
    start(client)
    response = client.post("/diagnosis/questions/", {"step": 1, "customer_asked": "yes"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "入力内容を確認してください" in html
    assert (
        "金融機関の融資や、入札・調達の条件で、脱炭素の取り組みを問われたことがありますか: 選んでください。"
        in html
    )
    assert "ステップ 1 / 4" in html
    assert client.session["know.diagnosis"]["answers"] == {}


def test_nothing_yet_cannot_be_combined_with_a_measure(client):
    start(client)
    answer_all_but_three = {"step": 1, **{k: QUIET[k] for k in list(QUIET)[:5]}}
    client.post("/diagnosis/questions/", answer_all_but_three)
    client.post("/diagnosis/questions/", {"step": 2, **{k: QUIET[k] for k in list(QUIET)[5:9]}})
    data = {"step": 3, "reduction_plan": "no", "measures_taken": ["none", "led"]}
    data.update(electricity_supply="standard", target="none")
    response = client.post("/diagnosis/questions/", data)
    assert response.status_code == 422
    assert "ほかの選択肢と一緒に選べません" in response.content.decode()


def test_steps_cannot_be_skipped_and_a_bad_step_number_is_harmless(client):
    start(client)
    assert "ステップ 1 / 4" in client.get("/diagnosis/questions/?step=4").content.decode()
    assert "ステップ 1 / 4" in client.get("/diagnosis/questions/?step=x").content.decode()
    assert client.get("/diagnosis/result/").status_code == 302  # no result yet


def test_questions_without_a_started_diagnosis_go_back_to_the_start(client):
    response = client.get("/diagnosis/questions/?step=2")
    assert response.status_code == 302 and response["Location"].endswith("/diagnosis/")


def test_a_previous_answer_is_shown_when_going_back(client):
    start(client)
    answer_all(client)  # completes; start again and go back
    start(client)
    client.post(
        "/diagnosis/questions/",
        {"step": 1, **{k: QUIET[k] for k in list(QUIET)[:5]}, "customer_asked": "yes"},
    )
    html = client.get("/diagnosis/questions/?step=1").content.decode()
    assert 'value="yes" id="id_customer_asked_0" checked' in html.replace("required ", "")


# --- Versions ----------------------------------------------------------------------------------
def publish_v2_with_stricter_measure_stage(actor):
    v2 = services.diagnosis_version_copy(actor=actor, version=v1())
    definition = initial_definition()
    definition["stages"][1]["requires"] = {"aware": 3}
    services.diagnosis_version_update(actor=actor, version=v2, definition=definition, note="v2")
    return services.diagnosis_version_publish(actor=actor, version=v2)


def test_an_answer_set_scores_with_its_own_version_after_a_new_one_is_published(client, world):
    start(client)
    answer_all(client, customer_asked="yes")  # awareness 2: 測る under v1
    first = Diagnosis.objects.get()
    v2 = publish_v2_with_stricter_measure_stage(world.a.owner)
    assert v1().status == VersionStatus.RETIRED and selectors.current_version() == v2
    assert 'data-stage="measure"' in client.get("/diagnosis/result/").content.decode()
    assert selectors.scored(first)[1].stage == "measure"

    start(client)
    answer_all(client, customer_asked="yes")  # the same answers under v2: 知る
    second = Diagnosis.objects.exclude(pk=first.pk).get()
    assert (second.version, second.stage) == (v2, "know")
    assert 'data-stage="know"' in client.get("/diagnosis/result/").content.decode()


def test_a_published_version_cannot_be_changed(world):
    with pytest.raises(ValidationError):
        services.diagnosis_version_update(
            actor=world.a.owner, version=v1(), definition=initial_definition(), note="x"
        )
    assert v1().definition == initial_definition()


def test_a_draft_with_a_bad_definition_is_refused_with_the_path(world):
    draft = services.diagnosis_version_copy(actor=world.a.owner, version=v1())
    assert (draft.number, draft.status, draft.based_on) == (2, VersionStatus.DRAFT, v1())
    definition = initial_definition()
    definition["risks"][0]["when"][0]["question"] = "nonexistent"
    with pytest.raises(ValidationError) as exc:
        services.diagnosis_version_update(
            actor=world.a.owner, version=draft, definition=definition, note=""
        )
    assert "risks[0].when[0].question: 定義にない質問です ('nonexistent')" in exc.value.messages


def test_admin_new_version_from_this_one_and_publish(client, world):
    admin = make_user("admin@example.com", totp=True)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = "/admin/know/diagnosisversion/"
    client.post(url, {"action": "new_version_from_this", "_selected_action": [v1().pk], "index": 0})
    draft = DiagnosisVersion.objects.get(number=2)
    assert (draft.status, draft.definition) == (VersionStatus.DRAFT, v1().definition)
    # The published version's page shows its definition read-only; the draft's is a form.
    assert 'name="definition"' not in client.get(f"{url}{v1().pk}/change/").content.decode()
    assert 'name="definition"' in client.get(f"{url}{draft.pk}/change/").content.decode()
    client.post(url, {"action": "publish", "_selected_action": [draft.pk], "index": 0})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


# --- Saving to a company, history, suggestions ---------------------------------------------------
def test_log_in_then_save_the_result_to_the_company(client, world):
    start(client)
    answer_all(client, customer_asked="yes")
    html = client.get("/diagnosis/result/").content.decode()
    assert "ログインして保存する" in html
    client.force_login(world.a.owner)  # the session (and its result) survives the login
    html = client.get("/diagnosis/result/").content.decode()
    assert "Company a" in html and "Company b" not in html
    response = client.post("/diagnosis/result/save/", {"company": world.a.company.pk})
    diagnosis = Diagnosis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/companies/{world.a.company.pk}/diagnoses/{diagnosis.pk}/"
    assert (diagnosis.company, diagnosis.saved_by) == (world.a.company, world.a.owner)
    assert (diagnosis.prefecture, diagnosis.industry) == ("16", "E")  # from the company
    assert AuditEntry.objects.filter(action="know.diagnosis_save").count() == 1
    assert selectors.latest_stage(company=world.a.company) == "measure"


def test_a_viewer_or_an_outsider_cannot_save_to_the_company(client, world):
    viewer = make_user("viewer@example.com")
    Membership.objects.create(company=world.a.company, user=viewer, role=Role.VIEWER)
    start(client)
    answer_all(client)
    client.force_login(viewer)
    assert "編集権限のある企業が必要です" in client.get("/diagnosis/result/").content.decode()
    response = client.post("/diagnosis/result/save/", {"company": world.a.company.pk}, follow=True)
    assert "保存する企業を選んでください" in response.content.decode()
    client.force_login(world.b.owner)
    client.post("/diagnosis/result/save/", {"company": world.a.company.pk})
    assert Diagnosis.objects.get().company is None


def test_history_shows_what_changed_since_last_time(client, world):
    company, owner = world.a.company, world.a.owner
    assert selectors.latest_stage(company=company) is None
    make_diagnosis(company, owner, customer_asked="yes")
    later = make_diagnosis(
        company, owner, customer_asked="yes", co2_calculated="yes", fuel_use="much"
    )
    client.force_login(owner)
    html = client.get(f"/companies/{company.pk}/diagnoses/").content.decode()
    assert html.count('data-testid="diagnosis-row"') == 2
    assert "測る → 減らす" in html
    html = client.get(f"/companies/{company.pk}/diagnoses/{later.pk}/").content.decode()
    assert "ステージが 測る から 減らす に進みました。" in html
    assert html.count('data-testid="answer-change"') == 2
    assert "自社のCO2排出量を算定したことがありますか</td><td>いいえ</td><td>はい" in html
    assert "新しいリスク: カーボンプライシングと化石燃料賦課金" in html
    assert selectors.latest_stage(company=company) == "reduce"


def test_history_query_count_is_flat(client, world, django_assert_max_num_queries):
    for _ in range(5):
        make_diagnosis(world.a.company, world.a.owner)
    client.force_login(world.a.owner)
    with django_assert_max_num_queries(10):
        assert client.get(f"/companies/{world.a.company.pk}/diagnoses/").status_code == 200


class FakeSummary:
    months_with_data_last_12 = 12
    has_use_breakdown = False
    has_co2 = True
    latest_fiscal_year = 2025


def test_answers_cn_navi_knows_are_suggested_and_can_be_changed(client, world, monkeypatch):
    monkeypatch.setattr(selectors, "energy_data_summary", lambda company: FakeSummary())
    client.force_login(world.a.owner)
    start(client, company=world.a.company.pk)
    client.post("/diagnosis/questions/", {"step": 1, **{k: QUIET[k] for k in list(QUIET)[:5]}})
    html = client.get("/diagnosis/questions/?step=2").content.decode()
    assert "Company a のデータから、いくつかの回答を提案しています" in html
    assert html.count('data-testid="suggested"') == 2  # monthly use and CO2; not the uses
    assert 'value="yes" id="id_energy_monthly_0" checked' in html.replace("required ", "")
    # The user changes the suggestion: the answer given wins.
    data = {
        "step": 2,
        "energy_monthly": "no",
        "co2_calculated": "yes",
        "use_breakdown": "no",
        "fuel_use": "little",
    }
    client.post("/diagnosis/questions/", data)
    assert client.session["know.diagnosis"]["answers"]["energy_monthly"] == "no"
    # The company answered for is offered first when saving.
    second = make_company(world.a.owner, name="AAA 先頭の会社")
    answer_all(client)
    html = client.get("/diagnosis/result/").content.decode()
    assert f'<option value="{world.a.company.pk}" selected>' in html
    assert f'<option value="{second.pk}">' in html


def test_no_suggestions_without_the_measure_data(world):
    definition = selectors.definition_of(v1())
    assert selectors.suggested_answers(company=world.a.company, definition=definition) == {}
    assert selectors.suggested_answers(company=None, definition=definition) == {}


def test_pdf_of_the_result(client, world):
    start(client)
    answer_all(client, jigyokei="none")
    response = client.get("/diagnosis/result/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    saved = make_diagnosis(world.a.company, world.a.owner)
    client.force_login(world.a.owner)
    response = client.get(f"/companies/{world.a.company.pk}/diagnoses/{saved.pk}/pdf/")
    assert response.content.startswith(b"%PDF")
    assert (
        client.get("/en" + f"/companies/{world.a.company.pk}/diagnoses/{saved.pk}/pdf/").status_code
        == 200
    )


def test_company_pages_need_membership(client, world):
    saved = make_diagnosis(world.a.company, world.a.owner)
    client.force_login(world.outsider)
    assert client.get(f"/companies/{world.a.company.pk}/diagnoses/").status_code == 404
    assert client.get(f"/companies/{world.a.company.pk}/diagnoses/{saved.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/companies/{world.a.company.pk}/diagnoses/").status_code == 302


def test_admin_edit_of_a_draft_is_validated_and_audited(client, world):
    import json

    admin = make_user("admin2@example.com", totp=True)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    draft = services.diagnosis_version_copy(actor=admin, version=v1())
    client.force_login(admin)
    url = f"/admin/know/diagnosisversion/{draft.pk}/change/"
    definition = initial_definition()
    definition["stages"][1]["requires"] = {"luck": 1}
    response = client.post(url, {"definition": json.dumps(definition), "note": "bad"})
    assert response.status_code == 200
    assert "stages[1].requires: 定義にない評価軸です (luck)" in response.content.decode()
    definition["stages"][1]["requires"] = {"aware": 3}
    response = client.post(url, {"definition": json.dumps(definition), "note": "stricter"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.definition["stages"][1]["requires"], draft.note) == ({"aware": 3}, "stricter")
    assert AuditEntry.objects.filter(action="know.version_update", actor=admin).count() == 1
    # A published version cannot be posted to.
    client.post(
        f"/admin/know/diagnosisversion/{v1().pk}/change/", {"definition": "{}", "note": "x"}
    )
    assert v1().definition == initial_definition()
