from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cnnavi.accounts.selectors import user_has_totp
from cnnavi.common.navigation import user_roles

# Paths a staff member or expert without TOTP may still open (to set it up, or leave).
# The admin is not open: it logs in through the same page (and TOTP) as everything else.
_OPEN_PREFIXES = ("/accounts/", "/en/accounts/", "/static/", "/i18n/")


class RequireTwoFactorMiddleware:
    """Support staff and experts must activate TOTP before they open any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.CNNAVI_REQUIRE_2FA_FOR_STAFF
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and _needs_two_factor(user)
            and not user_has_totp(user)
        ):
            messages.warning(
                request,
                _("支援機関の職員と専門家は、2段階認証（認証アプリ）の設定が必要です。"),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def _needs_two_factor(user) -> bool:
    """``User.needs_two_factor`` from the roles the page header reads too (one query)."""
    if user.is_staff or user.is_superuser:
        return True
    roles = user_roles(user)
    return bool(roles.get("is_office_staff") or roles.get("is_expert"))
