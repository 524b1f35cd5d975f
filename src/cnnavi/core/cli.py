"""``cnnavi co2`` and ``cnnavi factors``: command-line entry points (no Django).

Both return an exit status: 0 on success, 2 on bad input (nothing on stdout, every problem on
stderr with its line, column and reason).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from cnnavi.core.spreadsheet import csv_writer

from .calc import CalculationError, FiscalYearResult, calculate
from .checks import check_rows
from .energies import energy_catalogue, get_energy
from .factors import search_suppliers
from .tables import (
    TableImportError,
    TablePreview,
    install_table,
    preview_table,
    read_table_file,
)
from .wide import MONTH_COLUMNS

__all__ = ["co2_main", "factors_main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2, message on stderr (argparse default too)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _co2_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="cnnavi co2", description="Compute CO2 from an energy-use CSV or XLSX file.")
    p.add_argument("file", nargs="?", help="CSV (UTF-8 / Shift_JIS) or XLSX file")
    p.add_argument(
        "--template",
        action="store_true",
        help="print a CSV template (units as on the bills) instead of computing",
    )
    p.add_argument(
        "--layout",
        choices=("rows", "months"),
        default="rows",
        help="template layout: one row per month (rows) or months as columns (months)",
    )
    p.add_argument("--fiscal-year", type=int, help="count every record in this fiscal year")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument(
        "--accept-default",
        action="store_true",
        help="use the default value (代替値) for suppliers that are not in the official table",
    )
    p.add_argument("--employees", type=int, help="number of employees (for threshold checks)")
    p.add_argument(
        "--estimate",
        action="store_true",
        help="for a year without a supplier table, estimate (推計) from the nearest published "
        "table; every such figure is marked estimated",
    )
    return p


def _fmt(value, digits: int = 3) -> str:
    return f"{float(value):,.{digits}f}"


def _table(results: list[FiscalYearResult]) -> str:
    out: list[str] = []
    for r in results:
        flag = "  (PROVISIONAL factors)" if r.provisional else ""
        if r.estimated:
            flag += "  (ESTIMATED factors, 推計)"
        if r.user_entered:
            flag += "  (supplier factors entered by the user, 事業者公表値（利用者入力）)"
        out.append(f"FY{r.fiscal_year}{flag}")
        out.append(f"  Scope 1                 {_fmt(r.scope1_t):>14} t-CO2")
        out.append(f"  Scope 2 SHK basic       {_fmt(r.scope2_basic_t):>14} t-CO2")
        out.append(f"  Scope 2 SHK adjusted    {_fmt(r.scope2_adjusted_t):>14} t-CO2")
        out.append(f"  Scope 2 location-based  {_fmt(r.scope2_location_t):>14} t-CO2")
        out.append(f"  Scope 2 market-based    {_fmt(r.scope2_market_t):>14} t-CO2")
        out.append(f"  Energy                  {_fmt(r.energy_gj):>14} GJ")
        out.append(f"  Crude-oil equivalent    {_fmt(r.crude_oil_kl):>14} kL")
        for title, groups in (("energy", r.by_energy), ("facility", r.by_facility)):
            out.append(f"  by {title}:")
            for g in groups:
                out.append(f"    {g.label or '(none)':<28} {_fmt(g.tco2):>14} t-CO2")
        for w in r.warnings:
            out.append(f"  warning: {w}")
        out.append("")
    return "\n".join(out)


def _csv(results: list[FiscalYearResult]) -> str:
    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\n")
    w.writerow(
        [
            "fiscal_year",
            "group",
            "key",
            "tco2",
            "tco2_adjusted",
            "tco2_location",
            "tco2_market",
            "energy_gj",
            "crude_oil_kl",
            "provisional",
            "estimated",
        ]
    )
    for r in results:
        w.writerow(
            [
                r.fiscal_year,
                "total",
                "",
                r.total_basic_t,
                r.total_adjusted_t,
                r.scope1_t + r.scope2_location_t,
                r.scope1_t + r.scope2_market_t,
                r.energy_gj,
                r.crude_oil_kl,
                r.provisional,
                r.estimated,
            ]
        )
        for name, groups in (
            ("energy", r.by_energy),
            ("facility", r.by_facility),
            ("month", r.by_month),
            ("use", r.by_use),
        ):
            for g in groups:
                w.writerow(
                    [
                        r.fiscal_year,
                        name,
                        g.key,
                        g.tco2,
                        g.tco2_adjusted,
                        g.tco2_location,
                        g.tco2_market,
                        g.energy_gj,
                        g.crude_oil_kl,
                        r.provisional,
                        r.estimated,
                    ]
                )
    return buf.getvalue()


# the energies an SME template lists, in this order (each with the unit its bills print)
TEMPLATE_ENERGIES = (
    "electricity", "city_gas", "lpg", "kerosene", "diesel_oil", "gasoline", "heavy_oil_a",
    "heat_steam",
)  # fmt: skip
TEMPLATE_HEADER = (
    "事業所", "年月", "エネルギー", "使用量", "単位", "供給事業者", "メニュー", "金額", "用途",
    "基礎排出係数", "調整後排出係数", "標準熱量",
)  # fmt: skip


MONTHS_TEMPLATE_HEADER = (
    "事業所", "年度", "エネルギー", "単位", "供給事業者", "メニュー", *MONTH_COLUMNS,
)  # fmt: skip


def template_csv(layout: str = "rows") -> str:
    """The CSV template: one example line per common energy, in its bill unit, amounts left
    empty for the user. ``rows``: one line per month (年月, 使用量); ``months``: one line per
    facility, energy and fiscal year with the months as columns (4月 … 3月)."""
    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\n")
    w.writerow(MONTHS_TEMPLATE_HEADER if layout == "months" else TEMPLATE_HEADER)
    for code in TEMPLATE_ENERGIES:
        e = get_energy(code)
        if layout == "months":
            w.writerow(["本社", "2025", e.name_ja, e.bill_unit, ""] + [""] * 13)
        else:
            w.writerow(["本社", "2025-04", e.name_ja, "", e.bill_unit] + [""] * 7)
    return buf.getvalue()


def co2_main(argv: list[str]) -> int:
    """``cnnavi co2 FILE [--fiscal-year N] [--format table|json|csv]``."""
    try:
        args = _co2_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.template:
        sys.stdout.write(template_csv(args.layout))
        return 0
    if not args.file:
        sys.stderr.write("cnnavi co2: error: the file is required (or --template)\n")
        return 2
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"{args.file}: cannot read: {exc.strerror or exc}\n")
        return 2
    # one pass: the reader's and the calculation's errors of every row together
    read = check_rows(
        data,
        filename=args.file,
        fiscal_year=args.fiscal_year,
        accept_default=args.accept_default,
        estimate=args.estimate,
    )
    if read.errors:
        for e in read.errors:
            sys.stderr.write(f"{args.file}: {e}\n")
        return 2
    try:
        results = calculate(
            read.records,
            fiscal_year=args.fiscal_year,
            accept_default=args.accept_default,
            employees=args.employees,
            estimate=args.estimate,
        )
    except CalculationError as exc:
        for e in exc.errors:
            sys.stderr.write(f"{args.file}: {e}\n")
        return 2
    if args.format == "json":
        text = json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = _csv(results)
    else:
        text = _table(results)
    sys.stdout.write(text)
    return 0


def _factors_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="cnnavi factors", description="Official factor tables.")
    sub = p.add_subparsers(dest="command", required=True)
    for kind in ("electricity", "gas", "heat"):
        imp = sub.add_parser(
            f"import-{kind}",
            help=f"load the official {kind} supplier table (PDF, or its text) into the factor data",
        )
        imp.add_argument("file", help="the official PDF, its text (pdftotext -layout) or TSV")
        imp.add_argument(
            "--results-year",
            type=int,
            help="実績 fiscal year, e.g. 2025 (read from the document's title when not given)",
        )
        imp.add_argument("--output", help="file to write (default: the package data directory)")
        imp.add_argument(
            "--dry-run", action="store_true", help="show what would change, write nothing"
        )
    en = sub.add_parser("energies", help="the energy catalogue with each energy's bill unit")
    en.add_argument("--format", choices=("table", "json"), default="table")
    ls = sub.add_parser("list-suppliers", help="search the supplier tables")
    ls.add_argument("--kind", choices=("electricity", "gas", "heat"))
    ls.add_argument("--search", default="")
    ls.add_argument("--fiscal-year", type=int)
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.add_argument("--limit", type=int, default=1000)
    return p


def _preview_lines(p: TablePreview) -> list[str]:
    if p.compared_with is None:
        head = f"no {p.kind} table loaded yet: {len(p.added)} suppliers added"
    elif p.replaces:
        head = f"replaces the FY{p.fiscal_year} {p.kind} table"
    else:
        head = f"new {p.kind} table for FY{p.fiscal_year} (compared with FY{p.compared_with})"
    out = [
        f"{head}: {len(p.added)} added, {len(p.removed)} removed, {len(p.changed)} changed, "
        f"{p.unchanged} unchanged"
    ]
    for label, items in (("added", p.added), ("removed", p.removed), ("changed", p.changed)):
        for c in items:
            out.append(f"  {label:<8} {c.reg:<6} {c.name}")
    for label, (old, new) in (("default value", p.default_value),
                              ("national average", p.national_average)):  # fmt: skip
        if old != new:
            out.append(f"  {label}: {old} -> {new}")
    return out


def _import_table(kind: str, args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"{args.file}: cannot read: {exc.strerror or exc}\n")
        return 2
    try:
        imp = read_table_file(kind, data, filename=args.file, results_year=args.results_year)
    except TableImportError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{args.file}: {problem}\n")
        return 2
    preview = preview_table(imp)
    sys.stdout.write("\n".join(_preview_lines(preview)) + "\n")
    years = f"results FY{imp.results_year} -> emissions FY{imp.fiscal_year}"
    if args.dry_run:
        sys.stdout.write(f"dry run: nothing written ({imp.filename}; {years})\n")
        return 0
    if args.output:
        out = Path(args.output)
        out.write_text(imp.tsv, encoding="utf-8")
    else:
        out = install_table(imp)
    sys.stdout.write(f"wrote {out} ({imp.suppliers} suppliers, {imp.rows} rows; {years})\n")
    return 0


def factors_main(argv: list[str]) -> int:
    """``cnnavi factors import-electricity|import-gas|import-heat FILE [--results-year N]
    [--output PATH] [--dry-run]`` / ``list-suppliers``."""
    try:
        args = _factors_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command.startswith("import-"):
        return _import_table(args.command.removeprefix("import-"), args)
    if args.command == "energies":
        rows = [
            {
                "code": e.code,
                "name_ja": e.name_ja,
                "name_en": e.name_en,
                "kind": e.kind,
                "scope": e.scope,
                "bill_unit": e.bill_unit,
                "bill_units": list(e.bill_units),
                "official_unit": e.default_unit,
                "units": list(e.units),
            }  # fmt: skip
            for e in energy_catalogue()
        ]
        if args.format == "json":
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            for r in rows:
                sys.stdout.write(f"{r['code']:<36} {'/'.join(r['bill_units']):<7} {r['name_ja']}\n")
        return 0
    try:
        found = search_suppliers(
            args.search, kind=args.kind, fiscal_year=args.fiscal_year, limit=args.limit
        )
    except LookupError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    if args.format == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "kind": s.kind,
                        "reg": s.reg,
                        "name": s.name,
                        "menus": list(s.menus),
                        "fiscal_year": s.fiscal_year,
                    }
                    for s in found
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    else:
        for s in found:
            menus = f"  [{', '.join(s.menus)}]" if s.menus else ""
            sys.stdout.write(f"{s.kind:<11} {s.reg:<7} {s.name}{menus}\n")
    return 0


def main() -> int:  # pragma: no cover - convenience for `python -m cnnavi.core.cli`
    argv = sys.argv[1:]
    if argv and argv[0] == "co2":
        return co2_main(argv[1:])
    if argv and argv[0] == "factors":
        return factors_main(argv[1:])
    sys.stderr.write("usage: python -m cnnavi.core.cli {co2,factors} ...\n")
    return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
