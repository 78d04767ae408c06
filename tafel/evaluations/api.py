"""Casusevaluaties and verbeteracties in the API (issue 6 item 5). Thin: every endpoint calls one access check
and one selector or service. Scopes: `evaluations:read` to read, `evaluations:write` to write. Persons appear
by role only; a text naming a person of the case is refused with 422 and the role to use instead."""

from __future__ import annotations

from ninja import Query, Router, Status
from pydantic import Field

from tafel.access import policy
from tafel.api.auth import auth_for
from tafel.api.schemas import In, errors
from tafel.core.errors import AccessDenied, NotFound, ValidationFailed
from tafel.evaluations import access as evaluation_access

from . import selectors, services
from .models import Evaluation, ImprovementAction
from .schemas import (
    CandidateOut,
    EvaluationCreateIn,
    EvaluationOut,
    EvaluationSummaryOut,
    EvaluationUpdateIn,
    ImprovementActionIn,
    ImprovementActionListOut,
    ImprovementActionOut,
    ImprovementActionUpdateIn,
    LessonIn,
    LessonOut,
    LessonUpdateIn,
    MomentIn,
    MomentOut,
    MomentUpdateIn,
    ReopenIn,
    VersionIn,
)

router = Router(tags=["Casusevaluaties"])
READ = auth_for("evaluations:read")
WRITE = auth_for("evaluations:write")


class OverviewIn(In):
    status: str = Field("", pattern="^(open|done)?$", description="open of done; leeg: alle.")
    overdue: bool = Field(False, description="Alleen open acties waarvan de termijn verstreken is.")


def _ref(obj) -> dict:
    return {"id": obj.pk, "name": str(obj)}


def _action(a: ImprovementAction) -> dict:
    return {
        "id": a.pk,
        "evaluation_id": a.evaluation_id,
        "lesson_id": a.lesson_id,
        "case_reference": a.evaluation.case.reference,
        "text": a.text,
        "owner": _ref(a.owner),
        "owner_organisation": _ref(a.owner_organisation),
        "due_date": a.due_date,
        "status": a.status,
        "done_on": a.done_on,
        "result": a.result,
        "overdue": a.is_overdue,
        "version": a.version,
    }


def _fetch(pk: int) -> ImprovementAction:
    return ImprovementAction.objects.select_related("evaluation__case", "owner", "owner_organisation").get(pk=pk)


def _summary(ev: Evaluation) -> dict:
    return {
        "id": ev.pk,
        "case_id": ev.case_id,
        "case_reference": ev.case.reference,
        "title": ev.title,
        "status": ev.status,
        "created_at": ev.created_at,
        "finalised_at": ev.finalised_at,
        "version": ev.version,
    }


def _moment(m) -> dict:
    return {
        "id": m.pk,
        "at": m.at,
        "kind": m.kind,
        "description": m.description,
        "went_well": m.went_well,
        "went_wrong": m.went_wrong,
        "risky_decisions": m.risky_decisions,
        "version": m.version,
    }


def _detail(user, evaluation_id) -> dict:
    d = selectors.evaluation_detail(viewer=user, evaluation_id=evaluation_id)
    for lesson in d.lessons:
        for a in lesson.actions.all():
            a.evaluation = d.evaluation
    return {
        **_summary(d.evaluation),
        "roles": [r.label for r in d.labels],
        "moments": [_moment(m) for m in d.moments],
        "lessons": [
            {"id": le.pk, "text": le.text, "version": le.version, "actions": [_action(a) for a in le.actions.all()]}
            for le in d.lessons
        ],
        "participants": [{"organisation": _ref(p.organisation), "function": p.function} for p in d.participants],
        "interviews": len(d.interviews),
    }


@router.get(
    "/improvement-actions",
    operation_id="improvement_action_list",
    summary="Verbeteracties",
    description=(
        "Alle verbeteracties die u mag zien (de ketenmanager: alle), met casuskenmerk, eigenaar, termijn, status "
        "en of de termijn verstreken is. Geen persoonsgegevens. Scope `evaluations:read`."
    ),
    response={200: ImprovementActionListOut, **errors(401, 403, 422)},
    auth=READ,
)
def improvement_action_list(request, filters: Query[OverviewIn]):
    user = request.auth.user
    if not policy.may_view_improvement_actions(user):
        raise AccessDenied("Het overzicht van verbeteracties is er voor de ketenmanager en de partners.")
    actions = selectors.improvement_action_overview(viewer=user, status=filters.status, overdue=filters.overdue)
    return {"count": len(actions), "items": [_action(a) for a in actions]}


@router.patch(
    "/improvement-actions/{improvement_id}",
    operation_id="improvement_action_update",
    summary="Verbeteractie bijwerken",
    description=(
        "De eigenaar (of de procesregisseur) meldt de actie gedaan (`status: done` met `result`, optioneel "
        "`done_on`) of weer open. Tekst, eigenaar en termijn wijzigt alleen de procesregisseur, zolang de evaluatie "
        "concept is. 409 als de versie niet meer klopt. Scope `evaluations:write`."
    ),
    response={200: ImprovementActionOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def improvement_action_update(request, improvement_id: int, payload: ImprovementActionUpdateIn):
    user = request.auth.user
    editing = payload.text is not None or payload.owner_id is not None or payload.due_date is not None
    action = evaluation_access.improvement_action_get_for_user(
        user=user, improvement_id=improvement_id, action="edit" if editing else "update"
    )
    version = payload.version
    if editing:
        action = services.improvement_action_edit(
            actor=user,
            action=action,
            text=payload.text if payload.text is not None else action.text,
            owner_id=payload.owner_id or action.owner_id,
            due_date=payload.due_date or action.due_date,
            expected_version=version,
        )
        version = action.version
    if payload.status is not None:
        action = services.improvement_action_set_status(
            actor=user,
            action=action,
            status=payload.status,
            result=payload.result,
            done_on=payload.done_on,
            expected_version=version,
        )
    elif not editing:
        raise ValidationFailed("Niets te wijzigen.", field_errors={"status": ["Geef een status of een wijziging."]})
    return _action(_fetch(action.pk))


@router.get(
    "/cases/{case_id}",
    operation_id="evaluation_list",
    summary="Casusevaluaties van een casus",
    description="De casusevaluaties van een casus die u mag inzien; anders 404. Scope `evaluations:read`.",
    response={200: list[EvaluationSummaryOut], **errors(401, 403, 404, 422)},
    auth=READ,
)
def evaluation_list(request, case_id: int):
    case, evaluations = selectors.evaluation_list(viewer=request.auth.user, case_id=case_id)
    for ev in evaluations:
        ev.case = case
    return [_summary(ev) for ev in evaluations]


@router.get(
    "/cases/{case_id}/candidates",
    operation_id="evaluation_candidates",
    summary="Momenten uit de tijdlijn",
    description=(
        "De tijdlijn van de casus als mogelijke momenten voor een evaluatie (alleen wat u mag zien; personen bij "
        "hun rol), met de sleutels voor `moment_keys`. Alleen voor de procesregisseur. Scope `evaluations:read`."
    ),
    response={200: list[CandidateOut], **errors(401, 403, 404, 422)},
    auth=READ,
)
def evaluation_candidates(request, case_id: int):
    user = request.auth.user
    case = evaluation_access.case_get_for_evaluation(user=user, case_id=case_id)
    return [
        {"key": c.key, "at": c.at, "kind": c.kind, "description": c.description, "preselected": c.preselected}
        for c in selectors.timeline_candidates(viewer=user, case=case)
    ]


@router.post(
    "/cases/{case_id}",
    operation_id="evaluation_create",
    summary="Casusevaluatie starten",
    description=(
        "Start een casusevaluatie op de tijdlijn van de casus. Alleen de procesregisseur van het huis. Scope "
        "`evaluations:write`."
    ),
    response={201: EvaluationOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_create(request, case_id: int, payload: EvaluationCreateIn):
    user = request.auth.user
    case = evaluation_access.case_get_for_evaluation(user=user, case_id=case_id)
    evaluation = services.evaluation_create(actor=user, case=case, title=payload.title, moment_keys=payload.moment_keys)
    return Status(201, _detail(user, evaluation.pk))


@router.get(
    "/{evaluation_id}",
    operation_id="evaluation_get",
    summary="Eén casusevaluatie",
    description=(
        "Momenten (met wat goed ging, wat niet en riskante beslissingen), lessen met verbeteracties, deelnemers. "
        "Personen alleen bij hun rol. 404 als u de casus niet mag inzien. Scope `evaluations:read`."
    ),
    response={200: EvaluationOut, **errors(401, 403, 404, 422)},
    auth=READ,
)
def evaluation_get(request, evaluation_id: int):
    return _detail(request.auth.user, evaluation_id)


@router.patch(
    "/{evaluation_id}",
    operation_id="evaluation_update",
    summary="Casusevaluatie wijzigen",
    description="De titel. 409 als de versie niet meer klopt of de evaluatie afgerond is. Scope `evaluations:write`.",
    response={200: EvaluationOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_update(request, evaluation_id: int, payload: EvaluationUpdateIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    services.evaluation_update(actor=user, evaluation=ev, title=payload.title, expected_version=payload.version)
    return _detail(user, ev.pk)


@router.post(
    "/{evaluation_id}/finalise",
    operation_id="evaluation_finalise",
    summary="Casusevaluatie afronden",
    description=(
        "Concept → afgerond; daarna alleen te lezen. Vereist ten minste één moment en één les (anders 422). "
        "Scope `evaluations:write`."
    ),
    response={200: EvaluationOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_finalise(request, evaluation_id: int, payload: VersionIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    services.evaluation_finalise(actor=user, evaluation=ev, expected_version=payload.version)
    return _detail(user, ev.pk)


@router.post(
    "/{evaluation_id}/reopen",
    operation_id="evaluation_reopen",
    summary="Casusevaluatie heropenen",
    description="Afgerond → concept, met een verplichte reden die wordt vastgelegd. Scope `evaluations:write`.",
    response={200: EvaluationOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_reopen(request, evaluation_id: int, payload: ReopenIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    services.evaluation_reopen(actor=user, evaluation=ev, reason=payload.reason, expected_version=payload.version)
    return _detail(user, ev.pk)


@router.post(
    "/{evaluation_id}/moments",
    operation_id="evaluation_moment_add",
    summary="Moment toevoegen",
    description=(
        "Een moment met de hand: datum en korte omschrijving (personen bij hun rol). Scope `evaluations:write`."
    ),
    response={201: MomentOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_moment_add(request, evaluation_id: int, payload: MomentIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    moment = services.moment_add(
        actor=user,
        evaluation=ev,
        on=payload.date,
        description=payload.description,
        went_well=payload.went_well,
        went_wrong=payload.went_wrong,
        risky_decisions=payload.risky_decisions,
    )
    return Status(201, _moment(moment))


@router.patch(
    "/{evaluation_id}/moments/{moment_id}",
    operation_id="evaluation_moment_update",
    summary="Moment invullen",
    description=(
        "Wat ging goed, wat ging niet goed, welke beslissingen waren riskant. 422 als een tekst een naam of BSN "
        "van een persoon in de casus bevat; 409 als de versie niet meer klopt. Scope `evaluations:write`."
    ),
    response={200: MomentOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_moment_update(request, evaluation_id: int, moment_id: int, payload: MomentUpdateIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    moment = ev.moments.filter(pk=moment_id).first()
    if moment is None:
        raise NotFound("Dit moment hoort niet bij deze casusevaluatie.")
    moment.evaluation = ev
    moment = services.moment_update(
        actor=user,
        moment=moment,
        went_well=payload.went_well,
        went_wrong=payload.went_wrong,
        risky_decisions=payload.risky_decisions,
        expected_version=payload.version,
    )
    return _moment(moment)


@router.post(
    "/{evaluation_id}/lessons",
    operation_id="evaluation_lesson_add",
    summary="Les toevoegen",
    description="Een les uit de evaluatie. Scope `evaluations:write`.",
    response={201: LessonOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_lesson_add(request, evaluation_id: int, payload: LessonIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    lesson = services.lesson_add(actor=user, evaluation=ev, text=payload.text)
    return Status(201, {"id": lesson.pk, "text": lesson.text, "version": lesson.version, "actions": []})


def _lesson(ev, lesson_id):
    lesson = ev.lessons.filter(pk=lesson_id).first()
    if lesson is None:
        raise NotFound("Deze les hoort niet bij deze casusevaluatie.")
    lesson.evaluation = ev
    return lesson


@router.patch(
    "/{evaluation_id}/lessons/{lesson_id}",
    operation_id="evaluation_lesson_update",
    summary="Les wijzigen",
    description="409 als de versie niet meer klopt. Scope `evaluations:write`.",
    response={200: LessonOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_lesson_update(request, evaluation_id: int, lesson_id: int, payload: LessonUpdateIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    lesson = services.lesson_update(
        actor=user, lesson=_lesson(ev, lesson_id), text=payload.text, expected_version=payload.version
    )
    actions = ImprovementAction.objects.filter(lesson=lesson).select_related(
        "evaluation__case", "owner", "owner_organisation"
    )
    return {"id": lesson.pk, "text": lesson.text, "version": lesson.version, "actions": [_action(a) for a in actions]}


@router.post(
    "/{evaluation_id}/lessons/{lesson_id}/actions",
    operation_id="evaluation_improvement_action_add",
    summary="Verbeteractie toevoegen",
    description="Een verbeteractie bij een les, met eigenaar (gebruiker) en uiterste datum. Scope `evaluations:write`.",
    response={201: ImprovementActionOut, **errors(401, 403, 404, 409, 422)},
    auth=WRITE,
)
def evaluation_improvement_action_add(request, evaluation_id: int, lesson_id: int, payload: ImprovementActionIn):
    user = request.auth.user
    ev = evaluation_access.evaluation_get_for_user(user=user, evaluation_id=evaluation_id, action="edit")
    action = services.improvement_action_add(
        actor=user,
        lesson=_lesson(ev, lesson_id),
        text=payload.text,
        owner_id=payload.owner_id,
        due_date=payload.due_date,
    )
    return Status(201, _action(_fetch(action.pk)))
