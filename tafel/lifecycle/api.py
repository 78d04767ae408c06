"""After the meeting in the API (issue 5, item 8): timeline, breaches, progress, phases, interventions,
escalations, closing, the Veilig Thuis route, notifications, and the case-event feed at /api/v1/events.

Thin: one access check and one service or selector per endpoint. Reads use scope `cases:read`, writes
`cases:write`."""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema, Status

from tafel.access import policy
from tafel.api.auth import auth_for
from tafel.api.schemas import Id, In, errors
from tafel.cases import access as case_access
from tafel.core.audit import audit
from tafel.lifecycle.audit_events import LifecycleEvent

from . import selectors, services
from .models import Escalation, GoalReached

router = Router(tags=["Na het overleg"])
events_router = Router(tags=["Gebeurtenissen"])

READ = auth_for("cases:read")
WRITE = auth_for("cases:write")
Text = Field(..., max_length=20_000)


# --- schemas ---------------------------------------------------------------------------------------------


class TimelineEntryOut(Schema):
    at: datetime.datetime = Field(
        ..., description="Tijdstip; bij `date_only` het begin van de dag (alleen de datum is bekend)."
    )
    date_only: bool = Field(
        False,
        description="Alleen de datum is bekend (bijvoorbeeld een interventie). De lijst staat in volgorde: per "
        "dag eerst de gebeurtenissen met een tijd, dan die met alleen een datum.",
    )
    url: str = Field("", description="De pagina van het onderliggende record in Tafel (pad).")
    kind: str
    kind_label: str
    title: str
    detail: str
    organisation_id: int | None
    organisation: str


class TimelineOut(Schema):
    case_id: int
    reference: str
    count: int
    items: list[TimelineEntryOut]


class TimelineIn(In):
    kind: str = Field("", max_length=20, description="Soort gebeurtenis, bijvoorbeeld `actie` of `escalatie`.")
    organisation_id: int | None = Field(None, ge=1, le=2**63 - 1, alias="organisationId")


class IdOut(Schema):
    id: int
    case_id: int


class BreachIn(In):
    bodemeis_id: int = Field(..., ge=1, le=2**63 - 1)
    description: str = Text
    occurred_on: datetime.date | None = None


class ProgressIn(In):
    problem: str = Text
    goal: str = Field("", max_length=20_000)
    plan: str = Field("", max_length=20_000)
    waiting_for_information: bool = False
    waiting_note: str = Field("", max_length=300)


class RappelIn(In):
    due_on: datetime.date
    note: str = Field("", max_length=300)


class PhaseIn(In):
    to_phase: str = Field(..., max_length=30)
    reason: str = Text


class InterventionIn(In):
    type_id: int = Field(..., ge=1, le=2**63 - 1)
    organisation_id: int | None = Field(None, ge=1, le=2**63 - 1)
    started_on: datetime.date
    ended_on: datetime.date | None = None
    result: str = Field("", max_length=20_000)
    note: str = Field("", max_length=20_000)


class InterventionTypeOut(Schema):
    id: int
    code: str
    name: str
    track: str


class EscalationStartIn(In):
    reason: str = Text
    candidate_organisation_ids: list[Id] = Field(default_factory=list, max_length=50)


class EscalationAdvanceIn(In):
    note: str = Field("", max_length=20_000)
    proposal: str = Field("", max_length=20_000)
    proposal_until: datetime.date | None = None
    subtasks_in: str = Field("", max_length=20_000)
    subtasks_out: str = Field("", max_length=20_000)


class ArgumentIn(In):
    text: str = Text


class ResolveIn(In):
    resolution: str = Text


class EscalationOut(Schema):
    id: int
    case_id: int
    step: int
    step_label: str
    status: str
    reason: str
    started_at: datetime.datetime
    takeover_at: datetime.datetime | None
    directors_deadline: datetime.datetime | None
    bestuur_deadline: datetime.datetime | None
    clock_deadline: datetime.datetime | None
    resolution: str


GOAL_REACHED = Field(
    ...,
    description="Is het gezamenlijke doel bereikt? bereikt, deels (deels bereikt) of niet (niet bereikt). "
    "Verplicht bij afsluiten en afschalen.",
)


class CloseIn(In):
    reason: str = Text
    criteria: dict[str, bool]
    afsluitingsplan: str = Text
    goal_reached: GoalReached = GOAL_REACHED
    follow_up_months: int | None = Field(None, ge=0, le=60)
    confirm_reason: str = Field(
        "",
        max_length=20_000,
        description="Verplicht als er een bodemeis recent niet is nagekomen of als er open acties zijn: waarom de "
        "casus toch wordt afgesloten. Met een lopende escalatie wordt altijd geweigerd (409).",
    )


class AfschalenIn(In):
    reason: str = Text
    handover_to: str = Field(..., max_length=200)
    handover_on: datetime.date
    family_present: bool
    family_absent_reason: str = Field("", max_length=20_000)
    goal_reached: GoalReached = GOAL_REACHED
    confirm_reason: str = Field(
        "",
        max_length=20_000,
        description="Verplicht als er een bodemeis recent niet is nagekomen of als er open acties zijn: waarom de "
        "casus toch wordt afgeschaald. Met een lopende escalatie wordt altijd geweigerd (409).",
    )


class ReasonIn(In):
    reason: str = Text


class VtDecisionIn(In):
    risk_level: str = Field(..., max_length=10)
    route: str = Field(..., max_length=20)
    reason: str = Text
    responsible_worker_id: int | None = Field(None, ge=1, le=2**63 - 1)
    waiting_list: bool = False
    handover_to: str = Field("", max_length=200, description="De contactpersoon bij de ontvangende organisatie.")
    feedback_police: str = Field("", max_length=20_000)
    feedback_reporter: str = Field("", max_length=20_000)
    handover_organisation_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Bij overdracht verplicht: de organisatie die de casus krijgt."
    )
    handover_on: datetime.date | None = Field(None, description="Bij overdracht verplicht: datum warme overdracht.")
    handover_present: str = Field("", max_length=2_000, description="Bij overdracht verplicht: wie was aanwezig.")


class EnrichmentIn(In):
    organisation_ids: list[Id] = Field(..., min_length=1, max_length=50)
    question: str = Field("", max_length=300)


class EnrichmentAnswerIn(In):
    known: bool
    contact: str = Field("", max_length=200)
    note: str = Field("", max_length=500)


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    case_id: int | None
    created_at: datetime.datetime
    read: bool


class NotificationListOut(Schema):
    unread: int
    items: list[NotificationOut]


class EventsIn(In):
    cursor: int = Field(0, ge=0, le=2**63 - 1, description="Het `next_cursor` van de vorige aanroep; 0 bij de eerste.")
    limit: int = Field(100, ge=1, le=500)


class EventOut(Schema):
    id: int
    at: datetime.datetime
    case_id: int
    type: int
    type_label: str
    organisation_id: int | None


class EventsOut(Schema):
    next_cursor: int
    items: list[EventOut]


# --- helpers ---------------------------------------------------------------------------------------------


def _case(request, case_id: int):
    return case_access.case_get_for_user(user=request.auth.user, case_id=case_id)


def _escalation(e: Escalation) -> dict:
    return {
        "id": e.pk,
        "case_id": e.case_id,
        "step": e.step,
        "step_label": e.get_step_display(),
        "status": e.status,
        "reason": e.reason,
        "started_at": e.started_at,
        "takeover_at": e.takeover_at,
        "directors_deadline": e.directors_deadline,
        "bestuur_deadline": e.bestuur_deadline,
        "clock_deadline": e.clock_deadline,
        "resolution": e.resolution,
    }


W_ERR = errors(401, 403, 404, 409, 422)
R_ERR = errors(401, 403, 404, 422)

# --- timeline --------------------------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/timeline",
    operation_id="case_timeline",
    summary="Tijdlijn van een casus",
    description="Alles wat in de casus gebeurde, chronologisch, alleen wat u mag inzien; filter op soort en "
    "organisatie.",
    response={200: TimelineOut, **R_ERR},
    auth=READ,
)
def case_timeline(request, case_id: int, filters: Query[TimelineIn]):
    data = selectors.case_timeline(
        viewer=request.auth.user, case_id=case_id, kind=filters.kind, organisation_id=filters.organisation_id
    )
    items = [
        {
            "at": e.at,
            "date_only": e.date_only,
            "url": e.url,
            "kind": e.kind,
            "kind_label": e.kind_label,
            "title": e.title,
            "detail": e.detail,
            "organisation_id": e.organisation_id,
            "organisation": e.organisation,
        }
        for e in data.entries
    ]
    return {"case_id": data.case.pk, "reference": data.case.reference, "count": len(items), "items": items}


# --- follow-up -------------------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/breaches",
    operation_id="bodemeis_breach_report",
    summary="Bodemeis niet nagekomen melden",
    description="Iedereen in de casus meldt; de bewaker en de procesregisseur krijgen bericht en de casus komt op "
    "de volgende agenda.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def breach_report(request, case_id: int, payload: BreachIn):
    case = _case(request, case_id)
    breach = services.breach_report(
        actor=request.auth.user,
        case=case,
        bodemeis_id=payload.bodemeis_id,
        description=payload.description,
        occurred_on=payload.occurred_on,
    )
    return Status(201, {"id": breach.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/progress",
    operation_id="progress_update_submit",
    summary="Voortgang casusregisseur",
    description="Probleem, doel en plan bijwerken; alleen de casusregisseur of de procesregisseur.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def progress_submit(request, case_id: int, payload: ProgressIn):
    case = _case(request, case_id)
    update = services.progress_update_submit(actor=request.auth.user, case=case, **payload.model_dump())
    return Status(201, {"id": update.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/rappels",
    operation_id="rappel_set",
    summary="Rappeldatum zetten",
    description="Op de rappeldatum komt de casus op de volgende agenda en krijgen de regisseurs bericht.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def rappel_set(request, case_id: int, payload: RappelIn):
    case = _case(request, case_id)
    rappel = services.rappel_set(actor=request.auth.user, case=case, due_on=payload.due_on, note=payload.note)
    return Status(201, {"id": rappel.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/phase",
    operation_id="case_phase_change",
    summary="Fase wijzigen tussen overleggen",
    description="Directe veiligheid, risicogestuurde zorg, herstelgerichte zorg; ook terug. Met reden.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def phase_change(request, case_id: int, payload: PhaseIn):
    case = _case(request, case_id)
    change = services.phase_change(actor=request.auth.user, case=case, to_phase=payload.to_phase, reason=payload.reason)
    return Status(201, {"id": change.pk, "case_id": case.pk})


@router.get(
    "/interventions/catalogue",
    operation_id="intervention_catalogue",
    summary="Catalogus van interventies",
    description="De actieve interventies met hun spoor (zorg, civiel, strafrecht).",
    response={200: list[InterventionTypeOut], **errors(401, 403, 422)},
    auth=READ,
)
def intervention_catalogue(request):
    from .models import InterventionType

    if not policy.sees_case_content(request.auth.user):
        from tafel.core.errors import AccessDenied

        raise AccessDenied("U werkt niet met casussen.")
    return [
        {"id": t.pk, "code": t.code, "name": t.name, "track": t.track}
        for t in InterventionType.objects.filter(active=True)
    ]


@router.post(
    "/cases/{case_id}/interventions",
    operation_id="intervention_add",
    summary="Interventie vastleggen",
    description="Een maatregel in de casus met organisatie, start, einde en resultaat.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def intervention_add(request, case_id: int, payload: InterventionIn):
    case = _case(request, case_id)
    iv = services.intervention_add(
        actor=request.auth.user,
        case=case,
        type_id=payload.type_id,
        organisation_id=payload.organisation_id,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        result=payload.result,
        note=payload.note,
    )
    return Status(201, {"id": iv.pk, "case_id": case.pk})


# --- escalation ------------------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/escalations",
    operation_id="escalation_start",
    summary="Escalatie starten (we zitten vast)",
    description="Elke professional in de casus start een escalatie met een reden (stap 1).",
    response={201: EscalationOut, **W_ERR},
    auth=WRITE,
)
def escalation_start(request, case_id: int, payload: EscalationStartIn):
    case = _case(request, case_id)
    e = services.escalation_start(
        actor=request.auth.user, case=case, reason=payload.reason, candidate_org_ids=payload.candidate_organisation_ids
    )
    return Status(201, _escalation(e))


@router.get(
    "/escalations/{escalation_id}",
    operation_id="escalation_get",
    summary="Escalatie",
    description="Stap, klokken (directeuren, daarna openbaar bestuur; elk TAFEL_ESCALATION_CLOCK_DAYS dagen, "
    "10 in de bron) en besluit.",
    response={200: EscalationOut, **R_ERR},
    auth=READ,
)
def escalation_get(request, escalation_id: int):
    return _escalation(selectors.escalation_get_for_user(user=request.auth.user, escalation_id=escalation_id))


@router.post(
    "/escalations/{escalation_id}/advance",
    operation_id="escalation_advance",
    summary="Escalatie: volgende stap",
    description="De procesregisseur zet de escalatie een stap verder (stap 3 vraagt het voorstel, stap 4 het bezwaar).",
    response={200: EscalationOut, **W_ERR},
    auth=WRITE,
)
def escalation_advance(request, escalation_id: int, payload: EscalationAdvanceIn):
    e = selectors.escalation_get_for_user(user=request.auth.user, escalation_id=escalation_id, action="edit")
    return _escalation(services.escalation_advance(actor=request.auth.user, escalation=e, **payload.model_dump()))


@router.post(
    "/escalations/{escalation_id}/arguments",
    operation_id="escalation_argument_add",
    summary="Escalatie: schriftelijk argument",
    description="Een kandidaat-organisatie levert haar argument aan (stap 2).",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def escalation_argument(request, escalation_id: int, payload: ArgumentIn):
    e = selectors.escalation_get_for_user(user=request.auth.user, escalation_id=escalation_id, action="edit")
    argument = services.escalation_add_argument(actor=request.auth.user, escalation=e, text=payload.text)
    return Status(201, {"id": argument.pk, "case_id": e.case_id})


@router.post(
    "/escalations/{escalation_id}/resolve",
    operation_id="escalation_resolve",
    summary="Escalatie: besluit",
    description="De procesregisseur legt het besluit vast; de tijdelijke casusregie van het huis eindigt.",
    response={200: EscalationOut, **W_ERR},
    auth=WRITE,
)
def escalation_resolve(request, escalation_id: int, payload: ResolveIn):
    e = selectors.escalation_get_for_user(user=request.auth.user, escalation_id=escalation_id, action="edit")
    return _escalation(
        services.escalation_resolve(actor=request.auth.user, escalation=e, resolution=payload.resolution)
    )


# --- closing ---------------------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/close",
    operation_id="case_close",
    summary="Casus afsluiten",
    description="Alleen de procesregisseur van het huis; afsluitcriteria, afsluitingsplan en of het gezamenlijke "
    "doel is bereikt zijn verplicht; daarna volgen op afstand.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def case_close(request, case_id: int, payload: CloseIn):
    case = _case(request, case_id)
    closure = services.case_close(
        actor=request.auth.user,
        case=case,
        reason=payload.reason,
        criteria=payload.criteria,
        afsluitingsplan=payload.afsluitingsplan,
        goal_reached=payload.goal_reached,
        follow_up_months_=payload.follow_up_months,
        confirm_reason=payload.confirm_reason,
    )
    return Status(201, {"id": closure.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/afschalen",
    operation_id="case_afschalen",
    summary="Afschalen naar lokaal",
    description="Met warme overdracht: aan wie, wanneer, gezin aanwezig of waarom niet; en of het gezamenlijke "
    "doel is bereikt.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def case_afschalen(request, case_id: int, payload: AfschalenIn):
    case = _case(request, case_id)
    closure = services.case_afschalen(actor=request.auth.user, case=case, **payload.model_dump())
    return Status(201, {"id": closure.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/riec",
    operation_id="case_opschalen_riec",
    summary="Opschalen naar het RIEC",
    description="Alleen de procesregisseur van het huis.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def case_riec(request, case_id: int, payload: ReasonIn):
    case = _case(request, case_id)
    closure = services.case_opschalen_riec(actor=request.auth.user, case=case, reason=payload.reason)
    return Status(201, {"id": closure.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/closure-proposals",
    operation_id="closure_propose",
    summary="Afsluiting voorstellen",
    description="Een partner sluit niet zelf af maar stelt afsluiting voor aan het huis.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def closure_propose(request, case_id: int, payload: ReasonIn):
    case = _case(request, case_id)
    proposal = services.closure_propose(actor=request.auth.user, case=case, reason=payload.reason)
    return Status(201, {"id": proposal.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/reentry",
    operation_id="case_reenter",
    summary="Heropenen vanuit volgen op afstand",
    description="Elke professional in de casus; de geschiedenis blijft bewaard.",
    response={200: IdOut, **W_ERR},
    auth=WRITE,
)
def case_reenter(request, case_id: int, payload: ReasonIn):
    case = _case(request, case_id)
    change = services.case_reenter(actor=request.auth.user, case=case, reason=payload.reason)
    return {"id": change.pk, "case_id": case.pk}


# --- Veilig Thuis ----------------------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/vt-decision",
    operation_id="vt_decide",
    summary="Veilig Thuis: triagebesluit",
    description="Veiligheidsrisico en route. Hoog risico: nooit op de wachtlijst en altijd een verantwoordelijk "
    "medewerker.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def vt_decide(request, case_id: int, payload: VtDecisionIn):
    case = _case(request, case_id)
    decision = services.vt_decide(actor=request.auth.user, case=case, **payload.model_dump())
    return Status(201, {"id": decision.pk, "case_id": case.pk})


@router.post(
    "/cases/{case_id}/vt-monitoring/close",
    operation_id="vt_monitoring_close",
    summary="Veilig Thuis: monitoring na overdracht afsluiten",
    description="Tot Veilig Thuis de monitoring afsluit, herinnert Tafel de verantwoordelijk medewerker periodiek "
    "(TAFEL_VT_MONITOR_INTERVAL_DAYS). 409 als er geen monitoring loopt.",
    response={200: IdOut, **W_ERR},
    auth=WRITE,
)
def vt_monitoring_close(request, case_id: int, payload: ReasonIn):
    case = _case(request, case_id)
    decision = services.vt_monitoring_close(actor=request.auth.user, case=case, reason=payload.reason)
    return {"id": decision.pk, "case_id": case.pk}


@router.post(
    "/cases/{case_id}/enrichment-requests",
    operation_id="enrichment_request",
    summary="Dat-informatie vragen",
    description="Vraag partners of het huishouden bij hen bekend is.",
    response={201: list[IdOut], **W_ERR},
    auth=WRITE,
)
def enrichment_request(request, case_id: int, payload: EnrichmentIn):
    case = _case(request, case_id)
    created = services.enrichment_request(
        actor=request.auth.user, case=case, organisation_ids=payload.organisation_ids, question=payload.question
    )
    return Status(201, [{"id": r.pk, "case_id": case.pk} for r in created])


@router.post(
    "/enrichment-requests/{request_id}/answer",
    operation_id="enrichment_answer",
    summary="Dat-informatie geven",
    description="De gevraagde organisatie antwoordt: bekend of niet, en met wie contact op te nemen.",
    response={201: IdOut, **W_ERR},
    auth=WRITE,
)
def enrichment_answer(request, request_id: int, payload: EnrichmentAnswerIn):
    obj = selectors.enrichment_request_get_for_user(user=request.auth.user, request_id=request_id)
    answer = services.enrichment_answer(actor=request.auth.user, request=obj, **payload.model_dump())
    return Status(201, {"id": answer.pk, "case_id": obj.case_id})


# --- notifications ---------------------------------------------------------------------------------------


@router.get(
    "/notifications",
    operation_id="notification_list",
    summary="Mijn berichten",
    description="De laatste 50 berichten en het aantal ongelezen.",
    response={200: NotificationListOut, **errors(401, 403, 422)},
    auth=READ,
)
def notification_list(request):
    user = request.auth.user
    items = [
        {
            "id": n.pk,
            "kind": n.kind,
            "text": n.text,
            "url": n.url,
            "case_id": n.case_id,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in selectors.notifications_for(viewer=user)
    ]
    return {"unread": selectors.unread_count(user), "items": items}


# --- the case-event feed ---------------------------------------------------------------------------------


@events_router.get(
    "",
    operation_id="case_events",
    summary="Gebeurtenissen sinds een cursor",
    description=(
        "Wijzigingen in de casussen waaraan uw organisatie als partner deelneemt, oplopend op id. Geef het "
        "`next_cursor` van de vorige aanroep mee om alleen nieuwe gebeurtenissen te krijgen. Alleen soort en "
        "moment, geen inhoud: haal de inhoud op met de casus-endpoints. Alleen wijzigingen, nooit wie iets las, en "
        "alleen over informatie die u mag zien. Scope `cases:read`."
    ),
    response={200: EventsOut, **errors(401, 403, 422)},
    auth=READ,
)
def case_events(request, filters: Query[EventsIn]):
    user = request.auth.user
    next_cursor, events = selectors.case_events(viewer=user, cursor=filters.cursor, limit=filters.limit)
    audit(actor=user, event=LifecycleEvent.EVENT_FEED_READ, details={"cursor": filters.cursor, "n": len(events)})
    return {
        "next_cursor": next_cursor,
        "items": [
            {
                "id": e.pk,
                "at": e.at,
                "case_id": e.case_id,
                "type": e.event_type,
                "type_label": e.get_event_type_display(),
                "organisation_id": e.organisation_id,
            }
            for e in events
        ],
    }
