"""Lessons that teach (decision 1313): progress from watched time, reading time or a quiz,
never from a button on a video or quiz lesson; files only for enrolled learners."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.programmes import rules, services
from cnnavi.programmes.models import Lesson, LessonProgress
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import make_user

MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
QUIZ = "Q 温室効果ガスの排出量の単位は\n- kWh\n* t-CO2\n- 円\n\nQ Scope2 は\n* 購入した電気の使用\n- 自社の燃料の燃焼"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _video_lesson(course, *, seconds=600):
    lesson = course.chapters.get().lessons.first()
    return services.lesson_save(
        actor=None,
        chapter=lesson.chapter,
        lesson=lesson,
        video_upload=SimpleUploadedFile("intro.mp4", MP4, content_type="video/mp4"),
        video_seconds=seconds,
    )


def _rewind(progress_filter, seconds):
    """Make the last report and the opening ``seconds`` older (instead of sleeping)."""
    for p in LessonProgress.objects.filter(**progress_filter):
        p.reported_at -= timedelta(seconds=seconds)
        p.started_at -= timedelta(seconds=seconds)
        p.save(update_fields=["reported_at", "started_at"])


def test_credit_never_outruns_the_clock():
    # A jump to the end 3 s after opening credits 3 s plus the slack, not the video.
    assert rules.credit_watch(credited=0, reported=600, since_last=3, since_start=3) == 8
    # Steady playing is credited in full; going back never loses credit.
    assert rules.credit_watch(credited=100, reported=110, since_last=10, since_start=200) == 110
    assert rules.credit_watch(credited=100, reported=20, since_last=10, since_start=200) == 100
    # Many quick reports cannot add up to more than the time since the opening.
    assert rules.credit_watch(credited=8, reported=600, since_last=3, since_start=6) == 11
    # Coming back a day later and jumping to the end credits one report's worth, not the day.
    assert rules.credit_watch(credited=60, reported=600, since_last=86400, since_start=86500) == 95


def test_quiz_text_errors_name_every_bad_line():
    with pytest.raises(rules.QuizSyntaxError) as exc:
        rules.parse_quiz("Q one\n- a\n- b\n\nQ two\n* a\n\nnonsense")
    assert exc.value.problems == [(1, "no_answer"), (8, "bad_line"), (5, "few_choices")]
    quiz = rules.parse_quiz(QUIZ)
    assert quiz[0]["answer"] == 1 and quiz[1]["choices"] == [
        "購入した電気の使用",
        "自社の燃料の燃焼",
    ]
    assert rules.parse_quiz(rules.quiz_text(quiz)) == quiz


def test_a_video_lesson_needs_the_watched_time(world, client, media):
    course = make_course(world.a.office, lessons=1)
    course.watch_threshold_percent = 90
    course.save()
    lesson = _video_lesson(course, seconds=600)
    learner = make_user("learner@example.com")
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    page = client.get(reverse("programmes:lesson_detail", args=[course.pk, lesson.pk]))
    assert page.status_code == 200 and b"/video/" in page.content
    progress_url = reverse("programmes:lesson_progress", args=[course.pk, lesson.pk])
    # The "watched" button does not complete a video lesson.
    client.post(reverse("programmes:lesson_done", args=[course.pk, lesson.pk]), {"done": "1"})
    assert not LessonProgress.objects.filter(lesson=lesson, done_at__isnull=False).exists()
    # Jumping to the end 3 s after opening is capped to the time that passed.
    _rewind({"lesson": lesson}, 3)
    data = client.post(progress_url, {"position": "600"}).json()
    assert data["done"] is False and data["credited"] < 10 and data["needed"] == 540
    # Watching on, one report every 10 s: done when 90 % (540 s) is credited, not before.
    reports = 0
    while not data["done"]:
        _rewind({"lesson": lesson}, 10)
        position = min(data["credited"] + 10, 600)
        data = client.post(progress_url, {"position": str(position)}).json()
        reports += 1
        assert reports < 60
    assert 53 <= reports <= 54 and data["credited"] >= 540
    assert data["course_complete"] is True
    detail = client.get(reverse("programmes:course_detail", args=[course.pk]))
    assert b'data-testid="certificate-link"' in detail.content


def test_bad_progress_reports_are_refused(world, client, media):
    course = make_course(world.a.office, lessons=1)
    lesson = _video_lesson(course)
    learner = make_user("learner@example.com")
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    url = reverse("programmes:lesson_progress", args=[course.pk, lesson.pk])
    assert client.post(url, {"position": "abc"}).status_code == 400
    assert client.post(url, {"position": "-1"}).status_code == 400
    # Someone not enrolled cannot report.
    client.force_login(make_user("other@example.com"))
    assert client.post(url, {"position": "5"}).status_code == 404


def test_a_quiz_lesson_needs_the_right_answers(world, client):
    course = make_course(world.a.office, lessons=2)
    first, second = course.chapters.get().lessons.all()
    quiz_lesson = services.lesson_save(
        actor=None, chapter=first.chapter, lesson=first, quiz_text=QUIZ, quiz_pass_percent=100
    )
    learner = make_user("learner@example.com")
    enrolment = services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    url = reverse("programmes:lesson_quiz", args=[course.pk, quiz_lesson.pk])
    page = client.post(url, {"q0": "1", "q1": "1"}, follow=True)
    assert "50%でした。合格は100%以上です。" in page.content.decode()
    assert client.post(url, {"q0": "1"}, follow=True).content.decode().count("問2") >= 1
    assert not LessonProgress.objects.filter(lesson=quiz_lesson, done_at__isnull=False).exists()
    # The button neither completes a quiz lesson.
    with pytest.raises(ValidationError):
        services.lesson_progress_set(
            user=learner, enrolment=enrolment, lesson=quiz_lesson, done=True
        )
    client.post(url, {"q0": "1", "q1": "0"})
    assert LessonProgress.objects.get(lesson=quiz_lesson).done_at is not None
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the second lesson is still open
    services.lesson_progress_set(user=learner, enrolment=enrolment, lesson=second, done=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_a_reading_lesson_counts_reading_time(world, client):
    course = make_course(world.a.office, lessons=1)
    lesson = course.chapters.get().lessons.get()
    Lesson.objects.filter(pk=lesson.pk).update(
        text_completion="reading", min_reading_seconds=30, body="本文"
    )
    learner = make_user("learner@example.com")
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    client.get(reverse("programmes:lesson_detail", args=[course.pk, lesson.pk]))
    url = reverse("programmes:lesson_progress", args=[course.pk, lesson.pk])
    assert client.post(url, {"position": "30"}).json()["done"] is False
    _rewind({"lesson": lesson}, 30)
    assert client.post(url, {"position": "40"}).json()["done"] is True


def test_files_are_for_enrolled_learners_of_the_lesson_only(world, client, media):
    course = make_course(world.a.office, lessons=1)
    lesson = _video_lesson(course)
    lesson = services.lesson_save(
        actor=None,
        chapter=lesson.chapter,
        lesson=lesson,
        attachment_upload=SimpleUploadedFile("資料.pdf", b"%PDF-1.4 handout"),
    )
    attachment = lesson.attachments.get()
    video_url = reverse("programmes:lesson_video", args=[course.pk, lesson.pk])
    file_url = reverse("programmes:lesson_attachment", args=[course.pk, lesson.pk, attachment.pk])
    learner = make_user("learner@example.com")
    client.force_login(learner)
    assert client.get(video_url).status_code == 404  # not enrolled
    services.enrolment_create(user=learner, course=course)
    video = client.get(video_url)
    assert video.status_code == 200 and video["Content-Type"] == "video/mp4"
    assert b"".join(video.streaming_content) == MP4
    pdf = client.get(file_url)
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(
        b"%PDF"
    )
    # The same attachment under another lesson is not found.
    other = make_course(world.a.office, lessons=1).chapters.get().lessons.get()
    assert (
        client.get(
            reverse(
                "programmes:lesson_attachment",
                args=[other.chapter.course_id, other.pk, attachment.pk],
            )
        ).status_code
        == 404
    )


def test_staff_upload_is_checked_by_bytes_and_names_every_problem(world, alice_client, media):
    course = make_course(world.a.office, lessons=1)
    lesson = course.chapters.get().lessons.get()
    url = reverse("programmes_staff:lesson_edit", args=[course.pk, lesson.pk])
    response = alice_client.post(
        url,
        {
            "title": lesson.title,
            "kind": "video",
            "video_upload": SimpleUploadedFile("fake.mp4", b"not a video at all"),
            "attachment_upload": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 exe"),
            "quiz_text": "Q only one\n* a",
        },
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "動画はMP4かWebMのファイルにしてください。" in text
    assert "添付できるのはPDF・PNG・JPEG・Word・Excel・PowerPointのファイルです。" in text
    assert "1行目: 選択肢が2つ以上必要です" in text
    lesson.refresh_from_db()
    assert not lesson.video_file and not lesson.attachments.exists() and lesson.quiz == []
    response = alice_client.post(
        url,
        {
            "title": lesson.title,
            "kind": "video",
            "video_upload": SimpleUploadedFile("ok.mp4", MP4),
            "video_seconds": "120",
            "body": "この回の本文",
            "quiz_text": QUIZ,
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.mode == "video" and lesson.video_seconds == 120 and len(lesson.quiz) == 2
    # A video without its length is questioned.
    response = alice_client.post(url, {"title": lesson.title, "kind": "video", "video_seconds": ""})
    assert (
        response.status_code == 422
        and "動画の長さ（秒）を入力してください" in response.content.decode()
    )
