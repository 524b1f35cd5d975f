"""The PDF report of a CO2 calculation support visit, for the company."""

from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.common.pdf import FONT_FAMILY, JapanesePDF
from cnnavi.consultations import rules, selectors


def _heading(pdf: JapanesePDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=12.5)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=10.5)


def _para(pdf: JapanesePDF, text: str) -> None:
    pdf.multi_cell(0, 6, text or "—", new_x="LMARGIN", new_y="NEXT")


def _table(pdf: JapanesePDF, headers: list[str], rows: list[list[str]], widths: list[int]) -> None:
    pdf.set_fill_color(230, 240, 234)
    for header, width in zip(headers, widths, strict=True):
        pdf.cell(width, 7, header, border=1, fill=True)
    pdf.ln()
    for row in rows:
        for cell, width in zip(row, widths, strict=True):
            pdf.cell(width, 7, str(cell)[:40], border=1)
        pdf.ln()


def visit_report_pdf(*, case, visit) -> JapanesePDF:
    title = _("CO2排出量算定支援 第%(n)d回 報告書（%(kind)s）") % {
        "n": visit.number,
        "kind": visit.get_number_display(),
    }
    pdf = JapanesePDF(title=title)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=15)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=10.5)
    demo = _("（デモデータ）") if case.company.is_demo else ""
    facts = [
        (_("企業"), f"{case.company.name}{demo}"),
        (_("支援機関"), case.office.name),
        (_("専門家"), visit.expert.display_name),
        (_("訪問日時"), timezone.localtime(visit.scheduled_at).strftime("%Y-%m-%d %H:%M")),
        (
            _("無料訪問の利用"),
            _("%(n)d / %(max)d 回目") % {"n": visit.number, "max": rules.MAX_FREE_VISITS},
        ),
    ]
    for label, value in facts:
        pdf.cell(35, 7, label)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    _heading(pdf, _("訪問の記録"))
    _para(pdf, visit.record)
    if visit.number == 1:
        _heading(pdf, _("確認したこと"))
        yes, no = _("はい"), _("いいえ")
        _para(
            pdf,
            _("エネルギーデータ（CO2チェックシート）の入力・確認: %(a)s\n算定方法の説明: %(b)s")
            % {
                "a": yes if visit.energy_data_checked else no,
                "b": yes if visit.method_explained else no,
            },
        )
    elif visit.number == 2:
        _heading(pdf, _("見つかった課題"))
        _para(pdf, visit.issues)
        snap = selectors.snapshot_for_display(visit.snapshot) or {}
        _heading(pdf, _("%(fy)s年度の排出量（訪問日時点）") % {"fy": visit.fiscal_year})
        if not snap:
            _para(pdf, _("この訪問の時点では、排出量のデータがありませんでした。"))
        else:
            _para(
                pdf,
                _("Scope1: %(s1).1f t-CO2 / Scope2（基礎排出係数）: %(s2).1f t-CO2")
                % {"s1": snap.get("scope1_t", 0), "s2": snap.get("scope2_basic_t", 0)},
            )
            if snap.get("provisional"):
                _para(pdf, _("※ 公表前の年度は、最新の公表係数を暫定的に使っています。"))
            rows = [
                [
                    r["facility"],
                    r["energy"],
                    f"{r['tco2']:.1f}",
                    f"{r['cumulative_share'] * 100:.0f}%",
                ]
                for r in snap.get("pareto", [])[:12]
            ]
            if rows:
                _heading(pdf, _("排出量の大きい順（パレート）"))
                _table(
                    pdf,
                    [_("事業所"), _("エネルギー"), _("t-CO2"), _("累積割合")],
                    rows,
                    [60, 55, 30, 30],
                )
    else:
        _heading(pdf, _("削減目標"))
        _para(
            pdf,
            _("%(base)s年度比で %(target)s年度までに %(pct)s%% 削減")
            % {
                "base": visit.base_fiscal_year,
                "target": visit.target_fiscal_year,
                "pct": visit.target_reduction_percent,
            },
        )
        rows = [
            [
                a.title,
                f"{a.expected_reduction_t}" if a.expected_reduction_t is not None else "—",
                f"{a.cost_yen:,}" if a.cost_yen is not None else "—",
                str(a.due_fiscal_year or "—"),
                a.owner or "—",
            ]
            for a in visit.actions.all()
        ]
        changes = visit.plan_changes or {}
        _heading(pdf, _("削減計画への反映"))
        labels = {"base_year": _("基準年度"), "near_year": _("目標年度"), "near_share": _("削減率")}
        lines = [
            f"{labels.get(k, k)}: {old or '—'} → {new}"
            for k, (old, new) in changes.get("target", {}).items()
        ] + [_("対策を追加: %(name)s") % {"name": n} for n in changes.get("measures_added", [])]
        _para(pdf, "\n".join(lines) or _("削減計画（目標・対策）は変更していません。"))
        if rows:
            _heading(pdf, _("今後の削減行動"))
            _table(
                pdf,
                [_("削減行動"), _("t-CO2/年"), _("費用（円）"), _("年度"), _("担当")],
                rows,
                [70, 25, 30, 20, 35],
            )
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, size=8.5)
    _para(
        pdf,
        _(
            "この報告書は CN Navi で作成しました。排出量は貴社が入力したデータから算定した参考値で、"
            "公的な報告の値ではありません。"
        ),
    )
    return pdf


def _yen(value) -> str:
    return "—" if value is None else f"¥{int(value):,}"


def handson_report_pdf(*, case, detail: dict) -> JapanesePDF:
    """The close-out report of a hands-on case: the plan the company accepted, the fee, each
    PDCA cycle with the measured change of the plan's measures, and the completion report."""
    title = _("ハンズオン支援 完了報告書")
    pdf = JapanesePDF(title=title)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=15)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=10.5)
    _para(
        pdf,
        _("企業: %(company)s / 支援機関: %(office)s / 作成日: %(day)s")
        % {
            "company": case.company.name,
            "office": case.office.name,
            "day": timezone.localdate().isoformat(),
        },
    )
    _heading(pdf, _("支援計画"))
    _para(pdf, _("支援テーマ") + ": " + case.plan_themes)
    _para(pdf, _("目標") + ": " + case.plan_goals)
    if detail["plan_measures"]:
        _para(
            pdf,
            _("対象の削減対策")
            + ": "
            + ", ".join(pm.measure.name for pm in detail["plan_measures"]),
        )
    _para(pdf, _("スケジュール") + ": " + (case.plan_schedule or "—"))
    _para(
        pdf, _("専門家チーム") + ": " + (", ".join(e.display_name for e in detail["team"]) or "—")
    )
    _para(
        pdf,
        _("費用: %(net)s（税抜）＋ 消費税%(rate)d%% %(tax)s ＝ %(total)s（税込）")
        % {
            "net": _yen(case.fee_net_yen),
            "rate": case.tax_rate_percent,
            "tax": _yen(case.tax_yen),
            "total": _yen(case.fee_yen),
        },
    )
    if case.plan_decided_at:
        _para(
            pdf,
            _("企業の同意: %(day)s")
            % {"day": timezone.localtime(case.plan_decided_at).date().isoformat()},
        )
    for cycle in detail["cycles"]:
        _heading(
            pdf,
            _("PDCA 第%(n)d回（%(start)s〜%(end)s）")
            % {"n": cycle.number, "start": cycle.period_start, "end": cycle.period_end},
        )
        _para(pdf, "Plan: " + cycle.plan_text)
        _para(pdf, "Do: " + (cycle.do_text or "—"))
        _para(pdf, "Check: " + (cycle.check_text or "—"))
        rows = [
            [
                m["name"],
                str(m["status_label"]),
                "—" if m["planned_t"] is None else f"{m['planned_t']:.2f}",
                "—" if m["actual_t"] is None else f"{m['actual_t']:.2f}",
                "—" if m["share_pct"] is None else f"{m['share_pct']}%",
            ]
            for m in cycle.shown
        ]
        if rows:
            _table(
                pdf,
                [_("対策"), _("状況"), _("計画 t-CO2"), _("実績 t-CO2"), _("前年同月比")],
                rows,
                [60, 25, 30, 30, 30],
            )
        _para(pdf, "Act: " + (cycle.act_text or "—"))
    _heading(pdf, _("完了報告"))
    _para(pdf, case.completion_report)
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, size=8.5)
    _para(
        pdf,
        _(
            "計測された変化は、貴社が CN Navi に入力したデータから、対策の完了後の月と前年同月を"
            "比べた参考値です。"
        ),
    )
    return pdf
