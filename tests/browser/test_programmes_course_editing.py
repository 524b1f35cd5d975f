"""Staff edit an on-demand course in the browser: a bad video URL is a message on the field,
a lesson is added at the front, and a lesson is deleted with HTMX (no page load)."""

import pytest
from django.test import Client

from cnnavi.programmes import services
from cnnavi.programmes.models import Enrolment, Lesson
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import build_world, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_staff_add_and_delete_lessons(page, live_server):
    world = build_world()
    course = make_course(world.a.office, title="サプライチェーンの脱炭素", lessons=2)
    first, second = Lesson.objects.filter(chapter__course=course)
    learner = make_user("learner@example.com")
    enrolment = services.enrolment_create(user=learner, course=course)
    services.lesson_progress_set(user=learner, enrolment=enrolment, lesson=first, done=True)

    logged_in(page, live_server, world.a.owner)
    page.goto(f"/staff/courses/{course.pk}/")
    page.get_by_role("link", name="レッスンを追加").click()
    page.get_by_label("タイトル").fill("第0話 はじめに")
    page.get_by_label("種類").select_option("manga")
    page.get_by_label("長さ（分）").fill("4")
    page.get_by_label("参考リンク（外部の講座ページ）").fill("javascript:alert(1)")
    page.get_by_label("順番").fill("1")
    page.get_by_role("button", name="保存する").click()
    summary = page.get_by_test_id("error-summary")
    assert "参考リンク（外部の講座ページ）" in summary.inner_text()
    assert "http:// か https://" in summary.inner_text()
    assert Lesson.objects.count() == 2

    page.get_by_label("参考リンク（外部の講座ページ）").fill(
        "https://www.smrj.go.jp/institute/web/"
    )
    page.get_by_role("button", name="保存する").click()
    rows = page.get_by_test_id("lesson-row")
    rows.first.wait_for()
    assert "第0話 はじめに" in rows.first.inner_text()
    assert rows.count() == 3

    page.evaluate("window.noReload = true")
    page.on("dialog", lambda dialog: dialog.accept())
    row = page.get_by_test_id("lesson-row").filter(has_text=second.title)
    row.get_by_role("button", name="削除").click()
    page.locator("[data-testid=course-outline]", has_text="レッスン 2本").wait_for()
    assert page.evaluate("window.noReload === true"), "the page was reloaded: HTMX did not run"
    assert page.get_by_test_id("lesson-row").count() == 2
    assert not Lesson.objects.filter(pk=second.pk).exists()
    # The learner still needs the new lesson 0, so is not complete.
    assert Enrolment.objects.get().completed_at is None
