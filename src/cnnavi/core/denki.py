"""Parser for the official electricity-supplier factor table (電気事業者別排出係数).

The input is the text that ``pdftotext -layout`` extracts from the MOE/METI PDF. In that layout
a supplier with several menus spreads over several lines, and the line with its registration
number sits somewhere in the middle of its block (the PDF centres it vertically)::

                                    メニューA           0.000000     0.000000
    A0006   エバーグリーン・マーケティング(株)   メニューB(残差)  0.000374  0.000374  16.15  ...
                                    (参考値)事業者全体      0.000308     0.000308

A block of menus always closes with its ``(参考値)事業者全体`` line; a supplier without menus is a
single line. Menu lines seen before the registration line are held until that line arrives.

The output is a tab-separated file that keeps the attribution header of the official file,
adds ``#@ key=value`` metadata lines (results year, emission year, document, default value and
national average) and one row per factor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["DenkiParseError", "DenkiRow", "DenkiTable", "parse_denki_text", "write_denki_tsv"]

_VALUE = r"(\d\.\d{6})(※?)"
_REG_LINE = re.compile(r"^\s*([A-Z]\d{4})\s+(.+?)\s*$")
_MENU = re.compile(r"(メニュー[^\s]*|\(参考値\)事業者全体)")
_TWO_VALUES = re.compile(_VALUE + r"\s+" + _VALUE)
_RATE = re.compile(r"(?:^|\s)(\d{1,3}\.\d{2}|-)(?:\s|$)")
_PAGE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*ページ\s*$")
_GRID = re.compile(r"^\s*(\d{1,2})\s+(\S+)\s+" + _VALUE + r"\s+" + _VALUE)
_DEFAULT = re.compile(r"^\s*代替値\s+(\d\.\d{6})\s*$")
_NATIONAL = re.compile(r"^\s*全国平均係数\S*\s+(\d\.\d{6})\s*$")
_RESULTS_YEAR = re.compile(r"[-－]\s*R(\d+)年度実績\s*[-－]")
_EMISSION_YEAR = re.compile(r"令和(\d+)年度の温室効果ガス排出量を算定する際に用いる")
_TITLE = re.compile(r"^\s*電気事業者別排出係数")
_PUBLISHED = re.compile(r"R\s*(\d+)\s*\.\s*(\d+)\s*\.\s*(\d+)\s*環境省・経済産業省公表")

REIWA_OFFSET = 2018  # 令和 N 年 = 2018 + N


class DenkiParseError(ValueError):
    """The text does not look like the official table, or a block could not be read."""


@dataclass(frozen=True, slots=True)
class DenkiRow:
    """One factor row. ``kind`` is whole | menu | residual | reference | grid."""

    reg: str
    name: str
    menu: str
    kind: str
    basic: Decimal
    adjusted: Decimal
    basic_substituted: bool
    adjusted_substituted: bool
    capture_rate: str
    page: int


@dataclass(frozen=True, slots=True)
class DenkiTable:
    header_lines: tuple[str, ...]
    title: str
    results_year: int
    emission_year: int
    published: str
    default_value: Decimal
    national_average: Decimal
    rows: tuple[DenkiRow, ...]

    @property
    def supplier_count(self) -> int:
        return len({r.reg for r in self.rows if r.kind != "grid"})


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _menu_kind(menu: str) -> str:
    if menu.startswith("(参考値)"):
        return "reference"
    if "(残差)" in menu:
        return "residual"
    return "menu"


def _split_values(text: str) -> tuple[str, Decimal, Decimal, bool, bool, str] | None:
    """Return (text before the values, basic, adjusted, flags, capture rate) or None."""
    m = _TWO_VALUES.search(text)
    if not m:
        return None
    rest = text[m.end() :]
    rate = _RATE.search(rest)
    return (
        text[: m.start()],
        Decimal(m.group(1)),
        Decimal(m.group(3)),
        m.group(2) == "※",
        m.group(4) == "※",
        rate.group(1) if rate else "",
    )


def parse_denki_text(text: str, *, results_year: int | None = None) -> DenkiTable:
    """Parse the pdftotext layout text of the official table.

    ``results_year`` (the 実績 fiscal year) is read from the title line when not given; the
    emission year is always ``results_year + 1`` (results of year N apply to emissions of N+1),
    and where the document states it (令和N年度の…算定する際に用いる) the two must agree.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = text.split("\n")
    header = tuple(line for line in lines if line.startswith("#"))
    title = ""
    published = ""
    doc_results_year = None
    doc_emission_year = None
    default_value = national = None
    rows: list[DenkiRow] = []
    pending: list[tuple[str, str]] = []  # (menu, value text) seen before the registration line
    current: tuple[str, str] | None = None  # (reg, name) of the open block
    page = 0
    in_grid = False
    problems: list[str] = []

    def add(reg: str, name: str, menu: str, values_text: str, lineno: int) -> None:
        parsed = _split_values(values_text)
        if parsed is None:
            problems.append(f"line {lineno}: no factor values for {reg} {menu}")
            return
        _, basic, adjusted, fb, fa, rate = parsed
        kind = _menu_kind(menu) if menu else "whole"
        rows.append(DenkiRow(reg, name, menu, kind, basic, adjusted, fb, fa, rate, page))

    for lineno, raw in enumerate(lines, start=1):
        if raw.startswith("#"):
            continue
        line = _nfkc(raw)
        if m := _PAGE.match(line):
            page = int(m.group(1))
            continue
        if not title and _TITLE.match(line):
            title = raw.strip()
            continue
        if m := _RESULTS_YEAR.search(line):
            doc_results_year = REIWA_OFFSET + int(m.group(1))
            if title and "実績" in line and title.count("実績") == 0:
                title = f"{title} {raw.strip()}"
            p = _PUBLISHED.search(line)
            if p:
                published = (
                    f"{REIWA_OFFSET + int(p.group(1)):04d}-{int(p.group(2)):02d}-"
                    f"{int(p.group(3)):02d}"
                )
            continue
        if m := _EMISSION_YEAR.search(line):
            doc_emission_year = REIWA_OFFSET + int(m.group(1))
            continue
        if "【一般送配電事業者】" in line:
            in_grid = True
            continue
        if "【小売電気事業者】" in line:
            in_grid = False
            continue
        if m := _DEFAULT.match(line):
            default_value = Decimal(m.group(1))
            continue
        if m := _NATIONAL.match(line):
            national = Decimal(m.group(1))
            continue
        if in_grid:
            if m := _GRID.match(line):
                no = int(m.group(1))
                rate = _RATE.search(line[m.end() :])
                rows.append(
                    DenkiRow(
                        f"GRID{no:02d}",
                        m.group(2),
                        "",
                        "grid",
                        Decimal(m.group(3)),
                        Decimal(m.group(5)),
                        m.group(4) == "※",
                        m.group(6) == "※",
                        rate.group(1) if rate else "",
                        page,
                    )
                )
            continue
        if m := _REG_LINE.match(line):
            reg, rest = m.group(1), m.group(2)
            menu_m = _MENU.search(rest)
            values = _split_values(rest)
            if menu_m:
                name = rest[: menu_m.start()].strip()
                current = (reg, name)
                for menu, vt in pending:
                    add(reg, name, menu, vt, lineno)
                pending = []
                menu = menu_m.group(1)
                add(reg, name, menu, rest[menu_m.end() :], lineno)
                if _menu_kind(menu) == "reference":
                    current = None
            elif values is not None:
                if pending:
                    problems.append(f"line {lineno}: menus before {reg} without a block")
                    pending = []
                name = values[0].strip()
                add(reg, name, "", rest, lineno)
                current = None
            else:
                # registration line without values: the block's menus surround it
                name = re.split(r"\s{2,}", rest.strip())[0]
                current = (reg, name)
                for menu, vt in pending:
                    add(reg, name, menu, vt, lineno)
                pending = []
            continue
        menu_m = _MENU.search(line)
        if menu_m and _TWO_VALUES.search(line):
            menu = menu_m.group(1)
            if current is not None:
                add(current[0], current[1], menu, line[menu_m.end() :], lineno)
                if _menu_kind(menu) == "reference":
                    current = None
            else:
                pending.append((menu, line[menu_m.end() :]))
            continue
        # anything else (headings, notes, wrapped reasons) carries no factor

    if pending:
        problems.append(f"{len(pending)} menu line(s) at the end belong to no supplier")
    if not rows:
        problems.append("no supplier rows found: is this the electricity-supplier table?")
    if default_value is None:
        problems.append("default value (代替値) not found")
    if national is None:
        problems.append("national average (全国平均係数) not found")
    ry = results_year or doc_results_year
    if ry is None:
        problems.append("results year (－R?年度実績－) not found; pass --results-year")
    elif doc_results_year is not None and results_year and results_year != doc_results_year:
        problems.append(
            f"--results-year {results_year} disagrees with the document (FY{doc_results_year})"
        )
    if ry is not None and doc_emission_year is not None and doc_emission_year != ry + 1:
        problems.append(
            f"document says emissions of FY{doc_emission_year}, expected FY{ry + 1} "
            f"for results of FY{ry}"
        )
    if problems:
        raise DenkiParseError("; ".join(problems))
    assert ry is not None and default_value is not None and national is not None
    return DenkiTable(
        header_lines=header,
        title=title,
        results_year=ry,
        emission_year=ry + 1,
        published=published,
        default_value=default_value,
        national_average=national,
        rows=tuple(rows),
    )


TSV_COLUMNS = (
    "reg",
    "name",
    "menu",
    "kind",
    "basic",
    "adjusted",
    "basic_substituted",
    "adjusted_substituted",
    "capture_rate",
    "page",
)


def write_denki_tsv(table: DenkiTable) -> str:
    """Render the package-data TSV (attribution header kept verbatim)."""
    out = list(table.header_lines)
    out += [
        "# 以下は上記の公表テキストを CN Navi (cnnavi.core.denki) が表形式に変換したもの。",
        "#@ kind=electricity",
        f"#@ results_year={table.results_year}",
        f"#@ emission_year={table.emission_year}",
        f"#@ document={table.title}",
        "#@ publisher=環境省・経済産業省 (MOE/METI); processed by Japan GX Group and CN Navi",
        f"#@ published={table.published}",
        "#@ url=https://policies.env.go.jp/earth/ghg-santeikohyo/calc.html",
        "#@ unit=t-CO2/kWh",
        f"#@ default_value={table.default_value}",
        f"#@ national_average={table.national_average}",
        "\t".join(TSV_COLUMNS),
    ]
    for r in table.rows:
        out.append(
            "\t".join(
                [
                    r.reg,
                    r.name,
                    r.menu,
                    r.kind,
                    str(r.basic),
                    str(r.adjusted),
                    "1" if r.basic_substituted else "0",
                    "1" if r.adjusted_substituted else "0",
                    r.capture_rate,
                    str(r.page),
                ]
            )
        )
    return "\n".join(out) + "\n"
