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


@login_required
def export_csv(request):
    office = get_staff_office(request)
    _form, start, end = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="surveys-{stamp}.csv"'
    response.write("\ufeff")  # so that Excel opens the UTF-8 file as UTF-8
    writer = csv_writer(response)
    writer.writerow(
        [
            _("プログラム"),
            _("対象"),
            _("実施日"),
            _("回答日時"),
            _("点数"),
            _("コメント"),
            _("その他の回答"),
        ]
    )
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
    question_form, wording_form = QuestionForm(), WordingForm()
    if request.method == "POST":
        if request.POST.get("form") == "wording":
            wording_form = WordingForm(request.POST)
            if wording_form.is_valid():
                services.wording_save(
                    actor=request.user, office=office, **wording_form.cleaned_data
                )
                messages.success(request, _("質問の文言を保存しました。"))
                return redirect("surveys_staff:questions")
        else:
            question_form = QuestionForm(request.POST)
            if question_form.is_valid():
                services.question_add(
                    actor=request.user, office=office, **question_form.cleaned_data
                )
                messages.success(request, _("質問を追加しました。"))
                return redirect("surveys_staff:questions")
    kinds = [
        {
            "label": kind.label,
            "wording": selectors.wording(office=office, kind=kind.value),
            "questions": [
                q
                for q in selectors.questions(office=office, active_only=False)
                if q.kind == kind.value
            ],
        }
        for kind in ProgrammeKind
    ]
    return render(
        request,
        "surveys/staff_questions.html",
        {
            "office": office,
            "kinds": kinds,
            "question_form": question_form,
            "wording_form": wording_form,
        },
        status=form_status(question_form, wording_form),
    )


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
