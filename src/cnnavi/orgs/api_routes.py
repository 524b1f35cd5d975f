from ninja import Router, Schema

from cnnavi.orgs import selectors

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
