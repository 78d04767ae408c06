"""Access to casusevaluaties and verbeteracties: fetch-and-check per kind, on the shared rules of
tafel.access.policy (who may draw up an evaluation, who sees all improvement actions). It reads this app's
models, so it lives here rather than in the policy, which sits below this app."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tafel.access.policy import (
    may_edit_evaluation,
    may_view_improvement_actions,
    refuse_unseen,
    sees_all_cases,
    sees_all_improvement_actions,
    sees_case_content,
)
from tafel.cases.access import PARTNER, case_get_for_user
from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.errors import AccessDenied, NotFound

from .models import Evaluation, ImprovementAction


def evaluations_visible_to(user) -> QuerySet:
    if not sees_case_content(user):
        return Evaluation.objects.none()
    if sees_all_cases(user):
        return Evaluation.objects.all()
    return Evaluation.objects.filter(
        case__participations__organisation_id=user.organisation_id, case__participations__kind=PARTNER
    )


def evaluation_get_for_user(*, user, evaluation_id, action: str = "view", for_update: bool = False):
    """Fetch an evaluation with its case and check access in one step: not visible → NotFound (404), visible
    but not editable by this user → AccessDenied (403). Every refusal is audited."""
    if action not in ("view", "edit"):
        raise ValueError(f"evaluation_get_for_user: onbekende actie {action!r}")
    message = "Deze casusevaluatie bestaat niet of u heeft er geen toegang toe."
    try:
        evaluation_id = int(evaluation_id)
    except (TypeError, ValueError):
        raise NotFound(message) from None
    qs = evaluations_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    evaluation = (
        qs.select_related("case", "case__municipality", "case__procesregisseur").filter(pk=evaluation_id).first()
    )
    if evaluation is None:
        refuse_unseen(user, kind="casusevaluatie", object_id=evaluation_id, action=action, model=Evaluation)
        raise NotFound(message)
    if action == "edit" and not may_edit_evaluation(user, evaluation.case):
        audit(actor=user, event=CoreEvent.ACCESS_DENIED, case_id=evaluation.case_id, reason="casusevaluatie.edit")
        raise AccessDenied("Alleen de procesregisseur van het huis stelt de casusevaluatie op.")
    return evaluation


def improvement_actions_visible_to(user) -> QuerySet:
    if not may_view_improvement_actions(user):
        return ImprovementAction.objects.none()
    if sees_all_improvement_actions(user):
        return ImprovementAction.objects.all()
    return ImprovementAction.objects.filter(
        Q(owner_id=user.pk) | Q(evaluation__in=evaluations_visible_to(user).values("pk"))
    )


def improvement_action_get_for_user(*, user, improvement_id, action: str = "view"):
    """`view`: visible as above; `update` (status and result): the owner or an editor of the evaluation;
    `edit` (text, owner, due date): an editor of the evaluation only."""
    if action not in ("view", "update", "edit"):
        raise ValueError(f"improvement_action_get_for_user: onbekende actie {action!r}")
    message = "Deze verbeteractie bestaat niet of u heeft er geen toegang toe."
    try:
        improvement_id = int(improvement_id)
    except (TypeError, ValueError):
        raise NotFound(message) from None
    obj = (
        improvement_actions_visible_to(user)
        .select_related("evaluation__case", "lesson", "owner", "owner_organisation")
        .filter(pk=improvement_id)
        .first()
    )
    if obj is None:
        refuse_unseen(
            user,
            kind="verbeteractie",
            object_id=improvement_id,
            action=action,
            model=ImprovementAction,
            case_field="evaluation__case_id",
        )
        raise NotFound(message)
    editor = may_edit_evaluation(user, obj.evaluation.case)
    allowed = {"view": True, "update": editor or obj.owner_id == user.pk, "edit": editor}[action]
    if not allowed:
        audit(
            actor=user,
            event=CoreEvent.ACCESS_DENIED,
            case_id=obj.evaluation.case_id,
            reason=f"verbeteractie.{action}",
        )
        raise AccessDenied("Alleen de eigenaar of de procesregisseur werkt deze verbeteractie bij.")
    return obj


def case_get_for_evaluation(*, user, case_id):
    """The case, for starting a casusevaluatie on it: visible (else 404) and this user draws up evaluations
    (else 403, audited)."""
    case = case_get_for_user(user=user, case_id=case_id)
    if not may_edit_evaluation(user, case):
        audit(actor=user, event=CoreEvent.ACCESS_DENIED, case_id=case.pk, reason="casusevaluatie.start")
        raise AccessDenied("Alleen de procesregisseur van het huis start een casusevaluatie.")
    return case
