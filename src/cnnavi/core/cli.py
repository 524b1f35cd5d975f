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

from cnnavi.common.spreadsheet import csv_writer

from .calc import CalculationError, FiscalYearResult, calculate
from .denki import DenkiParseError, parse_denki_text, write_denki_tsv
from .factors import DATA_DIR, search_suppliers
from .records import read_rows

__all__ = ["co2_main", "factors_main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2, message on stderr (argparse default too)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def _co2_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="cnnavi co2", description="Compute CO2 from an energy-use CSV or XLSX file.")
    p.add_argument("file", help="CSV (UTF-8 / Shift_JIS) or XLSX file")
    p.add_argument("--fiscal-year", type=int, help="count every record in this fiscal year")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument(
        "--accept-default",
        action="store_true",
        help="use the default value (代替値) for suppliers that are not in the official table",
    )
    p.add_argument("--employees", type=int, help="number of employees (for threshold checks)")
    return p


def _fmt(value, digits: int = 3) -> str:
    return f"{float(value):,.{digits}f}"


def _table(results: list[FiscalYearResult]) -> str:
    out: list[str] = []
    for r in results:
        flag = "  (PROVISIONAL factors)" if r.provisional else ""
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
                    ]
                )
    return buf.getvalue()


def co2_main(argv: list[str]) -> int:
    """``cnnavi co2 FILE [--fiscal-year N] [--format table|json|csv]``."""
    try:
        args = _co2_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        sys.stderr.write(f"{args.file}: cannot read: {exc.strerror or exc}\n")
        return 2
    read = read_rows(data, filename=args.file)
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
    imp = sub.add_parser(
        "import-electricity", help="parse a denki text (pdftotext -layout) into package data"
    )
    imp.add_argument("file")
    imp.add_argument("--results-year", type=int, required=True, help="実績 fiscal year, e.g. 2025")
    imp.add_argument("--output", help="file to write (default: the package data directory)")
    ls = sub.add_parser("list-suppliers", help="search the supplier tables")
    ls.add_argument("--kind", choices=("electricity", "gas", "heat"))
    ls.add_argument("--search", default="")
    ls.add_argument("--fiscal-year", type=int)
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.add_argument("--limit", type=int, default=1000)
    return p


def factors_main(argv: list[str]) -> int:
    """``cnnavi factors import-electricity FILE --results-year N`` / ``list-suppliers``."""
    try:
        args = _factors_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if args.command == "import-electricity":
        try:
            text = Path(args.file).read_text(encoding="utf-8")
            table = parse_denki_text(text, results_year=args.results_year)
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"{args.file}: cannot read: {exc}\n")
            return 2
        except DenkiParseError as exc:
            sys.stderr.write(f"{args.file}: {exc}\n")
            return 2
        out = (
            Path(args.output)
            if args.output
            else DATA_DIR / f"electricity_fy{table.emission_year}.tsv"
        )
        out.write_text(write_denki_tsv(table), encoding="utf-8")
        sys.stdout.write(
            f"wrote {out} ({table.supplier_count} suppliers, {len(table.rows)} rows; "
            f"results FY{table.results_year} -> emissions FY{table.emission_year})\n"
        )
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
