from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.orgs import selectors, services
from cnnavi.orgs.access import (
    Need,
    get_company_access,
    get_consent,
    get_facility_access,
    get_invitation,
    get_membership,
    get_open_invitation_by_token,
)
from cnnavi.orgs.forms import CompanyForm, ConsentForm, FacilityForm, InvitationForm, RoleForm


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def company_list(request):
    memberships = selectors.memberships_of_user(user=request.user)
    return render(request, "orgs/company_list.html", {"memberships": memberships})


@login_required
def company_create(request):
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        company = services.company_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("企業を登録しました。続けて事業所を登録してください。"))
        return redirect("orgs:company_detail", company_id=company.pk)
    return render(request, "orgs/company_form.html", {"form": form})


@login_required
def company_detail(request, company_id):
    access = get_company_access(request, company_id)
    facilities = selectors.facilities_of_company(company=access.company)
    template = "orgs/company_detail.html#facilities" if request.htmx else "orgs/company_detail.html"
    return render(
        request, template, {"access": access, "company": access.company, "facilities": facilities}
    )


@login_required
def company_edit(request, company_id):
    access = get_company_access(request, company_id, need=Need.MANAGE)
    form = CompanyForm(request.POST or None, instance=access.company)
    if request.method == "POST" and form.is_valid():
        services.company_update(actor=request.user, company=access.company, **form.cleaned_data)
        messages.success(request, _("企業情報を保存しました。"))
        return redirect("orgs:company_detail", company_id=access.company.pk)
    return render(request, "orgs/company_form.html", {"form": form, "company": access.company})


@login_required
def facility_create(request, company_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    form = FacilityForm(request.POST or None, company=access.company)
    if request.method == "POST" and form.is_valid():
        services.facility_create(actor=request.user, company=access.company, **form.cleaned_data)
        messages.success(request, _("事業所を登録しました。"))
        return redirect("orgs:company_detail", company_id=access.company.pk)
    return render(request, "orgs/facility_form.html", {"form": form, "company": access.company})


@login_required
def facility_edit(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    form = FacilityForm(request.POST or None, instance=facility, company=access.company)
    if request.method == "POST" and form.is_valid():
        services.facility_update(actor=request.user, facility=facility, **form.cleaned_data)
        messages.success(request, _("事業所を保存しました。"))
        return redirect("orgs:company_detail", company_id=access.company.pk)
    return render(
        request,
        "orgs/facility_form.html",
        {"form": form, "company": access.company, "facility": facility},
    )


@login_required
@require_POST
def facility_delete(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    services.facility_delete(actor=request.user, facility=facility)
    if request.htmx:
        return company_detail(request, company_id)
    messages.success(request, _("事業所を削除しました。"))
    return redirect("orgs:company_detail", company_id=access.company.pk)


@login_required
def members(request, company_id):
    access = get_company_access(request, company_id, need=Need.MANAGE)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user, company=access.company, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error("email", _error_text(exc))
        else:
            messages.success(request, _("招待メールを送りました。"))
            return redirect("orgs:members", company_id=access.company.pk)
    return render(
        request,
        "orgs/members.html",
        {
            "company": access.company,
            "access": access,
            "form": form,
            "members": selectors.members_of_company(company=access.company),
            "invitations": selectors.open_invitations_of_company(company=access.company),
            "role_form": RoleForm(),
        },
    )


@login_required
@require_POST
def membership_role(request, company_id, membership_id):
    access = get_company_access(request, company_id, need=Need.MANAGE)
    membership = get_membership(access, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("権限を選んでください。"))
    else:
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(request, _("権限を変更しました。"))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    return redirect("orgs:members", company_id=access.company.pk)


@login_required
@require_POST
def membership_remove(request, company_id, membership_id):
    access = get_company_access(request, company_id, need=Need.MANAGE)
    membership = get_membership(access, membership_id)
    try:
        services.membership_remove(actor=request.user, membership=membership)
        messages.success(request, _("メンバーを外しました。"))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("orgs:members", company_id=access.company.pk)


@login_required
@require_POST
def invitation_revoke(request, company_id, invitation_id):
    access = get_company_access(request, company_id, need=Need.MANAGE)
    services.invitation_revoke(actor=request.user, invitation=get_invitation(access, invitation_id))
    messages.success(request, _("招待を取り消しました。"))
    return redirect("orgs:members", company_id=access.company.pk)


@login_required
def invitation_accept(request, token):
    invitation = get_open_invitation_by_token(request, token)
    error = None
    if request.method == "POST":
        try:
            membership = services.invitation_accept(user=request.user, invitation=invitation)
        except ValidationError as exc:
            error = _error_text(exc)
        else:
            messages.success(
                request,
                _("%(company)s のメンバーになりました。") % {"company": membership.company.name},
            )
            return redirect("orgs:company_detail", company_id=membership.company_id)
    return render(
        request, "orgs/invitation_accept.html", {"invitation": invitation, "error": error}
    )


@login_required
def consent(request, company_id):
    access = get_company_access(request, company_id, need=Need.MANAGE)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.consent_grant(
            actor=request.user,
            company=access.company,
            office=data["office"],
            scope=data["scope"],
            valid_until=data["valid_until"],
        )
        messages.success(request, _("支援機関への同意を登録しました。"))
        return redirect("orgs:consent", company_id=access.company.pk)
    return render(
        request,
        "orgs/consent.html",
        {
            "company": access.company,
            "form": form,
            "consents": selectors.consents_of_company(company=access.company),
        },
    )


@login_required
@require_POST
def consent_revoke(request, company_id, consent_id):
    access = get_company_access(request, company_id, need=Need.MANAGE)
    services.consent_revoke(actor=request.user, consent=get_consent(access, consent_id))
    messages.success(
        request, _("同意を取り消しました。支援機関と専門家は、もう自社のデータを見られません。")
    )
    return redirect("orgs:consent", company_id=access.company.pk)
