"""RFC 9457 problem details (`application/problem+json`), the one error body of the API (issue 15, API Design
Rules). Here in core so that middleware answering before the API runs (the second factor) writes the same body;
tafel.api.errors builds every API error with it."""

from __future__ import annotations

from http import HTTPStatus

from django.http import JsonResponse

PROBLEM_JSON = "application/problem+json"

TITLES = {
    "validation_failed": "Ongeldige invoer",
    "not_authenticated": "Niet aangemeld",
    "invalid_token": "Ongeldig API-token",
    "insufficient_scope": "Scope ontbreekt",
    "csrf_failed": "CSRF-controle mislukt",
    "access_denied": "Geen toegang",
    "not_found": "Niet gevonden",
    "method_not_allowed": "Methode niet toegestaan",
    "transition_not_allowed": "Overgang niet toegestaan",
    "concurrent_edit": "Tegelijk gewijzigd",
    "caseload_full": "Caseload vol",
    "payload_too_large": "Body te groot",
    "throttled": "Te veel verzoeken",
    "server_error": "Interne fout",
}
# The code of an answer that carries no domain code of its own.
STATUS_CODES = {
    400: "validation_failed",
    401: "not_authenticated",
    403: "access_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    429: "throttled",
    500: "server_error",
}
NOT_FOUND_DETAIL = "Bestaat niet of u heeft er geen toegang toe."


def problem_type(code: str) -> str:
    return f"urn:tafel:problem:{code}"


def problem(status: int, code: str, detail: str, errors: list[dict] | None = None) -> dict:
    """The body of one problem; `errors` only where there are field errors."""
    if status == 422:
        status = 400
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Fout"
    body = {
        "type": problem_type(code),
        "title": TITLES.get(code, phrase),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(status: int, code: str, detail: str, errors: list[dict] | None = None) -> JsonResponse:
    body = problem(status, code, detail, errors)
    return JsonResponse(
        body, status=body["status"], content_type=PROBLEM_JSON, json_dumps_params={"ensure_ascii": False}
    )
