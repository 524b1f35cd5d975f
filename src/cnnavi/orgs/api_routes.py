from ninja import Router, Schema

from cnnavi.orgs import selectors
from cnnavi.orgs.access import get_company_access

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


@router.get("", response=list[CompanyOut], summary="Companies the user is a member of")
def list_companies(request):
    return [
        CompanyOut(
            id=m.company.pk,
            name=m.company.name,
            corporate_number=m.company.corporate_number,
            prefecture=m.company.prefecture,
            industry=m.company.industry,
            employees=m.company.employees,
            fiscal_year_start_month=m.company.fiscal_year_start_month,
            role=m.role,
            is_demo=m.company.is_demo,
        )
        for m in selectors.memberships_of_user(user=request.user)
    ]


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
