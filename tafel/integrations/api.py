"""API of the koppelingen (issue 15): the CORV Zorgformulier Politie endpoint."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from tafel.api.auth import auth_for
from tafel.api.schemas import In, errors
from tafel.integrations.brp import brp_lookup
from tafel.integrations.cloudevents import cloudevent
from tafel.integrations.corv import corv_receive

corv_router = Router(tags=["CORV"])

_ACK = {
    "description": "Ontvangstbevestiging (XML, namespace urn:tafel:corv:ontvangstbevestiging:1).",
    "content": {"application/xml": {"schema": {"type": "string"}}},
}
_ERROR = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
_REFUSED = {
    "description": "Geweigerd: de ontvangstbevestiging (XML) met de reden, of een probleem van de API (JSON).",
    "content": {**_ACK["content"], **_ERROR},
}


@corv_router.post(
    "/zorgformulieren",
    operation_id="corv_zorgformulier_receive",
    summary="Zorgformulier Politie ontvangen (CORV)",
    description=(
        "Neemt een Zorgformulier Politie aan (XML, zie docs/api.md). De afzender wordt herkend aan het OIN in "
        "`Bericht/Afzender/OIN`, dat bij de organisatie van de aanroeper moet horen. Idempotent op "
        "(afzender, `BerichtId`): hetzelfde bericht nogmaals geeft 200 met status `al_ontvangen` en maakt geen "
        "tweede melding. Een nieuw bericht wordt een melding bij Veilig Thuis (herkomst politie) en geeft 201. "
        "Een onjuist bericht wordt geweigerd met de reden in de bevestiging (400, 403, 409 of 413) en bewaard "
        "voor inspectie. Scope `aanmeldingen:write`."
    ),
    auth=auth_for("aanmeldingen:write"),
    response=errors(401),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string"}}},
        },
        "responses": {
            "200": _ACK,
            "201": _ACK,
            # A refused message is answered in XML; a refusal of the call itself (token, scope, CSRF) as the
            # API's problem (application/problem+json).
            **{code: _REFUSED for code in ("400", "403", "409", "413")},
        },
    },
)
def corv_zorgformulier_receive(request):
    result = corv_receive(raw=request.body, channel="api", actor=request.auth.user)
    return HttpResponse(
        result.acknowledgement(), status=result.http_status, content_type="application/xml; charset=utf-8"
    )


brp_router = Router(tags=["BRP"])


class BrpIn(In):
    bsn: str = Field(..., min_length=8, max_length=11, description="Burgerservicenummer (9 cijfers, 11-proef).")


class BrpPersonOut(Schema):
    bsn: str
    first_names: str
    prefix: str
    last_name: str
    date_of_birth: datetime.date | None
    gender: str = Field(description="m, v of x (onbekend)")
    address: str
    municipality_code: str = Field(description="CBS-code van de gemeente van inschrijving")


@brp_router.post(
    "/personen",
    operation_id="brp_person_lookup",
    summary="Persoon opzoeken in de BRP (op BSN)",
    description=(
        "Raadpleegt de BRP (Haal Centraal BRP bevragen v2, RaadpleegMetBurgerservicenummer) voor naam, "
        "geboortedatum, geslacht en adres, om een aanmelding vooraf in te vullen of te controleren. Alleen voor "
        "aanmelders van organisaties met BRP-toegang (gemeente, Veilig Thuis, het huis; instelbaar), en alleen als "
        "de koppeling aan staat. Elke raadpleging staat in het auditlog. Scope `persons:match`."
    ),
    response={200: BrpPersonOut, **errors(401, 403, 404, 422, 502)},
    auth=auth_for("persons:match"),
)
def brp_person_lookup(request, payload: BrpIn):
    return brp_lookup(actor=request.auth.user, bsn=payload.bsn)


cloudevents_router = Router(tags=["Gebeurtenissen"])


class CloudEventsIn(In):
    cursor: int = Field(0, ge=0, le=2**63 - 1, description="Het `next_cursor` van de vorige aanroep; 0 bij de eerste.")
    limit: int = Field(100, ge=1, le=500)


class CloudEventData(Schema):
    case_id: int | None
    event_code: int
    organisation_id: int | None


class CloudEventOut(Schema):
    specversion: str
    type: str
    source: str
    id: str
    time: str
    subject: str | None
    datacontenttype: str
    dataref: str | None
    sequence: str
    data: CloudEventData


class CloudEventsOut(Schema):
    next_cursor: int
    items: list[CloudEventOut]


@cloudevents_router.get(
    "",
    operation_id="cloudevents_feed",
    summary="Gebeurtenissen als CloudEvents (NL GOV)",
    description=(
        "Dezelfde gebeurtenissen als `GET /events`, als CloudEvents 1.0 volgens het NL GOV-profiel "
        "(`specversion`, `type`, `source` als URN, `id`, `time`, `subject` = casus-id, `dataref`, `sequence`). "
        "Geen persoonsgegevens. Partnersystemen kunnen ze ook als webhook ontvangen (docs/api.md). "
        "Scope `cases:read`."
    ),
    response={200: CloudEventsOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def cloudevents_feed(request, filters: Query[CloudEventsIn]):
    from tafel.core.audit import audit
    from tafel.lifecycle.audit_events import LifecycleEvent
    from tafel.lifecycle.selectors import case_events

    user = request.auth.user
    next_cursor, events = case_events(viewer=user, cursor=filters.cursor, limit=filters.limit)
    audit(actor=user, event=LifecycleEvent.EVENT_FEED_READ, details={"cursor": filters.cursor, "n": len(events)})
    return {
        "next_cursor": next_cursor,
        "items": [cloudevent(e) for e in events],
    }
