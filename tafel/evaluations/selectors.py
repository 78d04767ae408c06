"""Every read of the evaluations app, scoped by the viewer: the timeline moments offered to an evaluation, the
evaluations of a case, one evaluation with everything on its page, and the overview of improvement actions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch
from django.utils import timezone, translation

from tafel.access import policy
from tafel.cases import access as case_access
from tafel.cases.models import Case
from tafel.core.audit import audit, audit_many
from tafel.evaluations import access as evaluation_access
from tafel.evaluations.audit_events import EvaluationEvent
from tafel.lifecycle.selectors import TIMELINE_KINDS, case_timeline
from tafel.reports.models import Answer

from .models import Evaluation, ImprovementAction, ImprovementStatus, Lesson, Moment, ReviewInterview
from .review import SECTIONS, questionnaire
from .roles import RoleLabel, case_role_labels, pseudonymise

MOMENT_KINDS = {**TIMELINE_KINDS, Moment.MANUAL: "Handmatig"}
# The key events pre-selected for a new evaluation (SPEC §5.5): meldingen, the triage decision, meetings, plan
# versions, phase changes, escalations and the closure. The rest of the timeline can be picked by hand.
KEY_KINDS = frozenset({"melding", "triage", "overleg", "plan", "fase", "escalatie", "afsluiting"})


@dataclass
class Candidate:
    key: str
    at: datetime.datetime
    kind: str
    description: str
    preselected: bool
    supplied_by_org_id: int | None
    category: str
    source_type: str = ""
    source_id: int | None = None

    @property
    def kind_label(self) -> str:
        return MOMENT_KINDS.get(self.kind, self.kind)


def _key(entry) -> tuple[str, str, int | None]:
    item = entry.item
    if hasattr(item, "_meta") and item.pk:
        label = case_access.item_type_label(item)
        return f"{label}:{item.pk}", label, item.pk
    return f"{entry.kind}:{int(entry.at.timestamp())}", "", None


def timeline_candidates(*, viewer, case: Case, labels: list[RoleLabel] | None = None) -> list[Candidate]:
    """The case's timeline as the viewer may see it (the lifecycle app's selector, policy-filtered and audited
    there), each entry as a possible moment with its description pseudonymised."""
    labels = case_role_labels(case) if labels is None else labels
    out = []
    # A picked moment is stored with this description and the evaluation is a record of the house, so the
    # titles are built in the house's language whatever language the page is shown in.
    with translation.override(settings.LANGUAGE_CODE):
        entries = case_timeline(viewer=viewer, case_id=case.pk).entries
    for entry in entries:
        key, source_type, source_id = _key(entry)
        out.append(
            Candidate(
                key=key,
                at=entry.at,
                kind=entry.kind,
                description=pseudonymise(entry.title, labels)[:300],
                preselected=entry.kind in KEY_KINDS,
                supplied_by_org_id=entry.supplied_by_org_id,
                category=entry.category,
                source_type=source_type,
                source_id=source_id,
            )
        )
    return out


def evaluation_list(*, viewer, case_id) -> tuple[Case, list[Evaluation]]:
    case = case_access.case_get_for_user(user=viewer, case_id=case_id)
    evaluations = list(
        Evaluation.objects.filter(case=case)
        .select_related("created_by")
        .annotate(
            n_moments=Count("moments", distinct=True),
            n_lessons=Count("lessons", distinct=True),
            n_actions=Count("improvement_actions", distinct=True),
        )
    )
    audit(actor=viewer, event=EvaluationEvent.EVALUATION_VIEW, case_id=case.pk, details={"list": True})
    return case, evaluations


@dataclass
class InterviewView:
    interview: ReviewInterview
    sections: list[tuple[str, list[tuple[str, str]]]]


@dataclass
class EvaluationDetail:
    evaluation: Evaluation
    case: Case
    moments: list[Moment]
    lessons: list[Lesson]
    participants: list
    interviews: list[InterviewView]
    labels: list[RoleLabel]
    history: list
    may_edit: bool
    hidden_moments: int = 0
    candidates: list[Candidate] = field(default_factory=list)


def visible_moments(viewer, evaluation: Evaluation, moments) -> tuple[list[Moment], int]:
    """A moment taken from the timeline is shown under the item rules of its source (SPEC §6); moments added
    by hand are the evaluation's own content."""
    ctx = case_access.ItemContext(viewer, evaluation.case, case_visible=True)
    shown = []
    for m in moments:
        if m.supplied_by_org_id is None or ctx.visible(
            supplied_by_org_id=m.supplied_by_org_id,
            category=m.category,
            key=(m.source_type, m.source_id) if m.source_type else None,
        ):
            shown.append(m)
    return shown, len(moments) - len(shown)


def _interviews(evaluation: Evaluation) -> list[InterviewView]:
    interviews = list(
        evaluation.interviews.select_related("organisation").prefetch_related(
            Prefetch("response__answers", queryset=Answer.objects.select_related("question"))
        )
    )
    if not interviews:
        return []
    questions = list(questionnaire().questions.all())
    out = []
    for interview in interviews:
        answers = {a.question_id: a.text for a in interview.response.answers.all()}
        out.append(InterviewView(interview, SECTIONS.group([(q, answers.get(q.pk, "")) for q in questions])))
    return out


def evaluation_detail(*, viewer, evaluation_id, pdf: bool = False, with_candidates: bool = False) -> EvaluationDetail:
    evaluation = evaluation_access.evaluation_get_for_user(user=viewer, evaluation_id=evaluation_id)
    case = evaluation.case
    labels = case_role_labels(case)
    moments, hidden = visible_moments(viewer, evaluation, evaluation.moments.all())
    lessons = list(
        evaluation.lessons.prefetch_related(
            Prefetch("actions", queryset=ImprovementAction.objects.select_related("owner", "owner_organisation"))
        )
    )
    detail = EvaluationDetail(
        evaluation=evaluation,
        case=case,
        moments=moments,
        lessons=lessons,
        participants=list(evaluation.participants.select_related("organisation")),
        interviews=_interviews(evaluation),
        labels=labels,
        history=list(evaluation.status_changes.select_related("actor")),
        may_edit=policy.may_edit_evaluation(viewer, case),
        hidden_moments=hidden,
    )
    if with_candidates and detail.may_edit and not evaluation.is_final:
        taken = {m.source_key for m in evaluation.moments.all() if m.source_key}
        detail.candidates = [
            c for c in timeline_candidates(viewer=viewer, case=case, labels=labels) if c.key not in taken
        ]
    audit(
        actor=viewer,
        event=EvaluationEvent.EVALUATION_PDF if pdf else EvaluationEvent.EVALUATION_VIEW,
        case_id=case.pk,
        details={"evaluation": evaluation.pk},
    )
    return detail


# --- verbeteracties -----------------------------------------------------------------------------------------


def improvement_action_overview(*, viewer, status: str = "", overdue: bool = False) -> list[ImprovementAction]:
    """Every improvement action the viewer may see, across evaluations: the case reference and the action text,
    owner, due date and status; no person data. Reading it is audited per case, like the case list."""
    qs = evaluation_access.improvement_actions_visible_to(viewer).select_related(
        "evaluation__case", "owner", "owner_organisation"
    )
    if status in ImprovementStatus.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=ImprovementStatus.OPEN, due_date__lt=timezone.localdate())
    actions = list(qs.order_by("status", "due_date", "id"))
    audit_many(
        actor=viewer,
        event=EvaluationEvent.IMPROVEMENT_ACTION_LIST,
        case_ids=sorted({a.evaluation.case_id for a in actions}),
    )
    return actions


def owner_choices(case: Case):
    """Possible owners of an improvement action: active users of the organisations in the case and of the house."""
    from django.db.models import Q

    from tafel.organisations.models import OrganisationType

    return (
        policy.active_users()
        .filter(
            Q(organisation__participations__case=case, organisation__participations__kind=case_access.PARTNER)
            | Q(organisation__type=OrganisationType.ZVH)
        )
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "last_name", "first_name")
    )


def organisation_choices():
    from tafel.organisations.models import Organisation

    return Organisation.objects.filter(active=True).order_by("name")
