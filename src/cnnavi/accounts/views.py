from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cnnavi.accounts import services
from cnnavi.accounts.forms import AccountForm
from cnnavi.common.mail import language_of

NAME_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana")


@login_required
def name(request):
    """The person's name, used on certificates, lists, forms and e-mails, and the language of
    their e-mails."""
    user = request.user
    initial = {f: getattr(user, f) for f in NAME_FIELDS}
    form = AccountForm(
        request.POST or None, initial={**initial, "preferred_language": language_of(user)}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        language = data.pop("preferred_language")
        services.user_set_name(actor=user, user=user, **data)
        if language and language != user.preferred_language:
            services.user_set_mail_language(actor=user, user=user, language=language)
        messages.success(request, _("保存しました。"))
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("accounts:name")
    status = 422 if request.method == "POST" else 200  # decision 0904
    return render(request, "accounts/name.html", {"form": form}, status=status)
