"""The printable result (PDF) and the staff's CSV export."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.common.pdf import FONT_FAMILY, JapanesePDF
from cnnavi.core.spreadsheet import csv_writer
from cnnavi.core.spreadsheet import spreadsheet_safe as safe_cell

GREEN = (27, 107, 74)
MUTED = (91, 102, 97)


def result_pdf(*, view, diagnosis, company, language: str, base_url: str) -> JapanesePDF:
    pdf = JapanesePDF(title=_("ステージ診断の結果"), footer_text="CN Navi")
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(label: str, size: float = 13):
        pdf.ln(3)
        pdf.set_font(FONT_FAMILY, size=size)
        pdf.set_text_color(*GREEN)
        pdf.multi_cell(width, 7, label)
        pdf.set_text_color(0)
        pdf.set_font(FONT_FAMILY, size=10.5)

    def para(value: str, size: float = 10.5, color=None, indent: float = 0):
        pdf.set_font(FONT_FAMILY, size=size)
        if color:
            pdf.set_text_color(*color)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, 5.6, value, align="L")
        pdf.set_text_color(0)

    pdf.set_font(FONT_FAMILY, size=18)
    pdf.multi_cell(width, 9, _("ステージ診断の結果"))
    answered = timezone.localtime(diagnosis.created_at).strftime("%Y-%m-%d %H:%M")
    meta = [_("回答日時: %(when)s") % {"when": answered}]
    if company is not None:
        meta.insert(0, company.name)
    meta.append(_("診断の版: v%(n)d") % {"n": diagnosis.version.number})
    if diagnosis.is_demo:
        meta.append(_("デモデータ"))
    para(" / ".join(meta), size=9, color=MUTED)

    pdf.ln(3)
    pdf.set_fill_color(230, 243, 236)
    pdf.set_font(FONT_FAMILY, size=16)
    pdf.set_text_color(*GREEN)
    pdf.multi_cell(width, 10, view.stage_title, fill=True)
    pdf.set_text_color(0)
    para(view.stage_summary, size=11)
    ladder = "  →  ".join(f"[{s['label']}]" if s["current"] else s["label"] for s in view.ladder)
    para(ladder, size=10, color=MUTED)

    heading(_("判定の理由"))
    for check in view.reasoning:
        if not check["conditions"]:
            para(_("%(stage)s: 条件なし（出発点）") % {"stage": check["title"]}, indent=2)
            continue
        parts = ", ".join(
            _("%(label)s %(score)d点（必要 %(minimum)d点）")
            % {"label": c["label"], "score": c["score"], "minimum": c["minimum"]}
            + (" ○" if c["met"] else " ×")
            for c in check["conditions"]
        )
        mark = _("満たしている") if check["met"] else _("満たしていない")
        para(f"{check['title']}: {parts} — {mark}", indent=2)

    heading(_("事業に潜むリスク"))
    if not view.risks:
        para(_("回答からは、特に目立つリスクは見つかりませんでした。"), indent=2)
    for risk in view.risks:
        para("■ " + risk["title"], size=11)
        para(risk["text"], indent=4)
        for b in risk["because"]:
            para(
                _("回答: %(q)s → %(a)s") % {"q": b["question"], "a": b["answer"]},
                size=9,
                color=MUTED,
                indent=4,
            )

    heading(_("次の一歩"))
    for i, step in enumerate(view.next_steps, start=1):
        para(f"{i}. {step['text']}", indent=2)

    heading(_("使える支援"))
    bullet = "・" if language == "ja" else "- "
    for item in view.help:
        line = f"{bullet}{item['title']} — {item['summary']}"
        if item["url"]:
            line += f"  {base_url}{item['url']}"
        para(line, indent=2)
    para(
        _(
            "中小機構 カーボンニュートラル相談窓口（オンライン相談は毎週火・木、1時間無料、事前予約制）"
        ),
        size=9,
        color=MUTED,
    )
    return pdf


def usage_csv(counts: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cnnavi-know-counts.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv_writer(response)
    writer.writerow([_("区分"), _("コード"), _("名称"), _("ステージ診断"), _("セルフチェック")])
    for row in counts["stages"]:
        writer.writerow([_("ステージ"), row["key"], safe_cell(row["label"]), row["diagnoses"], ""])
    for kind, rows in ((_("都道府県"), counts["prefectures"]), (_("業種"), counts["industries"])):
        for row in rows:
            writer.writerow(
                [
                    kind,
                    safe_cell(row["key"]),
                    safe_cell(row["label"] or _("未回答")),
                    row["diagnoses"],
                    row["self_checks"],
                ]
            )
    for row in counts["months"]:
        writer.writerow([_("月"), row["month"], row["month"], row["diagnoses"], row["self_checks"]])
    return response
