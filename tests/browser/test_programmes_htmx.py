"""HTMX in the browser (under the CSP): staff mark attendance on the day; a learner ticks
lessons and the progress and certificate link update without a page load."""

import pytest
from django.test import Client

from cnnavi.programmes import services
from cnnavi.programmes.models import Application
from cnnavi.programmes.tests.factories import make_course, make_event
from cnnavi.testing import build_world, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_staff_mark_attendance_with_htmx(page, live_server):
    world = build_world()
    event = make_event(world.a.office, title="中小企業脱炭素経営セミナー")
    application = services.application_create(
        user=make_user("guest@example.com"),
        event=event,
        applicant_kind="support_institution",
        organisation="福井県よろず支援拠点",
        name="福井 花子",
        consent=True,
    )
    logged_in(page, live_server, world.a.owner)
    page.goto(f"/staff/events/{event.pk}/")
    row = page.get_by_test_id("confirmed-row").first
    assert "福井 花子" in row.inner_text()
    page.evaluate("window.noReload = true")
    row.get_by_role("button", name="出席", exact=True).click()
    # Locators poll without eval (the CSP forbids it, so no wait_for_function).
    page.locator("[data-testid=attendance-state]", has_text="出席").wait_for()
    assert page.evaluate("window.noReload === true"), "the page was reloaded: HTMX did not run"
    application.refresh_from_db()
    assert application.attended is True
    assert Application.objects.filter(attended=True).count() == 1


def test_learner_ticks_lessons_with_htmx_and_gets_the_certificate_link(page, live_server):
    world = build_world()
    course = make_course(
        world.a.office, title="サプライチェーンで取り組む カーボンニュートラル", lessons=2
    )
    learner = make_user("learner@example.com", name="学習 一郎")
    logged_in(page, live_server, learner)
    page.goto(f"/courses/{course.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="受講登録する（無料）").click()
    page.wait_for_load_state("load")  # htmx (a deferred script) has run before "load"
    assert "0 / 2 本（0%）" in page.get_by_test_id("progress-text").inner_text()
    page.evaluate("window.noReload = true")
    page.get_by_role("button", name="視聴済みにする").first.click()
    page.locator("[data-testid=progress-text]", has_text="1 / 2").wait_for()
    page.get_by_role("button", name="視聴済みにする").first.click()
    page.get_by_test_id("certificate-link").wait_for()
    assert "2 / 2 本（100%）" in page.get_by_test_id("progress-text").inner_text()
    assert page.evaluate("window.noReload === true"), "the page was reloaded: HTMX did not run"
    with page.expect_response(lambda r: r.url.endswith("certificate.pdf")) as info:
        page.goto(page.get_by_test_id("certificate-link").get_attribute("href"))
    assert info.value.headers["content-type"] == "application/pdf"
