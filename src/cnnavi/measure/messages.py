"""The calculation core's errors and warnings in the user's language.

The core (``cnnavi.core``) reports each error and each warning with an English text (what the
CLI prints), a stable ``code`` and ``params`` (docs/core.md, "Errors" and "Warnings"). This
module is the one place that says the same thing in Japanese (msgid) or English (the catalogue):
``error_message(error)`` takes a ``RowError`` or a core exception, ``note_message(note, count)``
a warning (a ``CoreNote`` or the plain dict the dashboard caches) and the number of records it
concerns. Energy and unit codes in the parameters are shown with their names in the current
language. A code without a message here (or a message whose placeholders do not fit) falls back
to the English text, so nothing ever fails on a new code; a test checks that every code the
core can report has a message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from cnnavi.common.templatetags.cnnavi import ja
from cnnavi.core import CoreError, CoreNote, get_energy
from cnnavi.measure.templatetags.measure import unit_label

# code -> message with named placeholders (the parameters, made readable by _readable)
MESSAGES: dict[str, Promise] = {
    # the file as a whole
    "file.encoding": gettext_lazy(
        "ファイルの文字コードを読み取れません。UTF-8 または Shift_JIS（CP932）の CSV、"
        "または XLSX で保存してください。"
    ),
    "file.nul_bytes": gettext_lazy(
        "CSV のテキストファイルではありません（NUL 文字を含みます）。"
        "CSV または XLSX で保存し直してください。"
    ),
    "file.csv_syntax": gettext_lazy(
        'CSV の書式が正しくありません（%(detail)s）。引用符（"）の閉じ忘れがないか確認してください。'
    ),
    "file.xlsx_unreadable": gettext_lazy(
        "XLSX ファイルを読み取れません（%(detail)s）。Excel で開いて保存し直してください。"
    ),
    "file.unreadable": gettext_lazy("ファイルを読み取れません（%(detail)s）。"),
    "file.no_header": gettext_lazy(
        "見出しの行がありません。1行目に 年月・エネルギー・使用量・単位 などの列名を書いてください。"
    ),
    "file.duplicate_column": gettext_lazy(
        "「%(field)s」の列が2つあります。どちらか1つにしてください。"
    ),
    "file.missing_column": gettext_lazy("必須の列「%(field)s」がありません。"),
    "file.no_data": gettext_lazy("見出しの行だけで、データの行がありません。"),
    # one value in a row
    "input.empty": gettext_lazy("%(field)sが空です。"),
    "input.month_unreadable": gettext_lazy(
        "年月「%(text)s」を読み取れません。2025-04、2025/4、2025年4月 のように書いてください。"
    ),
    "input.month_out_of_range": gettext_lazy("月「%(month)s」は 1〜12 ではありません。"),
    "input.year_out_of_range": gettext_lazy(
        "年「%(year)s」は範囲外です（1990〜2100年で書いてください）。"
    ),
    "input.not_a_number": gettext_lazy("%(field)s「%(text)s」は数値ではありません。"),
    "input.negative": gettext_lazy(
        "%(field)s「%(text)s」がマイナスです。0以上の値を入力してください。"
    ),
    "input.not_whole_yen": gettext_lazy(
        "金額「%(text)s」は円単位の整数ではありません。小数点以下を付けずに入力してください。"
    ),
    "input.fiscal_year_unreadable": gettext_lazy(
        "年度「%(text)s」を読み取れません。2025、2025年度、令和7年度 のように書いてください。"
    ),
    "input.not_positive": gettext_lazy("%(field)s「%(text)s」は0より大きい値にしてください。"),
    "input.field_not_applicable": gettext_lazy(
        "%(field)sは %(energy)s には使えません。この列を空にしてください。"
    ),
    "energy.unknown": gettext_lazy(
        "エネルギー「%(text)s」が分かりません。電気、都市ガス、軽油、A重油 など、"
        "エネルギーの一覧にある名前で書いてください。"
    ),
    "energy.unknown_code": gettext_lazy("エネルギーの種類「%(text)s」が正しくありません。"),
    "unit.unknown": gettext_lazy("単位「%(text)s」が分かりません。使える単位: %(units)s"),
    "unit.not_accepted": gettext_lazy(
        "%(energy)s の単位に %(unit)s は使えません。使える単位: %(units)s"
    ),
    "unit.incompatible": gettext_lazy("%(unit)s を %(to_unit)s に換算できません。"),
    # official factors
    "factor.constant_unavailable": gettext_lazy(
        "%(fiscal_year)sの公式の値（%(key)s）はまだ収録されていません。"
    ),
    "factor.fuel_unavailable": gettext_lazy(
        "%(fiscal_year)sの %(energy)s の公式の排出係数は収録されていません。"
    ),
    "factor.no_co2_factor": gettext_lazy(
        "%(energy)s には%(fiscal_year)sの確定した公式の CO2 排出係数がありません。"
    ),
    "factor.no_co2_factor_gj": gettext_lazy(
        "GJ で入力された %(energy)s には%(fiscal_year)sの確定した公式の排出係数がありません。"
        "t や kL など、GJ 以外の単位で使用量を入力してください。"
    ),
    "factor.no_tables": gettext_lazy(
        "%(kind)sの事業者別排出係数の公表一覧が収録されていません。支援事務局にお問い合わせください。"
    ),
    "factor.year_unavailable": gettext_lazy(
        "%(fiscal_year)sの%(kind)sの事業者別排出係数（公表一覧）はまだ収録されていません"
        "（収録済み: %(shipped)s）。支援事務局にお問い合わせください。"
    ),
    "factor.supplier_unknown": gettext_lazy(
        "供給事業者「%(text)s」は %(table_year)sの%(kind)sの公表一覧にありません。"
        "登録番号（例: A0001）で入力するか、事業所の供給契約で公表一覧から選んでください。"
    ),
    "factor.supplier_unknown_no_default": gettext_lazy(
        "供給事業者「%(text)s」は %(table_year)sの%(kind)sの公表一覧になく、"
        "%(fiscal_year)sの代替値もありません。登録番号で入力するか、公表一覧から選んでください。"
    ),
    "factor.no_supplier_no_default": gettext_lazy(
        "%(kind)sの供給事業者が指定されておらず、%(fiscal_year)sの代替値もありません。"
        "事業所の供給契約で供給事業者を登録してください。"
    ),
    "factor.supplier_ambiguous": gettext_lazy(
        "供給事業者名「%(text)s」に当てはまる登録が複数あります（%(regs)s）。"
        "登録番号で入力してください。"
    ),
    "factor.menu_without_supplier": gettext_lazy(
        "メニュー「%(text)s」が指定されていますが、供給事業者がありません。"
        "供給事業者も入力してください。"
    ),
    "factor.menu_unknown": gettext_lazy(
        "メニュー「%(text)s」は %(reg)s %(name)s の公表一覧にありません。メニュー: %(menus)s"
    ),
    "factor.menu_ambiguous": gettext_lazy(
        "メニュー「%(text)s」は %(reg)s %(name)s の複数のメニューに当てはまります: %(menus)s"
    ),
    "factor.menu_required": gettext_lazy(
        "%(reg)s %(name)s は複数の係数を公表しています。メニューまたは供給区域を指定してください"
        "（%(menus)s）。"
    ),
    # warnings (CoreNote); %(records)s is "（28件）" where the warning concerns several records
    "note.provisional_factors": gettext_lazy(
        "%(fiscal_year)sの%(kind)sの排出係数はまだ公表されていないため、%(table_year)sの係数を"
        "暫定で使っています%(records)s。公表後に数値が変わることがあります。"
    ),
    "note.default_no_supplier": gettext_lazy(
        "%(kind)sの供給事業者が分からないため、代替値（%(value)s %(factor_unit)s）で計算しています"
        "%(records)s。事業所の供給契約で供給事業者を選ぶと、より正確な値になります。"
    ),
    "note.default_supplier_unknown": gettext_lazy(
        "供給事業者「%(text)s」が %(table_year)sの%(kind)sの公表一覧にないため、代替値"
        "（%(value)s %(factor_unit)s）で計算しています%(records)s。事業所の供給契約で公表一覧から"
        "供給事業者を選ぶと、より正確な値になります。"
    ),
    "note.gas_tables_unavailable": gettext_lazy(
        "%(fiscal_year)sの都市ガスの事業者別排出係数が収録されていないため、都市ガスの代替値"
        "（%(value)s %(factor_unit)s）で計算しています%(records)s。"
    ),
    "note.gas_ordinance_value": gettext_lazy(
        "%(fiscal_year)sには都市ガスの事業者別排出係数がなかったため、省令の値で計算しています"
        "%(records)s。"
    ),
    "note.lpg_m3_rate": gettext_lazy(
        "LPG の使用量（m3）を %(value)s m3/t（%(gas)s）で t に換算しています%(records)s。"
        "ガス会社が換算率を示している場合は、その率で t に換算して入力すると、より正確です。"
    ),
    "note.heat_value_unconfirmed": gettext_lazy(
        "%(energy)s の%(fiscal_year)sの発熱量が確定していないため、エネルギー使用量"
        "（GJ・原油換算kL）に含めていません%(records)s。CO2 排出量には含めています。"
    ),
    "note.heat_not_in_energy": gettext_lazy(
        "購入した熱（蒸気・温水・冷水）の省エネ法の換算係数が確定していないため、"
        "エネルギー使用量（GJ・原油換算kL）に含めていません%(records)s。CO2 排出量には含めています。"
    ),
    "note.electricity_energy": gettext_lazy(
        "%(fiscal_year)sの電気のエネルギー換算についての注記: %(note)s%(records)s"
    ),
    "note.user_supplier_factor": gettext_lazy(
        "%(fiscal_year)sの%(kind)sの排出係数は、供給事業者が公表した値を利用者が入力したもの"
        "（事業者公表値（利用者入力）: 基礎 %(basic)s、調整後 %(adjusted)s %(factor_unit)s）"
        "です%(records)s。国の公表一覧の値ではありません。"
    ),
    "note.no_national_average": gettext_lazy(
        "%(fiscal_year)sの全国平均係数が収録されていないため、ロケーション基準の電気の CO2 は"
        "供給事業者の基礎排出係数で計算しています%(records)s。"
    ),
    "note.estimated_factors": gettext_lazy(
        "%(fiscal_year)sの%(kind)sの事業者別排出係数が収録されていないため、%(table_year)sの"
        "公表一覧の値で推計しています%(records)s。推計値であり、公式の値ではありません。"
    ),
    "note.supplier_heat_value": gettext_lazy(
        "都市ガスのエネルギー使用量（GJ・原油換算kL）は、供給事業者の標準熱量（%(value)s "
        "%(factor_unit)s、利用者入力）で計算しています%(records)s。"
    ),
    "note.months_outside_year": gettext_lazy(
        "年月が%(fiscal_year)sの範囲外の記録（%(count)s件）も、この年度に含めて計算しています。"
    ),
}

# (code, kind) -> a more specific message
VARIANTS: dict[tuple[str, str], Promise] = {
    ("factor.year_unavailable", "electricity"): gettext_lazy(
        "%(fiscal_year)sの電気の事業者別排出係数（公表一覧）はまだ収録されていないため、"
        "電気の CO2 を計算できません（収録済み: %(shipped)s）。"
        "支援事務局が国の公表一覧を取り込むと、自動で計算されます。"
    ),
}

KIND_LABELS: dict[str, Promise] = {
    "electricity": pgettext_lazy("supplier table (inside a sentence)", "電気"),
    "gas": pgettext_lazy("supplier table (inside a sentence)", "都市ガス"),
    "heat": pgettext_lazy("supplier table (inside a sentence)", "熱（蒸気・温水・冷水）"),
}

FIELD_LABELS: dict[str, Promise] = {
    "facility": gettext_lazy("事業所"),
    "month": gettext_lazy("年月"),
    "energy": gettext_lazy("エネルギー"),
    "amount": gettext_lazy("使用量"),
    "unit": gettext_lazy("単位"),
    "supplier": gettext_lazy("供給事業者"),
    "menu": gettext_lazy("メニュー"),
    "cost": gettext_lazy("金額"),
    "cost_yen": gettext_lazy("金額"),
    "use": gettext_lazy("用途"),
    "heat_value": gettext_lazy("標準熱量"),
    "basic_factor": gettext_lazy("基礎排出係数"),
    "adjusted_factor": gettext_lazy("調整後排出係数"),
    "fiscal_year": gettext_lazy("年度"),
}

LPG_LABELS: dict[str, Promise] = {
    "propane": gettext_lazy("プロパン"),
    "butane": gettext_lazy("ブタン"),
    "mix": gettext_lazy("プロパン・ブタン混合"),
}

_FY = re.compile(r"FY(\d{4})")
# parameters that hold what a user or an official table wrote (may be Japanese: lang="ja")
_QUOTED = ("text", "name", "menus", "regs", "note")


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def fiscal_year_label(year: int | str) -> str:
    return _("%(year)s年度") % {"year": year}


def _energy_name(code: str) -> str:
    try:
        e = get_energy(code)
    except ValueError:
        return code
    return e.name_en if _english() else e.name_ja


def _readable(params: Mapping[str, str | int], count: int = 1) -> dict[str, str]:
    """The parameters as the message shows them (names and units in the current language);
    ``records`` is the number of records a warning concerns, shown where it is more than one."""
    out: dict[str, str] = {}
    for key, value in params.items():
        text = str(value)
        if key == "energy":
            text = _energy_name(text)
        elif key in ("unit", "to_unit", "factor_unit"):
            text = unit_label(text)
        elif key == "gas":
            text = str(LPG_LABELS.get(text, text))
        elif key == "units":
            text = ", ".join(unit_label(u) for u in text.split(", "))
        elif key == "kind":
            text = str(KIND_LABELS.get(text, text))
        elif key == "field":
            text = str(FIELD_LABELS.get(text, text))
        elif key in ("fiscal_year", "table_year"):
            text = fiscal_year_label(text)
        elif key == "shipped":
            text = _FY.sub(lambda m: fiscal_year_label(m.group(1)), text)
        quoted = key in _QUOTED and _english()  # Japanese names on English pages: lang="ja"
        out[key] = ja(text) if quoted else conditional_escape(text)
    out["records"] = (
        ngettext("（%(count)s件）", "（%(count)s件）", count) % {"count": f"{count:,}"}
        if count > 1
        else ""
    )
    return out


def message_for(code: str, params: Mapping[str, str | int], reason: str, count: int = 1) -> str:
    """The message of ``code`` with ``params`` in the current language (safe HTML), or the
    English ``reason`` when the code has no message here. ``count``: the number of records a
    warning concerns."""
    template = VARIANTS.get((code, str(params.get("kind", "")))) or MESSAGES.get(code)
    if template is None:
        return reason
    try:
        return mark_safe(conditional_escape(str(template)) % _readable(params, count))  # noqa: S308
    except (KeyError, TypeError, ValueError):
        return reason


def error_message(error) -> str:
    """A ``RowError`` or a core exception in the user's language (see ``message_for``)."""
    if isinstance(error, BaseException):
        if isinstance(error, CoreError):
            return message_for(error.code, error.params, str(error))
        return str(error)
    return message_for(getattr(error, "code", ""), dict(getattr(error, "params", ())), error.reason)


def note_dict(note: CoreNote, count: int) -> dict:
    """A warning as plain data (cacheable): code, params, English text, number of records."""
    return {"code": note.code, "params": note.params_dict, "text": note.text, "count": count}


def note_message(note: CoreNote | Mapping, count: int | None = None) -> str:
    """A core warning in the user's language (safe HTML), with the number of records it concerns
    where that is more than one. ``note`` is a ``CoreNote`` or a ``note_dict``; a code without a
    message shows the English text (with " (N records)", as the CLI prints it)."""
    if isinstance(note, CoreNote):
        code, params, text = note.code, note.params_dict, note.text
    else:
        code, params, text = note["code"], note["params"], note["text"]
        count = note.get("count", 1) if count is None else count
    count = count or 1
    english = unit_label(text if count == 1 else f"{text} ({count} records)")
    return message_for(code, params, english, count)


# --------------------------------------------------------------------------- plausibility

FLAG_REASONS: dict[str, Promise] = {
    "history_high": gettext_lazy(
        "この事業所の前年同月・前後の月（%(reference)s %(unit)s）の %(ratio)s 倍です。"
    ),
    "history_low": gettext_lazy(
        "この事業所の前年同月・前後の月（%(reference)s %(unit)s）の %(ratio)s 倍しかありません。"
    ),
    "per_employee": gettext_lazy(
        "1か月のエネルギーが従業員1人あたりの上限の目安（%(per)s GJ）の %(ratio)s 倍です。"
    ),
    "per_company": gettext_lazy(
        "1か月のエネルギーが中小企業の1事業所としての上限の目安（%(per)s GJ）の %(ratio)s 倍です。"
    ),
    "per_area": gettext_lazy(
        "1か月のエネルギーが延床面積1m²あたりの上限の目安（%(per)s GJ）の %(ratio)s 倍です。"
    ),
}
FLAG_CAUSES: dict[str, Promise] = {
    "unit_x1000": gettext_lazy("%(small)sと%(large)sを取り違えていませんか？"),
    "unit_div1000": gettext_lazy("%(large)sと%(small)sを取り違えていませんか？"),
    "digits": gettext_lazy("桁（0の数）を打ち間違えていませんか？"),
    "check": gettext_lazy("請求書の数値と単位を確認してください。"),
}


def _amount_text(value) -> str:
    v = float(value)
    return f"{v:,.0f}" if v >= 100 else f"{v:,.3f}".rstrip("0").rstrip(".")


def _ratio_text(ratio) -> str:
    r = float(ratio)
    if r >= 10:
        return f"{r:,.0f}"
    if r >= 0.1:
        return f"{r:.1f}"
    return f"{r:.4f}".rstrip("0")


def flag_message(check, unit: str) -> str:
    """Why an amount is questioned and its likely cause, in the user's language (plain text):
    e.g. 「…の 1,000 倍です。m3と千m3を取り違えていませんか？」."""
    from cnnavi.measure import rules

    per = {
        "per_employee": rules.GJ_PER_EMPLOYEE_MONTH,
        "per_area": rules.GJ_PER_M2_MONTH,
        "per_company": rules.GJ_MONTH_MAX,
    }.get(check.kind, 0)
    reference = check.reference
    reason = str(FLAG_REASONS[check.kind]) % {
        "reference": _amount_text(reference) if reference is not None else "",
        "unit": unit_label(unit),
        "ratio": _ratio_text(check.ratio),
        "per": f"{per:,}",
    }
    small, large = check.units or ("", "")
    cause = str(FLAG_CAUSES[check.cause]) % {
        "small": unit_label(small),
        "large": unit_label(large),
    }
    return f"{reason}{cause}" if not _english() else f"{reason} {cause}"


def error_messages(errors) -> list[str]:
    """Core errors (``RowError`` objects or exceptions) as other apps show them: each distinct
    message once, in the user's language (safe HTML), never the core's English line."""
    out: list[str] = []
    for error in errors:
        text = error_message(error)
        if text not in out:
            out.append(text)
    return out
