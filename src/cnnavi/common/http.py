"""Small helpers shared by views: the client's address, the app's own throttles, and byte
ranges of a served file (RFC 9110 section 14)."""

import hashlib
import re
from dataclasses import dataclass

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, by allauth's rules: behind a proxy, CNNAVI_TRUSTED_PROXY_COUNT or
    CNNAVI_TRUSTED_CLIENT_IP_HEADER (settings) say where to read it, so the log-in limits and
    the app's throttles count clients, not the proxy."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def throttle(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit of `key` in `scope`; False once more than `limit` hits fall in the window
    (fixed, `seconds` long from the first hit). The count lives in the shared cache, so every
    worker sees it (production refuses a per-process cache)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"cnnavi.throttle:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        count = 1
    return count <= limit


def lazy_view(dotted: str):
    """A URL pattern's view imported on its first request, for pages whose modules pull in
    heavy libraries (numpy, openpyxl): a worker builds the URLconf without them."""
    module_name, _, attr = dotted.rpartition(".")
    loaded = []

    def view(request, *args, **kwargs):
        if not loaded:
            from importlib import import_module

            loaded.append(getattr(import_module(module_name), attr))
        return loaded[0](request, *args, **kwargs)

    view.__name__ = attr
    view.__qualname__ = dotted
    return view


# --- Byte ranges (a video's player asks for the part it needs) -----------------------------
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ByteRange:
    """Bytes ``start`` to ``end`` of a file, both included (as Content-Range writes them)."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class RangeNotSatisfiable(ValueError):
    """The range asks only for bytes past the end of the file (answer 416)."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one byte range a ``Range`` header asks of a file of ``size`` bytes, or None to send
    the whole file: no header, another unit, a malformed value or several ranges (which a
    server may answer whole). ``bytes=a-b`` (b past the end is cut to the end), ``bytes=a-``
    and the suffix ``bytes=-n`` (the last n bytes; all of them if n is larger). Raises
    RangeNotSatisfiable when the range starts at or past the end, or asks for the last 0
    bytes. Pure: no I/O."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:  # another unit, several ranges, garbage: ignore the header
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None  # "bytes=-" is malformed
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # malformed: ignored, as RFC 9110 says
    if start >= size:
        raise RangeNotSatisfiable
    return ByteRange(start, min(end, size - 1))


def _read(file, byte_range: ByteRange):
    try:
        file.seek(byte_range.start)
        left = byte_range.length
        while left > 0:
            chunk = file.read(min(_CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        file.close()


def ranged_file_response(request: HttpRequest, file, *, content_type: str) -> HttpResponse:
    """Serve an open binary ``file`` (a Django File) honouring a single ``Range``: 206 with
    Content-Range for a range, 416 with ``Content-Range: bytes */size`` for a range past the
    end, otherwise 200 with the whole file; every answer says ``Accept-Ranges: bytes``. A
    request with ``If-Range`` gets the whole file (we send no validators it could match)."""
    size = file.size
    header = None if request.headers.get("If-Range") else request.headers.get("Range")
    try:
        byte_range = parse_range(header, size)
    except RangeNotSatisfiable:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        if byte_range is None:
            response = FileResponse(file, content_type=content_type)
        else:
            response = StreamingHttpResponse(
                _read(file, byte_range), status=206, content_type=content_type
            )
            response["Content-Range"] = byte_range.content_range(size)
            response["Content-Length"] = str(byte_range.length)
    response["Accept-Ranges"] = "bytes"
    return response
