"""A company member applies for the seminar, gets the e-mail with the .ics and cancels; the
person on the waiting list moves up and is told. Bad input on the form is a message."""

import re

import pytest
from django.core import mail
from icalendar import Calendar

from cnnavi.orgs.models import SupportOffice
from cnnavi.programmes import services
from cnnavi.programmes.models import Application, ApplicationStatus
from cnnavi.programmes.tests.factories import make_course, make_event
from cnnavi.testing import PASSWORD, make_company, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEMINAR = "中小企業脱炭素経営セミナー"


def log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_apply_get_ics_cancel_and_the_waiting_list_moves_up(page):
    office = SupportOffice.objects.create(name="中小機構 北陸本部", prefectures=["16", "17", "18"])
    event = make_event(
        office,
        title=SEMINAR,
        capacity=1,
        venue="福井県産業会館2号館",
        consent_text="※お申込みいただいた情報、当日の様子（映像・写真等）は開催者からの各種連絡・"
        "情報提供のために利用させていただきます",
    )
    member = make_user("member@example.com", name="富山 太郎")
    make_company(member, name="北陸精密工業株式会社")
    waiting_user = make_user("waiting@example.com", name="福井 花子")

    log_in(page, "member@example.com")
    page.goto("/events/")
    page.get_by_role("link", name=SEMINAR).click()
    assert "当日の様子（映像・写真等）" in page.get_by_test_id("consent-text").inner_text()

    # Forgetting the consent is a message naming the field, not an error page.
    page.get_by_label("企業の方").check()
    page.get_by_role("button", name="申し込む").click()
    summary = page.get_by_test_id("error-summary")
    assert "上記の利用目的に同意して申し込みます" in summary.inner_text()
    assert not Application.objects.exists()

    page.get_by_label("上記の利用目的に同意して申し込みます").check()
    page.get_by_role("button", name="申し込む").click()
    assert "申込確定" in page.get_by_test_id("application-status").inner_text()
    assert "申込 1名 / 定員 1名（残り 0名）" in page.get_by_test_id("places").inner_text()

    confirmation = mail.outbox[-1]
    assert confirmation.to == ["member@example.com"]
    assert confirmation.subject == f"[CN Navi] お申し込みを受け付けました：{SEMINAR}"
    filename, content, mimetype = confirmation.attachments[0]
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["summary"]) == SEMINAR
    assert str(vevent["location"]) == "福井県産業会館2号館"

    # The seminar is full: the next person goes on the waiting list.
    waiting = services.application_create(
        user=waiting_user,
        event=event,
        applicant_kind="support_institution",
        organisation="福井県よろず支援拠点",
        name="福井 花子",
        consent=True,
    )
    assert waiting.status == ApplicationStatus.WAITLISTED
    mail.outbox.clear()

    page.goto("/events/mine/")
    row = page.get_by_test_id("my-application").first
    assert SEMINAR in row.inner_text() and "申込確定" in row.inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="キャンセル").click()
    page.wait_for_url(re.compile(rf"/events/{event.pk}/$"))
    assert "申込をキャンセルしました。" in page.locator(".messages").inner_text()

    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.CONFIRMED
    told = [m for m in mail.outbox if m.to == ["waiting@example.com"]]
    assert [m.subject for m in told] == [f"[CN Navi] キャンセル待ちから繰り上がりました：{SEMINAR}"]
    assert told[0].attachments[0][0] == "event.ics"
    cancelled = [m for m in mail.outbox if m.to == ["member@example.com"]]
    assert [m.subject for m in cancelled] == [f"[CN Navi] キャンセルを受け付けました：{SEMINAR}"]


def test_event_and_course_pages_fit_a_phone(phone_page):
    office = SupportOffice.objects.create(name="中小機構 北陸本部")
    event = make_event(
        office, title=SEMINAR, venue="福井県産業会館2号館（北陸技術交流テクノフェア会場内）"
    )
    course = make_course(office, title="サプライチェーンで取り組む カーボンニュートラル")
    course.page_url = "https://www.smrj.go.jp/institute/web/ondemand_course/hkj3i80000009atu.html"
    course.save()
    for path in ("/events/", f"/events/{event.pk}/", "/courses/", f"/courses/{course.pk}/"):
        phone_page.goto(path)
        # No horizontal scrolling of the page itself.
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, path
    phone_page.goto("/events/")
    assert SEMINAR in phone_page.get_by_test_id("event-card").first.inner_text()
