"""`API-Version` on every answer under /api/v1/ (NL API Design Rules, API-57), whatever produced it: an
operation, an error handler, the body limit, the login lockout or a 404 for an unknown path.

And every error answer under /api/v1/ is a problem (`application/problem+json`, /core/error-handling/
problem-details): ninja's handlers (tafel.api.errors) write most of them; what Django answers outside ninja (an
unknown path, a wrong method, a server error) is replaced here by a problem for its status, without internals.
The CORV endpoint's XML acknowledgement of a refused message stays as it is (it is the message standard's)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from tafel.api.errors import too_large_response

# The one place the version lives: the OpenAPI document's info.version and the header both use it.
# Semantic versioning; the major version is the one in the base path (/api/v1/). See docs/api.md.
API_VERSION = "1.1.0"
API_BASE_PATH = "/api/v1/"

_KEEP = ("application/problem+json", "application/xml")


class ApiVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_BASE_PATH) or request.path == API_BASE_PATH.rstrip("/"):
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith(_KEEP):
                from .errors import problem_for_status

                replaced = problem_for_status(response.status_code)
                for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                    if response.has_header(header):
                        replaced[header] = response[header]
                response = replaced
            response["API-Version"] = API_VERSION
        return response


class ApiBodyLimitMiddleware:
    """An API request whose declared body is over `DATA_UPLOAD_MAX_MEMORY_SIZE` gets the API's JSON error (413)
    before anything reads the body: otherwise Django refuses it deep inside (CSRF check, ninja's parser) with an
    HTML 400 page, or a 500 in debug (issue 10 finding 13). Pages keep Django's own refusal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return too_large_response()
        return self.get_response(request)
