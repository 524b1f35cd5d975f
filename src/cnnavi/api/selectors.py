from django.utils import timezone

from cnnavi.api.models import ApiToken
from cnnavi.api.services import hash_token


def tokens_of_user(*, user):
    return ApiToken.objects.filter(user=user)


def user_for_token(token: str):
    """The active user of an unrevoked token, or None. Notes the time of use (at most once a
    minute, to keep reads cheap)."""
    api_token = (
        ApiToken.objects.filter(key_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if api_token is None or not api_token.user.is_active:
        return None
    now = timezone.now()
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    return api_token.user
