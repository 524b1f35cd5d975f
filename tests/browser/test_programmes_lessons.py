"""A learner takes lessons in the browser: the lesson page loads our deferred lesson.js under
the CSP, a progress report that jumps to the end is capped, and a quiz is passed only with the
right answers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cnnavi.programmes import services
from cnnavi.programmes.models import LessonProgress
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import build_world, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
QUIZ = "Q Scope2 は\n* 購入した電気の使用\n- 自社の燃料の燃焼"


def logged_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_learner_video_progress_is_capped_and_quiz_needs_right_answers(
    page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    course = make_course(world.a.office, title="脱炭素の基本", lessons=2)
    first, second = course.chapters.get().lessons.all()
    video = services.lesson_save(
        actor=world.a.owner,
        chapter=first.chapter,
        lesson=first,
        video_upload=SimpleUploadedFile("intro.mp4", MP4),
        video_seconds=600,
        body="この回では排出量の考え方を学びます。",
    )
    quiz = services.lesson_save(
        actor=world.a.owner, chapter=second.chapter, lesson=second, quiz_text=QUIZ
    )
    learner = make_user("learner@example.com")
    services.enrolment_create(user=learner, course=course)
    logged_in(page, live_server, learner)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    page.goto(f"/courses/{course.pk}/lessons/{video.pk}/")
    assert "この回では排出量の考え方を学びます。" in page.get_by_test_id("lesson-body").inner_text()
    page.get_by_test_id("lesson-video").wait_for(state="attached")
    assert page.evaluate("typeof fetch") == "function"
    # A forged report straight to the end, from the page with its own CSRF token.
    result = page.evaluate(
        """async () => {
            const box = document.querySelector('[data-progress-url]');
            const r = await fetch(box.dataset.progressUrl, {method: 'POST',
                headers: {'X-CSRFToken': box.dataset.csrf},
                body: new URLSearchParams({position: '600'})});
            return await r.json();
        }"""
    )
    assert result["done"] is False and result["credited"] < 10
    assert not [p for p in problems if "Content Security Policy" in p], problems

    page.goto(f"/courses/{course.pk}/lessons/{quiz.pk}/")
    page.get_by_label("自社の燃料の燃焼").check()
    page.get_by_role("button", name="答え合わせ").click()
    assert "0%でした" in page.locator("body").inner_text()
    page.get_by_label("購入した電気の使用").check()
    page.get_by_role("button", name="答え合わせ").click()
    page.get_by_text("合格です（100%）").wait_for()
    assert LessonProgress.objects.get(lesson=quiz).done_at is not None
    assert LessonProgress.objects.get(lesson=video).done_at is None
