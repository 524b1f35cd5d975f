"""A certificate carries a verification code anyone can check; staff export per-learner
progress."""

import csv
import io

import pytest
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.programmes import services
from cnnavi.programmes.models import Enrolment, Lesson
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def _complete(user, course):
    enrolment = services.enrolment_create(user=user, course=course)
    for lesson in Lesson.objects.filter(chapter__course=course):
        services.lesson_progress_set(user=user, enrolment=enrolment, lesson=lesson, done=True)
    return enrolment


def test_the_certificate_code_is_issued_once_and_verifiable(world, client):
    learner = make_user("learner@example.com", name="能登 三郎")
    course = make_course(world.a.office, title="脱炭素経営入門", lessons=2)
    enrolment = _complete(learner, course)
    client.force_login(learner)
    certificate = reverse("programmes:course_certificate", args=[course.pk])
    assert client.get(certificate)["Content-Type"] == "application/pdf"
    code = Enrolment.objects.get(pk=enrolment.pk).certificate_code
    assert code and len(code) == 12
    client.get(certificate)
    assert Enrolment.objects.get(pk=enrolment.pk).certificate_code == code  # the same code
    assert AuditEntry.objects.filter(action="course.certificate").count() == 1
    # Anyone can check it (also typed in lower case with spaces).
    client.logout()
    page = client.get("/certificates/verify/", {"code": f" {code[:6].lower()} {code[6:]} "})
    html = page.content.decode()
    assert 'data-testid="certificate-valid"' in html
    assert "能登 三郎" in html and "脱炭素経営入門" in html
    page = client.get("/certificates/verify/", {"code": "NOTACODE2345"}).content.decode()
    assert 'data-testid="certificate-unknown"' in page and "能登" not in page


def test_staff_export_per_learner_progress(world, alice_client):
    course = make_course(world.a.office, lessons=2)
    done = make_user("done@example.com", name="修了 太郎")
    _complete(done, course)
    half = make_user("half@example.com", name="途中 花子")
    enrolment = services.enrolment_create(user=half, course=course)
    lesson = Lesson.objects.filter(chapter__course=course).first()
    services.lesson_progress_set(user=half, enrolment=enrolment, lesson=lesson, done=True)
    response = alice_client.get(f"/staff/courses/{course.pk}/progress.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "氏名"
    assert [(r[0], r[3], r[4], r[5], bool(r[6])) for r in rows[1:]] == [
        ("修了 太郎", "2", "2", "100", True),
        ("途中 花子", "1", "2", "50", False),
    ]


def test_another_offices_course_export_is_404(world, client):
    course = make_course(world.b.office)
    client.force_login(world.a.owner)
    assert client.get(f"/staff/courses/{course.pk}/progress.csv").status_code == 404
