"""`API-Version` on every answer under /api/v1/ (NL API Design Rules, API-57), whatever produced it: an
operation, an error handler, the body limit, the login lockout or a 404 for an unknown path."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

# The one place the version lives: the OpenAPI document's info.version and the header both use it.
# Semantic versioning; the major version is the one in the base path (/api/v1/). See docs/api.md.
API_VERSION = "1.0.0"
API_BASE_PATH = "/api/v1/"


class ApiVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_BASE_PATH) or request.path == API_BASE_PATH.rstrip("/"):
            response["API-Version"] = API_VERSION
        return response
