"""The Tafel API under /api/v1/: for partner systems (bearer token) and for the browser (session + CSRF).

It uses the same services, selectors and policy as the pages; this module only wires authentication, the
error body and the routers. OpenAPI: /api/v1/openapi.json, interactive docs: /api/v1/docs.
"""

from __future__ import annotations

import functools
import json

from ninja.parser import Parser

from tafel.core.audit import reset_channel, set_channel

from . import errors
from .middleware import API_VERSION
from .openapi import TafelNinjaAPI

# Query parameters are lowerCamelCase (API Design Rules /core/query-keys-camel-case). Tafel 1.0 named these
# three in snake_case; the old names keep working, undocumented and deprecated (docs/api.md, compatibility).
DEPRECATED_QUERY_NAMES = {
    "municipality_id": "municipalityId",
    "organisation_id": "organisationId",
    "overleg_type": "overlegType",
}


class JsonObjectParser(Parser):
    """Every request body of this API is one JSON object; anything else (a list, a bare number, broken
    JSON) is refused as invalid input before it reaches a schema."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for old, new in DEPRECATED_QUERY_NAMES.items():
            if old in result:
                value = result.pop(old)
                result.setdefault(new, value)
        return result


api = TafelNinjaAPI(
    title="Tafel API",
    version=API_VERSION,
    description=(
        "API van Tafel, casusregie voor Zorg- en Veiligheidshuizen. Aanmelden via `Authorization: Bearer "
        "<token>` (systemen) of een ingelogde browsersessie (met CSRF-header bij wijzigingen). Fouten zijn "
        "RFC 9457-problemen (`application/problem+json`: `type`, `title`, `status`, `detail`, `code` en bij "
        "ongeldige invoer — altijd 400 — `errors` met alle fouten tegelijk). Elk antwoord draagt de header "
        "`API-Version`. Dit document is zonder aanmelden op te vragen. Zie docs/api.md."
    ),
    urls_namespace="api",
    parser=JsonObjectParser(),
)


def _api_channel(run):
    """Audit events written during an API call say channel "api", so the FG can tell system and browser
    access apart; the previous channel is restored when the call ends (it is a ContextVar)."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        token = set_channel("api")
        try:
            return run(request, *args, **kwargs)
        finally:
            reset_channel(token)

    return wrapper


errors.install(api)
api.add_decorator(_api_channel, mode="operation")
# Routers are named by dotted path, as urls.py names its includes: the API package sits below the apps whose
# routers it mounts (docs/decisions/0008-dependency-layers.md).
api.add_router("/aanmeldingen", "tafel.cases.api_aanmeldingen.router")
api.add_router("/persons", "tafel.federation.api_persons.router")
api.add_router("/cases", "tafel.cases.api_casefile.router")
api.add_router("/cases", "tafel.cases.api.router")
api.add_router("/cases", "tafel.cases.api_participants.router")
api.add_router("/meetings", "tafel.meetings.api.router")
api.add_router("/meetings", "tafel.meetings.api_sessions.router")
api.add_router("/meetings", "tafel.meetings.api_run.router")
api.add_router("/my-work", "tafel.meetings.api_mywork.router")
api.add_router("/police-checks", "tafel.meetings.api_police.router")
api.add_router("/indicators", "tafel.reports.api.router")
api.add_router("/questionnaires", "tafel.reports.api.questionnaires_router")
api.add_router("/lifecycle", "tafel.lifecycle.api.router")
api.add_router("/lifecycle", "tafel.lifecycle.api_checklist.router")
api.add_router("/events", "tafel.lifecycle.api.events_router")
api.add_router("/follow-up", "tafel.lifecycle.api_followup.router")
api.add_router("/evaluations", "tafel.evaluations.api.router")
api.add_router("/corv", "tafel.integrations.api.corv_router")
api.add_router("/brp", "tafel.integrations.api.brp_router")
api.add_router("/cloudevents", "tafel.integrations.api.cloudevents_router")
