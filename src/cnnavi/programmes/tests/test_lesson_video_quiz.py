"""A lesson with both a video and a quiz is done only when both are done (decision 1326): the
watched time reached AND the quiz passed, in either order; the page says what is missing; the
certificate still needs every lesson."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.programmes import rules, services
from cnnavi.programmes.models import LessonProgress
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import make_user

pytestmark = pytest.mark.usefixtures("japanese_afterwards")

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
QUIZ = "Q 排出量の単位は\n- kWh\n* t-CO2\n\nQ Scope2 は\n* 購入した電気\n- 自社の燃料"
RIGHT = {"q0": "1", "q1": "0"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def setup(world, client, media):
    """A two-lesson course: the first has a 60 s video (90 %: 54 s) and a quiz (100 %)."""
    course = make_course(world.a.office, lessons=2)
    course.watch_threshold_percent = 90
    course.save()
    first, second = course.chapters.get().lessons.order_by("position")
    lesson = services.lesson_save(
        actor=None,
        chapter=first.chapter,
        lesson=first,
        video_upload=SimpleUploadedFile("intro.mp4", MP4, content_type="video/mp4"),
        video_seconds=60,
        quiz_text=QUIZ,
        quiz_pass_percent=100,
    )
    learner = make_user("learner@example.com")
    enrolment = services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    return course, lesson, second, enrolment


def _page(client, course, lesson, prefix=""):
    return client.get(prefix + reverse("programmes:lesson_detail", args=[course.pk, lesson.pk]))


def _watch(client, course, lesson):
    """Play the video to the end, 30 s of real time per report (the clock is moved back
    instead of sleeping). Returns the last report's answer."""
    url = reverse("programmes:lesson_progress", args=[course.pk, lesson.pk])
    data = {"credited": 0}
    for _report in range(3):
        for p in LessonProgress.objects.filter(lesson=lesson):
            p.reported_at -= timedelta(seconds=30)
            p.started_at -= timedelta(seconds=30)
            p.save(update_fields=["reported_at", "started_at"])
        data = client.post(url, {"position": str(min(data["credited"] + 30, 60))}).json()
    assert data["credited"] >= 54 and data["watched"] is True
    return data


def _done(lesson) -> bool:
    return LessonProgress.objects.filter(lesson=lesson, done_at__isnull=False).exists()


def test_what_a_lesson_still_needs():
    missing = rules.lesson_missing
    both = {"mode": "video", "has_quiz": True, "read": False}
    assert missing(**both, watched=True, quiz_passed=False) == [rules.QUIZ]
    assert missing(**both, watched=False, quiz_passed=True) == [rules.WATCH]
    assert missing(**both, watched=False, quiz_passed=False) == [rules.WATCH, rules.QUIZ]
    assert missing(**both, watched=True, quiz_passed=True) == []
    assert missing(mode="video", has_quiz=False, watched=True, read=False, quiz_passed=False) == []
    assert missing(mode="quiz", has_quiz=True, watched=False, read=False, quiz_passed=True) == []
    assert missing(
        mode="reading", has_quiz=False, watched=False, read=False, quiz_passed=False
    ) == [rules.READ]
    assert missing(mode="button", has_quiz=False, watched=True, read=True, quiz_passed=True) == []


def test_watching_only_does_not_complete_it(setup, client):
    course, lesson, _second, _enrolment = setup
    page = _page(client, course, lesson).content.decode()
    assert "動画の90%を視聴し、確認テストで100%以上正解すると完了になります" in page
    data = _watch(client, course, lesson)
    assert data["done"] is False and not _done(lesson)
    page = _page(client, course, lesson).content.decode()
    missing = page.split('data-testid="lesson-missing"')[1].split("</ul>")[0]
    assert "<span data-done>済み</span>" in missing.split('data-requirement="quiz"')[0]
    assert "確認テストの合格（100%以上）: まだです" in missing


def test_passing_the_quiz_only_does_not_complete_it(setup, client):
    course, lesson, _second, _enrolment = setup
    _page(client, course, lesson)
    url = reverse("programmes:lesson_quiz", args=[course.pk, lesson.pk])
    page = client.post(url, RIGHT, follow=True).content.decode()
    assert "合格です（100%）。動画を視聴すると、このレッスンは完了です。" in page
    assert not _done(lesson)
    missing = page.split('data-testid="lesson-missing"')[1].split("</ul>")[0]
    assert "動画の視聴: <span data-todo>まだです</span>" in missing
    assert "確認テストの合格（100%以上）: 済み" in missing


def test_both_complete_it_in_either_order_and_the_certificate_needs_every_lesson(setup, client):
    course, lesson, second, enrolment = setup
    _page(client, course, lesson)
    client.post(reverse("programmes:lesson_quiz", args=[course.pk, lesson.pk]), RIGHT)
    data = _watch(client, course, lesson)  # the watched time comes last: done by the report
    assert data["done"] is True and _done(lesson)
    page = _page(client, course, lesson).content.decode()
    assert 'data-testid="lesson-missing"' not in page and "完了" in page
    # One lesson of two: no certificate yet.
    assert data["course_complete"] is False
    certificate = client.get(reverse("programmes:course_certificate", args=[course.pk]))
    assert certificate.status_code == 302
    services.lesson_progress_set(user=enrolment.user, enrolment=enrolment, lesson=second, done=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_watching_first_then_passing_completes_it(setup, client):
    course, lesson, _second, _enrolment = setup
    _page(client, course, lesson)
    _watch(client, course, lesson)
    url = reverse("programmes:lesson_quiz", args=[course.pk, lesson.pk])
    client.post(url, {"q0": "0", "q1": "0"})  # 50 %: not passed
    assert not _done(lesson)
    page = client.post(url, RIGHT, follow=True).content.decode()
    assert "合格です（100%）。このレッスンは完了です。" in page and _done(lesson)


def test_the_missing_list_in_english(setup, client):
    course, lesson, _second, _enrolment = setup
    page = _page(client, course, lesson, prefix="/en").content.decode()
    missing = page.split('data-testid="lesson-missing"')[1].split("</ul>")[0]
    assert "Watching the video: <span data-todo>not yet</span>" in missing
    assert "Passing the quiz (100% or more): not yet" in missing
    assert "Watch 90% of the video and score 100% or more in the quiz" in page
