"""The police check before the meeting in the API (SPEC §4.2 "DIK-check", issue 11 item 7): the police list
and answer their checks; the chair reads per person whether each is done. Thin: one access check, one
service or selector."""

from __future__ import annotations

import datetime

from ninja import Router, Schema
from pydantic import Field

from tafel.api.auth import auth_for
from tafel.api.schemas import In, errors
from tafel.core.errors import AccessDenied

from .access import meeting_get_for_user
from .models import PoliceCheck
from .services import police_checks

router = Router(tags=["Overleggen"])


class PoliceCheckOut(Schema):
    id: int
    meeting_id: int
    starts_at: datetime.datetime
    agenda_item_id: int
    case_id: int
    case_reference: str
    person_id: int
    person_name: str
    organisation: str
    done: bool
    known: bool | None = Field(description="Bekend bij de politie; leeg zolang de check niet is gedaan.")
    attention_points: str
    answered_by: str
    answered_at: datetime.datetime | None


class PoliceCheckListOut(Schema):
    open: int
    items: list[PoliceCheckOut]


class PoliceCheckAnswerIn(In):
    known: bool = Field(description="Is deze persoon bij de politie bekend?")
    attention_points: str = Field("", max_length=500, description="Aandachtspunten voor de tafel; geen dossierinhoud.")


def _out(c: PoliceCheck) -> dict:
    meeting = c.agenda_item.meeting
    return {
        "id": c.pk,
        "meeting_id": meeting.pk,
        "starts_at": meeting.starts_at,
        "agenda_item_id": c.agenda_item_id,
        "case_id": c.case_id,
        "case_reference": c.case.reference,
        "person_id": c.person_id,
        "person_name": str(c.person),
        "organisation": str(c.organisation),
        "done": c.done,
        "known": c.known,
        "attention_points": c.attention_points,
        "answered_by": str(c.answered_by) if c.answered_by_id else "",
        "answered_at": c.answered_at,
    }


@router.get(
    "",
    operation_id="police_check_list",
    summary="Mijn DIK-checks",
    description=(
        "De DIK-checks van uw politieorganisatie voor komende overleggen, open eerst. Alleen voor medewerkers "
        "van een politieorganisatie met een casusrol (anders 403). Scope `cases:read`."
    ),
    response={200: PoliceCheckListOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def police_check_list(request):
    user = request.auth.user
    if not police_checks.is_answerer(user):
        raise AccessDenied("De DIK-check is voor de politie.")
    checks = police_checks.checks_for_police(viewer=user)
    return {"open": sum(1 for c in checks if not c.done), "items": [_out(c) for c in checks]}


@router.post(
    "/{check_id}/answer",
    operation_id="police_check_answer",
    summary="DIK-check beantwoorden",
    description=(
        "Bekend of niet bekend, met aandachtspunten (geen dossierinhoud). Corrigeren kan tot het overleg "
        "begint (daarna 409). Een check van een andere organisatie: 404. Scope `cases:write`."
    ),
    response={200: PoliceCheckOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def police_check_answer(request, check_id: int, payload: PoliceCheckAnswerIn):
    user = request.auth.user
    check = police_checks.police_check_get_for_user(user=user, check_id=check_id)
    check = police_checks.police_check_answer(
        actor=user, check=check, known=payload.known, attention_points=payload.attention_points
    )
    return _out(check)


@router.get(
    "/meetings/{meeting_id}",
    operation_id="meeting_police_checks",
    summary="DIK-checks van een overleg",
    description=(
        "Per persoon op de agenda: of de politie de DIK-check deed, met het antwoord. Voor de voorzitter en "
        "wie het overleg plant (anders 403); een overleg dat u niet ziet: 404. Scope `cases:read`."
    ),
    response={200: list[PoliceCheckOut], **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def meeting_police_checks(request, meeting_id: int):
    user = request.auth.user
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id)
    by_item = police_checks.checks_for_meeting(viewer=user, meeting=meeting)
    return [_out(c) for checks in by_item.values() for c in checks]
