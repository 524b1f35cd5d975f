"""Writes of the measure app. Each service owns its transaction and writes an audit entry."""

from __future__ import annotations

import hashlib
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.audit.services import audit_record
from cnnavi.core import EnergyError, get_energy
from cnnavi.core.tables import install_table
from cnnavi.measure import limits, rules
from cnnavi.measure.calc import data_changed, fy_range
from cnnavi.measure.models import (
    ActivityVolume,
    CalcSettings,
    EnergyImport,
    EnergyRecord,
    FactorTableUpload,
    GridRow,
    ImportStatus,
    ImportWork,
    SupplierNotice,
    SupplyContract,
    SupplyKind,
    UnitPreference,
    UseShare,
)
from cnnavi.measure.selectors import factor_tables, plausibility
from cnnavi.measure.selectors.dashboard import _fingerprint_of as dashboard_fingerprint
from cnnavi.measure.selectors.imports import plan_import
from cnnavi.measure.selectors.suppliers import find_supplier
from cnnavi.orgs.models import Company, Facility

MAX_IMPORT_BYTES = limits.MAX_BYTES
MAX_CONCURRENT_IMPORTS = 2  # per company, parsing or writing at once
PREVIEW_ROWS = 500  # rows (and errors) kept for the preview page


def check_import_limits(data: bytes, filename: str = "") -> int | None:
    """ValidationError (code "too_large") naming the limit a file exceeds, before parsing;
    else the rows counted on the bytes (limits.check)."""
    try:
        return limits.check(data, filename)
    except limits.LimitExceeded as exc:
        # the limit stays as the cause: the API answers it in English, naming the limit
        raise ValidationError(
            {"file": ValidationError(limit_message(exc), code="too_large")}
        ) from exc


def limit_message(exc: limits.LimitExceeded) -> str:
    texts = {
        "bytes": _("ファイルが大きすぎます（%(mb)dMBまで）。") % {"mb": limits.MAX_BYTES // 2**20},
        "rows": _("行が多すぎます（%(n)s 行まで）。ファイルを分けてください。")
        % {"n": f"{limits.MAX_ROWS:,}"},
        "xlsx_uncompressed": _("XLSXの展開後の大きさが上限（%(mb)dMB）を超えています。")
        % {"mb": limits.MAX_XLSX_UNCOMPRESSED // 2**20},
        "xlsx_ratio": _("XLSXの圧縮率が異常です（展開すると%(n)d倍を超えます）。")
        % {"n": limits.MAX_XLSX_RATIO},
        "columns": _("列が多すぎます（%(n)d 列まで）。") % {"n": limits.MAX_COLUMNS},
        "xlsx": _("XLSXファイルとして読めません。"),
    }
    return texts.get(exc.limit, str(exc))


def _check_energy_unit(energy: str, unit: str) -> None:
    try:
        e = get_energy(energy)
    except EnergyError:
        raise ValidationError({"energy": _("エネルギーの種類が正しくありません。")}) from None
    if unit not in e.units:
        raise ValidationError(
            {
                "unit": _("%(energy)s の単位は %(units)s のいずれかです。")
                % {"energy": e.name_ja, "units": "、".join(e.units)}
            }
        )


def _remember_unit(facility: Facility, energy: str, unit: str) -> None:
    """The unit this facility's bills of the energy are typed in, for its next rows."""
    UnitPreference.objects.update_or_create(
        facility=facility, energy=energy, defaults={"unit": unit}
    )


def default_unit(*, facility: Facility, energy: str) -> str:
    """The unit a new row of the energy starts with: the facility's remembered unit, else the
    unit its bills print (the core catalogue's ``Energy.bill_unit``), else the core's default."""
    e = get_energy(energy)
    pref = (
        UnitPreference.objects.filter(facility=facility, energy=e.code)
        .values_list("unit", flat=True)
        .first()
    )
    if pref and pref in e.units:
        return pref
    return rules.bill_unit(e.code)


# --------------------------------------------------------------------------- contracts


@transaction.atomic(durable=True)
def contract_save(
    *,
    actor,
    facility: Facility,
    kind: str,
    supplier_reg: str,
    menu: str,
    valid_from: date,
    heat_value: Decimal | None = None,
) -> SupplyContract:
    """Record the supplier (and menu) of a facility from a month on; a contract starting in
    the same month is replaced. ``heat_value``: city gas only, the standard heat value its
    bills print (MJ/m3), used for the 省エネ法 energy."""
    if heat_value is not None and kind != SupplyKind.GAS:
        raise ValidationError({"heat_value": _("標準熱量は都市ガスの契約だけに入力します。")})
    info = find_supplier(kind=kind, reg=supplier_reg)
    if info is None:
        raise ValidationError(
            {"supplier_reg": _("公表されている事業者一覧に、この登録番号はありません。")}
        )
    menu = (menu or "").strip()
    if menu and menu not in info.menus:
        raise ValidationError({"menu": _("この事業者のメニューから選んでください。")})
    valid_from = date(valid_from.year, valid_from.month, 1)
    # A contract starting in the same month is replaced.
    SupplyContract.objects.filter(facility=facility, kind=kind, valid_from=valid_from).delete()
    contract = SupplyContract.objects.create(
        facility=facility,
        kind=kind,
        valid_from=valid_from,
        supplier_reg=info.reg,
        supplier_name=info.name,
        menu=menu,
        heat_value=heat_value,
    )
    data_changed(company=facility.company)
    audit_record(
        actor=actor,
        action="measure.contract_save",
        target=contract,
        company=facility.company,
        data={
            "kind": kind,
            "supplier": info.reg,
            "menu": menu,
            "from": str(valid_from),
            **({"heat_value": str(heat_value)} if heat_value is not None else {}),
        },
    )
    return contract


@transaction.atomic(durable=True)
def contract_delete(*, actor, contract: SupplyContract) -> None:
    data_changed(company=contract.facility.company)
    audit_record(
        actor=actor,
        action="measure.contract_delete",
        target=contract,
        company=contract.facility.company,
    )
    contract.delete()


# --------------------------------------------------------------------------- grid


@transaction.atomic(durable=True)
def grid_row_add(*, actor, facility: Facility, fiscal_year: int, energy: str, unit: str) -> GridRow:
    _check_energy_unit(energy, unit)
    row, _created = GridRow.objects.update_or_create(
        facility=facility, fiscal_year=fiscal_year, energy=energy, defaults={"unit": unit}
    )
    _remember_unit(facility, energy, unit)
    data_changed(company=facility.company, fiscal_years=[fiscal_year])
    audit_record(
        actor=actor,
        action="measure.grid_row_add",
        target=row,
        company=facility.company,
        data={"fiscal_year": fiscal_year, "energy": energy, "unit": unit},
    )
    return row


@transaction.atomic(durable=True)
def grid_rows_copy(*, actor, facility: Facility, fiscal_year: int) -> int:
    """Start a year with last year's rows (energies and units; the amounts stay empty)."""
    start, end = fy_range(fiscal_year - 1)
    wanted: dict[str, str] = {
        r.energy: r.unit
        for r in GridRow.objects.filter(facility=facility, fiscal_year=fiscal_year - 1)
    }
    for energy, unit in (
        EnergyRecord.objects.filter(facility=facility, month__gte=start, month__lte=end)
        .values_list("energy", "unit")
        .order_by("energy", "-month")
    ):
        wanted.setdefault(energy, unit)
    existing = set(
        GridRow.objects.filter(facility=facility, fiscal_year=fiscal_year).values_list(
            "energy", flat=True
        )
    )
    new = [
        GridRow(facility=facility, fiscal_year=fiscal_year, energy=e, unit=u)
        for e, u in wanted.items()
        if e not in existing
    ]
    GridRow.objects.bulk_create(new)
    data_changed(company=facility.company, fiscal_years=[fiscal_year])
    audit_record(
        actor=actor,
        action="measure.grid_rows_copy",
        target=facility,
        company=facility.company,
        data={"fiscal_year": fiscal_year, "rows": [r.energy for r in new]},
    )
    return len(new)


def grid_cell_save(
    *,
    actor,
    facility: Facility,
    energy: str,
    unit: str,
    month: date,
    amount: Decimal | None,
    cost_yen: int | None,
) -> EnergyRecord | None:
    """Save one cell of the grid (the record without explicit supplier or use); an empty
    amount and cost deletes it. Cells are saved as the user types: when another request
    created the same cell a moment ago (IntegrityError), the save is repeated over it in a
    new transaction."""
    cell = dict(
        actor=actor,
        facility=facility,
        energy=energy,
        unit=unit,
        month=month,
        amount=amount,
        cost_yen=cost_yen,
    )
    try:
        return _grid_cell_save_once(**cell)
    except IntegrityError:
        return _grid_cell_save_once(**cell)


@transaction.atomic(durable=True)
def _grid_cell_save_once(
    *,
    actor,
    facility: Facility,
    energy: str,
    unit: str,
    month: date,
    amount: Decimal | None,
    cost_yen: int | None,
) -> EnergyRecord | None:
    _check_energy_unit(energy, unit)
    if amount is None and cost_yen is not None:
        raise ValidationError(
            {"amount": _("金額だけでは保存できません。使用量も入力してください。")}
        )
    record = (
        EnergyRecord.objects.select_for_update()
        .filter(facility=facility, energy=energy, month=month, supplier="", use="")
        .first()
    )
    data = {"energy": energy, "month": rules.month_text(month), "unit": unit}
    if amount is None:
        if record is not None:
            data_changed(company=facility.company, fiscal_years=[rules.fiscal_year_of(month)])
            audit_record(
                actor=actor,
                action="measure.record_delete",
                target=record,
                company=facility.company,
                data=data,
            )
            record.delete()
        return None
    if record is None:
        record = EnergyRecord(facility=facility, energy=energy, month=month, supplier="", use="")
    record.amount, record.unit, record.cost_yen = amount, unit, cost_yen
    record.save()
    GridRow.objects.get_or_create(
        facility=facility,
        fiscal_year=rules.fiscal_year_of(month),
        energy=energy,
        defaults={"unit": unit},
    )
    _remember_unit(facility, energy, unit)
    data_changed(company=facility.company, fiscal_years=[rules.fiscal_year_of(month)])
    audit_record(
        actor=actor,
        action="measure.record_save",
        target=record,
        company=facility.company,
        data={**data, "amount": str(amount), "cost_yen": cost_yen},
    )
    return record


@transaction.atomic(durable=True)
def grid_row_unit(*, actor, facility: Facility, fiscal_year: int, energy: str, unit: str) -> int:
    """Change the unit of a grid row and of the row's records of that year."""
    _check_energy_unit(energy, unit)
    GridRow.objects.update_or_create(
        facility=facility, fiscal_year=fiscal_year, energy=energy, defaults={"unit": unit}
    )
    start, end = fy_range(fiscal_year)
    n = EnergyRecord.objects.filter(
        facility=facility, energy=energy, month__gte=start, month__lte=end
    ).update(unit=unit, updated_at=timezone.now())
    _remember_unit(facility, energy, unit)
    data_changed(company=facility.company, fiscal_years=[fiscal_year])
    audit_record(
        actor=actor,
        action="measure.grid_row_unit",
        target=facility,
        company=facility.company,
        data={"fiscal_year": fiscal_year, "energy": energy, "unit": unit, "records": n},
    )
    return n


@transaction.atomic(durable=True)
def use_shares_save(*, actor, facility: Facility, energy: str, shares: dict[str, Decimal]) -> None:
    """Replace the use shares (percent) of a facility's energy; they may not exceed 100 in sum."""
    get_energy(energy)
    shares = {u.strip(): p for u, p in shares.items() if u.strip() and p}
    if any(p < 0 or p > 100 for p in shares.values()):
        raise ValidationError({"percent": _("割合は0〜100%で入力してください。")})
    if sum(shares.values(), Decimal(0)) > 100:
        raise ValidationError({"percent": _("割合の合計が100%を超えています。")})
    UseShare.objects.filter(facility=facility, energy=energy).delete()
    UseShare.objects.bulk_create(
        UseShare(facility=facility, energy=energy, use=u, percent=p) for u, p in shares.items()
    )
    data_changed(company=facility.company)
    audit_record(
        actor=actor,
        action="measure.use_shares_save",
        target=facility,
        company=facility.company,
        data={"energy": energy, "shares": {u: str(p) for u, p in shares.items()}},
    )


@transaction.atomic(durable=True)
def records_confirm(*, actor, facility: Facility, energy: str, month: date) -> int:
    """Confirm that a questioned month (its records' amounts and units as they are now) is
    right; the confirmation stays with the records (who, when) until an amount changes."""
    now = timezone.now()
    records = list(
        EnergyRecord.objects.select_for_update().filter(
            facility=facility, energy=energy, month=month
        )
    )
    for r in records:
        r.confirmed_amount, r.confirmed_unit = r.amount, r.unit
        r.confirmed_by, r.confirmed_at = actor, now
    EnergyRecord.objects.bulk_update(
        records, ["confirmed_amount", "confirmed_unit", "confirmed_by", "confirmed_at"]
    )
    data_changed(company=facility.company, fiscal_years=[rules.fiscal_year_of(month)])
    audit_record(
        actor=actor,
        action="measure.records_confirm",
        target=facility,
        company=facility.company,
        data={
            "energy": energy,
            "month": rules.month_text(month),
            "amounts": [f"{r.amount} {r.unit}" for r in records],
        },
    )
    return len(records)


# --------------------------------------------------------------------------- records (API)


RECORD_FIELDS = ("month", "energy", "amount", "unit", "cost_yen", "supplier", "menu", "use")


def _clean_record(record: EnergyRecord) -> None:
    _check_energy_unit(record.energy, record.unit)
    if record.amount is None or record.amount < 0:
        raise ValidationError({"amount": _("使用量は0以上の数値です。")})
    if record.cost_yen is not None and record.cost_yen < 0:
        raise ValidationError({"cost_yen": _("金額は0以上の整数（円）です。")})
    clash = EnergyRecord.objects.filter(
        facility=record.facility,
        month=record.month,
        energy=record.energy,
        supplier=record.supplier,
        use=record.use,
    ).exclude(pk=record.pk)
    if clash.exists():
        raise ValidationError(
            {"month": _("同じ事業所・年月・エネルギー・供給事業者・用途のデータがすでにあります。")}
        )
    record.full_clean(exclude=["facility"], validate_unique=False, validate_constraints=False)


@transaction.atomic(durable=True)
def record_create(*, actor, facility: Facility, **fields) -> EnergyRecord:
    record = EnergyRecord(
        facility=facility, **{k: v for k, v in fields.items() if k in RECORD_FIELDS}
    )
    record.month = date(record.month.year, record.month.month, 1)
    _clean_record(record)
    record.save()
    data_changed(company=facility.company, fiscal_years=[rules.fiscal_year_of(record.month)])
    audit_record(
        actor=actor, action="measure.record_create", target=record, company=facility.company
    )
    return record


@transaction.atomic(durable=True)
def record_update(
    *, actor, record: EnergyRecord, facility: Facility | None = None, **fields
) -> EnergyRecord:
    old_year = rules.fiscal_year_of(record.month)
    if facility is not None:
        record.facility = facility
    for k, v in fields.items():
        if k in RECORD_FIELDS:
            setattr(record, k, v)
    record.month = date(record.month.year, record.month.month, 1)
    _clean_record(record)
    record.save()
    data_changed(
        company=record.facility.company, fiscal_years=[old_year, rules.fiscal_year_of(record.month)]
    )
    audit_record(
        actor=actor,
        action="measure.record_update",
        target=record,
        company=record.facility.company,
    )
    return record


@transaction.atomic(durable=True)
def record_delete(*, actor, record: EnergyRecord) -> None:
    data_changed(company=record.facility.company, fiscal_years=[rules.fiscal_year_of(record.month)])
    audit_record(
        actor=actor,
        action="measure.record_delete",
        target=record,
        company=record.facility.company,
    )
    record.delete()


# --------------------------------------------------------------------------- imports


# An upload's bytes are kept zlib-compressed (level 1: 12 ms for a 4.5 MB CSV, about 9 times
# smaller): writing 4.5 MB into the database was most of the upload request (0.25 of 0.32 s).
# A ZIP (XLSX) is compressed already and kept as it is. The prefix starts with a NUL byte,
# which no file the import accepts starts with (a CSV with NUL bytes is refused; an XLSX
# starts with "PK").
_PACKED = b"\x00cnnavi-zlib\x00"


def _pack(data: bytes) -> bytes:
    return data if data[:2] == b"PK" else _PACKED + zlib.compress(data, 1)


def import_file_bytes(energy_import: EnergyImport) -> bytes:
    """The file as uploaded (for the task worker's parse and write)."""
    data = bytes(energy_import.data)
    return zlib.decompress(data[len(_PACKED) :]) if data.startswith(_PACKED) else data


@transaction.atomic(durable=True)
def import_upload(*, actor, company: Company, filename: str, data: bytes) -> EnergyImport:
    """Keep an uploaded file until the user confirms it (no energy data is written). The
    limits are checked on the bytes before anything parses them; the caller then queues
    `tasks.import_plan` (parsing happens in the task worker)."""
    rows = check_import_limits(data, filename)
    busy = EnergyImport.objects.filter(
        company=company,
        status=ImportStatus.PENDING,
        work__in=(ImportWork.QUEUED, ImportWork.RUNNING, ImportWork.COMMITTING),
    )
    if busy.count() >= MAX_CONCURRENT_IMPORTS:
        raise ValidationError(
            _("処理中の取り込みが %(n)d 件あります。終わってからもう一度アップロードしてください。")
            % {"n": MAX_CONCURRENT_IMPORTS},
            code="busy",
        )
    imp = EnergyImport.objects.create(
        company=company,
        uploaded_by=actor,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        data=_pack(data),
        # the total the worker's progress counts towards, until it has read the file
        preview={"progress": {"read": 0, "total": rows}} if rows else {},
    )
    audit_record(
        actor=actor,
        action="measure.import_upload",
        target=imp,
        company=company,
        data={"filename": filename, "bytes": len(data)},
    )
    return imp


_INSERT_FIELDS = (
    "facility", "month", "energy", "amount", "unit", "cost_yen", "supplier", "menu", "use",
    "updated_at",
)  # fmt: skip


def _insert_records(rows: list[tuple], chunk: int = 5000) -> None:
    """Insert many records with one prepared INSERT (``executemany``): the ORM's per-field
    preparation in ``bulk_create`` costs seconds for 50,000 rows. Values are adapted by the
    backend's own operations, so this stays correct on SQLite and PostgreSQL."""
    ops = connection.ops
    meta = EnergyRecord._meta
    fields = [meta.get_field(name) for name in _INSERT_FIELDS]
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    now = ops.adapt_datetimefield_value(timezone.now())
    amount_field = meta.get_field("amount")
    params = [
        (
            fid,
            ops.adapt_datefield_value(month),
            energy,
            ops.adapt_decimalfield_value(
                amount, amount_field.max_digits, amount_field.decimal_places
            ),
            unit,
            cost,
            supplier,
            menu,
            use,
            now,
        )
        for fid, month, energy, amount, unit, cost, supplier, menu, use in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), chunk):
            cursor.executemany(sql, params[start : start + chunk])


@transaction.atomic(durable=True)
def import_commit(*, actor, energy_import: EnergyImport) -> dict:
    """Write every row of a previewed file in one transaction (or nothing if any row is bad)."""
    imp = EnergyImport.objects.select_for_update().get(pk=energy_import.pk)
    if imp.status != ImportStatus.PENDING:
        raise ValidationError(_("このファイルはすでに処理されています。"))
    plan = plan_import(
        company=imp.company, data=import_file_bytes(imp), filename=imp.filename, co2_rows=0
    )
    if not plan.ok:
        raise ValidationError(_("エラーのある行があるため、取り込めません。"))
    for start in range(0, len(plan.delete_ids), 5000):
        EnergyRecord.objects.filter(pk__in=plan.delete_ids[start : start + 5000]).delete()
    _insert_records(plan.inserts)
    summary = {
        "rows": len(plan.rows),
        "new": plan.count("new"),
        "changed": plan.count("changed"),
        "unchanged": plan.count("unchanged"),
        "deleted": len(plan.delete_ids),
        "inserted": len(plan.inserts),
    }
    imp.status = ImportStatus.COMMITTED
    imp.committed_at = timezone.now()
    imp.summary = summary
    imp.data = b""
    imp.work = ImportWork.DONE
    imp.save(update_fields=["status", "committed_at", "summary", "data", "work"])
    data_changed(company=imp.company)
    audit_record(
        actor=actor, action="measure.import_commit", target=imp, company=imp.company, data=summary
    )
    return summary


def import_queue_commit(*, energy_import: EnergyImport) -> None:
    """Hand a previewed file without errors to the task worker's write (the caller queues
    ``tasks.import_commit``). ValidationError (code "not_ready") if the file is not waiting
    for confirmation: still parsing, already handed over, written or discarded, or with
    errors."""
    handed = EnergyImport.objects.filter(
        pk=energy_import.pk, status=ImportStatus.PENDING, work=ImportWork.READY, preview__ok=True
    ).update(work=ImportWork.COMMITTING)
    if not handed:
        raise ValidationError(_("このファイルはすでに処理されています。"), code="not_ready")
    energy_import.work = ImportWork.COMMITTING


@transaction.atomic(durable=True)
def import_discard(*, actor, energy_import: EnergyImport) -> None:
    energy_import.status = ImportStatus.DISCARDED
    energy_import.data = b""
    energy_import.save(update_fields=["status", "data"])
    audit_record(
        actor=actor,
        action="measure.import_discard",
        target=energy_import,
        company=energy_import.company,
    )


# --------------------------------------------------------------------------- supplier notices


@transaction.atomic(durable=True)
def notice_save(
    *,
    actor,
    contract: SupplyContract,
    fiscal_year: int,
    basic_factor: Decimal,
    adjusted_factor: Decimal | None,
    note: str = "",
    evidence_name: str = "",
    evidence: bytes | None = None,
) -> SupplierNotice:
    """Record the factors the contract's supplier published for a fiscal year (事業者公表値、
    利用者入力); replaces that year's earlier entry. The evidence file is kept where given."""
    if basic_factor <= 0 or (adjusted_factor is not None and adjusted_factor < 0):
        raise ValidationError({"basic_factor": _("排出係数は0より大きい数値で入力してください。")})
    if len(evidence or b"") > MAX_IMPORT_BYTES:
        raise ValidationError({"evidence": _("ファイルが大きすぎます（20MBまで）。")})
    defaults = {
        "basic_factor": basic_factor,
        "adjusted_factor": adjusted_factor,
        "note": (note or "").strip(),
        "entered_by": actor,
    }
    if evidence:
        defaults.update(evidence=evidence, evidence_name=evidence_name[:200])
    notice, _created = SupplierNotice.objects.update_or_create(
        contract=contract, fiscal_year=fiscal_year, defaults=defaults
    )
    data_changed(company=contract.facility.company)
    audit_record(
        actor=actor,
        action="measure.notice_save",
        target=notice,
        company=contract.facility.company,
        data={
            "fiscal_year": fiscal_year,
            "basic": str(basic_factor),
            "adjusted": str(adjusted_factor) if adjusted_factor is not None else None,
            "supplier": contract.supplier_reg,
            "evidence": evidence_name if evidence else "",
        },
    )
    return notice


@transaction.atomic(durable=True)
def notice_delete(*, actor, notice: SupplierNotice) -> None:
    data_changed(company=notice.contract.facility.company)
    audit_record(
        actor=actor,
        action="measure.notice_delete",
        target=notice,
        company=notice.contract.facility.company,
    )
    notice.delete()


@transaction.atomic(durable=True)
def calc_settings_save(*, actor, company: Company, allow_estimate: bool) -> CalcSettings:
    """The company's choice to estimate years without published tables (labelled 推計)."""
    settings, _created = CalcSettings.objects.update_or_create(
        company=company, defaults={"allow_estimate": allow_estimate, "changed_by": actor}
    )
    data_changed(company=company)
    audit_record(
        actor=actor,
        action="measure.calc_settings_save",
        target=settings,
        company=company,
        data={"allow_estimate": allow_estimate},
    )
    return settings


# --------------------------------------------------------------------------- volumes


@transaction.atomic(durable=True)
def volume_save(
    *,
    actor,
    company: Company,
    kind: str,
    fiscal_year: int,
    month: date | None,
    value: Decimal,
    unit: str,
) -> ActivityVolume:
    if month is not None:
        month = date(month.year, month.month, 1)
        if rules.fiscal_year_of(month) != fiscal_year:
            raise ValidationError({"month": _("年月が年度の中にありません。")})
    volume, _created = ActivityVolume.objects.update_or_create(
        company=company,
        kind=kind,
        fiscal_year=fiscal_year,
        month=month,
        defaults={"value": value, "unit": unit},
    )
    data_changed(company=company, fiscal_years=[fiscal_year])  # the dashboard's intensity
    audit_record(
        actor=actor,
        action="measure.volume_save",
        target=volume,
        company=company,
        data={"kind": kind, "fiscal_year": fiscal_year, "value": str(value), "unit": unit},
    )
    return volume


@transaction.atomic(durable=True)
def volume_delete(*, actor, volume: ActivityVolume) -> None:
    data_changed(company=volume.company, fiscal_years=[volume.fiscal_year])
    audit_record(actor=actor, action="measure.volume_delete", target=volume, company=volume.company)
    volume.delete()


# --------------------------------------------------------------------------- official tables


@transaction.atomic(durable=True)
def factor_table_upload(
    *, actor, office, kind: str, results_year: int | None, filename: str, data: bytes
) -> FactorTableUpload:
    """Keep an uploaded official table (electricity, gas or heat; the official PDF or its
    text) until a staff member confirms it (nothing installed). The core reads it now, so a
    file that is not a table is refused naming every problem."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("ファイルが大きすぎます（20MBまで）。")})
    try:
        table = factor_tables.read_table(
            kind=kind, data=data, filename=filename, results_year=results_year
        )
    except factor_tables.TableError as exc:
        raise ValidationError(
            {
                "file": [
                    _("公表一覧として読み取れません（%(reason)s）。") % {"reason": problem}
                    for problem in exc.problems
                ]
            }
        ) from None
    upload = FactorTableUpload.objects.create(
        office=office,
        kind=kind,
        results_year=table.results_year,
        emission_year=table.fiscal_year,
        filename=filename[:200],
        data=data,
        uploaded_by=actor,
        summary={"suppliers": table.suppliers, "rows": table.rows},
    )
    audit_record(
        actor=actor,
        action="measure.factor_table_upload",
        target=upload,
        office=office,
        data={"kind": kind, "results_year": table.results_year, "filename": filename},
    )
    return upload


@transaction.atomic(durable=True)
def factor_table_confirm(*, actor, upload: FactorTableUpload) -> Path:
    """Install a previewed table for the core (``core.tables.install_table``: the year's file
    is replaced atomically and every process's factor book reloads) and audit it."""
    upload = FactorTableUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ImportStatus.PENDING:
        raise ValidationError(_("このファイルはすでに処理されています。"))
    table = factor_tables.read_table(
        kind=upload.kind,
        data=bytes(upload.data),
        filename=upload.filename,
        results_year=upload.results_year,
    )
    changes = factor_tables.preview(table=table)
    upload.status = ImportStatus.COMMITTED
    upload.confirmed_by, upload.confirmed_at = actor, timezone.now()
    upload.summary = {
        **upload.summary,
        "added": len(changes.added),
        "changed": len(changes.changed),
        "removed": len(changes.removed),
        "unchanged": changes.unchanged,
        "replaces": changes.replaces,
        "compared_with": changes.compared_with,
        "file": table.filename,
    }
    upload.save(update_fields=["status", "confirmed_by", "confirmed_at", "summary"])
    audit_record(
        actor=actor,
        action="measure.factor_table_confirm",
        target=upload,
        office=upload.office,
        data=upload.summary,
    )
    # last: nothing can fail after the file is written (the core reads it from now on)
    path = install_table(table, data_dir=factor_tables.table_dir())
    # the dashboard's cache key follows the tables: other processes see the data directory's
    # new mtime, but that clock is coarse (a render in the same tick keeps the old stamp), so
    # this process forgets its fingerprints outright
    dashboard_fingerprint.cache_clear()
    return path


@transaction.atomic(durable=True)
def factor_table_discard(*, actor, upload: FactorTableUpload) -> None:
    upload.status = ImportStatus.DISCARDED
    upload.data = b""
    upload.save(update_fields=["status", "data"])
    audit_record(
        actor=actor, action="measure.factor_table_discard", target=upload, office=upload.office
    )


def _row_json(row) -> dict:
    err = row.problem_error
    return {
        "line": row.line,
        "facility": row.facility,
        "month": row.month,
        "energy": row.energy,
        "energy_label": row.energy_label,
        "amount": str(row.amount),
        "unit": row.unit,
        "cost_yen": row.cost_yen,
        "supplier": row.supplier,
        "menu": row.menu,
        "use": row.use,
        "status": row.status,
        "current_amount": None if row.current_amount is None else str(row.current_amount),
        "current_unit": row.current_unit,
        "tco2": None if row.tco2 is None else str(row.tco2),
        "estimated": row.estimated,
        "user_entered": row.user_entered,
        "problem": row.problem,
        "problem_error": None if err is None else _error_json(err),
    }


def _error_json(e) -> dict:
    return {
        "line": e.line,
        "column": e.column,
        "reason": e.reason,
        "code": e.code,
        "params": [list(p) for p in e.params],
    }


def _flag_json(check, unit: str) -> dict:
    return {
        "kind": check.kind,
        "ratio": str(check.ratio),
        "reference": None if check.reference is None else str(check.reference),
        "cause": check.cause,
        "units": list(check.units) if check.units else None,
        "unit": unit,
    }


def import_store_preview(*, energy_import: EnergyImport, plan) -> None:
    """Keep the parsed plan once (counts, every error up to PREVIEW_ROWS, the first rows): the
    preview page reads it and never parses the file again. Called by the task worker."""
    flags = plausibility.check_rows(company=energy_import.company, rows=plan.rows)
    kept_lines = {r.line for r in plan.rows[:PREVIEW_ROWS]}
    energy_import.preview = {
        "ok": plan.ok,
        "row_count": len(plan.rows),
        "new": plan.count("new"),
        "changed": plan.count("changed"),
        "unchanged": plan.count("unchanged"),
        "changes_anything": plan.changes_anything,
        "overlaps": plan.overlaps[:PREVIEW_ROWS],
        "error_count": len(plan.errors),
        "errors": [_error_json(e) for e in plan.errors[:PREVIEW_ROWS]],
        "rows": [_row_json(r) for r in plan.rows[:PREVIEW_ROWS]],
        # Questioned amounts (issue #17 point 2): every row is checked and counted; the
        # question itself is kept for the rows kept (a 100,000-row file's every question made
        # the preview megabytes of JSON that each poll and the page read: 4.7 s).
        "flag_count": len(flags),
        "flags": {
            str(line): _flag_json(check, unit)
            for line, (check, unit) in flags.items()
            if line in kept_lines
        },
    }
    energy_import.work = ImportWork.READY
    energy_import.save(update_fields=["preview", "work"])
