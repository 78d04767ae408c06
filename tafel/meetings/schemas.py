"""Input and output schemas of the meetings API (/api/v1/meetings). Shapes only; rules stay in services."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tafel.api.schemas import In, PageIn

from .models import ActionStatus


class Ref(Schema):
    id: int
    name: str


class MeetingListIn(PageIn):
    upcoming: bool | None = Field(
        None, description="true: alleen geplande overleggen vanaf vandaag; false: alleen gehouden overleggen."
    )


class MeetingSummaryOut(Schema):
    id: int
    type: str = Field(description="Code van het overlegtype, bijvoorbeeld `com`, `mda`, `actieoverleg`.")
    type_name: str
    starts_at: datetime.datetime
    place: str
    video_link: str
    status: str = Field(
        description=(
            "planned (gepland), open (geopend), held (gehouden: door de voorzitter gesloten) of closed "
            "(afgerond: verslag vastgesteld)."
        )
    )
    chair: Ref
    agenda_items: int = Field(description="Aantal casussen op de agenda die u mag inzien.")


class MeetingListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingSummaryOut]


class ClientInvitationOut(Schema):
    person_id: int
    name: str
    invited: bool
    not_invited_reason: str
    attend_mode: str
    session_part: str
    attendance: str


class AgendaItemOut(Schema):
    id: int
    order: int
    case_id: int
    reference: str
    title: str
    kind: str = Field(description="new (nieuw) of follow_up (vervolg).")
    deferred: bool
    defer_reason: str
    split_session: bool = Field(description="true: een OM-deel zonder cliënten en een cliëntdeel zonder OM.")
    phase: str
    safety_marker: str
    current_plan_id: int | None
    current_plan_number: int | None
    open_actions: int
    recurring_actions: int = Field(description="Open acties die ongewijzigd terugkomen in meerdere overleggen.")
    ownerless_actions: int
    overdue_actions: int
    pre_meeting_updates: int
    discussed: bool
    previous_meeting_at: datetime.datetime | None
    clients: list[ClientInvitationOut]


class InvitationOut(Schema):
    id: int
    user: Ref
    organisation: Ref | None
    agenda_item_id: int | None = Field(description="Leeg: uitgenodigd voor het hele overleg.")
    session_part: str
    attendance: str
    substitute_for: Ref | None


class MeetingDetailOut(MeetingSummaryOut):
    privacy_reminder_given: bool
    agenda: list[AgendaItemOut]
    invitations: list[InvitationOut]


class BodemeisOut(Schema):
    id: int
    text: str
    guard: Ref | None
    if_broken: str
    audience: str = Field(
        description="Voor wie: `family` (komt in de versie van het plan voor het gezin) of `professionals`."
    )


class ActionOut(Schema):
    id: int
    plan_id: int
    case_id: int
    what: str
    owner: Ref | None
    organisation: Ref | None
    deadline: datetime.date | None
    type: str
    type_label: str
    audience: str = Field(
        description="Voor wie: `family` (komt in de versie van het plan voor het gezin) of `professionals`."
    )
    rationale: str
    term: str
    status: str
    outcome_note: str
    done_at: datetime.datetime | None = Field(
        description="Wanneer de eigenaar de actie als gedaan meldde; leeg bij elke andere status. Alleen-lezen."
    )
    meeting_count: int
    recurring: bool
    ownerless: bool


class CasusregieOut(Schema):
    casusregisseur: Ref | None
    subtasks: str
    period_from: datetime.date | None
    period_until: datetime.date | None
    exclusions: str


class QualityOut(Schema):
    meets_criteria: bool
    missing: list[str]


class PlanOut(Schema):
    id: int
    case_id: int
    reference: str
    number: int
    published: bool
    published_at: datetime.datetime | None
    current: bool = Field(description="true: dit is de geldende (laatst gepubliceerde) versie.")
    based_on_id: int | None
    meeting_id: int | None
    goals: str
    casusregie: CasusregieOut
    afdoeningsadvies: str = Field(description="Het afdoeningsadvies voor ZSM, altijd op deze vaste plek.")
    next_meeting_date: datetime.date | None
    bodemeisen: list[BodemeisOut]
    actions: list[ActionOut]
    quality: QualityOut


class ActionListOut(Schema):
    count: int
    items: list[ActionOut]


class ActionUpdateIn(In):
    status: ActionStatus
    outcome_note: Annotated[str, Field(max_length=20_000)] = ""


class VerslagSectionOut(Schema):
    case_id: int
    reference: str
    text: str
    data: dict = Field(description="De vastgelegde gegevens: fase, schaalscores, cliënten, plan met afspraken.")


class VerslagOut(Schema):
    meeting_id: int
    approved: bool
    approved_at: datetime.datetime | None
    approved_by: Ref | None
    meeting: dict = Field(description="Overleg, voorzitter, privacy-opening en aanwezigheid.")
    sections: list[VerslagSectionOut]


class FamilySharedOut(Schema):
    from_org: str
    to_org: str
    kind: str = Field(description="Welk soort informatie, in gewone woorden; nooit de inhoud.")
    reason: str = Field(description="De grond uit het reglement.")
    shared_at: datetime.datetime


class FamilyPlanOut(Schema):
    plan_id: int
    status: str = Field(description="`draft` (nog niet beoordeeld), `reviewed` of `given`.")
    sentences: list[str] = Field(description="Wie doet wat, zoals beoordeeld; leeg zolang niet beoordeeld.")
    overridden: bool = Field(description="true: de procesregisseur paste de zinnen van Tafel aan.")
    reviewed_by: str | None
    reviewed_at: datetime.datetime | None
    given_at: datetime.datetime | None
    version: int
    contact: str
    organisations: list[str]
    shares: list[FamilySharedOut]


class FamilyReviewIn(In):
    sentences: list[Annotated[str, Field(max_length=600)]] | None = Field(
        None, max_length=60, description="Aangepaste zinnen; weglaten voor de zinnen die Tafel schreef."
    )
    version: int | None = Field(None, description="De versie die u las (0 als er nog geen beoordeling is).")


class FamilyGiveIn(In):
    version: int | None = None
