from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cnnavi.accounts.selectors import user_has_totp

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
            and user.needs_two_factor
            and not user_has_totp(user)
        ):
            messages.warning(
                request,
                _("支援機関の職員と専門家は、2段階認証（認証アプリ）の設定が必要です。"),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
