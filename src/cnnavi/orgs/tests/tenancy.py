"""Ids of tenant A and tenant B for the URL kwargs of the orgs and backoffice apps."""

from datetime import timedelta

from django.utils import timezone

from cnnavi.orgs.models import Consent, Invitation, Membership, Role


def provide(world) -> dict[str, tuple]:
    a, b = world.a, world.b
    # An open invitation addressed to alice herself (B's is addressed to someone else).
    own_invitation = Invitation.objects.create(
        company=a.company,
        email=a.owner.email,
        role=Role.VIEWER,
        token="own-token-for-alice",
        invited_by=a.owner,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return {
        "company_id": (a.company.pk, b.company.pk),
        "facility_id": (a.facility.pk, b.facility.pk),
        "membership_id": (
            Membership.objects.get(company=a.company, user=a.owner).pk,
            Membership.objects.get(company=b.company, user=b.owner).pk,
        ),
        "invitation_id": (a.invitation.pk, b.invitation.pk),
        "consent_id": (
            Consent.objects.filter(company=a.company).first().pk,
            Consent.objects.filter(company=b.company).first().pk,
        ),
        "token": (own_invitation.token, b.invitation.token),
        "expert_id": (a.expert.pk, b.expert.pk),
    }
