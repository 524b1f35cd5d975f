from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cnnavi.accounts.services import full_name
from cnnavi.pages.selectors import terms_version


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "CNNAVI_OPEN_SIGNUP", True)

    def save_user(self, request, user, form, commit=True):
        """The name given at sign-up is stored with the new user."""
        data = getattr(form, "cleaned_data", {})
        if "family_name" in data:
            user.family_name, user.given_name = data["family_name"], data["given_name"]
            user.family_name_kana = data["family_name_kana"]
            user.given_name_kana = data["given_name_kana"]
            user.name = full_name(user.family_name, user.given_name)
        if data.get("accept_terms"):
            user.terms_version, user.terms_accepted_at = terms_version(), timezone.now()
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request) -> str:
        """Office staff land on the back office and experts on their console (a ``next``
        given with the login still wins; allauth checks it first)."""
        user = request.user
        if user.is_authenticated:
            if user.is_office_staff:
                return reverse("staff:index")
            if user.is_expert:
                return reverse("experts:index")
        return super().get_login_redirect_url(request)
