from ninja.security import HttpBearer

from cnnavi.api.selectors import user_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <personal API token>``; the request then acts as its user."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user
