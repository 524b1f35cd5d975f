"""Test helper: a PDF with a text layer laid out like the official tables (columns at fixed
positions, Japanese in an embedded font), so the PDF import can be tested end to end."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from pathlib import Path

from fpdf import FPDF

# IPAexGothic, shipped by the japanize-matplotlib dependency (not imported: no matplotlib here)
_SPEC = importlib.util.find_spec("japanize_matplotlib")
assert _SPEC is not None and _SPEC.origin is not None
FONT = Path(_SPEC.origin).parent / "fonts" / "ipaexg.ttf"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def layout_pdf(text: str) -> bytes:
    """Each run of words of ``text`` placed at its column (full-width characters count two);
    form feeds start a new page."""
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
