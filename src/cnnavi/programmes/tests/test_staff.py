"""Staff pages: create and edit events, applications, attendance, CSV export, payments."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cnnavi.programmes import services
from cnnavi.programmes.models import Application, ApplicationStatus, Event
from cnnavi.programmes.tests.factories import make_event
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def event_data(**overrides):
    data = {
        "kind": "training",
        "title": "カーボンニュートラル戦略の支援（基本編）",
        "description": "各3時間×2日間",
        "venue_mode": "online",
        "audience": "support_institutions",
        "audience_note": "中小企業支援機関",
        "fee_yen": "16000",
        "capacity": "10",
        "application_opens_at": "2026-11-01T09:00",
        "application_closes_at": "2027-01-10T17:00",
        "cancellation_deadline": "2027-01-10T17:00",
        "consent_text": "お申込みいただいた情報は研修の運営のために利用します。",
        "contact": "中小機構北陸本部 企業支援課 076-223-5546",
        "is_published": "on",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "20",
        "sessions-0-starts_at": "2027-01-25T13:30",
        "sessions-0-ends_at": "2027-01-25T16:30",
        "sessions-0-topic": "カーボンニュートラルと今後の事業環境変化",
        "sessions-1-starts_at": "2027-02-01T13:30",
        "sessions-1-ends_at": "2027-02-01T16:30",
        "sessions-1-topic": "CO2排出量の見える化を理解しよう",
    }
    data.update(overrides)
    return data


def test_staff_create_a_two_day_paid_training(world, alice_client):
    response = alice_client.post(reverse("programmes_staff:event_create"), event_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.office == world.a.office
    assert event.fee_yen == 16_000 and event.capacity == 10
    sessions = list(event.sessions.all())
    assert [s.starts_at.isoformat() for s in sessions] == [
        "2027-01-25T04:30:00+00:00",  # 13:30 in Tokyo
        "2027-02-01T04:30:00+00:00",
    ]
    page = alice_client.get(reverse("programmes:event_detail", args=[event.pk])).content.decode()
    assert "¥16,000" in page and "2027-01-25 (月) 13:30–16:30" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"capacity": "0"}, "定員"),
        ({"capacity": "abc"}, "定員"),
        ({"fee_yen": "-1"}, "受講料"),
        ({"fee_yen": "99999999999"}, "受講料"),
        ({"fee_yen": "16,000"}, "受講料"),
        ({"title": ""}, "タイトル"),
        ({"application_closes_at": "2026-10-01T09:00"}, "申込締切は申込開始より後にしてください"),
        ({"sessions-0-ends_at": "2027-01-25T12:00"}, "終了は開始より後にしてください"),
        ({"sessions-0-starts_at": "not a date"}, "開始"),
        (
            {
                "sessions-0-starts_at": "",
                "sessions-0-ends_at": "",
                "sessions-1-starts_at": "",
                "sessions-1-ends_at": "",
                "sessions-0-topic": "",
                "sessions-1-topic": "",
            },
            "日程を1つ以上入力してください",
        ),
        ({"cancellation_deadline": "2027-01-30T09:00"}, "キャンセル期限は初日の開始より前"),
        ({"venue_mode": "venue", "venue": ""}, "会場で開催するときは会場を入力してください"),
        ({"external_url": "javascript:alert(1)"}, "詳細ページ"),
        ({"sessions-TOTAL_FORMS": "x"}, 'data-testid="sessions-errors"'),
    ],
)
def test_bad_event_input_is_a_422_naming_the_field(world, alice_client, overrides, message):
    response = alice_client.post(reverse("programmes_staff:event_create"), event_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_staff_edit_keeps_the_office_and_shows_numbers(world, alice_client):
    event = make_event(world.a.office, capacity=2)
    for n in range(3):
        services.application_create(
            user=make_user(f"n{n}@example.com"),
            event=event,
            applicant_kind="support_institution",
            organisation=f"機関{n}",
            name=f"参加者{n}",
            consent=True,
        )
    page = alice_client.get(reverse("programmes_staff:event_detail", args=[event.pk]))
    text = page.content.decode()
    assert 'data-testid="confirmed-count">2<' in text
    assert 'data-testid="waitlisted-count">1<' in text
    assert 'data-testid="places-left">0<' in text
    assert text.count('data-testid="waiting-row"') == 1
    listing = alice_client.get(reverse("programmes_staff:event_list")).content.decode()
    assert "テストセミナー" in listing


def test_attendance_is_marked_with_htmx(world, alice_client):
    event = make_event(world.a.office)
    application = services.application_create(
        user=make_user("att@example.com"),
        event=event,
        applicant_kind="support_institution",
        organisation="機関",
        name="出席 太郎",
        consent=True,
    )
    url = reverse("programmes_staff:attendance", args=[event.pk, application.pk])
    response = alice_client.post(url, {"attended": "yes"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="attendance"')
    assert 'data-testid="attendance-state">出席<' in html
    application.refresh_from_db()
    assert application.attended is True
    response = alice_client.post(url, {"attended": "maybe"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.attended is True
    alice_client.post(url, {"attended": ""})
    application.refresh_from_db()
    assert application.attended is None


def test_participant_csv_is_safe_against_formula_injection(world, alice_client):
    event = make_event(world.a.office)
    for n, name in enumerate(['=HYPERLINK("http://evil")', "+81 sum", "-2+3", "@cmd", "普通 太郎"]):
        services.application_create(
            user=make_user(f"csv{n}@example.com"),
            event=event,
            applicant_kind="support_institution",
            organisation="-機関" if n == 0 else "機関",
            name=name,
            consent=True,
        )
    response = alice_client.get(reverse("programmes_staff:participants_csv", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["申込番号", "状態", "キャンセル待ち順", "氏名"]
    names = [r[3] for r in rows[1:]]
    assert names == ['\'=HYPERLINK("http://evil")', "'+81 sum", "'-2+3", "'@cmd", "普通 太郎"]
    assert rows[1][4] == "'-機関"
    assert rows[1][1] == "申込確定"


def test_staff_cancel_promotes_the_first_waiting(world, alice_client):
    event = make_event(world.a.office, capacity=1)
    apps = [
        services.application_create(
            user=make_user(f"w{n}@example.com"),
            event=event,
            applicant_kind="support_institution",
            organisation="機関",
            name=f"w{n}",
            consent=True,
        )
        for n in range(2)
    ]
    alice_client.post(reverse("programmes_staff:application_cancel", args=[event.pk, apps[0].pk]))
    assert Application.objects.get(pk=apps[1].pk).status == ApplicationStatus.CONFIRMED


def test_non_staff_get_403(world, client):
    client.force_login(world.outsider)
    assert client.get(reverse("programmes_staff:event_list")).status_code == 403
    assert client.get(reverse("programmes_staff:headline_list")).status_code == 403
    assert client.get(reverse("programmes_staff:course_list")).status_code == 403


def test_staff_event_list_query_count_is_fixed(world, alice_client, django_assert_max_num_queries):
    for n in range(5):
        make_event(world.a.office, title=f"E{n}")
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("programmes_staff:event_list"))
    assert response.content.decode().count('data-testid="staff-event-row"') == 5


def test_capacity_cannot_drop_below_the_confirmed(world, alice_client):
    event = make_event(world.a.office, capacity=3)
    for n in range(2):
        services.application_create(
            user=make_user(f"cap{n}@example.com"),
            event=event,
            applicant_kind="support_institution",
            organisation="機関",
            name=f"cap{n}",
            consent=True,
        )
    session = event.sessions.get()
    data = event_data(
        capacity="1",
        application_opens_at="2026-01-01T09:00",
        application_closes_at=(session.starts_at - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        cancellation_deadline=(session.starts_at - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        **{
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-starts_at": timezone.localtime(session.starts_at).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "sessions-0-ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    response = alice_client.post(reverse("programmes_staff:event_edit", args=[event.pk]), data)
    assert response.status_code == 422
    assert (
        "申込確定の方が2名いるため、定員をそれより少なくできません。" in response.content.decode()
    )
    event.refresh_from_db()
    assert event.capacity == 3
