from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.audit.selectors import audit_entries_for_office
from cnnavi.backoffice.forms import AssignExpertForm, AuditFilterForm
from cnnavi.consultations import selectors as consultation_selectors
from cnnavi.orgs import selectors as org_selectors
from cnnavi.orgs import services as org_services
from cnnavi.orgs.access import (
    get_company_access,
    get_expert_profiles,
    get_office_company,
    get_open_assignment,
    get_staff_office,
)


@login_required
def staff_index(request):
    office = get_staff_office(request)
    return render(
        request,
        "backoffice/staff_index.html",
        {
            "office": office,
            "companies": org_selectors.companies_of_office(office=office),
            "experts": org_selectors.experts_of_office(office=office),
            "overview": consultation_selectors.office_overview(office=office),
        },
    )


@login_required
def staff_company(request, company_id):
    office = get_staff_office(request)
    company = get_office_company(request, office, company_id)
    experts = org_selectors.experts_of_office(office=office)
    form = AssignExpertForm(request.POST or None, experts=experts)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.expert_assign(
                actor=request.user,
                office=office,
                company=company,
                expert=form.cleaned_data["expert"],
            )
            messages.success(request, _("専門家を担当にしました。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("staff:company", company_id=company.pk)
    assignments = company.assignments.filter(ended_at__isnull=True, expert__office=office)
    return render(
        request,
        "backoffice/staff_company.html",
        {
            "office": office,
            "company": company,
            "form": form,
            "assignments": assignments.select_related("expert"),
            "facilities": org_selectors.facilities_of_company(company=company),
        },
    )


@login_required
@require_POST
def staff_unassign(request, company_id, expert_id):
    office = get_staff_office(request)
    company = get_office_company(request, office, company_id)
    assignment = get_open_assignment(office, company, expert_id)
    org_services.expert_unassign(actor=request.user, office=office, assignment=assignment)
    messages.success(request, _("担当を外しました。"))
    return redirect("staff:company", company_id=company.pk)


@login_required
def staff_audit(request):
    office = get_staff_office(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_for_office(
        office=office,
        visible_company_ids=org_selectors.company_ids_visible_to_office(office=office),
        actor=filters.get("actor") or "",
        action=filters.get("action") or "",
        company_id=filters.get("company"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/staff_audit.html",
        {"office": office, "form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def expert_index(request):
    """The advisor console: the companies assigned to the expert (consent in force) on the
    left, the chosen one's stage, emissions, next appointment and open actions on the right."""
    profiles = get_expert_profiles(request)
    companies = list(org_selectors.companies_of_expert(user=request.user))
    chosen = companies[0] if companies else None
    wanted = request.GET.get("company")
    if wanted:
        chosen = next((c for c in companies if str(c.pk) == wanted), None)
        if chosen is None:
            raise Http404
    panel = None
    if chosen is not None:
        get_company_access(request, chosen.pk)  # logs the expert's read
        panel = consultation_selectors.console_panel(company=chosen, expert_user=request.user)
    template = "backoffice/expert_index.html"
    if request.htmx:
        template += "#panel"
    return render(
        request,
        template,
        {"profiles": profiles, "companies": companies, "chosen": chosen, "panel": panel},
    )
