"""The office's back-office pages of the measure app: loading a year's official table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.forms import add_service_errors
from cnnavi.measure import services
from cnnavi.measure.access import get_factor_upload
from cnnavi.measure.forms import FactorTableForm
from cnnavi.measure.models import FactorTableUpload, ImportStatus
from cnnavi.measure.selectors import factor_tables as tables
from cnnavi.orgs.access import get_staff_office


@login_required
def factor_tables(request):
    office = get_staff_office(request)
    form = FactorTableForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            upload = services.factor_table_upload(
                actor=request.user,
                office=office,
                kind=form.cleaned_data["kind"],
                results_year=form.cleaned_data["results_year"],
                filename=f.name,
                data=f.read(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("measure_staff:factor_table_preview", upload_id=upload.pk)
    uploads = FactorTableUpload.objects.filter(office=office).defer("data")[:20]
    return render(
        request,
        "measure/staff/factor_tables.html",
        {"form": form, "uploads": uploads},
        status=422 if form.errors else 200,
    )


@login_required
def factor_table_preview(request, upload_id):
    office = get_staff_office(request)
    upload = get_factor_upload(office, upload_id)
    return render(request, "measure/staff/factor_table_preview.html", tables.preview_page(upload))


@login_required
@require_POST
def factor_table_confirm(request, upload_id):
    office = get_staff_office(request)
    upload = get_factor_upload(office, upload_id)
    try:
        services.factor_table_confirm(actor=request.user, upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(year)s年度の排出に使う公表一覧を取り込みました。")
            % {"year": upload.emission_year},
        )
    return redirect("measure_staff:factor_tables")


@login_required
@require_POST
def factor_table_discard(request, upload_id):
    office = get_staff_office(request)
    upload = get_factor_upload(office, upload_id)
    if upload.status == ImportStatus.PENDING:
        services.factor_table_discard(actor=request.user, upload=upload)
    messages.success(request, _("取り込みを取り消しました。何も変えていません。"))
    return redirect("measure_staff:factor_tables")
