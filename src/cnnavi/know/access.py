"""Access helpers for the know app, built on cnnavi.orgs.access."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from cnnavi.know.models import Diagnosis, DiagnosisVersion, SelfCheck
from cnnavi.know.session import RESULT
from cnnavi.orgs.access import (
    CompanyAccess,
    Need,
    get_company_access,
    get_staff_office,
    int_or_404,
)


def get_company_diagnosis(
    request: HttpRequest, company_id, diagnosis_id, *, need: Need = Need.VIEW
) -> tuple[CompanyAccess, Diagnosis]:
    """A diagnosis saved to a company the user may see; another company's is 404."""
    access = get_company_access(request, company_id, need=need)
    diagnosis = get_object_or_404(
        Diagnosis.objects.select_related("version"),
        company=access.company,
        pk=int_or_404(diagnosis_id),
    )
    return access, diagnosis


def session_diagnosis(request: HttpRequest) -> Diagnosis | None:
    """The answer set this browser session gave last (anonymous results live in the session)."""
    pk = request.session.get(RESULT)
    if not isinstance(pk, int):
        return None
    return Diagnosis.objects.filter(pk=pk).select_related("version", "company").first()


def session_self_check(request: HttpRequest) -> SelfCheck | None:
    pk = request.session.get("know.self_check")
    if not isinstance(pk, int):
        return None
    return SelfCheck.objects.filter(pk=pk).first()


def get_staff_version(request: HttpRequest, version_id, *, edit: bool = False) -> DiagnosisVersion:
    """A diagnosis version for the back office. Versions belong to the whole installation, so
    the staff of any support office may open them (decision 0501); anyone else is 403. A version
    that does not exist is 404; editing a published or retired version is 403."""
    get_staff_office(request)
    version = get_object_or_404(
        DiagnosisVersion.objects.select_related("based_on"), pk=int_or_404(version_id)
    )
    if edit and not version.is_editable:
        raise PermissionDenied
    return version
