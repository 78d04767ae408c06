"""Meetings, agenda, plans and actions in the API (issue 3, item 8): read for participants, actions updated
by their owner. Thin: every endpoint calls one access check and one selector or service.

Scopes: reading uses `cases:read` (a meeting and a plan are case content); an owner reporting on an action
uses `cases:write`.
"""

from __future__ import annotations

from ninja import Query, Router

from tafel.api.auth import auth_for
from tafel.api.schemas import errors
from tafel.core.errors import NotFound

from . import selectors, services
from .access import action_get_for_user
from .models import Action, AgendaItem, Invitation, Meeting, Plan
from .schemas import (
    ActionListOut,
    ActionOut,
    ActionUpdateIn,
    AgendaItemOut,
    FamilyGiveIn,
    FamilyPlanOut,
    FamilyReviewIn,
    MeetingDetailOut,
    MeetingListIn,
    MeetingListOut,
    PlanOut,
    VerslagOut,
)

router = Router(tags=["Overleggen"])


def _ref(obj) -> dict | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": str(obj)}


def _meeting(m: Meeting, n_items: int) -> dict:
    return {
        "id": m.pk,
        "type": m.overleg_type.code,
        "type_name": m.overleg_type.name,
        "starts_at": m.starts_at,
        "place": m.place,
        "video_link": m.video_link,
        "status": m.status,
        "chair": _ref(m.chair),
        "agenda_items": n_items,
    }


def _item(i: AgendaItem) -> dict:
    flags = getattr(i.case, "meeting_flags", None)
    return {
        "id": i.pk,
        "order": i.order,
        "case_id": i.case_id,
        "reference": i.case.reference,
        "title": i.case.title,
        "kind": i.kind,
        "deferred": i.deferred,
        "defer_reason": i.defer_reason,
        "split_session": i.split_session,
        "phase": i.case.phase,
        "safety_marker": flags.safety_marker if flags else "",
        "current_plan_id": i.current_plan_id,
        "current_plan_number": i.current_plan_number,
        "open_actions": i.n_open_actions,
        "recurring_actions": i.n_recurring_actions,
        "ownerless_actions": i.n_ownerless_actions,
        "overdue_actions": i.n_overdue_actions,
        "pre_meeting_updates": i.n_updates,
        "discussed": i.has_discussion,
        "previous_meeting_at": i.previous_meeting_at,
        "clients": [
            {
                "person_id": c.person_id,
                "name": c.person.full_name,
                "invited": c.invited,
                "not_invited_reason": c.not_invited_reason,
                "attend_mode": c.attend_mode,
                "session_part": c.session_part,
                "attendance": c.attendance,
            }
            for c in i.client_invitations
        ],
    }


def _invitation(inv: Invitation) -> dict:
    return {
        "id": inv.pk,
        "user": _ref(inv.user),
        "organisation": _ref(inv.organisation),
        "agenda_item_id": inv.agenda_item_id,
        "session_part": inv.session_part,
        "attendance": inv.attendance,
        "substitute_for": _ref(inv.substitute_for),
    }


def _action(a: Action) -> dict:
    return {
        "id": a.pk,
        "plan_id": a.plan_id,
        "case_id": a.case_id,
        "what": a.what,
        "owner": _ref(a.owner),
        "organisation": _ref(a.organisation),
        "deadline": a.deadline,
        "type": a.type,
        "type_label": a.get_type_display(),
        "audience": a.audience,
        "rationale": a.rationale,
        "term": a.term,
        "status": a.status,
        "outcome_note": a.outcome_note,
        "done_at": a.done_at,
        "meeting_count": a.meeting_count,
        "recurring": a.is_recurring,
        "ownerless": a.is_ownerless,
    }


def _plan(view: selectors.PlanView) -> dict:
    p: Plan = view.plan
    return {
        "id": p.pk,
        "case_id": p.case_id,
        "reference": p.case.reference,
        "number": p.number,
        "published": not p.is_draft,
        "published_at": p.published_at,
        "current": view.is_current,
        "based_on_id": p.based_on_id,
        "meeting_id": p.meeting_id,
        "goals": p.goals,
        "casusregie": {
            "casusregisseur": _ref(p.casusregisseur),
            "subtasks": p.casusregie_subtasks,
            "period_from": p.casusregie_from,
            "period_until": p.casusregie_until,
            "exclusions": p.casusregie_exclusions,
        },
        "afdoeningsadvies": p.afdoeningsadvies,
        "next_meeting_date": p.next_meeting_date,
        "bodemeisen": [
            {"id": b.pk, "text": b.text, "guard": _ref(b.guard), "if_broken": b.if_broken, "audience": b.audience}
            for b in view.bodemeisen
        ],
        "actions": [_action(a) for a in view.actions],
        "quality": {"meets_criteria": not view.missing, "missing": view.missing},
    }


@router.get(
    "",
    operation_id="meeting_list",
    summary="Overleggen",
    description=(
        "De overleggen waarvoor u bent uitgenodigd en waarvan u ten minste één casus mag inzien (het huis ziet "
        "alle overleggen), nieuwste eerst. Scope `cases:read`."
    ),
    response={200: MeetingListOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def meeting_list(request, filters: Query[MeetingListIn]):
    qs = selectors.meeting_list(viewer=request.auth.user, upcoming=filters.upcoming)
    count = qs.count()
    page = list(qs[filters.offset : filters.offset + filters.limit])
    selectors.audit_meeting_list(viewer=request.auth.user, meetings=page)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_meeting(m, m.n_items) for m in page],
    }


@router.get(
    "/actions/mine",
    operation_id="action_list_mine",
    summary="Mijn acties",
    description="Uw acties op de geldende plannen van de casussen die u mag inzien. Scope `cases:read`.",
    response={200: ActionListOut, **errors(401, 403, 422)},
    auth=auth_for("cases:read"),
)
def action_list_mine(request):
    items = [_action(a) for a in selectors.my_actions_list(viewer=request.auth.user)]
    return {"count": len(items), "items": items}


@router.post(
    "/actions/{action_id}/status",
    operation_id="action_update",
    summary="Actie bijwerken",
    description=(
        "De eigenaar van een actie meldt de status (open, gedaan, niet_gedaan, vervallen) met een toelichting; "
        "bij niet_gedaan en vervallen is de toelichting verplicht. Alleen acties van het geldende plan. 403 als u "
        "niet de eigenaar bent; 404 als u de casus niet mag inzien; 409 voor een actie van een eerdere versie. "
        "Scope `cases:write`."
    ),
    response={200: ActionOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def action_update(request, action_id: int, payload: ActionUpdateIn):
    user = request.auth.user
    action = action_get_for_user(user=user, action_id=action_id, action="update")
    action = services.action_update(actor=user, action=action, status=payload.status, outcome_note=payload.outcome_note)
    return _action(action)


@router.get(
    "/plans/{plan_id}",
    operation_id="plan_get",
    summary="Plan van aanpak",
    description=(
        "Eén versie van het plan van aanpak: doel, casusregie, bodemeisen, acties (met signalen voor "
        "terugkerende acties en acties zonder eigenaar), afdoeningsadvies en de kwaliteitstoets. Voor wie de "
        "casus mag inzien; anders 404. Scope `cases:read`."
    ),
    response={200: PlanOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def plan_get(request, plan_id: int):
    return _plan(selectors.plan_view(viewer=request.auth.user, plan_id=plan_id))


def _family(view) -> dict:
    fp = view.family_plan
    return {
        "plan_id": view.plan.pk,
        "status": fp.status if fp else "draft",
        "sentences": view.sentences,
        "overridden": bool(fp and fp.overridden),
        "reviewed_by": fp.reviewed_by.get_full_name() if fp and fp.reviewed_by else None,
        "reviewed_at": fp.reviewed_at if fp else None,
        "given_at": fp.given_at if fp else None,
        "version": fp.version if fp else 0,
        "contact": view.contact_sentence,
        "organisations": view.organisations,
        "shares": [s.__dict__ for s in view.shares],
    }


@router.get(
    "/plans/{plan_id}/family",
    operation_id="plan_family_get",
    summary="Versie van het plan voor het gezin",
    description=(
        "Het plan in gewone woorden (SPEC §4.5): de zinnen zoals de procesregisseur ze beoordeelde (leeg zolang "
        "dat niet is gebeurd), de vaste contactpersoon, de organisaties die meedoen en welk soort informatie met "
        "wie en waarom is gedeeld (nooit de inhoud). Voor wie de casus mag inzien. Scope `cases:read`."
    ),
    response={200: FamilyPlanOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def plan_family_get(request, plan_id: int):
    return _family(selectors.family_view(viewer=request.auth.user, plan_id=plan_id))


@router.post(
    "/plans/{plan_id}/family/review",
    operation_id="plan_family_review",
    summary="Versie voor het gezin beoordelen",
    description=(
        "De procesregisseur legt de zinnen voor het gezin vast: die van Tafel, of een aangepaste lijst (vastgelegd "
        "in de audit). Alleen voor een gepubliceerd plan (anders 409). 403 voor wie geen procesregisseur is; 409 "
        "bij een verouderde versie of een versie die al is gegeven. Scope `cases:write`."
    ),
    response={200: FamilyPlanOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def plan_family_review(request, plan_id: int, payload: FamilyReviewIn):
    user = request.auth.user
    plan = selectors.plan_for_family_review(viewer=user, plan_id=plan_id)
    text = "\n".join(payload.sentences) if payload.sentences is not None else None
    services.family_plan_review(actor=user, plan=plan, sentences_text=text, expected_version=payload.version)
    return _family(selectors.family_view(viewer=user, plan_id=plan.pk))


@router.post(
    "/plans/{plan_id}/family/give",
    operation_id="plan_family_give",
    summary="Vastleggen dat het gezin de versie kreeg",
    description=(
        "Na de beoordeling: het gezin heeft de versie gekregen. 409 als zij nog niet is beoordeeld of al gegeven. "
        "Scope `cases:write`."
    ),
    response={200: FamilyPlanOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def plan_family_give(request, plan_id: int, payload: FamilyGiveIn):
    user = request.auth.user
    plan = selectors.plan_for_family_review(viewer=user, plan_id=plan_id)
    services.family_plan_give(actor=user, plan=plan, expected_version=payload.version)
    return _family(selectors.family_view(viewer=user, plan_id=plan.pk))


@router.get(
    "/cases/{case_id}/plan",
    operation_id="case_plan_current",
    summary="Geldend plan van een casus",
    description="De laatst gepubliceerde versie van het plan van aanpak van een casus. Scope `cases:read`.",
    response={200: PlanOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def case_plan_current(request, case_id: int):
    user = request.auth.user
    plans = [p for p in selectors.plans_for_case(viewer=user, case_id=case_id) if not p.is_draft]
    if not plans:
        raise NotFound("Deze casus heeft nog geen gepubliceerd plan.")
    return _plan(selectors.plan_view(viewer=user, plan_id=plans[0].pk))


@router.get(
    "/{meeting_id}",
    operation_id="meeting_get",
    summary="Eén overleg",
    description=(
        "Het overleg met de agenda (alleen de casussen die u mag inzien; nieuwe casussen eerst, dan vervolg) en "
        "de uitgenodigde professionals. 404 als u niet bent uitgenodigd of geen casus op de agenda mag inzien. "
        "Scope `cases:read`."
    ),
    response={200: MeetingDetailOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def meeting_get(request, meeting_id: int):
    detail = selectors.meeting_detail(viewer=request.auth.user, meeting_id=meeting_id, for_planning=False)
    m = detail.meeting
    return {
        **_meeting(m, len(detail.items)),
        "privacy_reminder_given": m.privacy_reminder_given,
        "agenda": [_item(i) for i in detail.items],
        "invitations": [_invitation(inv) for inv in detail.invitations],
    }


@router.get(
    "/{meeting_id}/agenda",
    operation_id="meeting_agenda",
    summary="Agenda van een overleg",
    description=(
        "De agendapunten die u mag inzien, met per casus de stand: geldend plan, open, terugkerende, "
        "eigenaarloze en verlopen acties, voorbereidende updates. Scope `cases:read`."
    ),
    response={200: list[AgendaItemOut], **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def meeting_agenda(request, meeting_id: int):
    _, items = selectors.agenda_for_viewer(viewer=request.auth.user, meeting_id=meeting_id)
    return [_item(i) for i in items]


@router.get(
    "/{meeting_id}/verslag",
    operation_id="meeting_verslag",
    summary="Verslag van een overleg",
    description=(
        "Het verslag: één per overleg voor het hele gezinssysteem, met alleen de delen over casussen die u mag "
        "inzien. 404 als u geen deelnemer bent of er nog geen verslag is. Scope `cases:read`."
    ),
    response={200: VerslagOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def meeting_verslag(request, meeting_id: int):
    view = selectors.verslag_view(viewer=request.auth.user, meeting_id=meeting_id)
    v = view.verslag
    return {
        "meeting_id": view.meeting.pk,
        "approved": v.is_approved,
        "approved_at": v.approved_at,
        "approved_by": _ref(v.approved_by),
        "meeting": v.visible_snapshot,
        "sections": [
            {"case_id": s.case_id, "reference": s.case.reference, "text": s.visible_text, "data": s.visible_snapshot}
            for s in view.sections
        ],
    }
