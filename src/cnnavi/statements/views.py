from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cnnavi.common.forms import add_service_errors
from cnnavi.common.http import client_ip, throttle
from cnnavi.common.pdf import pdf_response
from cnnavi.core import get_energy
from cnnavi.core.periods import fiscal_year_of
from cnnavi.measure.rules import parse_month_text
from cnnavi.orgs.access import Need, get_company_access, get_facility_access
from cnnavi.statements import present, reports, rules, selectors, services
from cnnavi.statements.access import get_evidence, get_link, get_statement
from cnnavi.statements.forms import (
    EvidenceUploadForm,
    LinkCreateForm,
    StatementIssueForm,
    VerifyForm,
)
from cnnavi.statements.models import PeriodKind


def _period_args(request, company) -> tuple[str, int]:
    kind = request.GET.get("period") or rules.PERIOD_SHK
    if kind not in rules.PERIOD_KINDS:
        kind = rules.PERIOD_SHK
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    if not 1990 <= year <= 2100:
        year = selectors.default_year(company=company)
    return kind, year


def _draft(request, company):
    kind, year = _period_args(request, company)
    period = selectors.period_for(company=company, kind=kind, year=year)
    figures, _fingerprint = selectors.statement_figures(company=company, period=period)
    by_facility = request.GET.get("by_facility") == "1"
    view = present.build(figures, by_facility=by_facility, demo=company.is_demo)
    return kind, year, figures, view


def _verify_url(request) -> str:
    return request.build_absolute_uri(reverse("statements_public:verify"))


def _issued_view(statement):
    return present.build(
        statement.figures,
        statement=statement,
        allocation=selectors.allocation_of(statement),
        by_facility=statement.by_facility,
        demo=statement.company.is_demo,
    )


@login_required
@require_GET
def statement(request, company_id):
    access = get_company_access(request, company_id)
    kind, year, figures, view = _draft(request, access.company)
    form = StatementIssueForm(initial={"period": kind, "year": year})
    return render(
        request,
        "statements/statement.html",
        {
            "access": access,
            "company": access.company,
            "figures": figures,
            "view": view,
            "kind": kind,
            "year": year,
            "periods": PeriodKind.choices,
            "form": form,
            "issued": selectors.statements_of(company=access.company)[:20],
        },
    )


@login_required
@require_GET
def statement_pdf(request, company_id):
    access = get_company_access(request, company_id)
    kind, year, _figures, view = _draft(request, access.company)
    pdf = reports.statement_pdf(view, verify_url=_verify_url(request))
    return pdf_response(pdf, f"co2-statement-{kind}{year}-draft.pdf")


@login_required
@require_GET
def statement_xlsx(request, company_id):
    access = get_company_access(request, company_id)
    kind, year, _figures, view = _draft(request, access.company)
    return _xlsx_response(reports.statement_xlsx(view), f"co2-statement-{kind}{year}-draft.xlsx")


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def statement_issue(request, company_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    form = StatementIssueForm(request.POST)
    back = reverse("statements:statement", args=[access.company.pk])
    if form.is_valid():
        d = form.cleaned_data
        try:
            issued = services.statement_issue(
                actor=request.user,
                role=access.role,
                company=access.company,
                period_kind=d["period"],
                year=d["year"],
                by_facility=d["by_facility"],
                recipient_name=d["recipient_name"],
                allocation_method=d["allocation_method"] or "",
                allocation_part=d["allocation_part"],
                allocation_total=d["allocation_total"],
                allocation_unit=d["allocation_unit"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("報告書を発行しました。"))
            return redirect("statements:issued", access.company.pk, issued.pk)
    messages.error(request, " ".join(_form_errors(form)))
    query = urlencode({"period": form.data.get("period", ""), "year": form.data.get("year", "")})
    return redirect(f"{back}?{query}")


def _form_errors(form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}: {e}" if label else str(e) for e in errors]
    return out


@login_required
@require_GET
def issued(request, company_id, statement_id):
    access, statement = get_statement(request, company_id, statement_id)
    links = list(selectors.links_of(statement=statement)) if access.can_manage else []
    return render(
        request,
        "statements/issued.html",
        {
            "access": access,
            "company": access.company,
            "statement": statement,
            "view": _issued_view(statement),
            "changed": selectors.data_changed(statement),
            "links": links,
            "now": timezone.now(),
            "link_form": LinkCreateForm(
                initial={
                    "recipient_name": statement.recipient_name,
                    "expires_on": timezone.localdate() + timedelta(days=30),
                }
            ),
            "new_link": request.session.pop("statements_new_link", None),
        },
    )


@login_required
@require_GET
def issued_pdf(request, company_id, statement_id):
    _access, statement = get_statement(request, company_id, statement_id)
    pdf = reports.statement_pdf(_issued_view(statement), verify_url=_verify_url(request))
    return pdf_response(pdf, f"co2-statement-{statement.code}.pdf")


@login_required
@require_GET
def issued_xlsx(request, company_id, statement_id):
    _access, statement = get_statement(request, company_id, statement_id)
    return _xlsx_response(
        reports.statement_xlsx(_issued_view(statement)), f"co2-statement-{statement.code}.xlsx"
    )


@login_required
@require_POST
def link_create(request, company_id, statement_id):
    access, statement = get_statement(request, company_id, statement_id, need=Need.MANAGE)
    form = LinkCreateForm(request.POST)
    if form.is_valid():
        try:
            _link, token = services.link_create(
                actor=request.user,
                statement=statement,
                recipient_name=form.cleaned_data["recipient_name"],
                recipient_email=form.cleaned_data["recipient_email"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # shown once on the next page; only the token's hash is stored
            request.session["statements_new_link"] = request.build_absolute_uri(
                reverse("statements_public:shared", args=[token])
            )
            messages.success(request, _("共有リンクを作成しました。"))
            return redirect("statements:issued", access.company.pk, statement.pk)
    messages.error(request, " ".join(_form_errors(form)))
    return redirect("statements:issued", access.company.pk, statement.pk)


@login_required
@require_POST
def link_revoke(request, company_id, statement_id, link_id):
    access, statement = get_statement(request, company_id, statement_id, need=Need.MANAGE)
    link = get_link(access, statement, link_id)
    services.link_revoke(actor=request.user, link=link)
    messages.success(request, _("共有リンクを取り消しました。"))
    return redirect("statements:issued", access.company.pk, statement.pk)


@login_required
@require_GET
def link_opens(request, company_id, statement_id, link_id):
    access, statement = get_statement(request, company_id, statement_id, need=Need.MANAGE)
    link = get_link(access, statement, link_id)
    return render(
        request,
        "statements/link_opens.html",
        {"company": access.company, "statement": statement, "link": link,
         "opens": selectors.last_opens(link=link, limit=200)},
    )  # fmt: skip


# --------------------------------------------------------------------------- public pages


@require_GET
def shared(request, share_token):
    if not _public_allowed(request, "page"):
        return _throttled(request)
    link = selectors.link_by_token(share_token)
    if link is None:
        raise Http404
    if not services.link_open(link=link, what="page"):
        return _closed(request, link)
    statement = link.statement
    response = render(
        request,
        "statements/shared.html",
        {
            "statement": statement,
            "link": link,
            "view": _issued_view(statement),
            "token": share_token,
        },
    )
    return _private(response)


def _private(response):
    """A page reached by a secret link: not cached, not indexed, the link not passed on."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def shared_pdf(request, share_token):
    if not _public_allowed(request, "pdf"):
        return _throttled(request)
    link = selectors.link_by_token(share_token)
    if link is None:
        raise Http404
    if not services.link_open(link=link, what="pdf"):
        return _closed(request, link)
    statement = link.statement
    pdf = reports.statement_pdf(_issued_view(statement), verify_url=_verify_url(request))
    response = pdf_response(pdf, f"co2-statement-{statement.code}.pdf")
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "inline", "attachment"
    )
    return _private(response)


# Public pages (docs/decisions/1101): counted per client address, so one client can neither
# walk codes or tokens nor load the server with fingerprints and PDFs; a reader who opens a
# statement a few times never meets the limit.
PUBLIC_LIMITS = {  # what: (hits, window in seconds)
    "verify": (30, 600),
    "page": (60, 600),
    "pdf": (20, 600),
}


def _public_allowed(request, what: str) -> bool:
    limit, seconds = PUBLIC_LIMITS[what]
    ip = client_ip(request) or "unknown"
    return throttle(f"statements-{what}", ip, limit=limit, seconds=seconds)


def _throttled(request):
    seconds = max(s for _limit, s in PUBLIC_LIMITS.values())
    response = render(request, "statements/throttled.html", {"minutes": seconds // 60}, status=429)
    response["Retry-After"] = str(seconds)
    return _private(response)


def _closed(request, link):
    state = "revoked" if link.revoked_at is not None else "expired"
    return _private(render(request, "statements/closed.html", {"state": state}, status=410))


@require_GET
def verify(request):
    form = VerifyForm(request.GET or None)
    statement = changed = None
    searched = False
    if request.GET.get("code") and not _public_allowed(request, "verify"):
        return _throttled(request)
    if form.is_valid():
        searched = True
        statement = selectors.statement_by_code(form.cleaned_data["code"])
        if statement is not None:
            changed = selectors.data_changed(statement)
    return render(
        request,
        "statements/verify.html",
        {
            "form": form,
            "statement": statement,
            "searched": searched,
            "changed": changed,
            "view": _issued_view(statement) if statement is not None else None,
        },
    )


# --------------------------------------------------------------------------- evidence


@login_required
@require_POST
def evidence_upload(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    problems = _evidence_saved(request, facility, EvidenceUploadForm(request.POST, request.FILES))
    if problems:
        messages.error(request, " ".join(problems))
    else:
        messages.success(request, _("請求書を添付しました。"))
    year = request.POST.get("year", "")
    url = reverse("measure:grid", args=[access.company.pk, facility.pk])
    return redirect(f"{url}?year={year}" if year.isdigit() else url)


def _evidence_saved(request, facility, form) -> list[str]:
    """Store the uploaded bill for its month and energy; what was wrong, if anything."""
    if not form.is_valid():
        return _form_errors(form)
    problems = []
    try:
        month = parse_month_text(form.cleaned_data["month"])
    except ValueError:
        problems.append(_("年月が正しくありません。"))
    try:
        energy = get_energy(form.cleaned_data["energy"]).code
    except ValueError:
        problems.append(_("エネルギーが正しくありません。"))
    upload = form.cleaned_data["file"]
    if problems or upload.size > services.MAX_EVIDENCE_BYTES:
        return problems or [_("ファイルが大きすぎます（10MBまで）。")]
    try:
        services.evidence_upload(
            actor=request.user,
            facility=facility,
            month=month,
            energy=energy,
            filename=upload.name,
            data=upload.read(),
        )
    except ValidationError as exc:
        return exc.messages
    return []


@login_required
@require_GET
def evidence_file(request, company_id, evidence_id):
    _access, evidence = get_evidence(request, company_id, evidence_id)
    response = HttpResponse(bytes(evidence.data), content_type=evidence.content_type)
    disposition = "inline" if evidence.content_type != "application/pdf" else "attachment"
    safe_name = (
        "".join(ch for ch in evidence.filename if (ch.isascii() and ch.isalnum()) or ch in "._-")
        or "bill"
    )
    response["Content-Disposition"] = f'{disposition}; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, company_id, evidence_id):
    access, evidence = get_evidence(request, company_id, evidence_id, need=Need.EDIT)
    facility_pk, year = evidence.facility_id, fiscal_year_of(evidence.month)
    services.evidence_delete(actor=request.user, evidence=evidence)
    messages.success(request, _("請求書の添付を削除しました。"))
    url = reverse("measure:grid", args=[access.company.pk, facility_pk])
    return redirect(f"{url}?year={year}")
