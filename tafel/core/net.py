"""The client's address behind trusted proxies: one helper for the audit log's origin (NEN 7513) and the
login lock-out.

Behind a reverse proxy every request comes from the proxy's address; the proxy appends the address it saw
to `X-Forwarded-For`. Only the last `TAFEL_TRUSTED_PROXY_COUNT` entries were written by proxies we run —
anything to their left was sent by the client and can be forged — so the client is the entry just left of
them. With no trusted proxy (the default) the header is ignored and the socket's address is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str:
    try:
        return ipaddress.ip_address(address.strip()).compressed
    except ValueError:
        return ""


def client_ip(request) -> str:
    """The client's address as the trusted proxies saw it, or "" when it cannot be told."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    trusted = int(getattr(settings, "TAFEL_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # The chain as the last proxy sees it: every forwarded hop, then the proxy's own peer (REMOTE_ADDR).
    hops = [*forwarded, request.META.get("REMOTE_ADDR", "")]
    if len(hops) <= trusted:
        # Fewer hops than trusted proxies: the request did not come through all of them; take the leftmost.
        return _valid(hops[0])
    return _valid(hops[-(trusted + 1)])
