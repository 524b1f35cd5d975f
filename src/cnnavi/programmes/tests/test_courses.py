"""On-demand courses: enrolment, progress per lesson and course, the certificate, staff stats."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from cnnavi.programmes import services
from cnnavi.programmes.models import Enrolment, Lesson
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def test_enrol_tick_lessons_and_complete(world, alice_client):
    course = make_course(world.a.office, lessons=3)
    lessons = list(Lesson.objects.filter(chapter__course=course))
    detail = reverse("programmes:course_detail", args=[course.pk])
    page = alice_client.get(detail).content.decode()
    assert "受講登録する（無料）" in page
    alice_client.post(reverse("programmes:course_enrol", args=[course.pk]))
    enrolment = Enrolment.objects.get(course=course, user=world.a.owner)
    url = reverse("programmes:lesson_done", args=[course.pk, lessons[0].pk])
    response = alice_client.post(url, {"done": "1"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="course-progress">')
    assert "1 / 3 本（33%）" in html
    for lesson in lessons[1:]:
        alice_client.post(
            reverse("programmes:lesson_done", args=[course.pk, lesson.pk]), {"done": "1"}
        )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    page = alice_client.get(detail).content.decode()
    assert "3 / 3 本（100%）" in page and 'data-testid="certificate-link"' in page
    # Unticking a lesson takes the completion back.
    alice_client.post(url, {"done": "0"})
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


def test_lesson_of_another_course_is_404(world, alice_client):
    course = make_course(world.a.office)
    other = make_course(world.a.office, title="別の講座")
    alice_client.post(reverse("programmes:course_enrol", args=[course.pk]))
    lesson = Lesson.objects.filter(chapter__course=other).first()
    response = alice_client.post(
        reverse("programmes:lesson_done", args=[course.pk, lesson.pk]), {"done": "1"}
    )
    assert response.status_code == 404


def test_ticking_without_enrolment_is_a_message(world, alice_client):
    course = make_course(world.a.office)
    lesson = Lesson.objects.filter(chapter__course=course).first()
    response = alice_client.post(
        reverse("programmes:lesson_done", args=[course.pk, lesson.pk]), {"done": "1"}, follow=True
    )
    assert "先に受講登録をしてください。" in response.content.decode()


def test_certificate_pdf_renders_japanese(world, alice_client, tmp_path):
    world.a.owner.name = "富山 太郎"
    world.a.owner.save()
    course = make_course(
        world.a.office, title="サプライチェーンで取り組む カーボンニュートラル", lessons=2
    )
    certificate = reverse("programmes:course_certificate", args=[course.pk])
    response = alice_client.get(certificate, follow=True)
    assert "修了証は、すべてのレッスンを視聴済みにすると発行できます。" in response.content.decode()
    enrolment = services.enrolment_create(user=world.a.owner, course=course)
    for lesson in Lesson.objects.filter(chapter__course=course):
        services.lesson_progress_set(
            user=world.a.owner, enrolment=enrolment, lesson=lesson, done=True
        )
    response = alice_client.get(certificate)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.replace("\n", "")
        assert "修了証" in text and "富山 太郎 様" in text
        assert "公式の修了証ではありません" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True
        )
        assert list(tmp_path.glob("page*.png"))


def test_staff_see_enrolments_and_completion_rates(world, alice_client):
    course = make_course(world.a.office, lessons=2)
    lessons = list(Lesson.objects.filter(chapter__course=course))
    for n in range(3):
        user = make_user(f"learner{n}@example.com")
        enrolment = services.enrolment_create(user=user, course=course)
        for lesson in lessons[:n]:
            services.lesson_progress_set(user=user, enrolment=enrolment, lesson=lesson, done=True)
    page = alice_client.get(reverse("programmes_staff:course_list")).content.decode()
    assert 'data-testid="completion-rate">33.3%<' in page
    detail = alice_client.get(reverse("programmes_staff:course_detail", args=[course.pk]))
    text = detail.content.decode()
    assert text.count('data-testid="enrolment-row"') == 3
    assert "50%" in text and "100%" in text


def test_course_list_query_count(world, alice_client, django_assert_max_num_queries):
    for n in range(4):
        make_course(world.a.office, title=f"講座{n}")
    with django_assert_max_num_queries(8):
        page = alice_client.get(reverse("programmes:course_list")).content.decode()
    assert page.count('data-testid="course-card"') == 4
