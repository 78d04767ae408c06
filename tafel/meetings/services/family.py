"""The family's version of the plan (issue 12, item 6): Tafel writes it from the published plan, the
procesregisseur reviews it (and may correct the sentences), then records that the family was given it. The
family view shows only a reviewed version."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tafel.core.audit import audit
from tafel.core.errors import AccessDenied, ConcurrentEdit, TransitionNotAllowed
from tafel.meetings.audit_events import MeetingEvent

from ..access import may_review_family_plan
from ..models import Action, ActionStatus, Audience, FamilyPlan, FamilyPlanStatus, Plan
from ..plain import plan_action_sentence
from ._common import bump, fail

MAX_SENTENCES = 60
MAX_SENTENCE_LENGTH = 600


def family_actions(plan: Plan) -> list[Action]:
    """The actions the family reads: open and meant for the family (internal agreements never, SPEC §6.1)."""
    return [
        a
        for a in plan.actions.select_related("owner", "owner__organisation", "co_owner", "co_owner__organisation")
        .select_related("organisation")
        .order_by("order", "id")
        if a.status == ActionStatus.OPEN and a.audience == Audience.FAMILY
    ]


def family_sentences(plan: Plan) -> list[str]:
    """Tafel's own "who does what" sentences for a plan, before anyone reviewed them."""
    return [plan_action_sentence(a) for a in family_actions(plan)]


def _require_review(actor, plan: Plan) -> None:
    if not may_review_family_plan(actor):
        raise AccessDenied("Alleen een procesregisseur beoordeelt de versie voor het gezin.")
    if plan.is_draft:
        raise TransitionNotAllowed("Publiceer eerst het plan; daarna beoordeelt u de versie voor het gezin.")


def family_plan_review(
    *, actor, plan: Plan, sentences_text: str | None = None, expected_version: int | None = None
) -> FamilyPlan:
    """Fix the sentences the family will read. Without `sentences_text` Tafel's own sentences are taken; with
    it, one sentence per line, the procesregisseur's correction (kept, marked as changed, audited)."""
    _require_review(actor, plan)
    generated = family_sentences(plan)
    if sentences_text is None:
        sentences = generated
    else:
        sentences = [" ".join(line.split()) for line in sentences_text.splitlines() if line.strip()]
        if len(sentences) > MAX_SENTENCES or any(len(s) > MAX_SENTENCE_LENGTH for s in sentences):
            raise fail("Houd het kort: hoogstens 60 zinnen van elk hoogstens 600 tekens.", "sentences")
    overridden = sentences != generated
    now = timezone.now()
    with transaction.atomic():
        row = FamilyPlan.objects.select_for_update().filter(plan=plan).first()
        if row is None:
            if expected_version not in (None, 0):
                raise ConcurrentEdit("Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw.")
            row = FamilyPlan.objects.create(
                plan=plan,
                status=FamilyPlanStatus.REVIEWED,
                sentences=sentences,
                overridden=overridden,
                reviewed_by=actor,
                reviewed_at=now,
            )
        else:
            if row.status == FamilyPlanStatus.GIVEN:
                raise TransitionNotAllowed(
                    "Het gezin heeft deze versie al gekregen. Een nieuwe versie van het plan krijgt een nieuwe "
                    "versie voor het gezin."
                )
            bump(
                FamilyPlan,
                row,
                expected_version,
                status=FamilyPlanStatus.REVIEWED,
                sentences=sentences,
                overridden=overridden,
                reviewed_by=actor,
                reviewed_at=now,
            )
        audit(
            actor=actor,
            event=MeetingEvent.PLAN_FAMILY_REVIEW,
            case_id=plan.case_id,
            details={"plan": plan.pk, "overridden": overridden, "sentences": len(sentences)},
        )
    return row


def family_plan_give(*, actor, plan: Plan, expected_version: int | None = None) -> FamilyPlan:
    """Record that the family was given the reviewed version (by hand, by post, in the meeting)."""
    _require_review(actor, plan)
    with transaction.atomic():
        row = FamilyPlan.objects.select_for_update().filter(plan=plan).first()
        if row is None or row.status != FamilyPlanStatus.REVIEWED:
            raise TransitionNotAllowed("Alleen een beoordeelde versie kan aan het gezin worden gegeven.")
        bump(FamilyPlan, row, expected_version, status=FamilyPlanStatus.GIVEN, given_by=actor, given_at=timezone.now())
        audit(actor=actor, event=MeetingEvent.PLAN_FAMILY_GIVEN, case_id=plan.case_id, details={"plan": plan.pk})
    return row
