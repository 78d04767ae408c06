"""Running a meeting in the API (issue 12, item 5): the agenda proposal, opening, attendance of all invitees
in one write, and the chair's close. The same selectors and services as the meeting page, so the API refuses
the same things with the same messages. Reading uses `cases:read`, writing `cases:write`."""

from __future__ import annotations

import datetime

from ninja import Router, Schema
from pydantic import Field

from tafel.api.auth import auth_for
from tafel.api.schemas import Id, In, LongText, errors

from . import selectors, services
from .access import meeting_get_for_user
from .models import Attendance

router = Router(tags=["Overleggen"])


class AgendaProposalOut(Schema):
    case_id: int
    reference: str
    title: str
    urgency: str
    reasons: list[str] = Field(
        description="Waarom de casus aan de beurt is: `rappel`, `actions`, `triaged`, `deferred`."
    )
    reason: str = Field(description="Dezelfde redenen als tekst, in de taal van het verzoek.")
    due_on: datetime.date | None


class OpenIn(In):
    privacy_text: LongText = Field("", description="Leeg: de standaardtekst van de privacy-opening.")


class CloseIn(In):
    version: int = Field(
        description="De versie van het overleg zoals u die las (409 als iemand het intussen wijzigde)."
    )


class MeetingStateOut(Schema):
    id: int
    status: str
    version: int
    privacy_reminder_at: datetime.datetime | None
    held_at: datetime.datetime | None


class AttendanceRowIn(In):
    invitation_id: Id
    attendance: Attendance


class AttendanceIn(In):
    version: int = Field(
        description="De versie van het overleg zoals u die las (409 als iemand het intussen wijzigde)."
    )
    rows: list[AttendanceRowIn] = Field(max_length=500)


class AttendanceOut(Schema):
    version: int
    changed: list[int] = Field(description="De uitnodigingen waarvan de aanwezigheid veranderde.")


def _state(meeting) -> dict:
    return {
        "id": meeting.pk,
        "status": meeting.status,
        "version": meeting.version,
        "privacy_reminder_at": meeting.privacy_reminder_at,
        "held_at": meeting.held_at,
    }


@router.get(
    "/{meeting_id}/agenda-proposals",
    operation_id="meeting_agenda_proposals",
    summary="Voorstel: casussen die aan de beurt zijn",
    description=(
        "Lopende casussen die voor dit overleg aan de beurt zijn: rappeldatum bereikt, open acties over de "
        "termijn, nieuw aangenomen en nog niet besproken, of eerder doorgeschoven. Meest urgente eerst, dan de "
        "vroegste datum. Alleen voor wie het overleg plant. Scope `cases:read`."
    ),
    response={200: list[AgendaProposalOut], **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def meeting_agenda_proposals(request, meeting_id: int):
    user = request.auth.user
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id, action="plan")
    return [
        {
            "case_id": s.case.pk,
            "reference": s.case.reference,
            "title": s.case.title,
            "urgency": s.case.urgency,
            "reasons": s.codes,
            "reason": s.reason,
            "due_on": s.due_on,
        }
        for s in selectors.agenda_suggestions(viewer=user, meeting=meeting)
    ]


@router.post(
    "/{meeting_id}/open",
    operation_id="meeting_open",
    summary="Overleg openen",
    description=(
        "De voorzitter (of een procesregisseur) opent het overleg met de privacy-opening. Het overleg is dan "
        "geopend, nog niet gehouden. 409 als het al geopend is. Scope `cases:write`."
    ),
    response={200: MeetingStateOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def meeting_open(request, meeting_id: int, payload: OpenIn):
    user = request.auth.user
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id, action="run")
    return _state(services.meeting_open(actor=user, meeting=meeting, privacy_text=payload.privacy_text))


@router.post(
    "/{meeting_id}/close",
    operation_id="meeting_close",
    summary="Overleg sluiten (gehouden)",
    description=(
        "De voorzitter sluit een geopend overleg; het staat daarna als gehouden geregistreerd. Aanwezigheid, "
        "gespreksverslagen en het verslag blijven bewerkbaar tot het verslag is vastgesteld. 403 voor ieder "
        "ander dan de voorzitter, 409 als het overleg niet geopend is of intussen gewijzigd. Scope `cases:write`."
    ),
    response={200: MeetingStateOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def meeting_close(request, meeting_id: int, payload: CloseIn):
    user = request.auth.user
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id, action="approve")
    return _state(services.meeting_close(actor=user, meeting=meeting, expected_version=payload.version))


@router.post(
    "/{meeting_id}/attendance",
    operation_id="meeting_attendance_save",
    summary="Aanwezigheid van alle genodigden vastleggen",
    description=(
        "Eén verzoek voor alle genodigden (professionals en uitgenodigde cliënten). Alles of niets: een fout "
        "staat bij het veld `attendance-<uitnodiging>`, en dan wordt niets opgeslagen. Alleen als het overleg "
        "geopend of gehouden is. 409 als iemand het overleg intussen wijzigde. Scope `cases:write`."
    ),
    response={200: AttendanceOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def meeting_attendance_save(request, meeting_id: int, payload: AttendanceIn):
    user = request.auth.user
    meeting = meeting_get_for_user(user=user, meeting_id=meeting_id, action="run")
    detail = selectors.meeting_detail(viewer=user, meeting_id=meeting.pk, for_planning=False)
    visible = {inv.pk for inv in detail.invitations} | {c.pk for i in detail.items for c in i.client_invitations}
    changed = services.attendance_save(
        actor=user,
        meeting=meeting,
        rows=[services.AttendanceRow(r.invitation_id, r.attendance) for r in payload.rows],
        visible_ids=visible,
        expected_version=payload.version,
    )
    return {"version": meeting.version, "changed": [inv.pk for inv in changed]}
