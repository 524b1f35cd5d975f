"""Ids of tenant A and tenant B for the URL kwargs of the measure and api apps."""

from datetime import date
from decimal import Decimal

from cnnavi.api.services import token_create
from cnnavi.measure.models import (
    ActivityVolume,
    EnergyImport,
    EnergyRecord,
    FactorTableUpload,
    SupplierNotice,
    SupplyContract,
)


def _tenant(t):
    contract = SupplyContract.objects.create(
        facility=t.facility,
        kind="electricity",
        supplier_reg="A0271",
        supplier_name="北陸電力(株)",
        valid_from=date(2025, 4, 1),
    )
    record = EnergyRecord.objects.create(
        facility=t.facility,
        month=date(2025, 4, 1),
        energy="electricity",
        amount=Decimal(1000),
        unit="kWh",
    )
    imp = EnergyImport.objects.create(
        company=t.company, uploaded_by=t.owner, filename="x.csv", sha256="0" * 64, data=b"x"
    )
    volume = ActivityVolume.objects.create(
        company=t.company, kind="sales", fiscal_year=2025, value=Decimal(100), unit="百万円"
    )
    token, _key = token_create(actor=t.owner, name="walk")
    notice = SupplierNotice.objects.create(
        contract=contract, fiscal_year=2024, basic_factor=Decimal("0.000480"), evidence_name="n.pdf"
    )
    upload = FactorTableUpload.objects.create(
        office=t.office, kind="electricity", results_year=2024, emission_year=2025,
        filename="denki.txt", data=b"x", uploaded_by=t.owner,
    )  # fmt: skip
    return contract, record, imp, volume, token, notice, upload


def provide(world) -> dict[str, tuple]:
    a = _tenant(world.a)
    b = _tenant(world.b)
    return {
        "contract_id": (a[0].pk, b[0].pk),
        "record_id": (a[1].pk, b[1].pk),
        "import_id": (a[2].pk, b[2].pk),
        "volume_id": (a[3].pk, b[3].pk),
        "token_id": (a[4].pk, b[4].pk),
        "notice_id": (a[5].pk, b[5].pk),
        "upload_id": (a[6].pk, b[6].pk),
    }
