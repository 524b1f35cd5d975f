"""Forms of the accounts app."""

import re

from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from allauth.mfa.utils import decrypt
from django import forms
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

ALREADY_USED = _(
    "このコードはすでに使われました。認証アプリに次のコードが表示されてから入力してください。"
)


def _reused_totp(user, code: str) -> bool:
    """Whether ``code`` is right for the user's TOTP secret but was used in its window."""
    for auth in Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        totp = TOTP(auth)
        secret = decrypt(auth.data["secret"])
        if validate_totp_code(secret, code) and cache.get(totp._get_used_cache_key(code)):
            return True
    return False


class _ReuseMessage:
    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError:
            code = (self.data.get("code") or "").strip()
            if code and _reused_totp(self.user, code):
                raise forms.ValidationError(ALREADY_USED, code="code_used") from None
            raise


class AuthenticateForm(_ReuseMessage, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_ReuseMessage, mfa_forms.ReauthenticateForm):
    pass


_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\s]+$")


class NameFields(forms.Form):
    """Family and given name with their kana (at sign-up and on the account page)."""

    family_name = forms.CharField(label=_("姓"), max_length=50)
    given_name = forms.CharField(label=_("名"), max_length=50)
    family_name_kana = forms.CharField(
        label=_("姓（フリガナ）"), max_length=50, help_text=_("カタカナまたはひらがな")
    )
    given_name_kana = forms.CharField(
        label=_("名（フリガナ）"), max_length=50, help_text=_("カタカナまたはひらがな")
    )

    def _kana(self, name):
        value = self.cleaned_data[name].strip()
        if not _KANA.match(value):
            raise forms.ValidationError(_("フリガナはカタカナかひらがなで入力してください。"))
        return value

    def clean_family_name_kana(self):
        return self._kana("family_name_kana")

    def clean_given_name_kana(self):
        return self._kana("given_name_kana")


MAIL_LANGUAGES = [("ja", _("日本語")), ("en", "English")]


class AccountForm(NameFields):
    """The account page: the name and the language of the person's e-mails (and of the
    invoices and certificates they carry). Left out, the language stays as it is."""

    preferred_language = forms.ChoiceField(
        label=_("メールの言語"),
        choices=MAIL_LANGUAGES,
        required=False,
        help_text=_("CN Navi からのメール、請求書、修了証をこの言語でお送りします。"),
        error_messages={"invalid_choice": _("メールの言語は日本語か英語から選んでください。")},
    )


class SignupForm(NameFields):
    """allauth's sign-up form gains the name fields and the acceptance of the terms
    (ACCOUNT_SIGNUP_FORM_CLASS); the adapter stores them with the new user."""

    accept_terms = forms.BooleanField(
        label=_("利用規約とプライバシーポリシーに同意します"),
        error_messages={
            "required": _("登録するには、利用規約とプライバシーポリシーへの同意が必要です。")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a> · '
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("pages:legal_terms"),
            _("利用規約"),
            reverse("pages:legal_privacy"),
            _("プライバシーポリシー"),
        )

    def signup(self, request, user) -> None:
        pass  # saved by AccountAdapter.save_user
