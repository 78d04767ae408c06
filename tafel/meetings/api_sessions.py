"""The planner's safety rules in the API (issue 11): mark a case as stalking or intimate terrorism naming the
persons who must never share a session, and invite a client to a client part. The same services as the
meeting page, so the planner refuses the same things with the same messages. Scope `cases:write`."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field

from tafel.api.auth import auth_for
from tafel.api.schemas import Id, In, LongText, errors

from . import services
from .access import agenda_item_get_for_user
from .models import AttendMode, SafetyMarker, SessionPart

router = Router(tags=["Overleggen"])


class SafetyMarkerIn(In):
    marker: SafetyMarker | None = Field(None, description="`stalking`, `intimate_terrorism`, of leeg om te wissen.")
    reason: LongText
    person_ids: list[Id] = Field(
        default_factory=list,
        max_length=50,
        description="De personen van de casus die nooit samen in een sessie zitten (minstens twee bij een markering).",
    )


class SafetyMarkerOut(Schema):
    case_id: int
    safety_marker: str
    separated_person_ids: list[int]


class ClientInviteIn(In):
    person_id: Id
    invited: bool = True
    not_invited_reason: LongText = ""
    attend_mode: AttendMode | None = None
    vertrouwenspersoon: str = Field("", max_length=200)
    session_part: SessionPart | None = Field(None, description="Leeg: de planner kiest een vrij cliëntdeel.")


class ClientInvitationOut(Schema):
    id: int
    person_id: int
    invited: bool
    session_part: str
    warnings: list[str]


@router.post(
    "/items/{item_id}/safety-marker",
    operation_id="agenda_item_safety_marker",
    summary="Markering stalking / intiem terrorisme",
    description=(
        "Het huis markeert de casus van dit agendapunt en noemt de personen die nooit samen in een sessie zitten, "
        "welke rol zij ook hebben. 422 als er minder dan twee personen uit de casus zijn gekozen of als zij in een "
        "overleg dat nog niet gesloten is al in dezelfde sessie zitten. Scope `cases:write`."
    ),
    response={200: SafetyMarkerOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:write"),
)
def agenda_item_safety_marker(request, item_id: int, payload: SafetyMarkerIn):
    user = request.auth.user
    item = agenda_item_get_for_user(user=user, item_id=item_id, action="plan")
    flags = services.safety_marker_set(
        actor=user, case=item.case, marker=payload.marker or "", reason=payload.reason, person_ids=payload.person_ids
    )
    return {
        "case_id": item.case_id,
        "safety_marker": flags.safety_marker,
        "separated_person_ids": sorted(flags.separated_persons.values_list("pk", flat=True)),
    }


@router.post(
    "/items/{item_id}/clients",
    operation_id="agenda_item_client_invite",
    summary="Cliënt uitnodigen (of reden vastleggen)",
    description=(
        "Nodigt een persoon van de casus uit voor een cliëntdeel, of legt vast waarom niet (ja, tenzij). Bij een "
        "markering stalking of intiem terrorisme weigert de planner (422, veld `session_part`) de genoemde "
        "personen samen in één sessie te zetten; zonder `session_part` kiest de planner een vrij cliëntdeel. "
        "Scope `cases:write`."
    ),
    response={200: ClientInvitationOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def agenda_item_client_invite(request, item_id: int, payload: ClientInviteIn):
    user = request.auth.user
    item = agenda_item_get_for_user(user=user, item_id=item_id, action="plan")
    result = services.client_invite(
        actor=user,
        agenda_item=item,
        person_id=payload.person_id,
        invited=payload.invited,
        not_invited_reason=payload.not_invited_reason,
        attend_mode=payload.attend_mode or "",
        vertrouwenspersoon=payload.vertrouwenspersoon,
        session_part=payload.session_part,
    )
    invitation = result.invitation
    return {
        "id": invitation.pk,
        "person_id": invitation.person_id,
        "invited": invitation.invited,
        "session_part": invitation.session_part,
        "warnings": list(result.warnings),
    }
