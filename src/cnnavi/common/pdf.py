"""PDF documents with Japanese text that renders on a fresh machine.

The font is Noto Sans JP (SIL Open Font License 1.1), shipped as a data-only package
(``pylopdf-fonts-jp``, which carries nothing but the Noto Sans JP and Noto Serif JP files); nothing
depends on fonts installed on the system. fpdf2 embeds only the glyphs a document uses.
"""

from functools import cache

from pylopdf_fonts_jp import sans_path

FONT_FAMILY = "NotoSansJP"


def japanese_font_path() -> str:
    return str(sans_path())


@cache
def _document_class():
    """fpdf2 is imported on the first PDF, not when a worker loads the URLconf."""
    from fpdf import FPDF

    class _JapanesePDF(FPDF):
        def __init__(self, *, title: str, footer_text: str = "CN Navi"):
            super().__init__(orientation="P", unit="mm", format="A4")
            self.add_font(FONT_FAMILY, "", japanese_font_path())
            self.set_font(FONT_FAMILY, size=10.5)
            self.set_title(title)
            self.set_creator("CN Navi")
            self.footer_text = footer_text
            self.set_auto_page_break(auto=True, margin=18)

        def footer(self):
            self.set_y(-12)
            self.set_font(FONT_FAMILY, size=8)
            self.set_text_color(110)
            self.cell(0, 6, f"{self.footer_text}  {self.page_no()}/{{nb}}", align="C")
            self.set_text_color(0)

    _JapanesePDF.__name__ = _JapanesePDF.__qualname__ = "JapanesePDF"
    return _JapanesePDF


def JapanesePDF(*, title: str, footer_text: str = "CN Navi"):  # noqa: N802 - used as a class
    """An A4 portrait document (an fpdf2 FPDF) with the Japanese font set and page numbers in
    the footer."""
    return _document_class()(title=title, footer_text=footer_text)


def pdf_response(pdf, filename: str):
    from django.http import HttpResponse

    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
