"""The self-check sheet: 11 items in three steps, a result per step and what to do next."""

import pytest

from cnnavi.know.checksheet import ITEMS, STEPS
from cnnavi.know.models import SelfCheck

pytestmark = pytest.mark.django_db


def test_the_sheet_has_the_brochures_eleven_items_in_three_steps(client):
    html = client.get("/self-check/").content.decode()
    assert html.count('data-testid="check-item"') == 11
    assert [len([i for i in ITEMS if i.step == s.code]) for s in STEPS] == [3, 3, 5]
    for text in ("現状把握", "取り組み", "計画策定", "CO2チェックシート（日本商工会議所）"):
        assert text in html
    assert 'href="https://eco.jcci.or.jp/checksheet"' in html
    # A reference the brochure names without a confirmed address is shown as a name only.
    assert "中小規模事業者のための脱炭素経営ハンドブック（環境省）</li>" in html


def test_result_counts_per_step_and_says_what_to_do_next(client):
    response = client.post("/self-check/", {"checked": ["1", "2", "4", "11"], "prefecture": "17"})
    assert response.status_code == 302
    html = client.get("/self-check/result/").content.decode()
    assert "11項目のうち 4 項目ができています。" in html
    assert "<strong>2</strong> / 3" in html  # ① 現状把握
    assert "<strong>1</strong> / 3" in html  # ② 取り組み
    assert "<strong>1</strong> / 5" in html  # ③ 計画策定
    assert html.count('data-testid="item-todo"') == 7
    assert "次にすること: 明細に用途を付けて" in html  # item 3
    assert 'data-help="measure"' in html and 'data-help="consultation"' in html
    check = SelfCheck.objects.get()
    assert (check.checked, check.checked_count, check.prefecture, check.company) == (
        ["1", "2", "4", "11"],
        4,
        "17",
        None,
    )


def test_nothing_ticked_is_a_valid_answer(client):
    assert client.post("/self-check/", {}).status_code == 302
    assert (
        "11項目のうち 0 項目ができています。" in client.get("/self-check/result/").content.decode()
    )


def test_an_unknown_item_is_refused_by_name(client):
    response = client.post("/self-check/", {"checked": ["12"]})
    assert response.status_code == 422
    assert (
        "できていること: 正しく選択してください。 12 は候補にありません。"
        in response.content.decode()
    )
    assert not SelfCheck.objects.exists()


def test_a_member_saves_the_self_check_to_the_company(client, world):
    client.force_login(world.a.owner)
    client.post("/self-check/", {"checked": ["1"], "company": world.a.company.pk})
    check = SelfCheck.objects.get()
    assert (check.company, check.saved_by, check.prefecture) == (
        world.a.company,
        world.a.owner,
        "16",
    )
    html = client.get(f"/companies/{world.a.company.pk}/diagnoses/").content.decode()
    assert "1 / 11 項目" in html


def test_another_companys_id_is_not_accepted(client, world):
    client.force_login(world.a.owner)
    response = client.post("/self-check/", {"checked": ["1"], "company": world.b.company.pk})
    assert response.status_code == 422 and not SelfCheck.objects.exists()


def test_result_without_a_sheet_goes_back_to_the_sheet(client):
    assert client.get("/self-check/result/")["Location"].endswith("/self-check/")
