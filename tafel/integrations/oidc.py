"""OpenID Connect login for professionals, one provider per partner organisation (issue 15 item 3).

mozilla-django-oidc does the protocol (authorization code flow with PKCE, state, nonce, token exchange, ID token
signature against the provider's JWKS); Tafel supplies per-provider configuration instead of its single-provider
settings, checks issuer, audience and the assurance level (`acr`), and maps the claims to organisation and roles
(tafel.integrations.services.oidc_login_user).

The flow: the login page lists the active providers → `integrations:oidc_start` (<slug>) remembers the provider in
the session and redirects to its authorization endpoint → the provider sends the browser back to
`oidc_callback` → `ProviderBackend.authenticate` exchanges the code and vouches for the user → the session is
marked "second factor done" when the provider's `acr` is two-factor (SECOND_FACTOR_RANK).
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from tafel.access.backends import UserContextMixin
from tafel.integrations.models import IdentityProvider
from tafel.integrations.services import OIDCRefused, oidc_login_audit, oidc_login_user, oidc_refusal_audit

log = logging.getLogger(__name__)

SESSION_PROVIDER = "tafel_oidc_provider"
# Set on a session whose OIDC login was two-factor: TwoFactorMiddleware then asks no TOTP code.
SESSION_SECOND_FACTOR = "tafel_oidc_second_factor"


REFUSAL_MESSAGES = {
    "acr_too_low": _(
        "Uw inlogmiddel is niet sterk genoeg voor Tafel. Log in met een middel van minimaal niveau {level}."
    ),
    "no_roles": _("U heeft bij uw organisatie geen rol die toegang geeft tot Tafel. Vraag uw beheerder om een rol."),
    "wrong_organisation": _("Uw account hoort niet bij de organisatie van deze inlogknop."),
    "token_invalid": _("Het inloggen bij uw organisatie is niet gelukt. Probeer het opnieuw."),
    "provider_unavailable": _("De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later opnieuw."),
    "inactive": _("Dit account is uitgeschakeld."),
}


def discovery(provider: IdentityProvider) -> dict:
    """The provider's OpenID configuration (its endpoints). Read at every login: a login is rare enough, and a
    provider that moves its endpoints is followed at once."""
    url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    config = response.json()
    for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(config.get(key), str):
            raise ValueError(f"discovery document lacks {key}")
    return config


class ProviderBackend(UserContextMixin, OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the provider's configuration instead of the single-provider settings.
    It answers only a request that `OIDCCallbackView` marked with the provider."""

    def __init__(self, *args, **kwargs):
        # The base reads the single-provider settings here; Tafel's come from the provider at login.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()
        self.provider = None

    def _configure(self, provider: IdentityProvider, config: dict) -> None:
        self.provider = provider
        self.config = config
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        # The NL GOV profile signs ID tokens with RS256 (or stronger); an HMAC "signature" with the client secret
        # is not accepted.
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "tafel_oidc_provider", None) if request is not None else None
        if provider is None or "nonce" not in kwargs:
            return None
        try:
            self._configure(provider, discovery(provider))
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, ValueError) as exc:
            log.warning("OIDC login via provider %s failed: %s", provider.pk, type(exc).__name__)
            request.tafel_oidc_refusal = "provider_unavailable"
            return None
        except (SuspiciousOperation, jwt.InvalidTokenError) as exc:
            log.warning("OIDC login via provider %s refused: %s", provider.pk, type(exc).__name__)
            if not getattr(request, "tafel_oidc_refusal", ""):
                request.tafel_oidc_refusal = "token_invalid"
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if payload.get("iss") != self.config["issuer"]:
            raise SuspiciousOperation("ID token issuer does not match the provider")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token is not meant for Tafel")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        # `acr` and `sub` come from the signed ID token; profile and role claims from the userinfo endpoint
        # when the provider has one, else from the ID token.
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo subject differs from the ID token's")
            claims.update({k: v for k, v in userinfo.items() if k not in ("acr", "sub", "iss", "aud")})
        try:
            user, second_factor = oidc_login_user(provider=self.provider, claims=claims)
        except OIDCRefused as exc:
            # mozilla-django-oidc turns this into "no user"; the callback view tells the person why.
            self.request.tafel_oidc_refusal = exc.code
            raise
        except IntegrityError:
            # The same person's first login twice at once: the other one made the account; try again.
            self.request.tafel_oidc_refusal = "token_invalid"
            raise SuspiciousOperation("concurrent first login") from None
        self.request.tafel_oidc_second_factor = second_factor
        return user


class OIDCStartView(OIDCAuthenticationRequestView):
    """Start the login at the chosen organisation's provider."""

    def __init__(self, *args, **kwargs):
        # The base reads the single-provider settings here; see `get`.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request, slug):
        provider = IdentityProvider.objects.filter(slug=slug, active=True).select_related("organisation").first()
        if provider is None:
            raise Http404
        try:
            config = discovery(provider)
        except (requests.RequestException, ValueError):
            messages.error(request, REFUSAL_MESSAGES["provider_unavailable"])
            return HttpResponseRedirect(reverse("login"))
        self.provider = provider
        self.OIDC_OP_AUTH_ENDPOINT = config["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        request.session[SESSION_PROVIDER] = provider.pk
        return super().get(request)

    def get_settings(self, attr, *args):
        if attr == "OIDC_RP_SCOPES":
            return self.provider.scopes
        return super().get_settings(attr, *args)

    def get_extra_params(self, request):
        # Ask for at least the provider's minimum level; the answer is checked again on the ID token.
        return {"acr_values": self.provider.min_acr}


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here. The provider chosen at the start is read from the session."""

    def get(self, request):
        provider_id = request.session.get(SESSION_PROVIDER)
        provider = None
        if provider_id is not None:
            provider = (
                IdentityProvider.objects.filter(pk=provider_id, active=True).select_related("organisation").first()
            )
        if provider is None:
            return self._refuse("token_invalid")
        request.tafel_oidc_provider = provider
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state that is not ours (a replayed or forged callback).
            return self._refuse("token_invalid")

    def login_success(self):
        response = super().login_success()
        second_factor = bool(getattr(self.request, "tafel_oidc_second_factor", False))
        self.request.session[SESSION_SECOND_FACTOR] = second_factor
        self.request.session.pop(SESSION_PROVIDER, None)
        oidc_login_audit(user=self.user, provider=self.request.tafel_oidc_provider, second_factor=second_factor)
        return response

    def login_failure(self):
        code = getattr(self.request, "tafel_oidc_refusal", "") or "token_invalid"
        if getattr(self, "user", None) is not None and not self.user.is_active:
            code = "inactive"
        return self._refuse(code)

    def _refuse(self, code: str):
        provider = getattr(self.request, "tafel_oidc_provider", None)
        self.request.session.pop(SESSION_PROVIDER, None)
        oidc_refusal_audit(provider=provider, code=code)
        level = provider.get_min_acr_display() if provider is not None else ""
        messages.error(self.request, str(REFUSAL_MESSAGES[code]).format(level=level))
        return HttpResponseRedirect(reverse("login"))
