from ninja import Router, Schema

from cnnavi.orgs import selectors
from cnnavi.orgs.access import get_company_access
from cnnavi.orgs.models import SupportOffice

prefix = "/companies"
router = Router(tags=["companies"])


class CompanyOut(Schema):
    id: int
    name: str
    corporate_number: str
    prefecture: str
    industry: str
    employees: int | None
    fiscal_year_start_month: int
    role: str
    is_demo: bool


def _company_out(company, role: str) -> CompanyOut:
    return CompanyOut(
        id=company.pk,
        name=company.name,
        corporate_number=company.corporate_number,
        prefecture=company.prefecture,
        industry=company.industry,
        employees=company.employees,
        fiscal_year_start_month=company.fiscal_year_start_month,
        role=role,
        is_demo=company.is_demo,
    )


@router.get(
    "",
    response=list[CompanyOut],
    summary="Companies the user may see: as a member, or as office staff or an assigned "
    "expert while the company's consent is in force",
)
def list_companies(request):
    out = [
        _company_out(m.company, m.role) for m in selectors.memberships_of_user(user=request.user)
    ]
    seen = {c.id for c in out}
    for office in SupportOffice.objects.filter(staff__user=request.user):
        for company in selectors.companies_of_office(office=office):
            if company.pk not in seen:
                seen.add(company.pk)
                out.append(_company_out(company, "staff"))
    for company in selectors.companies_of_expert(user=request.user):
        if company.pk not in seen:
            seen.add(company.pk)
            out.append(_company_out(company, "expert"))
    return out


class FacilityOut(Schema):
    id: int
    name: str
    prefecture: str
    municipality: str
    kind: str
    floor_area_m2: float | None


@router.get(
    "/{company_id}/facilities", response=list[FacilityOut], summary="Facilities of a company"
)
def list_facilities(request, company_id: int):
    access = get_company_access(request, company_id)
    return [
        FacilityOut(
            id=f.pk,
            name=f.name,
            prefecture=f.prefecture,
            municipality=f.municipality,
            kind=f.kind,
            floor_area_m2=float(f.floor_area_m2) if f.floor_area_m2 is not None else None,
        )
        for f in selectors.facilities_of_company(company=access.company)
    ]
