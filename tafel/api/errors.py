"""One error body for every refusal: `{"code", "detail", "errors": [{"field", "message"}]}`.

Domain errors (tafel.core.errors) keep their status and code; ninja's own input validation becomes a 422
with the same shape, field paths as in the input (`persons.0.date_of_birth`) and Dutch messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tafel.core.errors import TafelError

from .auth import InvalidToken

# Pydantic error types → Dutch. `{name}` is filled from the error's context.
MESSAGES = {
    "missing": "Dit veld is verplicht.",
    "string_type": "Verwacht tekst.",
    "int_type": "Verwacht een geheel getal.",
    "int_parsing": "Verwacht een geheel getal.",
    "int_from_float": "Verwacht een geheel getal.",
    "float_type": "Verwacht een getal.",
    "float_parsing": "Verwacht een getal.",
    "finite_number": "Verwacht een eindig getal.",
    "bool_type": "Verwacht true of false.",
    "bool_parsing": "Verwacht true of false.",
    "date_type": "Verwacht een datum (JJJJ-MM-DD).",
    "date_parsing": "Verwacht een datum (JJJJ-MM-DD).",
    "date_from_datetime_parsing": "Verwacht een datum (JJJJ-MM-DD).",
    "date_from_datetime_inexact": "Verwacht een datum zonder tijd (JJJJ-MM-DD).",
    "list_type": "Verwacht een lijst.",
    "dict_type": "Verwacht een object.",
    "model_type": "Verwacht een object.",
    "model_attributes_type": "Verwacht een object.",
    "extra_forbidden": "Onbekend veld.",
    "string_too_long": "Te lang: maximaal {max_length} tekens.",
    "string_too_short": "Te kort: minimaal {min_length} tekens.",
    "too_long": "Te veel: maximaal {max_length}.",
    "too_short": "Te weinig: minimaal {min_length}.",
    "greater_than_equal": "Moet ten minste {ge} zijn.",
    "greater_than": "Moet groter zijn dan {gt}.",
    "less_than_equal": "Mag hoogstens {le} zijn.",
    "less_than": "Moet kleiner zijn dan {lt}.",
    "enum": "Kies een van: {expected}.",
    "literal_error": "Kies een van: {expected}.",
    "json_invalid": "Ongeldige JSON.",
    "json_type": "Ongeldige JSON.",
}

# Where a request part sits in a ninja error location: ("body", "payload", "persons", 0, "last_name").
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
BODY_PARAM = "payload"


def _message(error: dict) -> str:
    template = MESSAGES.get(error.get("type", ""))
    if template:
        ctx = dict(error.get("ctx", {}))
        if "expected" in ctx:
            ctx["expected"] = str(ctx["expected"]).replace(" or ", " of ")
        try:
            return template.format(**ctx)
        except (KeyError, IndexError, ValueError):
            return template.split(":")[0] + "."
    msg = str(error.get("msg", "Ongeldige waarde."))
    # Our own validators raise ValueError with a Dutch sentence; pydantic puts "Value error, " before it.
    return msg.removeprefix("Value error, ")


def _field(loc: tuple | list) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
        elif source == "query" and parts and parts[0] == "filters":
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "body"


def body(code: str, detail: str, errors: list[dict] | None = None) -> dict:
    return {"code": code, "detail": detail, "errors": errors or []}


def _tafel_error(api: NinjaAPI, request: HttpRequest, exc: TafelError) -> HttpResponse:
    errors = [{"field": f, "message": m} for f, msgs in exc.field_errors.items() for m in msgs]
    return api.create_response(request, body(exc.code, exc.message, errors), status=exc.status)


def _validation_error(api: NinjaAPI, request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
    return api.create_response(request, body("validation_failed", "De invoer is ongeldig.", errors), status=422)


def _http_error(api: NinjaAPI, request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        if isinstance(exc, InvalidToken):
            response = api.create_response(request, body("invalid_token", exc.message), status=401)
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        else:
            response = api.create_response(
                request,
                body(
                    "not_authenticated",
                    "Niet aangemeld: stuur ‘Authorization: Bearer <token>’ of gebruik een ingelogde browsersessie.",
                ),
                status=401,
            )
            response["WWW-Authenticate"] = "Bearer"
        return response
    if exc.status_code == 400:
        # ninja reports a body it cannot parse as a 400; to a client it is invalid input like any other.
        return api.create_response(
            request,
            body(
                "validation_failed",
                "De invoer is ongeldig.",
                [{"field": "body", "message": "De body is geen geldig JSON-object."}],
            ),
            status=422,
        )
    codes = {403: "access_denied", 404: "not_found", 405: "method_not_allowed", 429: "throttled"}
    return api.create_response(request, body(codes.get(exc.status_code, "error"), str(exc)), status=exc.status_code)


def too_large_response() -> JsonResponse:
    """A body over `DATA_UPLOAD_MAX_MEMORY_SIZE`: 413 with the one error body (issue 10 finding 13), also when it
    is refused before ninja runs (tafel.api.middleware.ApiBodyLimitMiddleware)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = f"De body is te groot: hoogstens {limit // (1024 * 1024)} MB."
    return JsonResponse(
        body("payload_too_large", detail, [{"field": "body", "message": detail}]),
        status=413,
        json_dumps_params={"ensure_ascii": False},
    )


def _not_found(api: NinjaAPI, request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, body("not_found", "Bestaat niet of u heeft er geen toegang toe."), status=404)


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(TafelError, lambda request, exc: _tafel_error(api, request, exc))
    api.add_exception_handler(ValidationError, lambda request, exc: _validation_error(api, request, exc))
    api.add_exception_handler(HttpError, lambda request, exc: _http_error(api, request, exc))
    api.add_exception_handler(Http404, lambda request, exc: _not_found(api, request, exc))
    api.add_exception_handler(RequestDataTooBig, lambda request, exc: too_large_response())


@contextmanager
def renamed_fields(rename: Callable[[str], str]) -> Iterator[None]:
    """Services name fields as the pages do (`municipality`, `criterion_a`); the API reports them under
    the names of its own input (`municipality_id`, `criteria.0.met`)."""
    try:
        yield
    except TafelError as exc:
        if exc.field_errors:
            renamed: dict[str, list[str]] = {}
            for field, msgs in exc.field_errors.items():
                renamed.setdefault(rename(field), []).extend(msgs)
            exc.field_errors = renamed
        raise


def rename_map(mapping: dict[str, str]) -> Callable[[str], str]:
    def rename(field: str) -> str:
        return mapping.get(field, field)

    return rename
