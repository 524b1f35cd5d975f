"""Writes: sending the invitations once per person and occasion, answering, the office's
questions and wording, revoking a link."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.audit.services import audit_record
from cnnavi.common.mail import mail_after_commit, mail_url
from cnnavi.surveys import selectors
from cnnavi.surveys.models import (
    SCORE_MAX,
    SCORE_MIN,
    Invitation,
    Question,
    QuestionType,
    Response,
    SurveySettings,
)

LINK_VALID_DAYS = 30


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("office").filter(token_hash=token_hash(token)).first()


def survey_url(token: str, language: str = "ja") -> str:
    return mail_url("surveys:answer", language, kwargs={"survey_token": token})


@transaction.atomic(durable=True)
def invitations_send(*, now: datetime | None = None) -> int:
    """Invite every person of every occasion that ended, once (the unique constraint per
    kind, occasion and e-mail is the backstop when two runs overlap). Returns how many."""
    now = now or timezone.now()
    recipients = selectors.occasions_ended(now=now)
    done = selectors.already_invited(recipients)
    sent = 0
    for r in recipients:
        key = (r.kind, r.occasion_id, r.email)
        if key in done:
            continue
        done.add(key)
        token = secrets.token_urlsafe(32)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    office_id=r.office_id,
                    kind=r.kind,
                    occasion_id=r.occasion_id,
                    occasion_label=r.label[:300],
                    occasion_date=r.day,
                    user=r.user,
                    email=r.email,
                    language=r.language,
                    token_hash=token_hash(token),
                    sent_at=now,
                    expires_at=now + timedelta(days=LINK_VALID_DAYS),
                )
        except IntegrityError:  # another run sent it meanwhile
            continue
        audit_record(
            actor=None,
            action="survey.invite",
            target=invitation,
            office=invitation.office,
            data={"kind": r.kind, "occasion_id": r.occasion_id},
        )
        mail_after_commit(
            to=r.email,
            template="surveys/email/invitation.txt",
            context={
                "invitation": invitation,
                "url": survey_url(token, r.language),
                "office": invitation.office,
            },
            language=r.language,
        )
        sent += 1
    return sent


def _already_answered() -> ValidationError:
    return ValidationError(
        _("このアンケートにはすでにご回答いただいています。ご協力ありがとうございました。"),
        code="answered",
    )


@transaction.atomic(durable=True)
def response_submit(
    *, token: str, score: int, comment: str = "", answers: list[dict] | None = None
) -> Response:
    """Save the one answer of an invitation. A revoked or expired link, or a second answer,
    is refused with a message (the unique constraint is the backstop)."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise ValidationError(_("このリンクは無効です。"), code="invalid")
    state = selectors.invitation_state(invitation)
    if state == "answered":
        raise _already_answered()
    if state != "open":
        raise ValidationError(_("このリンクは期限切れか、取り消されています。"), code=state)
    if not (SCORE_MIN <= int(score) <= SCORE_MAX):
        raise ValidationError(_("点数は1から5で選んでください。"), code="score")
    try:
        with transaction.atomic():
            response = Response.objects.create(
                invitation=invitation,
                office=invitation.office,
                kind=invitation.kind,
                score=int(score),
                comment=comment.strip(),
                answers=answers or [],
            )
    except IntegrityError as exc:
        raise _already_answered() from exc
    audit_record(
        actor=invitation.user,
        action="survey.answer",
        target=response,
        office=invitation.office,
        data={"kind": invitation.kind, "score": response.score},
    )
    return response


@transaction.atomic(durable=True)
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="survey.revoke", target=invitation, office=invitation.office)
    return invitation


@transaction.atomic(durable=True)
def question_add(
    *, actor, office, kind: str, text: str, qtype: str = QuestionType.TEXT, required: bool = False
) -> Question:
    last = selectors.questions(office=office, kind=kind, active_only=False).last()
    question = Question.objects.create(
        office=office,
        kind=kind,
        text=text.strip(),
        qtype=qtype,
        required=required,
        position=(last.position + 1) if last else 1,
    )
    audit_record(
        actor=actor,
        action="survey.question_add",
        target=question,
        office=office,
        data={"kind": kind, "text": question.text, "qtype": qtype},
    )
    return question


@transaction.atomic(durable=True)
def question_toggle(*, actor, question: Question) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.active = not question.active
    question.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="survey.question_toggle",
        target=question,
        office=question.office,
        data={"active": question.active},
    )
    return question


@transaction.atomic(durable=True)
def wording_save(
    *, actor, office, kind: str, score_question: str, comment_question: str
) -> SurveySettings:
    saved, _created = SurveySettings.objects.update_or_create(
        office=office,
        kind=kind,
        defaults={
            "score_question": score_question.strip(),
            "comment_question": comment_question.strip(),
        },
    )
    audit_record(
        actor=actor,
        action="survey.wording",
        target=saved,
        office=office,
        data={"kind": kind, "score": saved.score_question, "comment": saved.comment_question},
    )
    return saved
