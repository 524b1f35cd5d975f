from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


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
