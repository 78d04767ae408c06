"""API of the koppelingen (issue 15): the CORV Zorgformulier Politie endpoint."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from ninja import Field, Router, Schema

from tafel.api.auth import auth_for
from tafel.api.schemas import In, errors
from tafel.integrations.brp import brp_lookup
from tafel.integrations.corv import corv_receive

corv_router = Router(tags=["CORV"])

_ACK = {
    "description": "Ontvangstbevestiging (XML, namespace urn:tafel:corv:ontvangstbevestiging:1).",
    "content": {"application/xml": {"schema": {"type": "string"}}},
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
            "400": _ACK,
            # 403 in XML when the message's sender is refused; in the API's JSON error body when the token is.
            "403": {
                "description": _ACK["description"] + " Of de foutbody van de API bij een token zonder scope.",
                "content": {
                    **_ACK["content"],
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}},
                },
            },
            "409": _ACK,
            "413": _ACK,
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
