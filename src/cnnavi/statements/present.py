"""The statement as people read it (page, PDF, XLSX): labels in the active language, figures
rounded for display from the exact figures stored at issue."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cnnavi.common.choices import Prefecture
from cnnavi.core.periods import month_of
from cnnavi.orgs.models import Role
from cnnavi.statements import rules
from cnnavi.statements.models import AllocationMethod, Statement

ROLE_LABELS = {"staff": gettext_lazy("支援機関の職員"), "expert": gettext_lazy("専門家")}


def _en() -> bool:
    return (get_language() or "ja").startswith("en")


def t(value) -> str:
    """A tonnage for display: three decimals, thousands separators."""
    return f"{rules.round_t(Decimal(value)):,}"


def gj(value) -> str:
    return f"{rules.round_t(Decimal(value), 1):,}"


def period_label(period: dict) -> str:
    first, last = month_of(period["first"]), month_of(period["last"])
    if _en():
        span = f"{first:%B %Y} – {last:%B %Y}"
    else:
        span = f"{first.year}年{first.month}月〜{last.year}年{last.month}月"
    if period["kind"] == rules.PERIOD_SHK:
        return _("%(year)s年度（%(span)s）") % {"year": period["year"], "span": span}
    if period["kind"] == rules.PERIOD_BUSINESS:
        return _("事業年度（%(span)s）") % {"span": span}
    return _("暦年 %(year)s（%(span)s）") % {"year": period["year"], "span": span}


def period_note(period: dict) -> str:
    """What the statement says about the period and the factors its months use."""
    years = period["shk_years"]
    if len(years) == 1:
        return _(
            "算定期間は省エネ法・温対法の%(year)s年度と同じで、その年度の排出係数で計算しています。"
        ) % {"year": years[0]}
    return _(
        "算定期間は省エネ法・温対法の年度（4月〜3月）と異なります。各月は、その月が属する年度"
        "（%(years)s年度）の排出係数で計算し、合計しています。"
    ) % {"years": "・".join(str(y) for y in years) if not _en() else " and ".join(map(str, years))}


def address(company: dict) -> str:
    pref = Prefecture(company["prefecture"]).label if company.get("prefecture") else ""
    if _en():
        return ", ".join(p for p in (company.get("municipality"), str(pref)) if p)
    return f"{pref}{company.get('municipality', '')}"


def role_label(role: str) -> str:
    if role in Role.values:
        return str(Role(role).label)
    return str(ROLE_LABELS.get(role, role))


@dataclass
class StatementView:
    """Everything a statement shows, as text in the active language."""

    title: str
    company_name: str
    corporate_number: str
    address: str
    period: str
    period_note: str
    boundary: list[str]
    rows: list[tuple[str, str]]  # (label, t-CO2 text) of the main table
    energy_gj: str
    energy_rows: list[tuple[str, str]]
    facility_rows: list[tuple[str, str, str, str]]  # name, basic, market, location
    method: str
    documents: list[str]  # official titles (Japanese), with fiscal year
    completeness: list[str]
    provisional: bool
    allocation: list[str] = field(default_factory=list)
    recipient: str = ""
    issued: str = ""
    code: str = ""
    draft: bool = False
    demo: bool = False


def _main_rows(tot: dict) -> list[tuple[str, str]]:
    """The main table: Scope 1, Scope 2 both ways, their sums, and the SHK totals."""
    return [
        (_("Scope 1（燃料の使用など直接排出）"), t(tot["scope1_t"])),
        (_("Scope 2 マーケット基準"), t(tot["scope2_market_t"])),
        (_("Scope 2 ロケーション基準"), t(tot["scope2_location_t"])),
        (_("Scope 1+2 合計（マーケット基準）"),
         t(Decimal(tot["scope1_t"]) + Decimal(tot["scope2_market_t"]))),
        (_("Scope 1+2 合計（ロケーション基準）"),
         t(Decimal(tot["scope1_t"]) + Decimal(tot["scope2_location_t"]))),
        (_("温対法 基礎排出量"), t(tot["total_basic_t"])),
        (_("温対法 調整後排出量"), t(tot["total_adjusted_t"])),
    ]  # fmt: skip


def _documents(factors: list[dict]) -> list[str]:
    """Each official document once, with the fiscal years whose values were applied."""
    docs: dict[tuple, dict] = {}
    for f in factors:
        d = docs.setdefault((f["document"], f["publisher"], f["published"]),
                            {"years": [], "provisional": False})  # fmt: skip
        if f["fiscal_year"] not in d["years"]:
            d["years"].append(f["fiscal_year"])
        d["provisional"] = d["provisional"] or f["provisional"]
    return [
        f"{doc}（{publisher}、{published}）"
        + (_(" [%(year)s年度の値]") % {"year": "/".join(str(y) for y in sorted(d["years"]))})
        + (_(" [暫定値]") if d["provisional"] else "")
        for (doc, publisher, published), d in docs.items()
    ]


def _method() -> str:
    return _(
        "Scope 1とScope 2は、地球温暖化対策の推進に関する法律に基づく温室効果ガス排出量算定・報告・"
        "公表制度（SHK制度）の算定方法と、国が公表した排出係数（下記）で、月ごと・事業所ごと・"
        "エネルギーごとの使用量から計算しました。Scope 2のマーケット基準は電気・熱の供給事業者の"
        "調整後排出係数（不明な場合は代替値）、ロケーション基準は全国平均係数によります"
        "（GHGプロトコルの二重報告）。温対法の基礎排出量・調整後排出量も併記します。"
    )


def _completeness(comp: dict) -> list[str]:
    """The completeness's lines: months, records and their factors, evidence, the months
    without data and the questioned values (where there are any)."""
    lines = [
        _("データのある月: %(have)s / %(months)sか月（終了した月 %(ended)sか月）")
        % {"have": comp["months_with_data"], "months": comp["months"], "ended": comp["months_ended"]},
        _("記録: %(n)s件（暫定の係数: %(p)s件、他の年度から推計した係数: %(e)s件、代替値の係数: "
          "%(d)s件、供給事業者の公表値（一覧）: %(s)s件、供給事業者の通知による値（利用者入力）: %(u)s件）")
        % {"n": comp["records"], "p": comp["records_provisional"],
           "e": comp.get("records_estimated", 0), "d": comp["records_default_factor"],
           "s": comp["records_supplier_factor"], "u": comp.get("records_supplier_notice", 0)},
        _("請求書の証跡: %(e)s / %(n)s件の記録（すべての記録に証跡がある月: %(m)sか月）")
        % {"e": comp["entries_with_evidence"], "n": comp["entries"], "m": comp["months_with_evidence"]},
    ]  # fmt: skip
    if comp["months_missing"]:
        lines.append(
            _("データのない月: %(months)s") % {"months": ", ".join(comp["months_missing"])}
        )
    if "outliers_questioned" in comp:
        lines.append(
            _("確認を求められた値: %(q)s件（確認済み: %(c)s件、未確認: %(u)s件）")
            % {"q": comp["outliers_questioned"], "c": comp["outliers_confirmed"],
               "u": comp["outliers_unconfirmed"]}
        )  # fmt: skip
    return lines


def _set_issue(view: StatementView, statement: Statement | None) -> None:
    """Who issued the statement, when, its code and recipient; a draft without one."""
    if statement is None:
        view.draft = True
        return
    when = timezone.localtime(statement.issued_at).strftime("%Y-%m-%d %H:%M")
    view.issued = _("発行: %(name)s（%(role)s）、%(when)s（日本時間）") % {
        "name": statement.issued_by_name,
        "role": role_label(statement.issued_by_role),
        "when": when,
    }
    view.code = rules.format_code(statement.code)
    view.recipient = statement.recipient_name


def _allocation_lines(allocation: rules.Allocation, unit: str) -> list[str]:
    """The allocation to the recipient: its method, the share's arithmetic, the shares."""
    method_label = str(AllocationMethod(allocation.method).label)
    part = f"{allocation.part.normalize():,f} {unit}".strip()
    total = f"{allocation.total.normalize():,f} {unit}".strip()
    share = f"{(allocation.share * 100).quantize(Decimal('0.01'))}%"
    basis = (
        _("提出先への売上高 %(part)s ÷ 全体の売上高 %(total)s = %(share)s")
        if allocation.method == rules.ALLOCATION_ECONOMIC
        else _("提出先への数量 %(part)s ÷ 全体の生産量 %(total)s = %(share)s")
    ) % {"part": part, "total": total, "share": share}
    return [
        _("按分方法: %(method)s") % {"method": method_label},
        basis,
        _("按分後 Scope 1: %(t)s t-CO2") % {"t": t(allocation.scope1_t)},
        _("按分後 Scope 2（マーケット基準）: %(t)s t-CO2") % {"t": t(allocation.scope2_market_t)},
        _("按分後 Scope 2（ロケーション基準）: %(t)s t-CO2")
        % {"t": t(allocation.scope2_location_t)},
        _("按分後 Scope 1+2（マーケット基準）: %(t)s t-CO2") % {"t": t(allocation.total_market_t)},
        _("按分後 Scope 1+2（ロケーション基準）: %(t)s t-CO2")
        % {"t": t(allocation.total_location_t)},
    ]


def build(
    figures: dict,
    *,
    statement: Statement | None = None,
    allocation: rules.Allocation | None = None,
    by_facility: bool = False,
    demo: bool = False,
) -> StatementView:
    tot = figures["totals"]
    en = _en()
    energy_rows = [
        (e["label_en"] if en else e["label_ja"], gj(e["energy_gj"])) for e in figures["by_energy"]
    ]
    facility_rows = (
        [(f["facility"], t(f["tco2"]), t(f["market_t"]), t(f["location_t"]))
         for f in figures["by_facility"]]
        if by_facility else []
    )  # fmt: skip
    view = StatementView(
        title=_("CO2排出量の報告書"),
        company_name=figures["company"]["name"],
        corporate_number=figures["company"]["corporate_number"] or "—",
        address=address(figures["company"]),
        period=period_label(figures["period"]),
        period_note=period_note(figures["period"]),
        boundary=[f["name"] for f in figures["facilities"]],
        rows=_main_rows(tot),
        energy_gj=gj(tot["energy_gj"]),
        energy_rows=energy_rows,
        facility_rows=facility_rows,
        method=_method(),
        documents=_documents(figures["factors"]),
        completeness=_completeness(figures["completeness"]),
        provisional=bool(figures["provisional"]),
        demo=demo,
    )
    _set_issue(view, statement)
    if allocation is not None and statement is not None:
        view.allocation = _allocation_lines(allocation, statement.allocation_unit)
    return view
