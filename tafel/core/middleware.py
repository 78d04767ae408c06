from __future__ import annotations

import functools
import re
import secrets
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as _DjangoOTPMiddleware

TOTP_PERSISTENT_PREFIX = "otp_totp.totpdevice/"

# Strict CSP: no inline script anywhere; styles only from our own origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The OpenAPI page (Swagger UI) ships inline script; it gets its own, looser policy.
        if request.path.startswith("/api/v1/docs"):
            response.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; frame-ancestors 'none'",
            )
        else:
            response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class NoStoreMiddleware:
    """No page, PDF, export or API answer of Tafel may be kept by a browser's or proxy's cache: they carry
    personal data, and a shared workstation's back button or disk cache would show them to the next user
    (issue 10 finding 14). Only the static files (served by WhiteNoise before this middleware, with their own
    long caching) are exempt; a response that set its own caching policy keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response


# How stale the idle clock of a session may be (the idle timeout counts in minutes).
LAST_SEEN_PRECISION_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """Log a browser session out after TAFEL_SESSION_IDLE_MINUTES without requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_seen")
            if last and now - last > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(f"/login/?{urlencode({'next': request.path, 'verlopen': 1})}")
            elif not last or now - last >= LAST_SEEN_PRECISION_SECONDS:
                # Written at most once a minute: a write on every request costs a session UPDATE per page.
                request.session["last_seen"] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """With TAFEL_REQUIRE_2FA on, a logged-in browser session must be verified with a TOTP code before it
    reaches any page (every role; SPEC §6, issue 4 §9). Users without a device are sent to enrol one. The
    API uses bearer tokens and is not affected; a session on the API without a second factor gets 401. A login
    through the organisation's identity provider at a two-factor assurance level (tafel.integrations.oidc) is
    the second factor itself."""

    EXEMPT_PREFIXES = ("/privacy/tweede-factor/", "/logout/", "/login/", "/static/", "/healthz", "/taal/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.TAFEL_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.session.get("tafel_oidc_second_factor")
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                from tafel.core.problems import problem_response

                return problem_response(401, "not_authenticated", "Tweede factor vereist.")
            from django_otp.plugins.otp_totp.models import TOTPDevice

            target = "/privacy/tweede-factor/"
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                target += "instellen/"
            return redirect(f"{target}?{urlencode({'next': request.path})}")
        return self.get_response(request)


# W3C Trace Context: version 00, 32 hex trace id (not all zero), 16 hex parent id (not all zero), 2 hex flags.
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def trace_id_from(header: str) -> str:
    """The trace id of a valid `traceparent` header, or "" (then Tafel starts a trace of its own)."""
    match = _TRACEPARENT.match((header or "").strip())
    if not match or set(match.group(1)) == {"0"} or set(match.group(2)) == {"0"}:
        return ""
    return match.group(1)


class RequestContextMiddleware:
    """Every request gets a request id for the audit log (NEN 7513: which request did this): the trace id of
    the W3C `traceparent` header a partner system sends, so its logs and ours meet, or a new one. The response
    carries it back in `traceparent` (with Tafel's own span id) and `X-Request-ID`. The client's address
    (behind `TAFEL_TRUSTED_PROXY_COUNT` proxies, tafel.core.net) is the events' origin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from tafel.core.audit import new_request_id, reset_request_context, set_request_context
        from tafel.core.net import client_ip

        trace_id = trace_id_from(request.META.get("HTTP_TRACEPARENT", "")) or new_request_id()
        request.request_id = trace_id
        token = set_request_context(request_id=trace_id, origin=client_ip(request))
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["traceparent"] = f"00-{trace_id}-{secrets.token_hex(8)}-01"
        response["X-Request-ID"] = trace_id
        return response


class OTPMiddleware(_DjangoOTPMiddleware):
    """django-otp's middleware: `request.user.otp_device` is the device that verified this session, or None. A
    user loaded by tafel.access.backends carries the ids of its confirmed TOTP devices, so checking the session's
    device needs no query; the device itself is read only if something uses it."""

    def _verify_user_sync(self, request, user):
        confirmed = getattr(user, "_confirmed_totp_ids", None)
        if confirmed is None or not user.is_authenticated:
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = None
        if persistent_id:
            persistent_id = self._normalize_persistent_id(persistent_id)
            prefix, _, pk = persistent_id.partition("/")
            if f"{prefix}/" == TOTP_PERSISTENT_PREFIX and pk.isdigit() and int(pk) in confirmed:
                device = SimpleLazyObject(functools.partial(self._device_from_persistent_id, persistent_id))
            elif not persistent_id.startswith(TOTP_PERSISTENT_PREFIX):
                # Another kind of device (none in Tafel today): django-otp's own check.
                return super()._verify_user_sync(request, user)
        if device is None and DEVICE_ID_SESSION_KEY in request.session:
            del request.session[DEVICE_ID_SESSION_KEY]
        user.otp_device = device
        return user
