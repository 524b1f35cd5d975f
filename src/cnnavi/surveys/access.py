"""Access helpers: an office's own questions and invitations (another office's id is 404)."""

from django.http import Http404

from cnnavi.orgs.access import int_or_404
from cnnavi.surveys.models import Invitation, Question


def get_office_question(office, question_id) -> Question:
    question = Question.objects.filter(office=office, pk=int_or_404(question_id)).first()
    if question is None:
        raise Http404
    return question


def get_office_invitation(office, invitation_id) -> Invitation:
    invitation = Invitation.objects.filter(office=office, pk=int_or_404(invitation_id)).first()
    if invitation is None:
        raise Http404
    return invitation
