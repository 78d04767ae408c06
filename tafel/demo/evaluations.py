"""A few casusevaluaties for the demo, on closed demo cases: moments from the case's meldingen and status
history, one moment filled in, a lesson and an improvement action (one of them overdue). Kept small so
`make run` stays fast; like the rest of the demo it writes rows directly and no audit events."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tafel.cases.models import Aanmelding, Case, CaseStatus, CaseStatusChange
from tafel.evaluations.models import Evaluation, ImprovementAction, Lesson, Moment
from tafel.evaluations.roles import case_role_labels
from tafel.organisations.models import OrganisationType, User

LESSONS = [
    (
        "‘Veiligheid’ werd door de partners verschillend geduid; dat kwam pas laat boven tafel.",
        "Bij een nieuwe casus in de eerste week een actieoverleg houden om de veiligheid samen te duiden.",
    ),
    (
        "Afspraken over wie met de kinderen spreekt waren niet vastgelegd.",
        "In het plan van aanpak per kind vastleggen wie het gesprek voert en wanneer.",
    ),
]


def _moments(evaluation: Evaluation, case: Case) -> list[Moment]:
    """The key events of the case as moments, read straight from their tables: the demo writes no audit events,
    so it does not go through the (audited) timeline selector."""
    out = [
        Moment(
            evaluation=evaluation,
            at=a.created_at,
            kind="melding",
            description=f"Melding ({a.get_route_display()})",
            source_key=f"cases.aanmelding:{a.pk}",
            source_type="cases.aanmelding",
            source_id=a.pk,
            supplied_by_org_id=a.supplied_by_org_id,
            category=a.category,
        )
        for a in Aanmelding.objects.filter(case=case)
    ]
    out += [
        Moment(
            evaluation=evaluation,
            at=s.at,
            kind="status",
            description=f"Status: {s.get_to_status_display()}",
            source_key=f"cases.casestatuschange:{s.pk}",
            source_type="cases.casestatuschange",
            source_id=s.pk,
        )
        for s in CaseStatusChange.objects.filter(case=case)
    ]
    return out


def add_demo_evaluations(*, count: int = 3) -> int:
    """Evaluate up to `count` closed demo cases with rows written directly (as the demo generator writes all
    its data); the texts name persons by role only. Returns how many were made."""
    cases = list(
        Case.objects.filter(status__in=[CaseStatus.AFGESLOTEN, CaseStatus.VOLGEN], procesregisseur__isnull=False)
        .select_related("procesregisseur")
        .order_by("pk")[:count]
    )
    for n, case in enumerate(cases):
        actor = case.procesregisseur
        owner = (
            User.objects.filter(is_active=True, organisation__participations__case=case)
            .exclude(organisation__type=OrganisationType.ZVH)
            .select_related("organisation")
            .first()
        )
        now = case.closed_at or timezone.now()
        evaluation = Evaluation.objects.create(
            case=case,
            title=f"Casusevaluatie {case.reference}",
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        moments = _moments(evaluation, case)
        if moments:
            first = moments[0]
            first.went_well = "Snel een eerste overleg met alle partners aan tafel."
            # The texts use this case's own role labels ("moeder", "kind 1", "betrokkene" …).
            labels = [r.label for r in case_role_labels(case)] or ["de cliënt"]
            pair = " en ".join(labels[:2])
            first.went_wrong = f"{pair[0].upper()}{pair[1:]} kregen tegenstrijdige adviezen van twee organisaties."
            if len(labels) == 1:
                first.went_wrong = f"{labels[0][0].upper()}{labels[0][1:]} kreeg tegenstrijdige adviezen."
            child = next((x for x in labels if x.startswith("kind")), labels[0])
            first.risky_decisions = (
                f"{child[0].upper()}{child[1:]} bleef thuis wonen zonder afspraak over wie de veiligheid bewaakte."
            )
        Moment.objects.bulk_create(moments)
        problem, action = LESSONS[n % len(LESSONS)]
        lesson = Lesson.objects.create(evaluation=evaluation, text=problem, created_at=now)
        if owner is not None and owner.organisation_id:
            ImprovementAction.objects.create(
                evaluation=evaluation,
                lesson=lesson,
                text=action,
                owner=owner,
                owner_organisation=owner.organisation,
                due_date=timezone.localdate() + datetime.timedelta(days=30 - 20 * n),
                created_at=now,
            )
    return len(cases)
