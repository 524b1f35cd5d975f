"""Access helpers for the measure app's objects, built on ``cnnavi.orgs.access``: another
tenant's object is 404, too low a role 403."""

from django.http import Http404

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
    contract = (
        SupplyContract.objects.filter(facility__company=access.company, pk=int_or_404(contract_id))
        .select_related("facility__company")
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def get_import(access: CompanyAccess, import_id) -> EnergyImport:
    imp = EnergyImport.objects.filter(company=access.company, pk=int_or_404(import_id)).first()
    if imp is None:
        raise Http404
    return imp


def get_volume(access: CompanyAccess, volume_id) -> ActivityVolume:
    volume = ActivityVolume.objects.filter(company=access.company, pk=int_or_404(volume_id)).first()
    if volume is None:
        raise Http404
    return volume


def get_record(access: CompanyAccess, record_id) -> EnergyRecord:
    record = (
        EnergyRecord.objects.filter(facility__company=access.company, pk=int_or_404(record_id))
        .select_related("facility__company")
        .first()
    )
    if record is None:
        raise Http404
    return record


def get_notice(access: CompanyAccess, notice_id) -> SupplierNotice:
    notice = (
        SupplierNotice.objects.filter(
            contract__facility__company=access.company, pk=int_or_404(notice_id)
        )
        .select_related("contract__facility__company")
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def get_factor_upload(office, upload_id) -> FactorTableUpload:
    """An official-table upload of the staff member's office (another office's is 404)."""
    upload = FactorTableUpload.objects.filter(office=office, pk=int_or_404(upload_id)).first()
    if upload is None:
        raise Http404
    return upload
