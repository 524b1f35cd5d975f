"""Personal API tokens: create (the token is returned once) and revoke."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from cnnavi.api.models import ApiToken
from cnnavi.audit.services import audit_record

TOKEN_PREFIX = "cnn_"  # noqa: S105 - a visible prefix, not a secret


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic(durable=True)
def token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=actor, name=name.strip()[:80], prefix=token[:10], key_hash=hash_token(token)
    )
    audit_record(actor=actor, action="api.token_create", target=api_token)
    return api_token, token


@transaction.atomic(durable=True)
def token_revoke(*, actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api.token_revoke", target=token)
