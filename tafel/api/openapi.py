"""The OpenAPI document as the NL API Design Rules want it, written once for every operation instead of on each:

- `servers` holds the base path with the major version (/core/uri-version); paths are relative to it;
- `info.contact` (/core/doc-openapi-contact), from TAFEL_API_CONTACT_* settings;
- every 2xx/3xx response declares the `API-Version` header (/core/version-header);
- every 4xx/5xx response is an `application/problem+json` `Problem` (/core/error-handling/problem-details);
- every operation that takes input declares 400 (/core/error-handling/invalid-input), one with a body also 413.

tools/spectral/ lints the result with Logius' ruleset in CI (docs/api.md, "Spectral").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import NinjaAPI

from .middleware import API_BASE_PATH, API_VERSION
from .schemas import ERROR_DESCRIPTIONS

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
VERSION_HEADER = {
    "API-Version": {
        "description": "De volledige versie van de API (semantic versioning), op elk antwoord.",
        "schema": {"type": "string", "example": API_VERSION},
    }
}
_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


class TafelNinjaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        # Paths relative to the server URL, which carries the base path with the major version.
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        return design_rules(schema)


def design_rules(schema: dict[str, Any]) -> dict[str, Any]:
    schema["servers"] = [{"url": API_BASE_PATH.rstrip("/"), "description": "Deze installatie van Tafel"}]
    schema["info"]["contact"] = {
        "name": settings.TAFEL_API_CONTACT_NAME,
        "url": settings.TAFEL_API_CONTACT_URL,
        "email": settings.TAFEL_API_CONTACT_EMAIL,
    }
    paths = schema.get("paths", {})
    schema["paths"] = {("/" + path.lstrip("/")).rstrip("/") or "/": item for path, item in paths.items()}
    for item in schema["paths"].values():
        for method, operation in item.items():
            if method in _METHODS:
                _operation(method, operation)
    components = schema.get("components", {}).get("schemas", {})
    for component in components.values():
        _hoist_nullable_formats(component)
    if "ProblemError" in components:
        # ninja writes response schemas by field name; the member is `in` (a Python keyword, hence `in_`).
        error = components["ProblemError"]
        error["properties"] = {("in" if k == "in_" else k): v for k, v in error["properties"].items()}
        error["required"] = ["in" if k == "in_" else k for k in error.get("required", [])]
    return schema


def _operation(method: str, operation: dict) -> None:
    responses = {str(status): response for status, response in operation.get("responses", {}).items()}
    operation["responses"] = responses
    has_body = "requestBody" in operation
    takes_input = has_body or bool(operation.get("parameters")) or method in {"post", "put", "patch"}
    if "422" in responses:
        responses.setdefault("400", responses.pop("422"))
    if takes_input:
        responses.setdefault("400", {})
    if has_body:
        responses.setdefault("413", {})
    for status, response in responses.items():
        if status[:1] in "23":
            response.setdefault("headers", {}).update(VERSION_HEADER)
        elif status[:1] in "45":
            content = response.setdefault("content", {})
            json_content = content.pop("application/json", None)
            if json_content is not None or "application/problem+json" not in content:
                content["application/problem+json"] = {"schema": PROBLEM_REF}
            description = ERROR_DESCRIPTIONS.get(int(status))
            if description and response.get("description", "") in ("", _phrase(status)):
                response["description"] = description
            response.setdefault("description", _phrase(status))


def _phrase(status: str) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return "Fout"


def _hoist_nullable_formats(component: dict) -> None:
    """`date | None` becomes `anyOf: [{type: string, format: date}, {type: null}]`; the format is repeated on
    the property itself so that linters reading only `format` see that it is a date."""
    for prop in component.get("properties", {}).values():
        variants = prop.get("anyOf") or []
        formats = {v["format"] for v in variants if isinstance(v, dict) and "format" in v}
        if len(formats) == 1 and "format" not in prop:
            prop["format"] = formats.pop()
