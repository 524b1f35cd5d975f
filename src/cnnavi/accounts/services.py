"""Writes on accounts, used by the demo and by tests."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cnnavi.accounts.models import User
from cnnavi.accounts.selectors import user_has_totp
from cnnavi.audit.services import apply_changes, audit_record


@transaction.atomic
def user_create_verified(*, email: str, password: str, name: str = "") -> User:
    """A user whose e-mail address is already verified (demo data, tests, invitations)."""
    user = User.objects.create_user(email=email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def full_name(family_name: str, given_name: str) -> str:
    return f"{family_name.strip()} {given_name.strip()}".strip()


@transaction.atomic(durable=True)
def user_set_name(
    *,
    actor,
    user: User,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
) -> User:
    """Set the person's name (family and given name, and their kana); the full name shown on
    certificates, lists, forms and e-mails is composed from them."""
    values = {
        "family_name": family_name.strip(),
        "given_name": given_name.strip(),
        "family_name_kana": family_name_kana.strip(),
        "given_name_kana": given_name_kana.strip(),
    }
    values["name"] = full_name(values["family_name"], values["given_name"])
    changed = apply_changes(user, values)
    user.save(update_fields=list(values))
    audit_record(actor=actor, action="account.name", target=user, data={"changed": changed})
    return user


MAIL_LANGUAGES = ("ja", "en")


@transaction.atomic(durable=True)
def user_set_mail_language(*, actor, user: User, language: str) -> User:
    """The language the person's e-mails (and the invoices and certificates they carry) are
    written in, and their links open the site in (``common.mail.language_of``)."""
    if language not in MAIL_LANGUAGES:
        raise ValidationError(
            {"preferred_language": _("メールの言語は日本語か英語から選んでください。")}
        )
    old = user.preferred_language
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit_record(
        actor=actor, action="account.mail_language", target=user, data={"from": old, "to": language}
    )
    return user


def user_activate_totp(*, user: User, secret: str) -> None:
    if not user_has_totp(user):
        TOTP.activate(user, secret)
