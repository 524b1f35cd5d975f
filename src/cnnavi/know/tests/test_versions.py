"""Support-office staff edit the diagnosis in the back office: a new draft from a version, the
whole definition edited as JSON and checked (every problem named with its path), a preview in
Japanese and English, publishing; published versions never change."""

import copy
import json
import re

import pytest

from cnnavi.audit.models import AuditEntry
from cnnavi.know import selectors, services
from cnnavi.know.models import DiagnosisVersion, VersionStatus
from cnnavi.know.tests.helpers import japanese_in_main, make_diagnosis, v1
from cnnavi.orgs.models import OfficeStaff, SupportOffice
from cnnavi.testing import make_company, make_user

pytestmark = pytest.mark.django_db


def post_definition(client, version, definition, note="配点を変更"):
    return client.post(
        f"/staff/know/versions/{version.pk}/",
        {"definition": json.dumps(definition, ensure_ascii=False), "note": note},
    )


@pytest.fixture
def draft(world):
    return services.diagnosis_version_copy(actor=world.a.owner, version=v1())


def test_staff_make_a_draft_from_a_version_edit_it_and_publish_it(client, world):
    first = v1()
    client.force_login(world.a.owner)
    response = client.post(f"/staff/know/versions/{first.pk}/copy/")
    new = DiagnosisVersion.objects.get(based_on=first)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/know/versions/{new.pk}/"
    assert (new.status, new.definition) == (VersionStatus.DRAFT, first.definition)

    html = client.get(f"/staff/know/versions/{new.pk}/").content.decode()
    assert 'name="definition"' in html and "検査して保存する" in html

    definition = copy.deepcopy(new.definition)
    definition["steps"][0]["questions"][0]["text"]["ja"] = "取引先から CO2 について聞かれましたか？"
    definition["steps"][0]["questions"][0]["choices"][0]["points"] = {
        next(iter(definition["steps"][0]["questions"][0]["choices"][0]["points"])): 5
    }
    response = post_definition(client, new, definition)
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.definition == definition and new.note == "配点を変更"

    response = client.post(f"/staff/know/versions/{new.pk}/publish/")
    assert response.status_code == 302
    new.refresh_from_db()
    first.refresh_from_db()
    assert (new.status, first.status) == (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    assert selectors.current_version() == new
    actions = list(
        AuditEntry.objects.filter(action__startswith="know.version_")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["know.version_copy", "know.version_update", "know.version_publish"]


def test_the_preview_shows_the_questions_in_japanese_and_english(client, world, draft):
    client.force_login(world.a.owner)
    html = client.get(f"/staff/know/versions/{draft.pk}/").content.decode()
    ja = html.split('data-testid="preview-ja"', 1)[1].split("</section>", 1)[0]
    en = html.split('data-testid="preview-en"', 1)[1].split("</section>", 1)[0]
    question = selectors.definition_of(draft).questions()[0]
    assert question.text["ja"] in ja and question.text["en"] not in ja
    assert question.text["en"] in en and question.text["ja"] not in en
    assert question.choices[0].label["en"] in en


def test_every_problem_is_named_with_its_path_and_nothing_is_saved(client, world, draft):
    client.force_login(world.a.owner)
    before = copy.deepcopy(draft.definition)
    bad = copy.deepcopy(draft.definition)
    dimension = bad["dimensions"][0]["code"]
    bad["steps"][1]["questions"][2]["choices"][0]["points"] = {dimension: -1, "nope": 1}
    bad["steps"][0]["questions"][0]["text"] = {"ja": "英語がない"}
    bad["steps"][2]["questions"][0]["kind"] = "slider"
    response = post_definition(client, draft, bad)
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        f"steps[1].questions[2].choices[0].points.{dimension}: 0以上の整数を指定してください"
        in (html)
    )
    assert "steps[1].questions[2].choices[0].points: 定義にない評価軸です (nope)" in html
    assert "steps[0].questions[0].text: 日本語（ja）と英語（en）の両方の文章が必要です" in html
    assert "steps[2].questions[0].kind: 質問の種類は yesno・single・multi のいずれかです" in html
    assert 'class="error"' in html  # next to the editor, not only in the summary
    draft.refresh_from_db()
    assert draft.definition == before
    assert not AuditEntry.objects.filter(action="know.version_update").exists()


def test_text_that_is_not_json_is_a_422_naming_the_line(client, world, draft):
    client.force_login(world.a.owner)
    response = client.post(
        f"/staff/know/versions/{draft.pk}/", {"definition": '{\n  "steps": [,]\n}', "note": ""}
    )
    assert response.status_code == 422
    assert "JSON の形式が正しくありません（2 行目" in response.content.decode()


def test_problems_are_named_in_english_on_the_english_page(client, world, draft):
    client.force_login(world.a.owner)
    bad = copy.deepcopy(draft.definition)
    bad["steps"][1]["questions"][2]["choices"] = bad["steps"][1]["questions"][2]["choices"][:1]
    response = client.post(
        f"/en/staff/know/versions/{draft.pk}/", {"definition": json.dumps(bad), "note": ""}
    )
    assert response.status_code == 422
    assert "steps[1].questions[2].choices: needs at least two choices" in (
        response.content.decode()
    )


def test_published_versions_cannot_be_edited_or_published_again(client, world):
    first = v1()
    client.force_login(world.a.owner)
    html = client.get(f"/staff/know/versions/{first.pk}/").content.decode()
    assert 'name="definition"' not in html and 'data-testid="immutable"' in html
    response = post_definition(client, first, {"steps": []})
    assert response.status_code == 403
    assert client.post(f"/staff/know/versions/{first.pk}/publish/").status_code == 403
    first.refresh_from_db()
    assert first.definition == v1().definition and first.status == VersionStatus.PUBLISHED


def test_a_draft_with_problems_is_not_published(client, world, draft):
    # A draft stored with a problem (e.g. through the shell) is refused, with the problem named.
    broken = copy.deepcopy(draft.definition)
    broken["risks"][0]["when"][0]["question"] = "gone"
    DiagnosisVersion.objects.filter(pk=draft.pk).update(definition=broken)
    client.force_login(world.a.owner)
    response = client.post(f"/staff/know/versions/{draft.pk}/publish/")
    assert response.status_code == 422
    assert "risks[0].when[0].question: 定義にない質問です" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert v1().status == VersionStatus.PUBLISHED


def test_results_keep_scoring_with_the_version_they_were_given_under(client, world, draft):
    before = make_diagnosis(world.a.company, world.a.owner, customer_asked="yes")
    assert selectors.scored(before)[1].stage == "measure"
    # The new version asks for far more awareness before 測る.
    definition = copy.deepcopy(draft.definition)
    definition["stages"][1]["requires"] = {k: 99 for k in definition["stages"][1]["requires"]}
    client.force_login(world.a.owner)
    assert post_definition(client, draft, definition).status_code == 302
    assert client.post(f"/staff/know/versions/{draft.pk}/publish/").status_code == 302
    before.refresh_from_db()
    assert before.version == v1()
    assert selectors.scored(before)[1].stage == "measure"
    after = services.diagnosis_create(
        version=selectors.current_version(),
        answers=before.answers,
        language="ja",
    )
    assert after.stage == "know"


def test_a_company_owner_or_an_outsider_cannot_open_or_change_versions(client, world, draft):
    owner = make_user("owner-only@example.com", totp=True)
    make_company(owner, name="Owner Only KK")
    for user in (owner, world.outsider):
        client.force_login(user)
        assert client.get(f"/staff/know/versions/{draft.pk}/").status_code == 403
        assert post_definition(client, draft, {"steps": []}).status_code == 403
        assert client.post(f"/staff/know/versions/{draft.pk}/copy/").status_code == 403
        assert client.post(f"/staff/know/versions/{draft.pk}/publish/").status_code == 403
    client.logout()
    assert client.get(f"/staff/know/versions/{draft.pk}/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert DiagnosisVersion.objects.count() == 2


def test_versions_are_global_so_any_offices_staff_may_edit(client, world, draft):
    # Decision 0501: one diagnosis for the whole installation; tenant B's staff edit it too.
    client.force_login(world.b.owner)
    definition = copy.deepcopy(draft.definition)
    definition["steps"][0]["title"]["en"] = "Outside pressure (edited by office B)"
    assert post_definition(client, draft, definition, note="office B").status_code == 302
    draft.refresh_from_db()
    assert draft.note == "office B"
    assert client.get("/staff/know/versions/999999/").status_code == 404


def test_staff_of_an_office_without_totp_are_sent_to_set_it_up(client, world, draft):
    user = make_user("no-totp@example.com")
    office = SupportOffice.objects.create(name="Office C", prefectures=["17"])
    OfficeStaff.objects.create(office=office, user=user)
    client.force_login(user)
    response = client.get(f"/staff/know/versions/{draft.pk}/")
    assert response.status_code == 302 and "totp" in response["Location"]
    assert post_definition(client, draft, {"steps": []}).status_code == 302
    draft.refresh_from_db()
    assert draft.note != "配点を変更"


def test_the_version_page_in_english(client, world, draft):
    client.force_login(world.a.owner)
    html = client.get(f"/en/staff/know/versions/{draft.pk}/").content.decode()

    # The editor and the Japanese preview hold the definition's texts (data), marked lang="ja".
    html = re.sub(r'<(\w+)[^>]*\slang="ja"[^>]*>.*?</\1>', " ", html, flags=re.S)
    assert japanese_in_main(html) == []
    assert "Preview" in html and "Check and save" in html
    html = client.get(f"/en/staff/know/versions/{v1().pk}/").content.decode()
    html = re.sub(r'<(\w+)[^>]*\slang="ja"[^>]*>.*?</\1>', " ", html, flags=re.S)
    assert japanese_in_main(html) == []
