"""Ids of tenant A and tenant B for the URL kwargs of the surveys app, and a builder of an
invitation for the tests. A survey link is a bearer capability (like a password-reset link):
the genuine link opens its form for whoever holds it; what is proved here is that an altered
link answers 404."""

import secrets
from datetime import date, timedelta

from django.utils import timezone

from cnnavi.surveys import services
from cnnavi.surveys.models import Invitation, ProgrammeKind


def make_invitation(
    office,
    *,
    email: str = "participant@example.com",
    kind: str = ProgrammeKind.SEMINAR,
    occasion_id: int = 1,
    label: str = "Seminar on CO2 basics",
    day: date | None = None,
    days_valid: int = 30,
    user=None,
) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        office=office,
        kind=kind,
        occasion_id=occasion_id,
        occasion_label=label,
        occasion_date=day or timezone.localdate(),
        user=user,
        email=email,
        token_hash=services.token_hash(token),
        sent_at=now,
        expires_at=now + timedelta(days=days_valid),
    )
    return invitation, token


def provide(world) -> dict[str, tuple]:
    a_inv, a_token = make_invitation(world.a.office, email="a-survey@example.com")
    b_inv, b_token = make_invitation(world.b.office, email="b-survey@example.com")
    a_q = services.question_add(
        actor=world.a.owner, office=world.a.office, kind="seminar", text="What was most useful?"
    )
    b_q = services.question_add(
        actor=world.b.owner, office=world.b.office, kind="seminar", text="What was most useful?"
    )
    return {
        "survey_token": (a_token, b_token[:-4] + "AAAA"),
        "question_id": (a_q.pk, b_q.pk),
        "invitation_id": (a_inv.pk, b_inv.pk),
    }
