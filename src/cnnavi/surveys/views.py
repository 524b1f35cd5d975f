"""The answer form behind the personal link (no login: the link is the capability)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cnnavi.common.forms import form_status
from cnnavi.surveys import selectors, services
from cnnavi.surveys.forms import AnswerForm


def _form(invitation, data=None) -> AnswerForm:
    score_q, comment_q = selectors.wording(office=invitation.office, kind=invitation.kind)
    return AnswerForm(
        data,
        score_question=score_q,
        comment_question=comment_q,
        questions=selectors.questions(office=invitation.office, kind=invitation.kind),
    )


@never_cache
def answer(request, survey_token):
    invitation = services.invitation_for_token(survey_token)
    state = selectors.invitation_state(invitation) if invitation else "invalid"
    context = {"invitation": invitation, "state": state}
    if state != "open":
        # A revoked, expired or unknown link shows no form; an answered one thanks again.
        status = 200 if state == "answered" else 404
        return render(request, "surveys/answer.html", context, status=status)
    form = _form(invitation, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                token=survey_token,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                answers=form.extra_answers(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context["state"] = "thanks"
            return render(request, "surveys/answer.html", context)
    context["form"] = form
    return render(request, "surveys/answer.html", context, status=form_status(form))
