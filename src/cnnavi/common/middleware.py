"""Request hooks shared by every app."""

from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's gzip, except for a part of a file and for audio and video. A 206's
    Content-Range and Content-Length count the file's own bytes: gzipping the part would send
    other bytes than they say, and a player seeking in a lesson video would break. Audio and
    video are compressed already, so their whole files are left alone too."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 206
            or response.has_header("Content-Range")
            or content_type.startswith(("video/", "audio/"))
        ):
            return response
        return super().process_response(request, response)
