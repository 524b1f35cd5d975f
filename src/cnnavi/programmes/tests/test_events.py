"""Applying for events: confirmation, waiting list, cancellation, eligibility, e-mails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cnnavi.orgs.models import OfficeStaff
from cnnavi.programmes import services
from cnnavi.programmes.models import (
    ApplicantKind,
    Application,
    ApplicationStatus,
    Audience,
    EventSession,
    InvoiceStatus,
    PaymentStatus,
)
from cnnavi.programmes.tests.factories import english_user, make_event
from cnnavi.testing import make_company, make_user

pytestmark = pytest.mark.django_db


def apply(user, event, **overrides):
    data = dict(
        user=user,
        event=event,
        applicant_kind=ApplicantKind.SUPPORT_INSTITUTION,
        organisation="富山県よろず支援拠点",
        name="支援 一郎",
        consent=True,
    )
    data.update(overrides)
    return services.application_create(**data)


def ics_events(message):
    (name, content, mimetype) = message.attachments[0]
    assert name == "event.ics" and mimetype == "text/calendar"
    return [c for c in Calendar.from_ical(content).walk("VEVENT")]


def test_company_member_applies_and_gets_confirmation_with_ics(
    world, alice_client, django_capture_on_commit_callbacks
):
    event = make_event(world.a.office, title="中小企業脱炭素経営セミナー", capacity=5)
    url = reverse("programmes:event_detail", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            url,
            {
                "applicant_kind": "company",
                "company": world.a.company.pk,
                "name": "富山 太郎",
                "phone": "076-000-0000",
                "consent": "on",
            },
        )
    assert response.status_code == 302
    application = Application.objects.get(event=event, user=world.a.owner)
    assert application.status == ApplicationStatus.CONFIRMED
    assert application.organisation == "Company a"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[CN Navi] お申し込みを受け付けました：中小企業脱炭素経営セミナー"
    assert "富山 太郎 様" in message.body
    vevents = ics_events(message)
    assert len(vevents) == 1
    assert str(vevents[0]["summary"]) == "中小企業脱炭素経営セミナー"
    assert vevents[0].decoded("dtstart") == event.sessions.get().starts_at
    page = alice_client.get(url).content.decode()
    assert "申込確定" in page and "申込 1名 / 定員 5名（残り 4名）" in page


def test_two_day_training_ics_has_both_days_and_english_mail(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.a.office, title="CN戦略の支援", fee_yen=16_000, capacity=10)
    first = event.sessions.get()
    EventSession.objects.create(
        event=event,
        starts_at=first.starts_at + timedelta(days=7),
        ends_at=first.ends_at + timedelta(days=7),
        topic="CO2排出量の見える化を理解しよう",
    )
    user = english_user("english@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(user, event)
    assert application.invoice_status == InvoiceStatus.TO_ISSUE
    assert application.payment_status == PaymentStatus.UNPAID
    message = mail.outbox[0]
    assert message.subject == "[CN Navi] Application received: CN戦略の支援"
    assert "¥16,000" in message.body and "invoice" in message.body
    summaries = [str(v["summary"]) for v in ics_events(message)]
    assert summaries == ["CN戦略の支援 (day 1)", "CN戦略の支援 (day 2)"]


def test_full_event_puts_applicants_on_the_waiting_list_and_promotes_in_order(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.a.office, capacity=1)
    first, second, third = (make_user(f"p{n}@example.com") for n in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        a1 = apply(first, event)
        a2 = apply(second, event)
        a3 = apply(third, event)
    assert [a.status for a in (a1, a2, a3)] == ["confirmed", "waitlisted", "waitlisted"]
    assert mail.outbox[1].subject.startswith("[CN Navi] キャンセル待ちで受け付けました")
    assert mail.outbox[1].attachments == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_cancel(actor=first, application=a1)
    a2.refresh_from_db()
    a3.refresh_from_db()
    assert a2.status == ApplicationStatus.CONFIRMED and a2.promoted_at is not None
    assert a3.status == ApplicationStatus.WAITLISTED
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "[CN Navi] キャンセルを受け付けました：テストセミナー",
        "[CN Navi] キャンセル待ちから繰り上がりました：テストセミナー",
    ]
    promoted = next(m for m in mail.outbox if "繰り上がり" in m.subject)
    assert promoted.to == ["p1@example.com"]
    assert len(ics_events(promoted)) == 1


def test_staff_raising_the_capacity_promotes_the_waiting_list(world):
    event = make_event(world.a.office, capacity=1)
    apply(make_user("x1@example.com"), event)
    waiting = apply(make_user("x2@example.com"), event)
    services.event_update(
        actor=world.a.owner,
        event=event,
        sessions=[
            {"starts_at": s.starts_at, "ends_at": s.ends_at, "topic": ""}
            for s in event.sessions.all()
        ],
        capacity=2,
    )
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.CONFIRMED


def test_cancellation_after_the_deadline_is_refused_but_waitlisted_may_leave(world):
    event = make_event(world.a.office, capacity=1)
    confirmed = apply(make_user("c1@example.com"), event)
    waiting = apply(make_user("c2@example.com"), event)
    event.cancellation_deadline = timezone.now() - timedelta(minutes=1)
    event.application_opens_at = timezone.now() - timedelta(days=2)
    event.save()
    with pytest.raises(ValidationError, match="キャンセル期限を過ぎています"):
        services.application_cancel(actor=confirmed.user, application=confirmed)
    services.application_cancel(actor=waiting.user, application=waiting)
    confirmed.refresh_from_db()
    assert confirmed.status == ApplicationStatus.CONFIRMED
    # Staff may still cancel after the deadline.
    services.application_cancel(actor=world.a.owner, application=confirmed, by_staff=True)


def test_one_live_application_per_person(world):
    event = make_event(world.a.office)
    user = make_user("twice@example.com")
    apply(user, event)
    with pytest.raises(ValidationError, match="すでに申し込んでいます"):
        apply(user, event)
    # The database refuses it too (the backstop).
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            event=event,
            user=user,
            applicant_kind="support_institution",
            organisation="x",
            name="x",
            email=user.email,
            status="waitlisted",
            consent_given_at=timezone.now(),
        )
    # After cancelling, the person may apply again.
    services.application_cancel(actor=user, application=Application.objects.get(user=user))
    assert apply(user, event).status == ApplicationStatus.CONFIRMED


def test_support_institution_training_shows_a_company_member_a_notice_not_the_form(world, client):
    event = make_event(world.a.office, audience=Audience.SUPPORT_INSTITUTIONS, fee_yen=16_000)
    owner = make_user("sme@example.com")
    company = make_company(owner, name="中小製作所")
    client.force_login(owner)
    url = reverse("programmes:event_detail", args=[event.pk])
    page = client.get(url).content.decode()
    assert "この研修は中小企業支援機関の方が対象です。企業の方はお申し込みいただけません。" in page
    assert 'name="consent"' not in page and "申込 0名 / 定員 10名（残り 10名）" in page
    client.post(url, {"applicant_kind": "company", "company": company.pk, "consent": "on"})
    assert not Application.objects.exists()
    listing = client.get(reverse("programmes:event_list")).content.decode()
    assert 'data-testid="for-institutions">支援機関向け<' in listing


def test_the_application_form_speaks_plainly(world, client):
    event = make_event(world.a.office)
    owner = make_user("sme@example.com")
    make_company(owner, name="中小製作所")
    client.force_login(owner)
    url = reverse("programmes:event_detail", args=[event.pk])
    page = client.get(url).content.decode()
    assert '<option value="">選択してください</option>' in page
    page = client.post(url, {"applicant_kind": "company", "name": "A"}).content.decode()
    assert "申し込むには利用目的への同意が必要です。" in page


def test_a_staff_member_who_owns_a_company_applies_as_a_support_institution(world, alice_client):
    event = make_event(world.a.office, audience=Audience.SUPPORT_INSTITUTIONS)
    url = reverse("programmes:event_detail", args=[event.pk])
    page = alice_client.get(url).content.decode()
    assert "所属する企業" not in page and 'value="company"' not in page
    alice_client.post(
        url, {"applicant_kind": "company", "organisation": "Office a", "name": "A", "consent": "on"}
    )
    assert Application.objects.get().applicant_kind == "support_institution"


def test_support_institution_staff_without_a_company_may_apply(world, client):
    event = make_event(world.a.office, audience=Audience.SUPPORT_INSTITUTIONS)
    user = make_user("shien@example.com")
    client.force_login(user)
    page = client.get(reverse("programmes:event_detail", args=[event.pk])).content.decode()
    assert "所属する支援機関" in page
    response = client.post(
        reverse("programmes:event_detail", args=[event.pk]),
        {
            "applicant_kind": "support_institution",
            "organisation": "石川県産業創出支援機構",
            "name": "支援 花子",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(user=user).organisation == "石川県産業創出支援機構"


def test_office_staff_see_their_office_prefilled(world, client):
    event = make_event(world.a.office, audience=Audience.SUPPORT_INSTITUTIONS)
    user = make_user("officer@example.com")
    OfficeStaff.objects.create(office=world.b.office, user=user)
    # b's staff member has no TOTP: switch the requirement off for this page view.
    client.force_login(user)
    from django.test import override_settings

    with override_settings(CNNAVI_REQUIRE_2FA_FOR_STAFF=False):
        page = client.get(reverse("programmes:event_detail", args=[event.pk])).content.decode()
    assert 'value="Office b"' in page


def test_sme_only_event_checks_the_company(world):
    event = make_event(world.a.office, audience=Audience.SME_MEMBERS)
    big_owner = make_user("big@example.com")
    big = make_company(big_owner, name="大企業株式会社", capital_yen=10_000_000_000, employees=5000)
    with pytest.raises(ValidationError, match="中小企業に該当しません"):
        apply(big_owner, event, applicant_kind="company", company=big)
    unknown_owner = make_user("unknown@example.com")
    unknown = make_company(unknown_owner, name="未入力株式会社", capital_yen=None, employees=None)
    with pytest.raises(ValidationError, match="資本金か従業員数"):
        apply(unknown_owner, event, applicant_kind="company", company=unknown)
    with pytest.raises(ValidationError, match="企業の方として"):
        apply(make_user("shien2@example.com"), event)
    assert apply(world.a.owner, event, applicant_kind="company", company=world.a.company)


def test_a_company_the_user_does_not_belong_to_is_refused(world):
    event = make_event(world.a.office)
    with pytest.raises(ValidationError) as exc:
        apply(world.a.owner, event, applicant_kind="company", company=world.b.company)
    assert "company" in exc.value.message_dict


@pytest.mark.parametrize(
    "data, message",
    [
        ({"applicant_kind": "company", "name": "A"}, "同意"),
        (
            {"applicant_kind": "company", "name": "A", "consent": "on"},
            "所属する企業を選んでください",
        ),
        (
            {"applicant_kind": "support_institution", "name": "A", "consent": "on"},
            "所属する支援機関の名称を入力してください",
        ),
        ({"applicant_kind": "robot", "name": "A", "consent": "on"}, "申込区分"),
        ({"applicant_kind": "company", "company": "99999", "consent": "on"}, "氏名"),
    ],
)
def test_bad_application_input_is_a_422_with_a_message(world, alice_client, data, message):
    event = make_event(world.a.office)
    response = alice_client.post(reverse("programmes:event_detail", args=[event.pk]), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_closed_and_unopened_events_refuse_applications(world):
    event = make_event(world.a.office)
    event.application_opens_at = timezone.now() + timedelta(hours=1)
    event.save()
    with pytest.raises(ValidationError, match="まだ始まっていません"):
        apply(make_user("early@example.com"), event)
    event.application_opens_at = timezone.now() - timedelta(days=3)
    event.application_closes_at = timezone.now() - timedelta(days=1)
    event.save()
    with pytest.raises(ValidationError, match="終了しました"):
        apply(make_user("late@example.com"), event)


def test_drafts_are_not_public_and_anonymous_visitors_are_asked_to_log_in(world, client):
    draft = make_event(world.a.office, published=False)
    assert client.get(reverse("programmes:event_detail", args=[draft.pk])).status_code == 404
    event = make_event(world.a.office, title="公開セミナー")
    page = client.get(reverse("programmes:event_detail", args=[event.pk])).content.decode()
    assert "ログインして申し込む" in page


def test_applicant_cancels_from_my_applications(world, alice_client):
    event = make_event(world.a.office)
    application = apply(world.a.owner, event)
    page = alice_client.get(reverse("programmes:my_applications")).content.decode()
    assert "テストセミナー" in page and "申込確定" in page
    response = alice_client.post(reverse("programmes:application_cancel", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CANCELLED
    # Cancelling twice is a message, not an error page.
    response = alice_client.post(
        reverse("programmes:application_cancel", args=[application.pk]), follow=True
    )
    assert "すでにキャンセルされています" in response.content.decode()


def test_event_list_shows_upcoming_events_with_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    for n in range(6):
        make_event(world.a.office, title=f"セミナー{n}")
    past = make_event(world.a.office, title="終わったセミナー", days=-3)
    assert past
    with django_assert_max_num_queries(6):
        page = client.get(reverse("programmes:event_list")).content.decode()
    assert page.count('data-testid="event-card"') == 6
    assert "終わったセミナー" not in page
    assert (
        "終わったセミナー"
        in client.get(reverse("programmes:event_list") + "?past=1").content.decode()
    )


def test_reminders_go_once_to_confirmed_participants_of_events_starting_soon(
    world, django_capture_on_commit_callbacks
):
    soon = make_event(world.a.office, title="明日のセミナー", days=1, capacity=1)
    later = make_event(world.a.office, title="来月のセミナー", days=30)
    apply(make_user("r1@example.com"), soon)
    apply(make_user("r2@example.com"), soon)  # waiting list: no reminder
    apply(make_user("r3@example.com"), later)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", "--hours", "48")
    assert [m.to for m in mail.outbox] == [["r1@example.com"]]
    assert mail.outbox[0].subject == "[CN Navi] まもなく開催です：明日のセミナー"
    assert len(ics_events(mail.outbox[0])) == 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders")
    assert len(mail.outbox) == 1


def test_public_calendar_file(world, client):
    event = make_event(world.a.office, title="公開セミナー")
    response = client.get(reverse("programmes:event_calendar", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["summary"]) == "公開セミナー"
    draft = make_event(world.a.office, published=False)
    assert client.get(reverse("programmes:event_calendar", args=[draft.pk])).status_code == 404


def test_a_past_event_offers_no_calendar_file(client, world):
    from cnnavi.programmes.tests.factories import make_event

    past = make_event(world.a.office, days=-3)
    page = client.get(reverse("programmes:event_detail", args=[past.pk])).content.decode()
    assert 'data-testid="event-over"' in page and 'data-testid="ics-link"' not in page
    future = make_event(world.a.office, title="次回", days=20)
    page = client.get(reverse("programmes:event_detail", args=[future.pk])).content.decode()
    assert 'data-testid="ics-link"' in page and 'data-testid="event-over"' not in page
