from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cnnavi.accounts import services
from cnnavi.accounts.forms import NameFields

NAME_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana")


@login_required
def name(request):
    """The person's name, used on certificates, lists, forms and e-mails."""
    user = request.user
    form = NameFields(request.POST or None, initial={f: getattr(user, f) for f in NAME_FIELDS})
    if request.method == "POST" and form.is_valid():
        services.user_set_name(actor=user, user=user, **form.cleaned_data)
        messages.success(request, _("お名前を保存しました。"))
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("accounts:name")
    return render(request, "accounts/name.html", {"form": form})
