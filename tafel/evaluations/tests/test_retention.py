"""Retention and the casusevaluatie: when a case is destroyed, its evaluation and the case-review answers
(open text about the case) go with it; session ratings that merely mention the case stay, unlinked."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from tafel.cases.models import Case, CaseStatus
from tafel.evaluations import services
from tafel.evaluations.models import Evaluation, ReviewInterview
from tafel.evaluations.review import questionnaire
from tafel.privacy.services.retention import retention_run
from tafel.reports.models import Answer, Questionnaire, Response


def test_destroying_a_case_destroys_its_evaluation_and_review_answers(
    evaluation, family, procesregisseur, police, settings
):
    settings.TAFEL_RETENTION_MONTHS = 12
    # Closed (after volgen op afstand) at a known moment.
    closed_on = timezone.make_aware(datetime.datetime(2026, 1, 10, 12, 0))
    Case.objects.filter(pk=family.pk).update(status=CaseStatus.AFGESLOTEN, closed_at=closed_on)
    first = questionnaire().questions.first()
    interview = services.review_interview_add(
        actor=procesregisseur,
        evaluation=evaluation,
        organisation_id=police.pk,
        function="wijkagent",
        answers={f"q{first.pk}": "Kind 1 is pas laat gehoord."},
    )
    review_response = interview.response_id
    rating = Response.objects.create(
        questionnaire=Questionnaire.objects.get(code="sessie-client"),
        respondent=procesregisseur,
        submitted_at=closed_on,
        case=family,
    )

    with time_machine.travel(closed_on + datetime.timedelta(days=400), tick=False):
        result = retention_run()

    assert result.record is not None and result.record.cases_destroyed == 1
    assert not Case.objects.filter(pk=family.pk).exists()
    assert not Evaluation.objects.filter(pk=evaluation.pk).exists()
    assert not ReviewInterview.objects.exists()
    assert not Response.objects.filter(pk=review_response).exists()
    assert not Answer.objects.filter(text__icontains="laat gehoord").exists()
    rating.refresh_from_db()
    assert rating.case_id is None, "a session rating stays for the figures, without its case"
