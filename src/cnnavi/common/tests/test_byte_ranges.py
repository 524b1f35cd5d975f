"""Byte ranges of a served file (RFC 9110 section 14): the pure parser."""

import pytest

from cnnavi.common.http import ByteRange, RangeNotSatisfiable, parse_range

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-199", ByteRange(100, 199)),
        ("bytes=999-999", ByteRange(999, 999)),
        ("bytes=900-5000", ByteRange(900, 999)),  # the end is cut to the file
        ("bytes=500-", ByteRange(500, 999)),  # open-ended
        ("bytes=0-", ByteRange(0, 999)),
        ("bytes=-100", ByteRange(900, 999)),  # suffix: the last 100 bytes
        ("bytes=-5000", ByteRange(0, 999)),  # a suffix longer than the file: all of it
        (" bytes=10-19 ", ByteRange(10, 19)),
    ],
)
def test_one_range(header, expected):
    assert parse_range(header, SIZE) == expected


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "bytes=0-99,200-299",  # several ranges: the whole file
        "items=0-5",  # another unit
        "bytes=",
        "bytes=-",
        "bytes=abc-def",
        "bytes=50-10",  # last before first: malformed, ignored
        "bytes=0x10-",
    ],
)
def test_the_whole_file(header):
    assert parse_range(header, SIZE) is None


@pytest.mark.parametrize(
    "header", ["bytes=1000-", "bytes=1000-1999", "bytes=5000-6000", "bytes=-0"]
)
def test_unsatisfiable(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, SIZE)


def test_an_empty_file_has_no_satisfiable_range():
    for header in ("bytes=0-", "bytes=-1"):
        with pytest.raises(RangeNotSatisfiable):
            parse_range(header, 0)
    assert parse_range("bytes=0-1,3-4", 0) is None


def test_length_and_content_range():
    part = ByteRange(900, 999)
    assert part.length == 100 and part.content_range(SIZE) == "bytes 900-999/1000"
