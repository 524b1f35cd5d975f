"""Satisfaction surveys: sent once per person and occasion, one answer each, links that expire
or are revoked show no form, results per programme for the office's staff only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cnnavi.audit.models import AuditEntry
from cnnavi.consultations import services as consultation_services
from cnnavi.consultations.models import Booking, HandsOnCase, HandsOnState, Slot
from cnnavi.consultations.tests.tenancy import book, make_slot
from cnnavi.orgs.models import OfficeStaff
from cnnavi.outcomes.rules import Period, fiscal_year_of
from cnnavi.outcomes.selectors import satisfaction as outcomes_satisfaction
from cnnavi.programmes.models import EventSession
from cnnavi.programmes.tests.factories import make_application, make_event
from cnnavi.surveys import selectors, services
from cnnavi.surveys.models import Invitation, ProgrammeKind, Response
from cnnavi.surveys.tests.tenancy import make_invitation
from cnnavi.testing import make_user


def _survey_links(outbox) -> list[str]:
    links = []
    for m in outbox:
        for line in m.body.splitlines():
            if "/surveys/" in line:
                links.append(line.strip())
    return links


def _path(link: str) -> str:
    return link[link.index("/surveys/") :] if "/en/" not in link else link[link.index("/en/") :]


@pytest.fixture
def ended_event(world):
    event = make_event(world.a.office, title="省エネセミナー", days=-3)
    session = EventSession.objects.get(event=event)
    assert session.ends_at < timezone.now()
    came = make_user("came@example.com")
    absent = make_user("absent@example.com")
    make_application(event, came)
    app = make_application(event, absent)
    app.attended = False
    app.save(update_fields=["attended"])
    return event


def test_the_command_sends_once_per_person_and_occasion(
    world, ended_event, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("surveys_send")
    links = _survey_links(mail.outbox)
    assert [m.to for m in mail.outbox] == [["came@example.com"]]  # not to the absent one
    assert len(links) == 1
    invitation = Invitation.objects.get()
    assert invitation.kind == ProgrammeKind.SEMINAR
    assert invitation.occasion_id == ended_event.pk
    # The token is stored hashed only.
    token = links[0].rstrip("/").rsplit("/", 1)[-1]
    assert invitation.token_hash == services.token_hash(token) != token
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("surveys_send")
        call_command("surveys_send")
    assert mail.outbox == []
    assert Invitation.objects.count() == 1
    assert AuditEntry.objects.filter(action="survey.invite").count() == 1


def test_a_future_event_and_an_unheld_booking_get_no_survey(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.a.office, days=5)
    make_application(event, make_user("future@example.com"))
    # A booking that is over but has no record (not held) is not surveyed; once recorded it is.
    slot = make_slot(world.a.expert, days=3)
    booking = book(slot, world.a)
    past = timedelta(days=5)  # the consultation took place two days ago
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=F("starts_at") - past, ends_at=F("ends_at") - past
    )
    Booking.objects.filter(pk=booking.pk).update(starts_at=F("starts_at") - past)
    mail.outbox.clear()
    assert services.invitations_send() == 0
    consultation_services.booking_record(
        actor=world.a.owner, booking=booking, record="Talked it through", follow_up="",
        follow_up_done=False,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send() == 1
    assert Invitation.objects.get().kind == ProgrammeKind.CONSULTATION
    assert mail.outbox[-1].to == [world.a.owner.email]


def test_a_completed_handson_case_is_surveyed(world):
    case = consultation_services.handson_apply(
        actor=world.a.owner,
        company=world.a.company,
        office=world.a.office,
        themes_wanted="x",
        current_issues="x",
        project_members="x",
    )
    HandsOnCase.objects.filter(pk=case.pk).update(state=HandsOnState.COMPLETED)
    assert services.invitations_send() == 1
    assert Invitation.objects.get().kind == ProgrammeKind.HANDSON


def test_one_answer_per_person_and_occasion(client, world):
    invitation, token = make_invitation(world.a.office)
    url = reverse("surveys:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-testid="survey-form"' in page.content.decode()
    done = client.post(url, {"score": "4", "comment": "よくわかりました"})
    assert 'data-testid="thanks"' in done.content.decode()
    again = client.post(url, {"score": "1", "comment": "二度目"})
    body = again.content.decode()
    assert "すでにご回答いただいています" in body
    assert 'data-testid="survey-form"' not in body
    assert list(Response.objects.values_list("score", "comment")) == [(4, "よくわかりました")]
    assert AuditEntry.objects.filter(action="survey.answer").count() == 1
    # The database refuses a second answer even past the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            invitation=invitation, office=invitation.office, kind=invitation.kind, score=2
        )


def test_a_missing_score_is_named(client, world):
    _invitation, token = make_invitation(world.a.office)
    page = client.post(reverse("surveys:answer", args=[token]), {"comment": "x"})
    assert page.status_code == 422
    assert "点数を選んでください。" in page.content.decode()
    assert not Response.objects.exists()


def test_revoked_expired_or_altered_links_show_no_form(client, world):
    revoked, revoked_token = make_invitation(world.a.office, email="r@example.com")
    services.invitation_revoke(actor=world.a.owner, invitation=revoked)
    _expired, expired_token = make_invitation(world.a.office, email="e@example.com", days_valid=-1)
    for token in (revoked_token, expired_token, "not-a-token"):
        url = reverse("surveys:answer", args=[token])
        page = client.get(url)
        assert page.status_code == 404
        assert 'data-testid="survey-form"' not in page.content.decode()
        assert 'data-testid="unavailable"' in page.content.decode()
        assert client.post(url, {"score": "5"}).status_code == 404
    assert not Response.objects.exists()


def _answer(office, score, n, kind=ProgrammeKind.SEMINAR, comment=""):
    _inv, token = make_invitation(office, email=f"p{n}@example.com", kind=kind, occasion_id=n)
    services.response_submit(token=token, score=score, comment=comment)


@pytest.fixture
def staff(world):
    user = make_user("survey-staff@example.com", totp=True)
    OfficeStaff.objects.create(office=world.a.office, user=user)
    return user


def test_staff_see_the_mean_by_hand(client, world, staff):
    for n, score in enumerate([5, 4, 4, 2], start=1):
        _answer(world.a.office, score, n, comment="会場が寒かった" if n == 4 else "")
    _answer(world.a.office, 3, 9, kind=ProgrammeKind.CONSULTATION)
    _answer(world.b.office, 1, 10)  # another office's answer counts nowhere here
    client.force_login(staff)
    page = client.get(reverse("surveys_staff:results"))
    assert page.status_code == 200
    body = page.content.decode()
    # (5 + 4 + 4 + 2) / 4 = 3.75
    seminar = body[body.index('data-testid="result-seminar"') :]
    assert '<strong data-testid="mean">3.75</strong>' in seminar[: seminar.index("</section>")]
    assert "回答 4 件" in seminar[: seminar.index("</section>")]
    assert "会場が寒かった" in body
    rows = {r["kind"]: r for r in selectors.satisfaction(world.a.office, None, None)}
    assert rows["seminar"]["count"] == 4 and rows["seminar"]["mean"] == 3.75
    assert rows["consultation"]["mean"] == 3.0
    assert "calc_visit" not in rows
    # The outcomes page's satisfaction section shows the same.
    today = timezone.localdate()
    period = Period("custom", today - timedelta(days=1), today)
    out = {r["kind"]: r for r in outcomes_satisfaction(office=world.a.office, period=period)}
    assert out["seminar"]["score"] == "3.75" and out["seminar"]["count"] == 4
    this_fy = fiscal_year_of(today)
    outcomes = client.get(reverse("outcomes_staff:index"), {"period": "fy", "fiscal_year": this_fy})
    section = (
        outcomes.content.decode().split('data-testid="satisfaction"')[1].split("</section>")[0]
    )
    assert "まだアンケートはありません。" not in section
    assert "3.75 / 5" in section
    csv = client.get(reverse("surveys_staff:export_csv")).content.decode("utf-8-sig")
    assert "会場が寒かった" in csv and csv.count("\n") == 1 + 5


def test_only_staff_see_results_and_another_tenants_ids_are_404(client, world, staff):
    client.force_login(world.outsider)
    assert client.get(reverse("surveys_staff:results")).status_code == 403
    b_inv, _token = make_invitation(world.b.office)
    b_q = services.question_add(actor=None, office=world.b.office, kind="seminar", text="Q")
    client.force_login(staff)
    assert (
        client.post(reverse("surveys_staff:invitation_revoke", args=[b_inv.pk])).status_code == 404
    )
    assert client.post(reverse("surveys_staff:question_toggle", args=[b_q.pk])).status_code == 404
    b_inv.refresh_from_db()
    assert b_inv.revoked_at is None


def test_office_questions_appear_in_the_form(client, world, staff):
    client.force_login(staff)
    page = client.post(
        reverse("surveys_staff:questions"),
        {"form": "question", "kind": "seminar", "text": "次に聞きたいテーマは？", "qtype": "text"},
    )
    assert page.status_code == 302
    client.post(
        reverse("surveys_staff:questions"),
        {"form": "wording", "kind": "seminar", "score_question": "今日の満足度は？",
         "comment_question": "ひとこと"},
    )  # fmt: skip
    client.logout()
    _inv, token = make_invitation(world.a.office)
    body = client.get(reverse("surveys:answer", args=[token])).content.decode()
    assert "次に聞きたいテーマは？" in body and "今日の満足度は？" in body
    # Defaults for a kind the office has not worded.
    _inv2, token2 = make_invitation(world.a.office, email="x@example.com", kind="handson")
    body = client.get(reverse("surveys:answer", args=[token2])).content.decode()
    assert "ハンズオン支援の満足度を5段階で" in body
    client.post(reverse("surveys:answer", args=[token]), {"score": "5", "q1": "補助金"})


def test_a_recorded_calc_visit_is_surveyed_in_the_users_language(
    world, django_capture_on_commit_callbacks
):
    owner = world.a.owner
    owner.preferred_language = "en"
    owner.save(update_fields=["preferred_language"])
    case = consultation_services.calc_case_apply(
        actor=owner, company=world.a.company, office=world.a.office, message="", preferred_dates=""
    )
    consultation_services.calc_case_accept(
        actor=owner, office=world.a.office, case=case, expert=world.a.expert
    )
    visit = consultation_services.calc_visit_schedule(
        actor=owner, case=case, expert=world.a.expert, scheduled_at=timezone.now()
    )
    mail.outbox.clear()
    assert services.invitations_send() == 0  # scheduled, not yet held
    consultation_services.calc_visit_record(actor=owner, visit=visit, record="Reviewed")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send() == 1
    invitation = Invitation.objects.get()
    assert (invitation.kind, invitation.occasion_id) == (ProgrammeKind.CALC_VISIT, visit.pk)
    [message] = [m for m in mail.outbox if "/surveys/" in m.body]
    assert message.subject == "[CN Navi] Please tell us how it went"
    assert "/en/surveys/" in message.body and "No login is needed." in message.body
