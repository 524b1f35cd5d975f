"""A supplier's menus and factors as the contract pages explain them (issue #17 point 7): each
menu with its factor and a plain explanation; what "no menu" means (the residual menu, else the
whole company's or reference value, as the official table's note says) and whether the
supplier has menus the user should choose from. Reads the core's official tables only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from cnnavi.core import CoreError, factor_book, search_suppliers


@dataclass(frozen=True)
class MenuInfo:
    menu: str  # "" = the value used when no menu is named
    kind: str  # menu | residual | reference | whole | grid
    basic: Decimal
    adjusted: Decimal
    unit: str
    explanation: str


@dataclass(frozen=True)
class SupplierMenus:
    reg: str
    name: str
    fiscal_year: int
    menus: list[MenuInfo]  # the named menus
    fallback: MenuInfo | None  # what is used without a menu
    has_menus: bool


def _explain(kind: str, basic: Decimal, adjusted: Decimal) -> str:
    if kind == "residual":
        return _(
            "残差メニュー: 特定のメニューを契約していないときに使う係数です"
            "（事業者全体から、メニューとして売った分を除いた値）。"
        )
    if kind in ("reference", "whole"):
        return _("事業者全体の値です（メニューごとの値がないときに使います）。")
    text = _(
        "このメニューを契約しているときの係数です。契約書や請求書のメニュー名と同じか確かめてください。"
    )
    if adjusted < basic:
        text += " " + _(
            "調整後排出係数は、再エネ電気などの調達分を差し引いた値で、基礎排出係数より小さくなります。"
        )
    return text


def supplier_menus(*, kind: str, reg: str, fiscal_year: int | None = None) -> SupplierMenus | None:
    """The supplier's menus in the table used for ``fiscal_year`` (the latest if None)."""
    book = factor_book()
    try:
        tables = book.tables[kind]
        fy = fiscal_year if fiscal_year is not None else max(tables)
        table, _provisional = book.table(kind, fy)
    except (CoreError, KeyError, ValueError):
        return None
    supplier = table.suppliers.get((reg or "").strip().upper())
    if supplier is None:
        return None

    def info(m) -> MenuInfo:
        return MenuInfo(m.menu, m.kind, m.basic, m.adjusted, table.unit,
                        _explain(m.kind, m.basic, m.adjusted))  # fmt: skip

    named = [info(m) for m in supplier.menus if m.menu and m.kind == "menu"]
    fallback = next(
        (info(m) for m in supplier.menus if m.kind == "residual"),
        next((info(m) for m in supplier.menus if m.kind in ("reference", "whole")), None),
    )
    return SupplierMenus(
        reg=supplier.reg,
        name=supplier.name,
        fiscal_year=table.fiscal_year,
        menus=named,
        fallback=fallback,
        has_menus=bool(named),
    )


def menu_info(*, kind: str, reg: str, menu: str, fiscal_year: int | None = None):
    """(the factor used for this contract, the supplier's menus) — the named menu's, or the
    residual/whole value where no menu is named."""
    s = supplier_menus(kind=kind, reg=reg, fiscal_year=fiscal_year)
    if s is None:
        return None, None
    if menu:
        return next((m for m in s.menus if m.menu == menu), None), s
    return s.fallback, s


def find_supplier(*, kind: str, reg: str, fiscal_year: int | None = None):
    """The official table's supplier with exactly this registration number, or None."""
    reg = (reg or "").strip().upper()
    if not reg:
        return None
    for info in search_suppliers(reg, kind=kind, fiscal_year=fiscal_year, limit=50):
        if info.reg.upper() == reg:
            return info
    return None
