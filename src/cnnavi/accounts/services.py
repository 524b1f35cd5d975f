"""Writes on accounts, used by the demo and by tests."""

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from cnnavi.accounts.models import User
from cnnavi.accounts.selectors import user_has_totp


@transaction.atomic
def user_create_verified(*, email: str, password: str, name: str = "") -> User:
    """A user whose e-mail address is already verified (demo data, tests, invitations)."""
    user = User.objects.create_user(email=email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def user_activate_totp(*, user: User, secret: str) -> None:
    if not user_has_totp(user):
        TOTP.activate(user, secret)
