"""Static files and pages travel compressed in every mode; production serves hashed names."""

import gzip

import pytest
from django.conf import settings

from cnnavi.common.tests.test_settings import PROD, _cnnavi


def test_static_files_are_compressed_in_development_and_tests(client):
    response = client.get("/static/cnnavi/cnnavi.css", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert ".chart-svg" in body
    plain = client.get("/static/cnnavi/cnnavi.css")  # a client that cannot decompress
    assert not plain.has_header("Content-Encoding")


@pytest.mark.django_db
def test_pages_are_compressed(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_no_script_blocks_rendering():
    import re
    from pathlib import Path

    for path in Path(settings.BASE_DIR).rglob("templates/**/*.html"):
        for tag in re.findall(r"<script\b[^>]*>", path.read_text()):
            if "src=" in tag:
                assert " defer" in tag or " async" in tag, (path, tag)


def test_production_serves_compressed_files_with_hashed_names():
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    result = _cnnavi("shell", "-c", code, env=PROD)
    assert result.stdout.strip().splitlines()[-1] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
