"""Learning instruments (SPEC §5.5, issue 6 item 5): filling in a questionnaire and its results as averages
per item. Professionals fill in the partner survey; after a meeting they rate it (the session rating) and,
together with a client, the client rates it. The monitor's readers see the averages, analysts with small
cells suppressed. The questionnaire editor is in `tafel.reports.questionnaires`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.db.models import Max as models_max
from django.utils import timezone

from tafel.access import policy
from tafel.core.errors import AccessDenied, NotFound, ValidationFailed
from tafel.reports.models import (
    Answer,
    ChangeKind,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireChange,
    Response,
)
from tafel.reports.suppression import threshold

RANGES = {QuestionKind.LIKERT: (1, 5), QuestionKind.SCALE10: (1, 10), QuestionKind.NUMBER: (0, 100000)}
TEXT_LIMIT = 2000

SURVEY_CODE = "partnerenquete"
PROFESSIONAL_RATING = "sessie-professional"
CLIENT_RATING = "sessie-client"
SESSION_RATINGS = (PROFESSIONAL_RATING, CLIENT_RATING)
CASE_REVIEW = "casusreview"

# Questionnaires that are only ever filled in within their own context: the session ratings from the meeting
# page (they belong to a meeting), the case review inside a case evaluation (tafel.evaluations). The generic
# fill-in page does not offer them; the editor does edit their questions.
FILLED_IN_CONTEXT = frozenset({PROFESSIONAL_RATING, CLIENT_RATING, CASE_REVIEW})
# Questionnaires whose answers are shown in their own context only: the case review is all open questions
# about one case, which never belong on an aggregate results page.
RESULTS_IN_CONTEXT = frozenset({CASE_REVIEW})

ALREADY_RATED = "U hebt dit overleg al beoordeeld. Uw beoordeling telt één keer per overleg."


def may_fill_in(user) -> bool:
    # The people at the table: whoever works with case content (professionals, regisseurs).
    return policy.sees_case_content(user)


@dataclass
class ToFill:
    questionnaire: Questionnaire
    last_submitted_at: object  # datetime | None: when this user last filled it in


def questionnaires_to_fill(*, user) -> list[ToFill]:
    """The active questionnaires a user may fill in on their own (not the ones filled within a meeting or a
    case evaluation), with when this user last filled each in. Two queries."""
    if not may_fill_in(user):
        raise AccessDenied("Vragenlijsten invullen is er voor wie met casussen werkt.")
    rows = Questionnaire.objects.filter(active=True).exclude(code__in=FILLED_IN_CONTEXT).order_by("title")
    last = dict(
        Response.objects.filter(respondent=user, questionnaire__in=rows)
        .values("questionnaire")
        .annotate(at=models_max("submitted_at"))
        .values_list("questionnaire", "at")
    )
    return [ToFill(questionnaire=q, last_submitted_at=last.get(q.pk)) for q in rows]


def _get(code: str, *, active_only: bool) -> Questionnaire:
    qs = Questionnaire.objects.prefetch_related("questions")
    if active_only:
        qs = qs.filter(active=True)
    try:
        return qs.get(code=str(code))
    except Questionnaire.DoesNotExist as exc:
        raise NotFound("Deze vragenlijst bestaat niet.") from exc


def questionnaire_get_for_user(*, user, code: str, action: str = "fill") -> Questionnaire:
    """`fill`: the generic fill-in page (not for questionnaires filled in their own context); `results`: the
    aggregate results page (also of a questionnaire that is no longer active: its answers still count)."""
    allowed = may_fill_in(user) if action == "fill" else policy.may_view_reports(user)
    if not allowed:
        raise AccessDenied("Deze vragenlijst is niet voor uw rol.")
    hidden = FILLED_IN_CONTEXT if action == "fill" else RESULTS_IN_CONTEXT
    if str(code) in hidden:
        raise NotFound("Deze vragenlijst bestaat niet.")
    return _get(code, active_only=action == "fill")


def questionnaires_with_results(*, viewer) -> list[Questionnaire]:
    """The questionnaires whose aggregate results a monitor reader may read (API list)."""
    if not policy.may_view_reports(viewer):
        raise AccessDenied("De resultaten zijn er voor de lezers van de monitor.")
    return list(Questionnaire.objects.exclude(code__in=RESULTS_IN_CONTEXT).order_by("title", "pk"))


def current_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questions asked in a new fill-in: retired ("vervallen") questions are left out."""
    return [q for q in questionnaire.questions.all() if q.retired_at is None]


def _parse_answers(questionnaire: Questionnaire, raw) -> list[Answer]:
    """`raw` maps "q<question id>" to the submitted text. Likert items and ratings are required; estimates
    and open questions may stay empty."""
    errors: dict[str, list[str]] = {}
    answers: list[Answer] = []
    for question in current_questions(questionnaire):
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
    return answers


def _save(*, actor, questionnaire: Questionnaire, answers: list[Answer], **links) -> Response:
    response = Response.objects.create(
        questionnaire=questionnaire, respondent=actor, submitted_at=timezone.now(), **links
    )
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)
    return response


def response_submit(*, actor, questionnaire: Questionnaire, raw) -> Response:
    """A fill-in of a questionnaire through the generic page (the partner survey and the house's own)."""
    if not may_fill_in(actor):
        raise AccessDenied("Deze vragenlijst is niet voor uw rol.")
    if questionnaire.code in FILLED_IN_CONTEXT:
        raise NotFound("Deze vragenlijst bestaat niet.")
    answers = _parse_answers(questionnaire, raw)
    with transaction.atomic():
        return _save(actor=actor, questionnaire=questionnaire, answers=answers)


def case_review_response_save(*, actor, questionnaire: Questionnaire, raw, case) -> Response:
    """The answers of a case-review interview (tafel.evaluations), linked to the case it is about so that
    retention destroys them with the case (their open answers speak of the case). The caller checks access
    and runs this inside its own transaction."""
    if questionnaire.code != CASE_REVIEW:
        raise ValidationFailed("Alleen de casusreview wordt binnen een casusevaluatie ingevuld.")
    return _save(actor=actor, questionnaire=questionnaire, answers=_parse_answers(questionnaire, raw), case=case)


def case_review_responses(case_id: int):
    """What retention must destroy with a case: the case-review answers about it."""
    return Response.objects.filter(case_id=case_id, questionnaire__code__in=RESULTS_IN_CONTEXT)


# --- session ratings linked to a meeting (SPEC §5.5: SRS-style, 002 Tables 4.1–4.4) --------------------------


@dataclass
class RatingContext:
    """What a rating page needs: the meeting, for a client's rating the agenda item (its case), the
    questionnaire, and whether this user already gave their professional rating."""

    meeting: object
    questionnaire: Questionnaire
    item: object | None = None
    already_rated: bool = False

    @property
    def with_client(self) -> bool:
        return self.item is not None


def _taken_place(meeting) -> bool:
    from tafel.meetings.models import MeetingStatus

    return meeting.status != MeetingStatus.PLANNED


def session_rating_context(*, user, meeting_id=None, item_id=None) -> RatingContext:
    """Fetch and check in one step. The professional rating: anyone who sees the meeting (invited, chair,
    the house) once it has taken place. The client's rating: for a case on its agenda that the user sees and
    that was discussed, not deferred. Not visible → NotFound; not yet held → AccessDenied."""
    from tafel.meetings.access import agenda_item_get_for_user, meeting_get_for_user

    if not may_fill_in(user):
        raise NotFound("Dit overleg bestaat niet of u heeft er geen toegang toe.")
    if item_id is not None:
        item = agenda_item_get_for_user(user=user, item_id=item_id)
        meeting, code = item.meeting, CLIENT_RATING
        if item.deferred:
            raise AccessDenied("Deze casus is doorgeschoven en niet besproken in dit overleg.")
    else:
        item = None
        meeting, code = meeting_get_for_user(user=user, meeting_id=meeting_id), PROFESSIONAL_RATING
    if not _taken_place(meeting):
        raise AccessDenied("Een overleg beoordeelt u nadat het heeft plaatsgevonden.")
    questionnaire = _get(code, active_only=True)
    already = (
        item is None
        and Response.objects.filter(
            questionnaire=questionnaire, respondent=user, meeting=meeting, with_client=False
        ).exists()
    )
    return RatingContext(meeting=meeting, questionnaire=questionnaire, item=item, already_rated=already)


def session_rating_submit(*, actor, context: RatingContext, raw) -> Response:
    """Save a session rating linked to its meeting (and, for a client's rating, the case). A professional
    rates a meeting once: a second attempt is refused with a clear message, also when two tabs race (the
    unique constraint decides)."""
    if context.already_rated:
        raise ValidationFailed(ALREADY_RATED)
    answers = _parse_answers(context.questionnaire, raw)
    meeting = context.meeting
    links = {"meeting": meeting, "overleg_type_id": meeting.overleg_type_id, "with_client": context.with_client}
    if context.item is not None:
        links["case_id"] = context.item.case_id
    try:
        with transaction.atomic():
            return _save(actor=actor, questionnaire=context.questionnaire, answers=answers, **links)
    except IntegrityError as exc:
        raise ValidationFailed(ALREADY_RATED) from exc


# --- results ---------------------------------------------------------------------------------------------


@dataclass
class ItemResult:
    question: Question
    count: int
    mean: float | None
    suppressed: bool
    text_changes: list = field(default_factory=list)


def _responses(questionnaire: Questionnaire, params=None):
    qs = Response.objects.filter(questionnaire=questionnaire)
    if params is not None:
        qs = qs.filter(submitted_at__gte=params.period.start, submitted_at__lt=params.period.end)
        if params.overleg_type:
            qs = qs.filter(overleg_type__code=params.overleg_type)
    return qs


def questionnaire_results(*, viewer, questionnaire: Questionnaire, params=None) -> tuple[str, list[ItemResult]]:
    """The number of responses and the average per scored item (retired items included: their answers still
    count). Open answers are not shown (free text can name people). For readers of aggregates only, an item
    answered by fewer than the threshold is hidden. `params` limits the responses to a period and an overleg
    type (the session ratings); without it every response counts. Earlier wordings of an item come along."""
    if not policy.may_view_reports(viewer):
        raise AccessDenied("De resultaten zijn er voor de lezers van de monitor.")
    hide_small = not policy.may_drill_down(viewer)
    responses = _responses(questionnaire, params)
    answers = Answer.objects.filter(question__questionnaire=questionnaire, number__isnull=False)
    if params is not None:
        answers = answers.filter(response__in=responses)
    stats = {row["question"]: row for row in answers.values("question").annotate(n=Count("id"), mean=Avg("number"))}
    changes = defaultdict(list)
    for change in QuestionnaireChange.objects.filter(
        questionnaire=questionnaire, kind=ChangeKind.QUESTION_TEXT
    ).order_by("at", "id"):
        changes[change.question_id].append(change)
    limit = threshold()
    items = []
    for question in questionnaire.questions.all():
        if question.kind == QuestionKind.TEXT:
            continue
        row = stats.get(question.pk, {"n": 0, "mean": None})
        suppressed = hide_small and 0 < row["n"] < limit
        mean = None if suppressed or row["mean"] is None else round(float(row["mean"]), 1)
        items.append(
            ItemResult(
                question=question,
                count=row["n"],
                mean=mean,
                suppressed=suppressed,
                text_changes=changes.get(question.pk, []),
            )
        )
    total = getattr(questionnaire, "response_count", None) if params is None else None
    if total is None:
        total = responses.count()
    return (f"<{limit}" if hide_small and 0 < total < limit else str(total)), items


def survey_card(*, viewer) -> dict | None:
    """The partner survey's averages for the monitor dashboard (issue 6: survey results feed the monitor).
    Four queries whatever the number of answers; suppressed the same way as the results page."""
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


@dataclass
class RatingCell:
    """Ratings of one kind (professional or client) for one overleg type: the number of ratings and the
    average of all their items (1–10). Hidden together when the number is a small cell."""

    count: int
    mean: float | None
    suppressed: bool

    @property
    def count_display(self) -> str:
        return f"<{threshold()}" if self.suppressed else str(self.count)

    @property
    def mean_display(self) -> str:
        if self.suppressed:
            return "×"
        if self.mean is None:
            return "–"
        return f"{self.mean:.1f}".replace(".", ",")


@dataclass
class RatingRow:
    key: str
    label: str
    professional: RatingCell
    client: RatingCell


def session_rating_summary(*, viewer, params) -> list[RatingRow]:
    """Session ratings per overleg type for the monitor's period (and overleg type, when filtered): per kind
    the number of ratings and the mean of their items, plus a total row. Other monitor filters (municipality,
    theme, route, organisation) do not apply: a professional's rating is about a meeting, not about one case.
    Small cells are suppressed for readers of aggregates only; one query whatever the number of ratings."""
    if not policy.may_view_reports(viewer):
        raise AccessDenied("De resultaten zijn er voor de lezers van de monitor.")
    hide_small = not policy.may_drill_down(viewer)
    limit = threshold()
    scope = Q(
        response__questionnaire__code__in=SESSION_RATINGS,
        response__submitted_at__gte=params.period.start,
        response__submitted_at__lt=params.period.end,
        number__isnull=False,
    )
    if params.overleg_type:
        scope &= Q(response__overleg_type__code=params.overleg_type)
    rows = (
        Answer.objects.filter(scope)
        .values("response__overleg_type_id", "response__overleg_type__name", "response__with_client")
        .annotate(n=Count("response", distinct=True), answers=Count("id"), mean=Avg("number"))
        .order_by()
    )
    figures: dict = defaultdict(dict)
    names: dict = {}
    totals: dict = {False: {"n": 0, "answers": 0, "sum": 0.0}, True: {"n": 0, "answers": 0, "sum": 0.0}}
    for row in rows:
        key, by_client = row["response__overleg_type_id"], row["response__with_client"]
        figures[key][by_client] = row
        names[key] = row["response__overleg_type__name"] or "Onbekende soort overleg"
        # A rating belongs to one overleg type, so the totals are sums over the rows (one query in all).
        total = totals[by_client]
        total["n"] += row["n"]
        total["answers"] += row["answers"]
        total["sum"] += float(row["mean"]) * row["answers"]
    for total in totals.values():
        total["mean"] = total["sum"] / total["answers"] if total["answers"] else None

    def cell(row: dict | None) -> RatingCell:
        n = row["n"] if row else 0
        hidden = hide_small and 0 < n < limit
        mean = None if hidden or not row or row["mean"] is None else round(float(row["mean"]), 1)
        return RatingCell(count=n, mean=mean, suppressed=hidden)

    result = [
        RatingRow(
            key=str(pk or ""),
            label=names[pk],
            professional=cell(by_kind.get(False)),
            client=cell(by_kind.get(True)),
        )
        for pk, by_kind in sorted(figures.items(), key=lambda kv: names[kv[0]])
    ]
    total_row = RatingRow(key="totaal", label="Totaal", professional=cell(totals[False]), client=cell(totals[True]))
    if hide_small:
        for kind in ("professional", "client"):
            _protect_complement([getattr(r, kind) for r in result], getattr(total_row, kind))
    result.append(total_row)
    return result


def _protect_complement(cells: list[RatingCell], total: RatingCell) -> None:
    """Secondary suppression: with exactly one hidden count in a column, the total minus the shown counts
    would give it away. Hide the smallest other count as well, or, when there is none, the total."""
    hidden = [c for c in cells if c.suppressed]
    if len(hidden) != 1 or total.suppressed:
        return
    others = sorted((c for c in cells if not c.suppressed and c.count > 0), key=lambda c: c.count)
    target = others[0] if others else total
    target.suppressed, target.mean = True, None


def session_rating_card(*, viewer, params) -> dict:
    """The dashboard card beside the partner survey: session ratings per overleg type for the period."""
    return {
        "rows": session_rating_summary(viewer=viewer, params=params),
        "period": params.period,
        "professional_code": PROFESSIONAL_RATING,
        "client_code": CLIENT_RATING,
    }
