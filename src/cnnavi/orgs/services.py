"""Writes on offices, companies, members, facilities and consent. Each service owns its
transaction and writes an audit entry with the acting user."""

import secrets
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.audit.services import audit_record, create_audited, update_audited
from cnnavi.common.mail import language_of, mail_after_commit, mail_url
from cnnavi.orgs.models import (
    Company,
    Consent,
    Expert,
    ExpertAssignment,
    Facility,
    Invitation,
    Membership,
    Role,
    SupportOffice,
)

INVITATION_DAYS = 14
COMPANY_FIELDS = (
    "name",
    "corporate_number",
    "prefecture",
    "municipality",
    "industry",
    "employees",
    "capital_yen",
    "fiscal_year_start_month",
)
FACILITY_FIELDS = ("name", "prefecture", "municipality", "kind", "floor_area_m2")


@transaction.atomic(durable=True)
def company_create(*, user, is_demo: bool = False, **fields) -> Company:
    """Register a company; its creator becomes its owner."""
    company = Company(is_demo=is_demo, **{k: v for k, v in fields.items() if k in COMPANY_FIELDS})
    company.full_clean()
    company.save()
    Membership.objects.create(company=company, user=user, role=Role.OWNER)
    audit_record(actor=user, action="company.create", target=company, company=company)
    return company


@transaction.atomic(durable=True)
def company_update(*, actor, company: Company, **fields) -> Company:
    update_audited(
        company,
        fields,
        allowed=COMPANY_FIELDS,
        actor=actor,
        action="company.update",
        company=company,
    )
    return company


@transaction.atomic(durable=True)
def facility_create(*, actor, company: Company, **fields) -> Facility:
    return create_audited(
        Facility(company=company),
        fields,
        allowed=FACILITY_FIELDS,
        actor=actor,
        action="facility.create",
        company=company,
    )


@transaction.atomic(durable=True)
def facility_update(*, actor, facility: Facility, **fields) -> Facility:
    update_audited(
        facility,
        fields,
        allowed=FACILITY_FIELDS,
        actor=actor,
        action="facility.update",
        company=facility.company,
    )
    return facility


@transaction.atomic(durable=True)
def facility_delete(*, actor, facility: Facility) -> None:
    audit_record(actor=actor, action="facility.delete", target=facility, company=facility.company)
    facility.delete()


@transaction.atomic(durable=True)
def invitation_create(*, actor, company: Company, email: str, role: str) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(company=company, user__email=email).exists():
        raise ValidationError({"email": _("この方はすでにメンバーです。")})
    Invitation.objects.filter(
        company=company, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        company=company,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        company=company,
        data={"email": email, "role": role},
    )
    # In the invitee's language if they have an account, else in the inviter's; the link opens
    # the page in the mail's language (whichever page the invitation was made on).
    invitee = get_user_model().objects.filter(email__iexact=email).first()
    language = language_of(invitee or actor)
    mail_after_commit(
        to=email,
        template="orgs/email/invitation.txt",
        context={
            "company": company,
            "inviter": actor,
            "role": Role(invitation.role).label,  # lazy: rendered in the mail's language
            "url": mail_url("orgs:invitation_accept", language, kwargs={"token": invitation.token}),
            "days": INVITATION_DAYS,
        },
        language=language,
    )
    return invitation


@transaction.atomic(durable=True)
def invitation_revoke(*, actor, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="invitation.revoke", target=invitation, company=invitation.company
    )


@transaction.atomic(durable=True)
def invitation_accept(*, user, invitation: Invitation) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(_("この招待は使用済みか、期限が切れています。"))
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(
            _("この招待は %(email)s 宛てです。そのメールアドレスでログインしてください。")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        company=invitation.company, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        action="invitation.accept",
        target=invitation,
        company=invitation.company,
        data={"role": membership.role},
    )
    return membership


def _owners_left_after(membership: Membership, *, new_role: str | None) -> int:
    owners = Membership.objects.select_for_update().filter(
        company=membership.company, role=Role.OWNER
    )
    count = owners.count()
    if membership.role == Role.OWNER and new_role != Role.OWNER:
        count -= 1
    return count


@transaction.atomic(durable=True)
def membership_change_role(*, actor, membership: Membership, role: str) -> Membership:
    if _owners_left_after(membership, new_role=role) < 1:
        raise ValidationError(_("管理者が1人もいなくなるため、変更できません。"))
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="membership.change_role",
        target=membership,
        company=membership.company,
        data={"from": old, "to": role},
    )
    return membership


@transaction.atomic(durable=True)
def membership_remove(*, actor, membership: Membership) -> None:
    if _owners_left_after(membership, new_role=None) < 1:
        raise ValidationError(_("管理者が1人もいなくなるため、削除できません。"))
    audit_record(
        actor=actor,
        action="membership.remove",
        target=membership,
        company=membership.company,
        data={"email": membership.user.email},
    )
    membership.delete()


@transaction.atomic(durable=True)
def consent_grant(
    *, actor, company: Company, office: SupportOffice, scope: str, valid_until: date | None
) -> Consent:
    """Grant an office access. A consent still in force for the same office is replaced."""
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("有効期限には今日以降の日付を指定してください。")})
    now = timezone.now()
    for old in Consent.objects.in_force().filter(company=company, office=office):
        old.revoked_at, old.revoked_by = now, actor
        old.save(update_fields=["revoked_at", "revoked_by"])
    consent = Consent.objects.create(
        company=company, office=office, scope=scope, valid_until=valid_until, granted_by=actor
    )
    audit_record(
        actor=actor,
        action="consent.grant",
        target=consent,
        company=company,
        office=office,
        data={"scope": scope, "valid_until": str(valid_until or "")},
    )
    return consent


@transaction.atomic(durable=True)
def consent_revoke(*, actor, consent: Consent) -> Consent:
    if consent.revoked_at is None:
        consent.revoked_at, consent.revoked_by = timezone.now(), actor
        consent.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="consent.revoke",
            target=consent,
            company=consent.company,
            office=consent.office,
        )
    return consent


@transaction.atomic(durable=True)
def expert_assign(*, actor, office: SupportOffice, company: Company, expert: Expert):
    if expert.office_id != office.pk:
        raise ValidationError(_("この支援機関の専門家ではありません。"))
    if not Consent.objects.in_force().filter(company=company, office=office).exists():
        raise ValidationError(_("この企業の同意がないため、専門家を担当にできません。"))
    assignment, created = ExpertAssignment.objects.get_or_create(
        company=company, expert=expert, ended_at=None, defaults={"assigned_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="expert.assign",
            target=assignment,
            company=company,
            office=office,
            data={"expert": expert.display_name},
        )
    return assignment


@transaction.atomic(durable=True)
def expert_unassign(*, actor, office: SupportOffice, assignment: ExpertAssignment) -> None:
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        action="expert.unassign",
        target=assignment,
        company=assignment.company,
        office=office,
    )
