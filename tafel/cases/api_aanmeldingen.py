"""Aanmeldingen: submit, follow your organisation's submissions, answer a request for information."""

from __future__ import annotations

from ninja import Query, Router, Status

from tafel.api.auth import auth_for
from tafel.api.errors import rename_map, renamed_fields
from tafel.api.schemas import errors
from tafel.cases import access as case_access
from tafel.cases import api_selectors, output, services
from tafel.cases.schemas import (
    AanmeldingDetailOut,
    AanmeldingIn,
    AanmeldingListIn,
    AanmeldingListOut,
    AanmeldingOut,
    InformatieIn,
)
from tafel.core.audit import audit_list

router = Router(tags=["Aanmeldingen"])


@router.post(
    "",
    operation_id="aanmelding_create",
    summary="Aanmelding indienen",
    description=(
        "Dient een aanmelding in (aanmeldformulier). Personen zijn een bestaande persoon uit de screening "
        "(`existing_person_id`, zie `POST /persons/match`) of een nieuwe. Staat een van de personen in een "
        "lopende casus, dan wordt de aanmelding daaraan toegevoegd (`joined_existing`). "
        "`case_id` en `case_reference` staan er alleen in als u die casus mag inzien. Scope `aanmeldingen:write`."
    ),
    response={201: AanmeldingOut, **errors(401, 403, 422)},
    auth=auth_for("aanmeldingen:write"),
)
def aanmelding_create(request, payload: AanmeldingIn):
    user = request.auth.user
    data = services.AanmeldingInput(
        **payload.model_dump(exclude={"persons"}),
        persons=[services.PersonInput(**p.model_dump()) for p in payload.persons],
    )
    with renamed_fields(rename_map({"municipality": "municipality_id"})):
        result = services.aanmelding_create(actor=user, data=data)
    _, visible = api_selectors.aanmelding_facts(viewer=user, aanmelding=result.aanmelding)
    return Status(
        201, output.aanmelding(result.aanmelding, joined_existing=result.joined_existing, case_visible=visible)
    )


@router.get(
    "",
    operation_id="aanmelding_list",
    summary="Aanmeldingen van uw organisatie",
    description="De aanmeldingen die uw organisatie deed, nieuwste eerst, met status en besluit. "
    "Gepagineerd met `limit` en `offset`. Scope `aanmeldingen:read`.",
    response={200: AanmeldingListOut, **errors(401, 403, 422)},
    auth=auth_for("aanmeldingen:read"),
)
def aanmelding_list(request, filters: Query[AanmeldingListIn]):
    qs = api_selectors.aanmelding_list(viewer=request.auth.user, status=filters.status)
    count = qs.count()
    page = list(qs[filters.offset : filters.offset + filters.limit])
    audit_list(actor=request.auth.user, list_code="aanmeldingen", case_ids=[a.case_id for a in page])
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [output.aanmelding(a, joined_existing=a.joined_existing, case_visible=a.case_visible) for a in page],
    }


@router.get(
    "/{aanmelding_id}",
    operation_id="aanmelding_get",
    summary="Eén aanmelding",
    description="De aanmelding met haar inhoud en personen. Voor de aanmeldende organisatie en wie de casus "
    "mag inzien; anders 404. Het inzien wordt vastgelegd in het auditlog. Scope `aanmeldingen:read`.",
    response={200: AanmeldingDetailOut, **errors(401, 403, 404, 422)},
    auth=auth_for("aanmeldingen:read"),
)
def aanmelding_get(request, aanmelding_id: int):
    detail = api_selectors.aanmelding_detail(viewer=request.auth.user, aanmelding_id=aanmelding_id)
    return output.aanmelding_detail(
        detail.aanmelding,
        detail.persons,
        joined_existing=detail.joined_existing,
        case_visible=detail.case_visible,
    )


@router.post(
    "/{aanmelding_id}/informatie",
    operation_id="aanmelding_supply_info",
    summary="Gevraagde informatie aanvullen",
    description="Antwoord van de aanmeldende organisatie op een vraag om aanvullende informatie (triage: "
    "‘eerst verrijken’). De casus gaat terug naar de triage. 409 als er geen informatie gevraagd is. "
    "Scope `aanmeldingen:write`.",
    response={200: AanmeldingOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("aanmeldingen:write"),
)
def aanmelding_supply_info(request, aanmelding_id: int, payload: InformatieIn):
    user = request.auth.user
    aanmelding = case_access.aanmelding_get_for_user(user=user, aanmelding_id=aanmelding_id)
    aanmelding = services.aanmelding_supply_info(actor=user, aanmelding=aanmelding, text=payload.text)
    joined, visible = api_selectors.aanmelding_facts(viewer=user, aanmelding=aanmelding)
    return output.aanmelding(aanmelding, joined_existing=joined, case_visible=visible)
