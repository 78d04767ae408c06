"""Answers to the learning instruments for the demo (SPEC §5.5): session ratings after the demo's held
meetings and one round of the partner survey.

Professionals at the table rate most meetings (once each: the unique constraint on a professional rating
holds); for some discussed cases the client rated the conversation together with the professional who sat
with them. About 60% of the house's professionals answered the partner survey in the weeks before the demo's
day: statements mostly 3-4 out of 5, estimates in sensible ranges, no open answers (free text could name
people). Meetings come from `tafel.demo.meetings`, so this runs after it; like the rest of the demo it writes
rows directly, with the seeded `rng`, and no audit events.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from tafel.access.policy import sees_case_content
from tafel.demo.plan import BASE
from tafel.meetings.models import Attendance, Invitation, Meeting, MeetingStatus
from tafel.organisations.models import OrganisationType, User
from tafel.reports.learning import CLIENT_RATING, PROFESSIONAL_RATING, RANGES, SURVEY_CODE
from tafel.reports.models import Answer, QuestionKind, Questionnaire, Response

SURVEY_SHARE = 0.6
# A professional rates most meetings they were at; a client rates some of the conversations.
RATING_SHARE = 0.75
CLIENT_RATING_SHARE = 0.75
# Estimates of the partner survey, in the order of its number questions: (low, high, step).
ESTIMATES = [(15, 120, 5), (10, 90, 5), (20, 90, 5)]


def _scale(rng: random.Random, centre: float, low: int, high: int) -> Decimal:
    value = round(rng.gauss(centre, 1.0))
    return Decimal(max(low, min(high, value)))


def _answers(rng: random.Random, response: Response, questions, centre: float) -> list[Answer]:
    """One answer per scored question, in the question's range; open questions stay empty."""
    out, estimate = [], 0
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        low, high = RANGES[question.kind]
        if question.kind == QuestionKind.LIKERT:
            number = Decimal(rng.choices((1, 2, 3, 4, 5), weights=(2, 10, 38, 40, 10))[0])
        elif question.kind == QuestionKind.SCALE10:
            number = _scale(rng, centre, low, high)
        else:
            lo, hi, step = ESTIMATES[min(estimate, len(ESTIMATES) - 1)]
            estimate += 1
            number = Decimal(rng.randrange(lo, hi + 1, step))
        out.append(Answer(response=response, question=question, number=number))
    return out


def _questionnaire(code: str):
    q = Questionnaire.objects.filter(code=code).prefetch_related("questions").first()
    if q is None:
        return None, []
    return q, [question for question in q.questions.all() if question.retired_at is None]


@transaction.atomic
def add_demo_responses(rng: random.Random) -> dict[str, int]:
    """Session ratings for the held demo meetings and partner-survey responses. Returns counts per kind."""
    responses: list[Response] = []
    answers: list[Answer] = []
    counts = {"professional": 0, "client": 0, "survey": 0}

    professional, pro_questions = _questionnaire(PROFESSIONAL_RATING)
    client, client_questions = _questionnaire(CLIENT_RATING)
    held = {
        m.pk: m for m in Meeting.objects.filter(status__in=(MeetingStatus.HELD, MeetingStatus.CLOSED)).order_by("pk")
    }
    present = list(
        Invitation.objects.filter(meeting_id__in=list(held), attendance=Attendance.PRESENT)
        .order_by("meeting_id", "id")
        .values_list("meeting_id", "is_client", "user_id", "agenda_item__case_id", "accompanied_by_id", "debrief_by_id")
    )
    rated: set[tuple[int, int]] = set()

    def add(questionnaire, questions, respondent: int, submitted, centre: float, **links) -> None:
        response = Response(questionnaire=questionnaire, respondent_id=respondent, submitted_at=submitted, **links)
        responses.append(response)
        answers.extend(_answers(rng, response, questions, centre))

    for meeting_id, is_client, user_id, case_id, accompanied_by, debrief_by in present:
        meeting = held[meeting_id]
        links = {"meeting": meeting, "overleg_type_id": meeting.overleg_type_id}
        submitted = meeting.starts_at + datetime.timedelta(hours=rng.randint(2, 52))
        if not is_client:
            # One professional rating per person per meeting (session_rating_once_per_user).
            if professional is None or (meeting_id, user_id) in rated or rng.random() >= RATING_SHARE:
                continue
            rated.add((meeting_id, user_id))
            add(professional, pro_questions, user_id, submitted, rng.choice((6.5, 7.0, 7.5, 8.0)), **links)
            counts["professional"] += 1
        elif client is not None and rng.random() < CLIENT_RATING_SHARE and (accompanied_by or debrief_by):
            # Filled in together with the client by the professional who sat with them or did the debrief.
            respondent = accompanied_by or debrief_by
            add(
                client,
                client_questions,
                respondent,
                submitted,
                rng.choice((6.0, 7.0, 7.5)),
                case_id=case_id,
                with_client=True,
                **links,
            )
            counts["client"] += 1

    survey, survey_questions = _questionnaire(SURVEY_CODE)
    if survey is not None:
        users = User.objects.filter(is_active=True).select_related("organisation").prefetch_related("roles")
        users = [
            u
            for u in users.order_by("pk")
            if u.organisation_id and u.organisation.type != OrganisationType.ZVH and sees_case_content(u)
        ]
        for user in sorted(rng.sample(users, round(SURVEY_SHARE * len(users))), key=lambda u: u.pk):
            submitted = BASE - datetime.timedelta(days=rng.randint(3, 45), minutes=rng.randint(0, 600))
            add(survey, survey_questions, user.pk, submitted, 0)
            counts["survey"] += 1

    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    return counts


# The demo's effectiviteitsmatrix (SPEC §7, 000:L4407-4428): a few goals of the house and of its overleg types,
# each with its selection, input and follow-up criteria and a target on one indicator, as a ketenmanager
# would set them up. (overleg type code or "", theme or "", title, indicator, target, direction, criteria)
GOALS = [
    (
        "",
        "",
        "Binnen twee weken een triagebesluit",
        "doorlooptijd_triage",
        "14",
        "at_most",
        "Alle aanmeldingen bij het huis.",
        "Een volledig aanmeldformulier met de vijf criteria onderbouwd.",
        "De aanmelder hoort het besluit en de reden binnen de termijn.",
    ),
    (
        "",
        "",
        "Elke casus in de ZVH-aanpak heeft een casusregisseur",
        "casusregie",
        "90",
        "at_least",
        "Casussen in de ZVH-aanpak.",
        "Bij de eerste bespreking wordt de casusregisseur benoemd.",
        "De casusregisseur staat in het plan van aanpak.",
    ),
    (
        "com",
        "",
        "Afspraken uit het COM worden op tijd uitgevoerd",
        "acties_op_tijd",
        "80",
        "at_least",
        "Casussen besproken in het Casusoverleg Complexe Meervoudige problematiek.",
        "Elke afspraak heeft een eigenaar en een termijn.",
        "De procesregisseur bewaakt de termijnen en agendeert wat stokt.",
    ),
    (
        "mda",
        "huiselijk_geweld",
        "Minder herhaling van huiselijk geweld",
        "heraanmelding_12m",
        "15",
        "at_most",
        "Casussen huiselijk geweld in het MDA++.",
        "Veilig Thuis, politie en hulpverlening zitten samen aan tafel; de veiligheid is gescoord.",
        "Na afsluiting een jaar volgen op afstand; bij een nieuwe melding direct terug aan tafel.",
    ),
    (
        "",
        "",
        "Uitgenodigde professionals zijn aanwezig",
        "overleg_kwaliteit",
        "85",
        "at_least",
        "Alle overleggen van het huis.",
        "Uitnodiging minstens een week vooraf, met de casussen op de agenda.",
        "Wie niet kon komen krijgt het verslag en de eigen afspraken.",
    ),
]


def add_demo_goals() -> int:
    """The goals above, made by the demo's ketenmanager on the demo's day (no audit events, like the rest of
    the demo). Returns how many were added; goals of an overleg type that does not exist are skipped."""
    from tafel.meetings.models import OverlegType
    from tafel.organisations.models import Role
    from tafel.reports.models import Goal

    manager = User.objects.filter(roles__role=Role.KETENMANAGER).order_by("pk").first()
    if manager is None:
        return 0
    types = {t.code: t for t in OverlegType.objects.all()}
    made = BASE.replace(hour=10)
    goals = []
    for code, theme, title, indicator, target, direction, selection, given, follow_up in GOALS:
        if code and code not in types:
            continue
        goals.append(
            Goal(
                overleg_type=types.get(code) if code else None,
                theme=theme,
                title=title,
                indicator_code=indicator,
                target_value=Decimal(target),
                direction=direction,
                selection_criteria=selection,
                input_criteria=given,
                follow_up_criteria=follow_up,
                created_by=manager,
                created_at=made,
            )
        )
    with transaction.atomic():
        Goal.objects.bulk_create(goals)
    return len(goals)
