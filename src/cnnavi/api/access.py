from django.shortcuts import get_object_or_404

from cnnavi.api.models import ApiToken
from cnnavi.orgs.access import int_or_404


def get_own_token(request, token_id) -> ApiToken:
    """A token of the logged-in user; anyone else's is 404."""
    return get_object_or_404(ApiToken.objects.filter(user=request.user), pk=int_or_404(token_id))
