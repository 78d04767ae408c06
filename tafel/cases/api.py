"""API of a case's classification over time (issue 11): its history, the proposals of joining meldingen and
the procesregisseur's edits. Thin: one access check, one service or selector (STYLE.md)."""

from __future__ import annotations

import datetime

from ninja import Router, Schema
from pydantic import Field

from tafel.api.auth import auth_for
from tafel.api.schemas import Id, In, LongText, errors
from tafel.cases import access as case_access

from . import changes, selectors
from .models import CaseChangeField, CaseProposalStatus, PersonRole, ProposalKind, Theme, Urgency

router = Router(tags=["Casussen"])


class CaseChangeOut(Schema):
    id: int
    field: CaseChangeField
    person_id: int | None
    person_name: str
    old_value: str = Field(description="De oude waarde als code (urgentie, thema, rol) of tekst.")
    new_value: str
    old_label: str
    new_label: str
    at: datetime.datetime
    actor: str
    reason: str
    aanmelding_id: int | None = Field(description="De gekoppelde melding die de wijziging bracht, anders leeg.")


class CaseProposalOut(Schema):
    id: int
    kind: ProposalKind
    kind_label: str
    status: CaseProposalStatus
    aanmelding_id: int
    supplied_by_organisation: str
    theme: str
    predictive_factors: list[str]
    organisation_id: int | None
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decided_by: str
    decision_reason: str


class CaseChangesOut(Schema):
    version: int
    urgency: Urgency
    theme: Theme
    predictive_factors: list[str]
    changes: list[CaseChangeOut]
    proposals: list[CaseProposalOut] = Field(description="Alleen voor het huis; anders leeg.")


class ClassificationIn(In):
    urgency: Urgency | None = None
    theme: Theme | None = None
    reason: LongText = Field(description="Waarom urgentie of thema verandert (komt in de geschiedenis).")
    expected_version: int = Field(ge=1, le=2**31 - 1, description="De `version` van de casus zoals u die las.")


class RoleIn(In):
    role: PersonRole
    reason: LongText


class ProposalDecisionIn(In):
    accept: bool
    reason: LongText = Field("", description="Verplicht bij afwijzen.")


def _name(user) -> str:
    return str(user) if user else ""


def _changes_out(detail) -> dict:
    case = detail.case
    out = []
    for change in detail.changes:
        old_label, new_label = changes.change_label(change)
        out.append(
            {
                "id": change.pk,
                "field": change.field,
                "person_id": change.person_id,
                "person_name": change.person.full_name if change.person_id else "",
                "old_value": change.old_value,
                "new_value": change.new_value,
                "old_label": old_label,
                "new_label": new_label,
                "at": change.at,
                "actor": _name(change.actor),
                "reason": change.reason,
                "aanmelding_id": change.aanmelding_id,
            }
        )
    return {
        "version": case.version,
        "urgency": case.urgency,
        "theme": case.theme,
        "predictive_factors": case.predictive_factors or [],
        "changes": out,
        "proposals": [
            {
                "id": p.pk,
                "kind": p.kind,
                "kind_label": p.get_kind_display(),
                "status": p.status,
                "aanmelding_id": p.aanmelding_id,
                "supplied_by_organisation": str(p.aanmelding.supplied_by_org),
                "theme": p.theme,
                "predictive_factors": p.predictive_factors or [],
                "organisation_id": p.organisation_id,
                "created_at": p.created_at,
                "decided_at": p.decided_at,
                "decided_by": _name(p.decided_by),
                "decision_reason": p.decision_reason,
            }
            for p in detail.proposals
        ],
    }


@router.get(
    "/{case_id}/changes",
    operation_id="case_changes",
    summary="Wijzigingen en voorstellen van een casus",
    description=(
        "De geschiedenis van urgentie, thema, rollen, voorspellende factoren en deelnemers (wie, wanneer, "
        "waarom, of welke gekoppelde melding), en voor het huis de voorstellen van gekoppelde meldingen. "
        "Scope `cases:read`."
    ),
    response={200: CaseChangesOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:read"),
)
def case_changes(request, case_id: int):
    detail = selectors.case_detail(viewer=request.auth.user, case_id=case_id)
    return _changes_out(detail)


@router.post(
    "/{case_id}/classification",
    operation_id="case_classify",
    summary="Urgentie of thema wijzigen",
    description=(
        "De procesregisseur wijzigt urgentie en/of thema, met een reden; elke wijziging komt in de geschiedenis "
        "en het auditlog. 409 `concurrent_edit` als `expected_version` niet meer klopt. Scope `cases:write`."
    ),
    response={200: CaseChangesOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def case_classify(request, case_id: int, payload: ClassificationIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="triage")
    changes.case_classification_update(
        actor=user,
        case=case,
        urgency=payload.urgency,
        theme=payload.theme,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )
    return _changes_out(selectors.case_detail(viewer=user, case_id=case.pk))


@router.post(
    "/{case_id}/persons/{person_id}/role",
    operation_id="case_person_role",
    summary="Rol van een persoon wijzigen",
    description=(
        "De procesregisseur geeft een persoon in de casus een andere rol, met een reden. 404 als de persoon "
        "niet bij deze casus hoort. Scope `cases:write`."
    ),
    response={200: CaseChangesOut, **errors(401, 403, 404, 422)},
    auth=auth_for("cases:write"),
)
def case_person_role(request, case_id: int, person_id: Id, payload: RoleIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="triage")
    changes.case_person_role_set(actor=user, case=case, person_id=person_id, role=payload.role, reason=payload.reason)
    return _changes_out(selectors.case_detail(viewer=user, case_id=case.pk))


@router.post(
    "/{case_id}/proposals/{proposal_id}/decision",
    operation_id="case_proposal_decide",
    summary="Voorstel van een gekoppelde melding beoordelen",
    description=(
        "De procesregisseur neemt een voorstel over (thema, voorspellende factoren, nieuwe deelnemende "
        "organisatie) of wijst het af met een reden. 409 `transition_not_allowed` als er al over besloten is. "
        "Scope `cases:write`."
    ),
    response={200: CaseChangesOut, **errors(401, 403, 404, 409, 422)},
    auth=auth_for("cases:write"),
)
def case_proposal_decide(request, case_id: int, proposal_id: Id, payload: ProposalDecisionIn):
    user = request.auth.user
    case = case_access.case_get_for_user(user=user, case_id=case_id, action="triage")
    changes.case_proposal_decide(
        actor=user, case=case, proposal_id=proposal_id, accept=payload.accept, reason=payload.reason
    )
    return _changes_out(selectors.case_detail(viewer=user, case_id=case.pk))
