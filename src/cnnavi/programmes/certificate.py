"""The completion certificate of an on-demand course (a PDF with Japanese text).

It is printed in the language of the page it is downloaded from (or the one given): labels
through gettext, the course title in English when staff gave one, else the Japanese title
(decision 1319; the embedded Noto Sans JP renders both)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cnnavi.common.pdf import FONT_FAMILY, JapanesePDF
from cnnavi.programmes.models import Course, Enrolment, Lesson


def _course_title(pdf, text: str, *, english: bool) -> None:
    """The quoted course title, centred on at most a few lines. Japanese titles break between
    any two characters, English ones between words; the font shrinks (16 to 12 pt) rather than
    leave the closing quotation mark alone on the last line."""
    wrapmode = "WORD" if english else "CHAR"
    for size in (16, 15, 14, 13, 12):
        pdf.set_font(FONT_FAMILY, size=size)
        lines = pdf.multi_cell(160, 10, text, wrapmode=wrapmode, dry_run=True, output="LINES")
        if len(lines) == 1 or len(lines[-1].strip()) > 1:
            break
    pdf.multi_cell(160, 10, text, align="C", wrapmode=wrapmode)


def certificate_pdf(
    *, enrolment: Enrolment, course: Course, user, language: str | None = None
) -> JapanesePDF:
    if language:
        with translation.override(language):
            return certificate_pdf(enrolment=enrolment, course=course, user=user)
    completed = timezone.localtime(enrolment.completed_at)
    lessons = Lesson.objects.filter(chapter__course=course).count()
    title = course.localized("title")
    pdf = JapanesePDF(title=_("修了証") + f" {title}")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_draw_color(31, 107, 82)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 186, 273)
    pdf.set_line_width(0.3)
    pdf.rect(15, 15, 180, 267)
    pdf.set_y(48)
    pdf.set_font(FONT_FAMILY, size=30)
    pdf.cell(0, 16, _("修了証"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font(FONT_FAMILY, size=20)
    pdf.cell(0, 12, _("%(name)s 様") % {"name": user.name}, align="C")
    pdf.ln(24)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.set_x(30)
    pdf.multi_cell(
        150, 8, _("あなたは次のオンデマンド講座のすべてのレッスンを視聴しました。"), align="C"
    )
    pdf.ln(6)
    pdf.set_x(25)
    _course_title(pdf, _("「%(title)s」") % {"title": title}, english=title == course.title_en)
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.cell(
        0,
        8,
        _("レッスン数：%(n)d　修了日：%(date)s")
        % {"n": lessons, "date": completed.strftime("%Y-%m-%d")},
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if course.provider:
        pdf.cell(0, 8, _("講座の提供：%(p)s") % {"p": course.provider}, align="C")
    pdf.set_y(220)
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.cell(0, 10, "CN Navi", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=9)
    pdf.set_text_color(90)
    pdf.set_x(25)
    pdf.multi_cell(
        160,
        5,
        _(
            "この修了証は CN Navi に記録された視聴状況に基づいて発行したもので、"
            "講座の提供者が発行する公式の修了証ではありません。"
        )
        + (" " + _("（デモデータの講座）") if course.is_demo else "")
        + f"  No. {enrolment.pk:06d}",
        align="C",
        wrapmode="CHAR",
    )
    if enrolment.certificate_code:
        pdf.ln(2)
        pdf.set_x(25)
        pdf.multi_cell(
            160,
            5,
            _("確認コード：%(code)s（%(url)s で確認できます）")
            % {
                "code": enrolment.certificate_code,
                "url": settings.CNNAVI_BASE_URL + reverse("programmes:certificate_verify"),
            },
            align="C",
            wrapmode="CHAR",
        )
    pdf.set_text_color(0)
    return pdf
