"""The office's survey pages under /staff/surveys/: results per programme, CSV, questions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.forms import form_status
from cnnavi.core.spreadsheet import csv_writer
from cnnavi.orgs.access import get_staff_office
from cnnavi.surveys import selectors, services
from cnnavi.surveys.access import get_office_invitation, get_office_question
from cnnavi.surveys.forms import PeriodForm, QuestionForm, WordingForm
from cnnavi.surveys.models import ProgrammeKind


def _period(request) -> tuple[PeriodForm, object, object]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data.get("start"), form.cleaned_data.get("end")
    return form, None, None


@login_required
def results(request):
    office = get_staff_office(request)
    form, start, end = _period(request)
    return render(
        request,
        "surveys/staff_results.html",
        {
            "office": office,
            "period_form": form,
            "results": selectors.results(office=office, start=start, end=end),
            "pending": selectors.pending_invitations(office=office),
            "query": request.GET.urlencode(),
        },
    )


def _export_header() -> list[str]:
    return [
        _("プログラム"),
        _("対象"),
        _("実施日"),
        _("回答日時"),
        _("点数"),
        _("コメント"),
        _("その他の回答"),
    ]


@login_required
def export_csv(request):
    office = get_staff_office(request)
    _form, start, end = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="surveys-{stamp}.csv"'
    response.write("\ufeff")  # so that Excel opens the UTF-8 file as UTF-8
    writer = csv_writer(response)
    writer.writerow(_export_header())
    for r in selectors.responses_for_export(office=office, start=start, end=end):
        writer.writerow(
            [
                ProgrammeKind(r.kind).label,
                r.invitation.occasion_label,
                r.invitation.occasion_date.isoformat(),
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                r.score,
                r.comment,
                " / ".join(f"{a['question']}: {a['answer']}" for a in r.answers),
            ]
        )
    return response


@login_required
def questions(request):
    office = get_staff_office(request)
    forms = {"question_form": QuestionForm(), "wording_form": WordingForm()}
    if request.method == "POST":
        wording = request.POST.get("form") == "wording"
        form = WordingForm(request.POST) if wording else QuestionForm(request.POST)
        forms["wording_form" if wording else "question_form"] = form
        if form.is_valid():
            save = services.wording_save if wording else services.question_add
            save(actor=request.user, office=office, **form.cleaned_data)
            if wording:
                messages.success(request, _("質問の文言を保存しました。"))
            else:
                messages.success(request, _("質問を追加しました。"))
            return redirect("surveys_staff:questions")
    context = {"office": office, "kinds": selectors.questions_by_kind(office=office), **forms}
    status = form_status(*forms.values())
    return render(request, "surveys/staff_questions.html", context, status=status)


@login_required
@require_POST
def question_toggle(request, question_id):
    office = get_staff_office(request)
    question = get_office_question(office, question_id)
    services.question_toggle(actor=request.user, question=question)
    return redirect("surveys_staff:questions")


@login_required
@require_POST
def invitation_revoke(request, invitation_id):
    office = get_staff_office(request)
    invitation = get_office_invitation(office, invitation_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("アンケートのリンクを取り消しました。"))
    return redirect("surveys_staff:results")
