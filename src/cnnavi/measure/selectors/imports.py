"""Reads of the import pages: plan a file import (parse with the CLI's parser,
``cnnavi.core.read_rows``; match the facilities; compute each row with the core; compare with
what is stored) and the company's imports. Writing the plan is ``services.import_commit``'s.

A row's key is (facility, month, energy, supplier as written); importing replaces every stored
row of a key that the file contains. Rows whose key already holds exactly the same values are
left alone, so importing the same file twice changes nothing."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from cnnavi.core import Record, RowError, calculate_record, error_column, read_rows
from cnnavi.measure import rules
from cnnavi.measure.calc import Contracts
from cnnavi.measure.labels import energy_label
from cnnavi.measure.messages import flag_message
from cnnavi.measure.models import EnergyImport, EnergyRecord, ImportStatus, ImportWork
from cnnavi.measure.selectors import estimate_allowed
from cnnavi.orgs.models import Company, Facility

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
PREVIEW_ROWS = 500  # rows the preview page shows
PROGRESS_EVERY = 2_000  # rows between two progress reports of a parse (not every row)
_COLUMNS = {"supplier": _l("供給事業者"), "menu": _l("メニュー"), "energy": _l("エネルギー")}


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


@dataclass
class PlanRow:
    line: int
    facility: str
    month: str
    energy: str
    energy_label: str
    amount: Decimal
    unit: str
    cost_yen: int | None
    supplier: str
    menu: str
    use: str
    status: str = NEW
    # a changed row: what is stored now for its facility, month, energy and supplier (the
    # amounts summed where they share one unit; None where the units differ)
    current_amount: Decimal | None = None
    current_unit: str = ""
    tco2: Decimal | None = None
    problem: str = ""  # the core could not compute the row (saved, but not counted yet)
    problem_error: RowError | None = None  # the same with the core's code and parameters
    # the row's CO2 uses a factor estimated from another year's table (推計) or the contract's
    # supplier notice (事業者公表値（利用者入力）): the preview says so
    estimated: bool = False
    user_entered: bool = False


@dataclass
class ImportPlan:
    rows: list[PlanRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # keys -> ids of stored records to delete, and records to insert
    delete_ids: list[int] = field(default_factory=list)
    # (facility_id, month, energy, amount, unit, cost_yen, supplier, menu, use)
    inserts: list[tuple] = field(default_factory=list)
    # file lines whose facility, month and energy also hold stored rows of another supplier
    # (those stay, and both count)
    overlaps: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def count_new(self) -> int:
        return self.count(NEW)

    @property
    def count_changed(self) -> int:
        return self.count(CHANGED)

    @property
    def count_unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def replaced(self) -> int:
        return len(self.delete_ids)

    @property
    def changes_anything(self) -> bool:
        return bool(self.delete_ids or self.inserts)


def imports_of_company(*, company: Company):
    return EnergyImport.objects.filter(company=company).defer("data")[:20]


def import_progress(imp: EnergyImport) -> tuple[int, int] | None:
    """(rows read, rows in the file) while the task worker parses, as it last stored them."""
    found = (imp.preview or {}).get("progress") if imp.work == ImportWork.RUNNING else None
    if not found or not found.get("total"):
        return None
    return min(found["read"], found["total"]), found["total"]


def pending_import(*, company: Company, import_id) -> EnergyImport | None:
    return EnergyImport.objects.filter(
        company=company, pk=import_id, status=ImportStatus.PENDING
    ).first()


def plan_import(
    *,
    company: Company,
    data: bytes,
    filename: str = "",
    co2_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Parse, match, check and compare a file. ``co2_rows`` limits how many rows get their own
    tCO2 (a page shows the first few hundred); every row is checked either way. ``progress``
    is called with (rows done, rows read) once the file is read, every PROGRESS_EVERY rows
    checked, and at the end."""
    read = read_rows(data, filename=filename)
    total = len(read.records)
    if progress:
        progress(0, total)
    plan = ImportPlan(errors=list(read.errors))
    good = _matched_rows(
        company=company, records=read.records, errors=plan.errors, headers=dict(read.headers)
    )
    if not good:
        return plan
    stored = _stored_rows(good)
    incoming: dict[tuple, list[_Row]] = defaultdict(list)
    for item in good:
        rec, facility, month = item
        incoming[(facility.pk, month, rec.energy, rec.supplier)].append(item)
    plan.overlaps = _overlaps(stored, incoming)
    checker = _Checker(company=company, co2_lines=None if co2_rows is None else {
        r.line for r, _, _ in good[:co2_rows]})  # fmt: skip
    done = total - len(good)  # the rows refused while matching are done
    for key, items in incoming.items():
        old = stored.get(key, [])
        status = _status(old, items)
        if status != UNCHANGED:
            plan.delete_ids += [o[0] for o in old]
            plan.inserts += [
                (facility.pk, month, r.energy, r.amount, r.unit, r.cost_yen, r.supplier, r.menu,
                 r.use)
                for r, facility, month in items
            ]  # fmt: skip
        for item in items:
            plan.rows.append(checker.row(item, status, old))
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
    if progress:
        progress(total, total)
    plan.errors += checker.errors
    plan.rows.sort(key=lambda r: r.line)
    plan.errors.sort(key=lambda e: e.line)
    if plan.errors:
        plan.delete_ids, plan.inserts = [], []
    return plan


_Row = tuple[Record, Facility, date]  # a file's row, its facility and its month


# The core reads these optional columns, but an energy record does not keep them: a supplier's
# own factor is entered once per contract and fiscal year (SupplierNotice), never dropped
# silently from a file.
_NOT_STORED = (("basic_factor", "基礎排出係数"), ("adjusted_factor", "調整後排出係数"),
               ("heat_value", "標準熱量"))  # fmt: skip


def _matched_rows(
    *, company: Company, records: list[Record], errors: list[RowError], headers: dict | None = None
) -> list[_Row]:
    """The file's rows matched to the company's facilities; a row naming an unknown facility,
    an amount out of range, a key repeated within the file or a supplier factor or heat value
    (kept per contract, not per record) is an error."""
    headers = headers or {}
    facilities = {_norm(f.name): f for f in Facility.objects.filter(company=company)}
    only = next(iter(facilities.values())) if len(facilities) == 1 else None
    good: list[_Row] = []
    seen: dict[tuple, int] = {}
    for rec in records:
        facility = facilities.get(_norm(rec.facility)) if rec.facility else only
        error = _row_problem(rec, facility, headers)
        if error is not None:
            errors.append(error)
            continue
        month = rules.parse_month_text(rec.month)
        key = (facility.pk, month, rec.energy, rec.supplier, rec.use)
        if key in seen:
            errors.append(
                RowError(
                    rec.line,
                    "",
                    _("事業所・年月・エネルギー・供給事業者・用途が %(line)d 行目と同じです。")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = rec.line
        good.append((rec, facility, month))
    return good


def _row_problem(rec: Record, facility: Facility | None, headers: dict) -> RowError | None:
    """The row's own error, if any: its facility unknown (or not named where the company has
    several), a column the records do not store, or an amount out of range."""
    if facility is None:
        reason = (
            _("事業所「%(name)s」は登録されていません。先に事業所を登録してください。")
            % {"name": rec.facility}
            if rec.facility
            else _("事業所が空です（事業所が2つ以上あるときは必須です）。")
        )
        return RowError(rec.line, _("事業所"), reason)
    given = [
        headers.get(name, label)
        for name, label in _NOT_STORED
        if getattr(rec, name, None) is not None
    ]
    if given:
        return RowError(
            rec.line,
            given[0],
            _(
                "%(columns)s はファイルからは取り込めません。供給事業者が公表した係数は、"
                "事業所の供給契約の「事業者公表値（利用者入力）」で年度ごとに入力してください"
                "（その契約の記録すべてに使います）。"
            )
            % {"columns": "、".join(given)},
        )
    if rec.amount > rules.AMOUNT_MAX or -rec.amount.as_tuple().exponent > rules.AMOUNT_DECIMALS:
        return RowError(rec.line, _("使用量"), _("使用量は14桁まで、小数点以下6桁までです。"))
    return None


def _stored_rows(good: list[_Row]) -> dict[tuple, list[tuple]]:
    """What is stored for the file's keys: (id, use, amount, unit, cost, menu) per key."""
    fids = {f.pk for _, f, _ in good}
    months = [m for _, _, m in good]
    stored: dict[tuple, list[tuple]] = defaultdict(list)
    for pk, fid, month, energy, supplier, use, amount, unit, cost, menu in (
        EnergyRecord.objects.filter(
            facility_id__in=fids, month__gte=min(months), month__lte=max(months)
        )
        .order_by()
        .values_list(
            "pk", "facility_id", "month", "energy", "supplier", "use", "amount", "unit",
            "cost_yen", "menu",
        )
    ):  # fmt: skip
        stored[(fid, month, energy, supplier)].append((pk, use, amount, unit, cost, menu))
    return stored


def _overlaps(stored: dict[tuple, list[tuple]], incoming: dict[tuple, list[_Row]]) -> list[int]:
    """The file's lines whose facility, month and energy also hold stored rows of a supplier the
    file does not name (those stay, and both count)."""
    suppliers_stored: dict[tuple, set[str]] = defaultdict(set)
    for fid, month, energy, supplier in stored:
        suppliers_stored[(fid, month, energy)].add(supplier)
    suppliers_in_file: dict[tuple, set[str]] = defaultdict(set)
    for fid, month, energy, supplier in incoming:
        suppliers_in_file[(fid, month, energy)].add(supplier)
    lines = []
    for (fid, month, energy, _supplier), items in incoming.items():
        if (
            suppliers_stored.get((fid, month, energy), set())
            - suppliers_in_file[(fid, month, energy)]
        ):
            lines += [r.line for r, _, _ in items]
    return sorted(lines)


def _status(old: list[tuple], items: list[_Row]) -> str:
    """A key's status: new (nothing stored), unchanged (exactly the same values), changed."""
    if not old:
        return NEW
    old_values = sorted((u, a.normalize(), un, c, mn) for _, u, a, un, c, mn in old)
    new_values = sorted(
        (r.use, r.amount.normalize(), r.unit, r.cost_yen, r.menu) for r, _, _ in items
    )
    return UNCHANGED if old_values == new_values else CHANGED


class _Checker:
    """Computes the file's rows with the core. The core checks each distinct (year, energy,
    unit, supplier, menu) once: any failure is a failure of every row that shares it. Rows get
    their own tCO2 up to ``co2_lines`` (all where None)."""

    def __init__(self, *, company: Company, co2_lines: set[int] | None) -> None:
        self.contracts = Contracts(company=company)
        self.estimate = estimate_allowed(company=company)  # as the dashboard will compute
        self.co2_lines = co2_lines
        self.checked: dict[tuple, Exception | None] = {}
        self.errors: list[RowError] = []

    def row(self, item: _Row, status: str, old: list[tuple]) -> PlanRow:
        rec, facility, month = item
        supplier, menu = rec.supplier, rec.menu
        notice = self.contracts.notice(facility.pk, rec.energy, month, supplier)
        if not supplier:
            supplier, menu = self.contracts.supplier_and_menu(facility.pk, rec.energy, month, menu)
        core_rec = Record(
            month=rec.month,
            energy=rec.energy,
            amount=rec.amount,
            unit=rec.unit,
            facility=facility.name,
            supplier=supplier,
            menu=menu,
            cost_yen=rec.cost_yen,
            use=rec.use,
            line=rec.line,
            energy_text=rec.energy_text,
            basic_factor=notice[0] if notice else None,
            adjusted_factor=notice[1] if notice else None,
        )
        row = PlanRow(
            line=rec.line,
            facility=facility.name,
            month=rec.month,
            energy=rec.energy,
            energy_label=energy_label(rec.energy),
            amount=rec.amount,
            unit=rec.unit,
            cost_yen=rec.cost_yen,
            supplier=rec.supplier,
            menu=rec.menu,
            use=rec.use,
            status=status,
        )
        if status == CHANGED and len({o[3] for o in old}) == 1:
            row.current_amount = sum((o[2] for o in old), Decimal(0))
            row.current_unit = old[0][3]
        self._compute(row, core_rec, (rec.fiscal_year, rec.energy, rec.unit, supplier, menu,
                                      rec.energy_text, notice))  # fmt: skip
        return row

    def _compute(self, row: PlanRow, core_rec: Record, combo: tuple) -> None:
        wants_co2 = self.co2_lines is None or row.line in self.co2_lines
        if combo not in self.checked:
            try:
                result = calculate_record(core_rec, estimate=self.estimate)
                self.checked[combo] = None
                if wants_co2:
                    row.tco2 = result.tco2
                    row.estimated, row.user_entered = result.estimated, result.user_entered
            except Exception as exc:  # noqa: BLE001 - the core explains why
                self.checked[combo] = exc
        elif self.checked[combo] is None and wants_co2:
            result = calculate_record(core_rec, estimate=self.estimate)
            row.tco2 = result.tco2
            row.estimated, row.user_entered = result.estimated, result.user_entered
        exc = self.checked[combo]
        if exc is None:
            return
        error = RowError.of(row.line, "", exc)
        if error.code == "factor.year_unavailable":
            # the factors of that year are not published (or not imported) yet
            row.problem, row.problem_error = error.reason, error
        else:
            column = _COLUMNS[error_column(exc)]
            self.errors.append(
                RowError(row.line, str(column), error.reason, error.code, error.params)
            )


@dataclass
class StoredPlan:
    """The plan the task worker kept (services.import_store_preview), as the preview shows it."""

    rows: list[PlanRow]
    errors: list[RowError]
    row_count: int
    count_new: int
    count_changed: int
    count_unchanged: int
    overlaps: list[int]
    changes_anything: bool
    ok: bool
    error_count: int

    def count(self, status: str) -> int:
        return {NEW: self.count_new, "changed": self.count_changed}.get(
            status, self.count_unchanged if status == "unchanged" else 0
        )


def _stored_error(e: dict) -> RowError:
    return RowError(
        e["line"], e["column"], e["reason"], e["code"], tuple(tuple(p) for p in e["params"])
    )


def stored_plan(preview: dict) -> StoredPlan:
    rows = []
    for r in preview.get("rows", []):
        fields = dict(r)
        fields["amount"] = Decimal(fields["amount"])
        for key in ("current_amount", "tco2"):
            if fields[key] is not None:
                fields[key] = Decimal(fields[key])
        if fields["problem_error"] is not None:
            fields["problem_error"] = _stored_error(fields["problem_error"])
        rows.append(PlanRow(**fields))
    return StoredPlan(
        rows=rows,
        errors=[_stored_error(e) for e in preview.get("errors", [])],
        row_count=preview.get("row_count", 0),
        count_new=preview.get("new", 0),
        count_changed=preview.get("changed", 0),
        count_unchanged=preview.get("unchanged", 0),
        overlaps=preview.get("overlaps", []),
        changes_anything=preview.get("changes_anything", False),
        ok=preview.get("ok", False),
        error_count=preview.get("error_count", 0),
    )


def stored_flags(preview: dict) -> dict[int, tuple[rules.Plausibility, str]]:
    """The questioned amounts the task worker kept with the preview: line -> (the rule's
    answer, the row's unit), as ``plausibility.check_rows`` gave them."""
    out = {}
    for line, f in (preview or {}).get("flags", {}).items():
        check = rules.Plausibility(
            kind=f["kind"],
            ratio=Decimal(f["ratio"]),
            reference=None if f["reference"] is None else Decimal(f["reference"]),
            cause=f["cause"],
            units=tuple(f["units"]) if f["units"] else None,
        )
        out[int(line)] = (check, f["unit"])
    return out


# --------------------------------------------------------------------------- the preview page


def import_working(imp: EnergyImport) -> bool:
    """The task worker has the file (parsing it, or writing it): the page polls."""
    return imp.status == ImportStatus.PENDING and imp.work in (
        ImportWork.QUEUED,
        ImportWork.RUNNING,
        ImportWork.COMMITTING,
    )


def _preview_table(plan: StoredPlan, flags: dict) -> list[dict]:
    """The rows in file order, the bad lines among them (with their errors) where they are,
    each good row with its question (a value unlike the usual), if any."""
    bad: dict[int, list] = {}
    for e in plan.errors:
        if e.line:
            bad.setdefault(e.line, []).append(e)
    table = [{"line": r.line, "row": r, "errors": ()} for r in plan.rows]
    table += [{"line": line, "row": None, "errors": errs} for line, errs in bad.items()]
    table.sort(key=lambda t: t["line"])
    for t in table:
        found = flags.get(t["line"]) if t["row"] is not None else None
        t["flag"] = flag_message(*found) if found else ""
    return table


def preview_page(imp: EnergyImport) -> dict:
    """What the preview page shows: the plan the task worker stored (never the file parsed
    again), or how far the worker is while it works."""
    plan = None
    if imp.status == ImportStatus.PENDING and imp.work == ImportWork.READY:
        plan = stored_plan(imp.preview)
    flags = stored_flags(imp.preview) if plan else {}
    table = _preview_table(plan, flags) if plan else []
    return {
        "imp": imp,
        "plan": plan,
        "working": import_working(imp),
        "progress": import_progress(imp),
        "failed": imp.work == ImportWork.FAILED,
        "rows": table[:PREVIEW_ROWS],
        "more_rows": max(0, plan.row_count - PREVIEW_ROWS) if plan else 0,
        "flagged": imp.preview.get("flag_count", len(flags)) if plan else 0,
    }


# --------------------------------------------------------------------------- the API's status


@dataclass
class ImportState:
    """An import as the API's status answers it (docs/decisions/1006)."""

    state: str  # queued, parsing, ready, failed, committing, committed, discarded
    plan: StoredPlan | None = None
    progress: tuple[int, int] | None = None
    errors: list[RowError] = field(default_factory=list)
    detail: str = ""


def import_state(imp: EnergyImport) -> ImportState:
    if imp.status == ImportStatus.DISCARDED:
        return ImportState("discarded")
    has_plan = "rows" in (imp.preview or {})
    plan = stored_plan(imp.preview) if has_plan else None
    if imp.status == ImportStatus.COMMITTED:
        return ImportState("committed", plan=plan)
    if imp.work == ImportWork.FAILED:
        unreadable = RowError.coded(0, "", "the file could not be read", "file.unreadable")
        return ImportState("failed", errors=[unreadable], detail=unreadable.reason)
    if imp.work != ImportWork.READY or plan is None:
        state = {ImportWork.RUNNING: "parsing", ImportWork.COMMITTING: "committing"}
        return ImportState(state.get(imp.work, "queued"), progress=import_progress(imp))
    if imp.preview.get("commit_error"):
        return ImportState(
            "failed", plan=plan, errors=plan.errors, detail=imp.preview["commit_error"]
        )
    if not plan.ok:
        detail = "the file has errors: see errors"
        return ImportState("failed", plan=plan, errors=plan.errors, detail=detail)
    return ImportState("ready", plan=plan)
