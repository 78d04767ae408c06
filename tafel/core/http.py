"""The one translation of domain errors into HTTP for the HTML pages (STYLE.md, Access): a record the user
may not see is a 404 — never reveal that it exists in another organisation — and an action the user may not
take on a record they do see is a 403. The API does the same in tafel/api."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tafel.core.errors import AccessDenied, NotFound


def domain_errors(view):
    """NotFound → 404, AccessDenied → 403, with the domain message."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except AccessDenied as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper


def safe_next(request, default: str) -> str:
    """The `next` a page was asked to return to, when it points into Tafel itself; `default` otherwise. A
    `next` to another site (`https://evil.example`, `//evil.example`, `/\\evil.example`) would turn a Tafel
    link into a phishing link that starts on a trusted address (issue 10 finding 1)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
