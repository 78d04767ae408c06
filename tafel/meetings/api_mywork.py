""" "Mijn werk" in the API (issue 11): my invitations, my actions (owner or second owner) and the cases
awaiting my pre-meeting update; and the invitee's answer. Actions are updated with `action_update`."""

from __future__ import annotations

import datetime

from ninja import Query, Router, Schema
from pydantic import Field

from tafel.access import policy
from tafel.api.auth import auth_for
from tafel.api.schemas import Id, In, LongText, PageIn, errors
from tafel.cases import output
from tafel.cases import selectors as case_selectors
from tafel.cases.schemas import CaseSummaryOut
from tafel.core.errors import AccessDenied

from . import mywork
from .models import InvitationResponse
from .services import partners

router = Router(tags=["Overleggen"])


class MyInvitationOut(Schema):
    id: int
    meeting_id: int
    overleg_type: str
    starts_at: datetime.datetime
    place: str
    case_id: int | None
    case_reference: str
    response: InvitationResponse
    response_reason: str
    substitute_for: str


class MyActionOut(Schema):
    id: int
    case_id: int
    case_reference: str
    plan_id: int
    what: str
    deadline: datetime.date | None
    status: str
    outcome_note: str
    owner: str
    co_owner: str
    owner_confirmed_at: datetime.datetime | None
    co_owner_confirmed_at: datetime.datetime | None


class AwaitingUpdateOut(Schema):
    agenda_item_id: int
    meeting_id: int
    starts_at: datetime.datetime
    case_id: int
    case_reference: str


class MyWorkOut(Schema):
    invitations: list[MyInvitationOut]
    actions: list[MyActionOut]
    awaiting_update: list[AwaitingUpdateOut]


class InvitationResponseIn(In):
    response: InvitationResponse = Field(description="`accepted`, `declined` of `substituted`.")
    reason: LongText = Field("", description="Verplicht bij `declined`.")
    substitute_id: Id | None = Field(None, description="Bij `substituted`: een collega van uw eigen organisatie.")


def _name(user) -> str:
    return str(user) if user else ""


def _invitation(inv) -> dict:
    case = inv.agenda_item.case if inv.agenda_item_id else None
    return {
        "id": inv.pk,
        "meeting_id": inv.meeting_id,
        "overleg_type": inv.meeting.overleg_type.name,
        "starts_at": inv.meeting.starts_at,
        "place": inv.meeting.place,
        "case_id": case.pk if case else None,
        "case_reference": case.reference if case else "",
        "response": inv.response,
        "response_reason": inv.response_reason,
        "substitute_for": _name(inv.substitute_for),
    }


@router.get(
    "",
    operation_id="my_work",
    summary="Mijn werk",
    description=(
        "Mijn uitnodigingen voor komende overleggen (met mijn antwoord), mijn acties in geldende plannen (als "
        "eigenaar of tweede eigenaar) en de agendapunten die op mijn voorbereidende update wachten. "
        "Scope `cases:read`."
    ),
    response={200: MyWorkOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def my_work(request):
    work = mywork.my_work(viewer=request.auth.user)
    return {
        "invitations": [_invitation(inv) for inv in work.invitations],
        "actions": [
            {
                "id": a.pk,
                "case_id": a.case_id,
                "case_reference": a.case.reference,
                "plan_id": a.plan_id,
                "what": a.what,
                "deadline": a.deadline,
                "status": a.status,
                "outcome_note": a.outcome_note,
                "owner": _name(a.owner),
                "co_owner": _name(a.co_owner),
                "owner_confirmed_at": a.owner_confirmed_at,
                "co_owner_confirmed_at": a.co_owner_confirmed_at,
            }
            for a in work.actions
        ],
        "awaiting_update": [
            {
                "agenda_item_id": i.pk,
                "meeting_id": i.meeting_id,
                "starts_at": i.meeting.starts_at,
                "case_id": i.case_id,
                "case_reference": i.case.reference,
            }
            for i in work.awaiting_update
        ],
    }


@router.post(
    "/invitations/{invitation_id}/response",
    operation_id="invitation_respond",
    summary="Uitnodiging beantwoorden",
    description=(
        "De genodigde komt (`accepted`), komt niet met een reden (`declined`) of stuurt een collega van de eigen "
        "organisatie (`substituted`, met `substitute_id`), die dan wordt uitgenodigd en een bericht krijgt. De "
        "voorzitter krijgt een bericht bij afmelden of vervanging. 404 voor een uitnodiging die niet de uwe is; "
        "409 als het overleg al begonnen is. Scope `cases:write`."
    ),
    response={200: MyInvitationOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def invitation_respond(request, invitation_id: int, payload: InvitationResponseIn):
    user = request.auth.user
    invitation = partners.invitation_get_for_invitee(user=user, invitation_id=invitation_id)
    invitation = partners.invitation_respond(
        actor=user,
        invitation=invitation,
        response=payload.response,
        reason=payload.reason,
        substitute_id=payload.substitute_id,
    )
    return _invitation(invitation)


class TriageQueueItemOut(CaseSummaryOut):
    response_deadline: datetime.date | None = Field(
        description="Vroegste gewenste reactiedatum: datum van de aanmelding plus de gewenste responstermijn."
    )


class TriageQueueOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TriageQueueItemOut]


@router.get(
    "/triage-queue",
    operation_id="triage_queue",
    summary="Te triëren casussen",
    description=(
        "De casussen die op triage wachten, meest urgent eerst en dan op de vroegste gewenste reactiedatum "
        "(`response_deadline`), daarna de oudste. Alleen voor het huis (anders 403). Elke getoonde casus wordt "
        "vastgelegd in het auditlog. Scope `cases:read`."
    ),
    response={200: TriageQueueOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def triage_queue(request, page: Query[PageIn]):
    user = request.auth.user
    if not policy.sees_all_cases(user):
        raise AccessDenied("De triagewachtrij is voor het huis.")
    cases = case_selectors.triage_queue(viewer=user)
    shown = cases[page.offset : page.offset + page.limit]
    case_selectors.audit_case_list(viewer=user, cases=shown)
    return {
        "count": len(cases),
        "limit": page.limit,
        "offset": page.offset,
        "items": [{**output.case_summary(c), "response_deadline": c.response_deadline} for c in shown],
    }
