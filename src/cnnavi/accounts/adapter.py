from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cnnavi.accounts.services import full_name
from cnnavi.pages.selectors import terms_version


def public_url(url: str) -> str:
    """The same path on CNNAVI_BASE_URL: links in e-mails never trust the request's Host."""
    base = urlsplit(settings.CNNAVI_BASE_URL)
    bits = urlsplit(url)
    prefix = base.path.rstrip("/")
    return urlunsplit((base.scheme, base.netloc, prefix + bits.path, bits.query, bits.fragment))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "CNNAVI_OPEN_SIGNUP", True)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return public_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return public_url(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix, email, context):
        # Every other link allauth puts in a mail (sign-up, "reset your password") likewise.
        context = {
            key: public_url(value)
            if key.endswith("_url") and isinstance(value, str) and "://" in value
            else value
            for key, value in context.items()
        }
        context["current_site"] = SimpleNamespace(
            name=settings.CNNAVI_SITE_NAME, domain=urlsplit(settings.CNNAVI_BASE_URL).netloc
        )
        return super().send_mail(template_prefix, email, context)

    def save_user(self, request, user, form, commit=True):
        """The name given at sign-up is stored with the new user, and the language of the page
        as the language of their e-mails."""
        data = getattr(form, "cleaned_data", {})
        if "family_name" in data:
            user.family_name, user.given_name = data["family_name"], data["given_name"]
            user.family_name_kana = data["family_name_kana"]
            user.given_name_kana = data["given_name_kana"]
            user.name = full_name(user.family_name, user.given_name)
        # The page's language becomes the language of the person's e-mails (changeable on the
        # account page); the confirmation mail allauth sends next is in it already.
        user.preferred_language = "en" if translation.get_language() == "en" else "ja"
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
