"""Learning instruments (SPEC §5.5, issue 6 item 5): filling in a built-in questionnaire and its results as
averages per item. Professionals fill in the partner survey and the session ratings (the client's rating
together with the client); the monitor's readers see the averages, analysts with small cells suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from tafel.core import policy
from tafel.core.errors import AccessDenied, NotFound, ValidationFailed
from tafel.reports.models import Answer, Question, QuestionKind, Questionnaire, Response
from tafel.reports.suppression import threshold

RANGES = {QuestionKind.LIKERT: (1, 5), QuestionKind.SCALE10: (1, 10), QuestionKind.NUMBER: (0, 100000)}
TEXT_LIMIT = 2000


def may_fill_in(user) -> bool:
    # The people at the table: whoever works with case content (professionals, regisseurs).
    return policy.sees_case_content(user)


def questionnaire_get_for_user(*, user, code: str, action: str = "fill") -> Questionnaire:
    allowed = may_fill_in(user) if action == "fill" else policy.may_view_reports(user)
    if not allowed:
        raise AccessDenied("Deze vragenlijst is niet voor jouw rol.")
    try:
        return Questionnaire.objects.prefetch_related("questions").get(code=str(code), active=True)
    except Questionnaire.DoesNotExist as exc:
        raise NotFound("Deze vragenlijst bestaat niet.") from exc


def response_submit(*, actor, questionnaire: Questionnaire, raw: dict[str, str]) -> Response:
    """`raw` maps "q<question id>" to the submitted text. Likert items and ratings are required; estimates
    and open questions may stay empty."""
    if not may_fill_in(actor):
        raise AccessDenied("Deze vragenlijst is niet voor jouw rol.")
    errors: dict[str, list[str]] = {}
    answers: list[Answer] = []
    for question in questionnaire.questions.all():
        key = f"q{question.pk}"
        value = (raw.get(key) or "").strip()
        if question.kind == QuestionKind.TEXT:
            if len(value) > TEXT_LIMIT:
                errors[key] = [f"Gebruik ten hoogste {TEXT_LIMIT} tekens."]
            elif value:
                answers.append(Answer(question=question, text=value))
            continue
        if not value:
            if question.kind != QuestionKind.NUMBER:
                errors[key] = ["Kies een antwoord."]
            continue
        low, high = RANGES[question.kind]
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            errors[key] = ["Vul een getal in."]
            continue
        if not number.is_finite() or not low <= number <= high:
            errors[key] = [f"Vul een getal van {low} tot en met {high} in."]
            continue
        answers.append(Answer(question=question, number=number.quantize(Decimal("0.1"))))
    if errors:
        raise ValidationFailed("De antwoorden zijn niet opgeslagen: controleer de vragen.", field_errors=errors)
    with transaction.atomic():
        response = Response.objects.create(questionnaire=questionnaire, respondent=actor, submitted_at=timezone.now())
        for answer in answers:
            answer.response = response
        Answer.objects.bulk_create(answers)
    return response


@dataclass
class ItemResult:
    question: Question
    count: int
    mean: float | None
    suppressed: bool


def questionnaire_results(*, viewer, questionnaire: Questionnaire) -> tuple[str, list[ItemResult]]:
    """The number of responses and the average per scored item. Open answers are not shown (free text can
    name people). For readers of aggregates only, an item answered by fewer than the threshold is hidden."""
    if not policy.may_view_reports(viewer):
        raise AccessDenied("De resultaten zijn er voor de lezers van de monitor.")
    hide_small = not policy.may_drill_down(viewer)
    stats = {
        row["question"]: row
        for row in Answer.objects.filter(question__questionnaire=questionnaire, number__isnull=False)
        .values("question")
        .annotate(n=Count("id"), mean=Avg("number"))
    }
    limit = threshold()
    items = []
    for question in questionnaire.questions.all():
        if question.kind == QuestionKind.TEXT:
            continue
        row = stats.get(question.pk, {"n": 0, "mean": None})
        suppressed = hide_small and 0 < row["n"] < limit
        mean = None if suppressed or row["mean"] is None else round(float(row["mean"]), 1)
        items.append(ItemResult(question=question, count=row["n"], mean=mean, suppressed=suppressed))
    total = getattr(questionnaire, "response_count", None)
    if total is None:
        total = Response.objects.filter(questionnaire=questionnaire).count()
    return (f"<{limit}" if hide_small and 0 < total < limit else str(total)), items


SURVEY_CODE = "partnerenquete"


def survey_card(*, viewer) -> dict | None:
    """The partner survey's averages for the monitor dashboard (issue 6: survey results feed the monitor).
    Three queries whatever the number of answers; suppressed the same way as the results page."""
    questionnaire = (
        Questionnaire.objects.filter(code=SURVEY_CODE, active=True)
        .annotate(response_count=Count("responses"))
        .prefetch_related("questions")
        .first()
    )
    if questionnaire is None:
        return None
    total, items = questionnaire_results(viewer=viewer, questionnaire=questionnaire)
    return {"questionnaire": questionnaire, "total": total, "items": items}
