"""Every refusal of the API is an RFC 9457 problem (`application/problem+json`), as the NL API Design Rules ask
(/core/error-handling/problem-details, /invalid-input, /all-errors):

    {"type": "urn:tafel:problem:validation_failed", "title": "Ongeldige invoer", "status": 400,
     "detail": "De invoer is ongeldig.", "code": "validation_failed",
     "errors": [{"in": "body", "location": "#/persons/0/date_of_birth", "code": "date_from_datetime_parsing",
                 "detail": "Verwacht een datum (JJJJ-MM-DD).", "field": "persons.0.date_of_birth"}]}

Invalid input is a 400 with every field error at once. The `errors` member follows the Logius proposal for
/core/error-handling/bad-request (Logius-standaarden/API-Design-Rules, branch bad-request-errors): `in`
(body, query, path), `location` (a JSON Pointer as URI fragment for the body, the parameter name otherwise),
an optional `code` and `detail`. `field` (the dotted path of Tafel 1.0) and the top-level `code` are Tafel's
extension members. Domain errors (tafel.core.errors) keep their status and code, except that a 422 of the pages
is a 400 here. Responses that never reach ninja (an unknown path, a wrong method, a server error, the body
limit, the second-factor gate) are made problems by tafel.api.middleware.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from tafel.core.errors import TafelError
from tafel.core.problems import (  # noqa: F401 - the API's error vocabulary, re-exported for its users
    NOT_FOUND_DETAIL,
    PROBLEM_JSON,
    STATUS_CODES,
    TITLES,
    problem,
    problem_response,
    problem_type,
)

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


# One stable title per problem type (RFC 9457 §3.1.3: the title does not change from occurrence to occurrence).
def problem_for_status(status: int) -> JsonResponse:
    """A problem for an answer that carries nothing of its own (an unknown path, a wrong method, a crash): the
    status and a fixed sentence, never a trace or an exception text."""
    code = STATUS_CODES.get(status, "server_error" if status >= 500 else "error")
    details = {
        404: NOT_FOUND_DETAIL,
        405: "Deze HTTP-methode is hier niet toegestaan.",
        500: "Er ging iets mis aan de kant van Tafel; de fout is vastgelegd.",
    }
    try:
        detail = details.get(status) or HTTPStatus(status).description or HTTPStatus(status).phrase
    except ValueError:
        detail = "Fout."
    return problem_response(status, code, detail)


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


def _split(loc: tuple | list) -> tuple[str, list]:
    """(`in`, path inside that part) of a ninja error location."""
    parts = list(loc)
    source = "body"
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
        elif source == "query" and parts and parts[0] == "filters":
            parts.pop(0)
    return source, parts


def _pointer(parts: list) -> str:
    """RFC 6901 JSON Pointer in its URI-fragment form (as RFC 9457's example): `#/persons/0/date_of_birth`."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "#/" + "/".join(escaped)


def field_error(source: str, parts: list, detail: str, code: str | None = None) -> dict:
    """One entry of `errors`: where (`in`, `location`), what (`code`, `detail`) and Tafel's dotted `field`."""
    entry: dict = {"in": source}
    if parts:
        entry["location"] = _pointer(parts) if source == "body" else str(parts[0])
    if code:
        entry["code"] = code
    entry["detail"] = detail
    entry["field"] = ".".join(str(p) for p in parts) or source
    return entry


def _tafel_error(request: HttpRequest, exc: TafelError) -> HttpResponse:
    # A service names the field; whether it came in the body or the query follows from the method.
    source = "query" if request.method in ("GET", "DELETE", "HEAD") else "body"
    errors = [
        field_error(source, [] if f in ("body", "__all__") else f.split("."), m)
        for f, msgs in exc.field_errors.items()
        for m in msgs
    ]
    return problem_response(exc.status, exc.code, exc.message, errors)


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [field_error(*_split(e.get("loc", ())), _message(e), e.get("type")) for e in exc.errors]
    return problem_response(400, "validation_failed", "De invoer is ongeldig.", errors)


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        if isinstance(exc, InvalidToken):
            response = problem_response(401, "invalid_token", exc.message)
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        else:
            response = problem_response(
                401,
                "not_authenticated",
                "Niet aangemeld: stuur ‘Authorization: Bearer <token>’ of gebruik een ingelogde browsersessie.",
            )
            response["WWW-Authenticate"] = "Bearer"
        return response
    if exc.status_code == 400:
        # ninja reports a body it cannot parse as a 400: invalid input like any other.
        return problem_response(
            400,
            "validation_failed",
            "De invoer is ongeldig.",
            [field_error("body", [], "De body is geen geldig JSON-object.", "json_invalid")],
        )
    return problem_response(exc.status_code, STATUS_CODES.get(exc.status_code, "error"), str(exc))


def too_large_response() -> JsonResponse:
    """A body over `DATA_UPLOAD_MAX_MEMORY_SIZE`: 413 (issue 10 finding 13), also when it is refused before ninja
    runs (tafel.api.middleware.ApiBodyLimitMiddleware)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    detail = f"De body is te groot: hoogstens {limit // (1024 * 1024)} MB."
    return problem_response(413, "payload_too_large", detail, [field_error("body", [], detail)])


def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, "not_found", NOT_FOUND_DETAIL)


def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Let Django handle a crash (it logs it and answers 500); tafel.api.middleware turns that answer into a
    problem without internals. ninja's own handler would answer with the traceback when DEBUG is on."""
    raise exc


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(TafelError, _tafel_error)
    api.add_exception_handler(ValidationError, _validation_error)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(RequestDataTooBig, lambda request, exc: too_large_response())
    api.add_exception_handler(Exception, _unexpected)


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
