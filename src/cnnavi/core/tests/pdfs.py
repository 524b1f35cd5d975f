"""Test helper: a PDF with a text layer laid out like the official tables (columns at fixed
positions, Japanese in an embedded font), so the PDF import can be tested end to end."""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from pathlib import Path

from fpdf import FPDF

# IPAexGothic (TrueType): Debian's fonts-ipaexfont-gothic (.ci/run installs it), or the copy
# japanize-matplotlib ships where it is installed (not imported: no matplotlib here). The
# project's own dependency carries Noto Sans JP as OpenType/CFF, whose text pypdf reads back
# with NUL bytes and without the column gaps, so it cannot stand in for the official PDFs'
# fonts: without IPAexGothic the PDF tests skip (saying so). CNNAVI_TEST_JP_FONT names another
# TrueType Japanese font file.
_SPEC = importlib.util.find_spec("japanize_matplotlib")
_CANDIDATES = [
    os.environ.get("CNNAVI_TEST_JP_FONT", ""),
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    str(Path(_SPEC.origin).parent / "fonts" / "ipaexg.ttf") if _SPEC and _SPEC.origin else "",
]
FONT = next((Path(c) for c in _CANDIDATES if c and Path(c).is_file()), None)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def layout_pdf(text: str) -> bytes:
    """Each run of words of ``text`` placed at its column (full-width characters count two);
    form feeds start a new page."""
    if FONT is None:
        import pytest

        pytest.skip(
            "no TrueType Japanese font: apt-get install fonts-ipaexfont-gothic "
            "(or set CNNAVI_TEST_JP_FONT)"
        )
    pdf = FPDF(orientation="L", format="A3")
    pdf.add_font("ipa", fname=str(FONT))
    pdf.set_font("ipa", size=7)
    for page in text.split("\f"):
        pdf.add_page()
        y = 10.0
        for line in page.split("\n"):
            for m in re.finditer(r"\S+(?: \S+)*", line):
                pdf.text(5 + _width(line[: m.start()]) * 1.5, y, m.group(0))
            y += 3.2
            if y > 290:
                pdf.add_page()
                y = 10.0
    return bytes(pdf.output())
