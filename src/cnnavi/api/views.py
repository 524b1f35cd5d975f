from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.api import selectors, services
from cnnavi.api.access import get_own_token
from cnnavi.api.forms import TokenForm


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(
            actor=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": selectors.tokens_of_user(user=request.user),
            "new_token": new_token,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    services.token_revoke(actor=request.user, token=get_own_token(request, token_id))
    messages.success(request, _("トークンを無効にしました。もう使えません。"))
    return redirect("api_tokens:index")
