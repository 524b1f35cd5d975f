"""Access helpers: an office's own questions and invitations (another office's id is 404)."""

from django.shortcuts import get_object_or_404

from cnnavi.orgs.access import int_or_404
from cnnavi.surveys.models import Invitation, Question


def get_office_question(office, question_id) -> Question:
    return get_object_or_404(Question.objects.filter(office=office), pk=int_or_404(question_id))


def get_office_invitation(office, invitation_id) -> Invitation:
    return get_object_or_404(Invitation.objects.filter(office=office), pk=int_or_404(invitation_id))
