"""The lesson video answers HTTP range requests (decision 1313's "not done", now done): a
player seeking in a long video gets the part it asks for; the access checks are unchanged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.programmes import services
from cnnavi.programmes.tests.factories import make_course
from cnnavi.testing import make_user

# An MP4 signature followed by 4,000 bytes that say where they are (byte i is i % 251).
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(i % 251 for i in range(4000))
SIZE = len(VIDEO)


@pytest.fixture
def video(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    course = make_course(world.a.office, lessons=1)
    lesson = course.chapters.get().lessons.get()
    lesson = services.lesson_save(
        actor=None,
        chapter=lesson.chapter,
        lesson=lesson,
        video_upload=SimpleUploadedFile("long.mp4", VIDEO, content_type="video/mp4"),
        video_seconds=600,
    )
    learner = make_user("learner@example.com")
    services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    return course, lesson, reverse("programmes:lesson_video", args=[course.pk, lesson.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=4000-", 4000, SIZE - 1),  # open-ended
        ("bytes=-16", SIZE - 16, SIZE - 1),  # suffix
        ("bytes=3000-999999", 3000, SIZE - 1),  # past the end: cut
    ],
)
def test_a_range_is_answered_with_206(video, client, header, first, last):
    _course, _lesson, url = video
    response = client.get(url, headers={"Range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/mp4"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _body(response) == VIDEO[first : last + 1]


def test_a_plain_get_is_the_whole_file(video, client):
    _course, _lesson, url = video
    response = client.get(url)
    assert response.status_code == 200 and response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE) and _body(response) == VIDEO


def test_several_ranges_or_if_range_get_the_whole_file(video, client):
    _course, _lesson, url = video
    for headers in (
        {"Range": "bytes=0-9,20-29"},
        {"Range": "bytes=0-9", "If-Range": '"some-etag"'},
        {"Range": "bytes=9-0"},
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200 and _body(response) == VIDEO, headers


def test_a_range_past_the_end_is_416(video, client):
    _course, _lesson, url = video
    for header in (f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"):
        response = client.get(url, headers={"Range": header})
        assert response.status_code == 416, header
        assert response["Content-Range"] == f"bytes */{SIZE}"
        assert response["Accept-Ranges"] == "bytes"


def test_ranges_do_not_open_the_video_to_anyone_else(video, client, world):
    course, lesson, url = video
    client.force_login(make_user("not-enrolled@example.com"))
    assert client.get(url, headers={"Range": "bytes=0-99"}).status_code == 404
    # Another office's course: its learner asks for this lesson under their own course's id.
    other = make_course(world.b.office, lessons=1)
    services.enrolment_create(user=make_user("b-learner@example.com"), course=other)
    client.force_login(other.enrolments.get().user)
    foreign = reverse("programmes:lesson_video", args=[other.pk, lesson.pk])
    assert client.get(foreign, headers={"Range": "bytes=0-99"}).status_code == 404
    client.logout()
    assert client.get(url, headers={"Range": "bytes=0-99"}).status_code == 302  # log in first


@pytest.mark.parametrize("header", ["bytes=1000-1999", None])
def test_a_video_is_never_gzipped_even_when_the_browser_accepts_gzip(video, client, header):
    # Gzip would make Content-Range and Content-Length speak of other bytes than the body's.
    _course, _lesson, url = video
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    if header:
        headers["Range"] = header
    response = client.get(url, headers=headers)
    assert "Content-Encoding" not in response
    if header:
        assert response.status_code == 206
        assert response["Content-Length"] == "1000"
        assert _body(response) == VIDEO[1000:2000]
    else:
        assert response.status_code == 200
        assert _body(response) == VIDEO
