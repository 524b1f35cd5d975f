from django.conf import settings
from ninja.errors import HttpError
from ninja.security import HttpBearer

from cnnavi.accounts.selectors import user_has_totp
from cnnavi.api.selectors import user_for_token

TWO_FACTOR_REQUIRED = (
    "Two-factor authentication is required for support staff and experts: set up an "
    "authenticator app on /accounts/2fa/ before using the API."
)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <personal API token>``; the request then acts as its user.

    A token obeys the session's rules: a deactivated user's or a revoked token is 401, and a
    staff member or expert without TOTP (RequireTwoFactorMiddleware for pages) is 403."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        if (
            settings.CNNAVI_REQUIRE_2FA_FOR_STAFF
            and user.needs_two_factor
            and not user_has_totp(user)
        ):
            raise HttpError(403, TWO_FACTOR_REQUIRED)
        request.user = user
        return user
