from django.http import Http404

from cnnavi.api.models import ApiToken
from cnnavi.orgs.access import int_or_404


def get_own_token(request, token_id) -> ApiToken:
    """A token of the logged-in user; anyone else's is 404."""
    token = ApiToken.objects.filter(user=request.user, pk=int_or_404(token_id)).first()
    if token is None:
        raise Http404
    return token
