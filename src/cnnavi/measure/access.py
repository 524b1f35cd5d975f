"""Access helpers for the measure app's objects, built on ``cnnavi.orgs.access``: another
tenant's object is 404, too low a role 403."""

from django.shortcuts import get_object_or_404

from cnnavi.measure.models import (
    ActivityVolume,
    EnergyImport,
    EnergyRecord,
    FactorTableUpload,
    SupplierNotice,
    SupplyContract,
)
from cnnavi.orgs.access import CompanyAccess, int_or_404


def get_contract(access: CompanyAccess, contract_id) -> SupplyContract:
    return get_object_or_404(
        SupplyContract.objects.select_related("facility__company"),
        facility__company=access.company,
        pk=int_or_404(contract_id),
    )


def get_import(access: CompanyAccess, import_id) -> EnergyImport:
    """An import of the company, without its file (only the task worker reads the bytes)."""
    return get_object_or_404(
        EnergyImport.objects.defer("data"), company=access.company, pk=int_or_404(import_id)
    )


def get_volume(access: CompanyAccess, volume_id) -> ActivityVolume:
    return get_object_or_404(ActivityVolume, company=access.company, pk=int_or_404(volume_id))


def get_record(access: CompanyAccess, record_id) -> EnergyRecord:
    return get_object_or_404(
        EnergyRecord.objects.select_related("facility__company"),
        facility__company=access.company,
        pk=int_or_404(record_id),
    )


def get_notice(access: CompanyAccess, notice_id) -> SupplierNotice:
    return get_object_or_404(
        SupplierNotice.objects.select_related("contract__facility__company"),
        contract__facility__company=access.company,
        pk=int_or_404(notice_id),
    )


def get_factor_upload(office, upload_id) -> FactorTableUpload:
    """An official-table upload of the staff member's office (another office's is 404)."""
    return get_object_or_404(FactorTableUpload, office=office, pk=int_or_404(upload_id))
