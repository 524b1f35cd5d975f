"""Staff edit on-demand courses: course, chapters, lessons, order, deletion and what that does
to the learners' progress (docs/decisions/0701)."""

import pytest
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.programmes import services
from cnnavi.programmes.models import Chapter, Course, Enrolment, Lesson, LessonProgress
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db

LESSON = {
    "title": "カーボンニュートラルとは",
    "kind": "video",
    "duration_minutes": "12",
    "video_url": "https://www.smrj.go.jp/institute/web/ondemand_course/index.html",
    "summary": "基本の考え方",
    "position": "",
}


def titles(chapter):
    return list(chapter.lessons.order_by("position").values_list("title", flat=True))


def test_staff_build_a_course_with_chapters_and_ordered_lessons(world, alice_client):
    response = alice_client.post(
        reverse("programmes_staff:course_create"),
        {
            "title": "サプライチェーンの脱炭素",
            "description": "7話のまんが",
            "audience_note": "中小企業の経営者",
            "page_url": "https://www.smrj.go.jp/institute/web/ondemand_course/index.html",
            "is_published": "on",
        },
    )
    course = Course.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/courses/{course.pk}/")
    assert course.office == world.a.office and course.audience_note == "中小企業の経営者"
    alice_client.post(
        reverse("programmes_staff:chapter_create", args=[course.pk]), {"title": "第1章"}
    )
    alice_client.post(
        reverse("programmes_staff:chapter_create", args=[course.pk]),
        {"title": "第0章", "position": "1"},
    )
    assert list(course.chapters.values_list("title", "position")) == [
        ("第0章", 1),
        ("第1章", 2),
    ]
    chapter = course.chapters.get(title="第1章")
    create = reverse("programmes_staff:lesson_create", args=[course.pk, chapter.pk])
    for title in ("A", "B", "C"):
        assert alice_client.post(create, {**LESSON, "title": title}).status_code == 302
    # Insert at 1: the others shift back.
    alice_client.post(create, {**LESSON, "title": "Z", "position": "1"})
    assert titles(chapter) == ["Z", "A", "B", "C"]
    # Move C to the second place.
    c = chapter.lessons.get(title="C")
    response = alice_client.post(
        reverse("programmes_staff:lesson_edit", args=[course.pk, c.pk]),
        {**LESSON, "title": "C", "duration_minutes": "7", "position": "2"},
    )
    assert response.status_code == 302
    assert titles(chapter) == ["Z", "C", "A", "B"]
    assert list(chapter.lessons.values_list("position", flat=True)) == [1, 2, 3, 4]
    c.refresh_from_db()
    assert c.duration_minutes == 7
    page = alice_client.get(reverse("programmes_staff:course_detail", args=[course.pk]))
    assert page.content.decode().count('data-testid="lesson-row"') == 4
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "course.create",
        "course.chapter_create",
        "course.lesson_create",
        "course.lesson_update",
    } <= actions
    update = AuditEntry.objects.filter(action="course.lesson_update").get()
    assert update.data["changed"]["duration_minutes"] == ["12", "7"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"video_url": "javascript:alert(1)"}, "video_url", "http:// か https://"),
        ({"video_url": "ftp://example.com/v.mp4"}, "video_url", "http:// か https://"),
        ({"duration_minutes": "十二"}, "duration_minutes", "整数"),
        ({"duration_minutes": "-3"}, "duration_minutes", "0"),
        ({"title": ""}, "title", "このフィールドは必須です"),
        ({"position": "0"}, "position", "1"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_lesson_input_is_a_422_naming_the_field(
    world, alice_client, overrides, field, message, htmx
):
    course = make_course(world.a.office, lessons=1)
    chapter = course.chapters.get()
    headers = {"HX-Request": "true"} if htmx else {}
    response = alice_client.post(
        reverse("programmes_staff:lesson_create", args=[course.pk, chapter.pk]),
        {**LESSON, **overrides},
        headers=headers,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}"' in html and message in html
    assert chapter.lessons.count() == 1


def test_the_service_refuses_a_non_web_video_url(world):
    course = make_course(world.a.office, lessons=1)
    with pytest.raises(Exception, match="http:// か https://"):
        services.lesson_save(
            actor=world.a.owner,
            chapter=course.chapters.get(),
            title="x",
            kind="video",
            video_url="file:///etc/passwd",
        )
    assert Lesson.objects.count() == 1


def test_bad_course_url_is_a_422_and_nothing_saved(world, alice_client):
    response = alice_client.post(
        reverse("programmes_staff:course_create"),
        {"title": "X", "page_url": "javascript:alert(1)"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "http:// か https://" in response.content.decode()
    assert not Course.objects.exists()


def test_deleting_a_lesson_keeps_progress_consistent(world, alice_client):
    course = make_course(world.a.office, lessons=3)
    first, second, third = Lesson.objects.filter(chapter__course=course)
    almost = make_user("almost@example.com")
    other = make_user("other@example.com")
    e_almost = services.enrolment_create(user=almost, course=course)
    e_other = services.enrolment_create(user=other, course=course)
    for lesson in (first, second):
        services.lesson_progress_set(user=almost, enrolment=e_almost, lesson=lesson, done=True)
    services.lesson_progress_set(user=other, enrolment=e_other, lesson=third, done=True)
    response = alice_client.post(
        reverse("programmes_staff:lesson_delete", args=[course.pk, third.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="course-outline"')
    assert html.count('data-testid="lesson-row"') == 2 and "レッスン 2本" in html
    e_almost.refresh_from_db()
    e_other.refresh_from_db()
    # The learner who had done every remaining lesson is complete; the other's mark is gone.
    assert e_almost.completed_at is not None
    assert e_other.completed_at is None
    assert LessonProgress.objects.filter(enrolment=e_other).count() == 0
    assert list(
        Lesson.objects.filter(chapter__course=course).values_list("position", flat=True)
    ) == [1, 2]
    assert AuditEntry.objects.filter(action="course.lesson_delete").count() == 1
    assert AuditEntry.objects.filter(action="course.completed_by_edit").count() == 1
    page = alice_client.get(reverse("programmes_staff:course_detail", args=[course.pk]))
    assert "100%" in page.content.decode()


def test_a_completion_survives_a_lesson_added_later(world):
    course = make_course(world.a.office, lessons=2)
    user = make_user("done@example.com")
    enrolment = services.enrolment_create(user=user, course=course)
    for lesson in Lesson.objects.filter(chapter__course=course):
        services.lesson_progress_set(user=user, enrolment=enrolment, lesson=lesson, done=True)
    enrolment.refresh_from_db()
    completed_at = enrolment.completed_at
    assert completed_at is not None
    new = services.lesson_save(
        actor=world.a.owner,
        chapter=course.chapters.get(),
        title="追加回",
        kind="video",
        text_completion="button",
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    # Watching the new lesson keeps it; unticking a lesson withdraws it.
    services.lesson_progress_set(user=user, enrolment=enrolment, lesson=new, done=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at
    services.lesson_progress_set(user=user, enrolment=enrolment, lesson=new, done=False)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


def test_another_office_cannot_edit_or_delete(world, alice_client):
    course = make_course(world.b.office, lessons=1)
    lesson = Lesson.objects.get()
    assert (
        alice_client.post(
            reverse("programmes_staff:lesson_delete", args=[course.pk, lesson.pk])
        ).status_code
        == 404
    )
    assert (
        alice_client.post(
            reverse("programmes_staff:course_edit", args=[course.pk]), {"title": "乗っ取り"}
        ).status_code
        == 404
    )
    assert Lesson.objects.count() == 1 and Course.objects.get().title == "テスト講座"
    assert Chapter.objects.count() == 1
    assert not Enrolment.objects.exists()


def test_editing_without_a_position_keeps_the_place(world):
    course = make_course(world.a.office, lessons=3)
    middle = Lesson.objects.get(title="Lesson 2")
    services.lesson_save(
        actor=world.a.owner, chapter=middle.chapter, lesson=middle, title="Lesson 2b", kind="video"
    )
    assert titles(course.chapters.get()) == ["Lesson 1", "Lesson 2b", "Lesson 3"]


def test_deleting_a_chapter_removes_its_lessons_and_completes_who_did_the_rest(world, alice_client):
    course = make_course(world.a.office, lessons=2)
    kept = course.chapters.get()
    extra = services.chapter_save(actor=world.a.owner, course=course, title="おまけ")
    unwatched = services.lesson_save(
        actor=world.a.owner, chapter=extra, title="追加回", kind="video"
    )
    learner = make_user("learner@example.com")
    enrolment = services.enrolment_create(user=learner, course=course)
    for lesson in kept.lessons.all():
        services.lesson_progress_set(user=learner, enrolment=enrolment, lesson=lesson, done=True)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # the extra chapter's lesson is not done
    # the first chapter moves behind the extra one, so renumbering is visible afterwards
    services.chapter_save(actor=world.a.owner, course=course, chapter=kept, position=2)
    response = alice_client.post(
        reverse("programmes_staff:chapter_delete", args=[course.pk, extra.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="chapter"') == 1 and "おまけ" not in html
    assert not Lesson.objects.filter(pk=unwatched.pk).exists()
    assert list(course.chapters.values_list("position", flat=True)) == [1]
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    entry = AuditEntry.objects.get(action="course.chapter_delete")
    assert entry.data["title"] == "おまけ" and entry.data["lessons"] == ["追加回"]


def test_another_office_cannot_delete_a_chapter(world, alice_client):
    course = make_course(world.b.office, lessons=1)
    chapter = course.chapters.get()
    url = reverse("programmes_staff:chapter_delete", args=[course.pk, chapter.pk])
    assert alice_client.post(url).status_code == 404
    assert alice_client.get(url).status_code in (404, 405)
    assert Chapter.objects.count() == 1 and Lesson.objects.count() == 1
