"""Who is calling: a system with a bearer token, or a browser with its session.

Scopes limit what a *token* may be used for. A browser session has every scope. Either way the caller then
acts as a user, and the policy module decides on every call what that user may see and do, exactly as on
the pages: a token cannot reach beyond its user's roles, and a scope never replaces a policy check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from tafel.core.errors import AccessDenied

from .models import SCOPES, APIToken
from .services import TokenRejected, api_token_authenticate

ALL_SCOPES = frozenset(SCOPES)


class InvalidToken(AuthenticationError):
    def __init__(self, message: str) -> None:
        super().__init__(status_code=401, message=message)


class InsufficientScope(AccessDenied):
    code = "insufficient_scope"


class CsrfFailed(AccessDenied):
    code = "csrf_failed"


@dataclass(frozen=True)
class Principal:
    """`request.auth` on every API call."""

    user: object
    scopes: frozenset[str]
    token: APIToken | None = None

    @property
    def via(self) -> str:
        return "token" if self.token else "session"


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`. A presented key that is unknown, expired or revoked is refused with 401
    at once (no fall-back to the session): a system must learn that its key no longer works."""

    def __init__(self, scope: str) -> None:
        assert scope in SCOPES, scope
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Principal:
        try:
            api_token = api_token_authenticate(token)
        except TokenRejected as exc:
            raise InvalidToken(str(exc)) from None
        if self.scope not in api_token.scopes:
            raise InsufficientScope(f"Dit API-token heeft de scope ‘{self.scope}’ niet.")
        return Principal(user=api_token.user, scopes=frozenset(api_token.scopes), token=api_token)


class SessionAuth(APIKeyCookie):
    """The browser's Django session. Unsafe methods need the CSRF token (header `X-CSRFToken`, the value of
    the `csrftoken` cookie), as on every form of the pages."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Principal | None:
        # Anonymous first: a request without a session is "not authenticated" (401), not a CSRF failure.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request):
            raise CsrfFailed(
                "CSRF-controle mislukt: stuur de waarde van het cookie ‘csrftoken’ mee in de header X-CSRFToken."
            )
        return Principal(user=user, scopes=ALL_SCOPES)

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:  # pragma: no cover
        return self(request)


def auth_for(scope: str) -> list:
    """Authentication for an operation that needs `scope`: a token with that scope, or a session."""
    return [TokenAuth(scope), SessionAuth()]
