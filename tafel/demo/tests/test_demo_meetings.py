"""The demo's meetings and learning-instrument answers (tafel/demo/meetings.py, tafel/demo/reports.py):
deterministic, consistent with the demo cases and with the rules the services enforce."""

from __future__ import annotations

import io
import json
import random
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from tafel.cases.models import Case, CaseOrganisation, CaseStatus, CaseStatusChange
from tafel.core.models import AuditEvent
from tafel.demo.house import MIN_CASES
from tafel.demo.meetings import add_demo_meetings
from tafel.demo.reports import add_demo_responses
from tafel.meetings.models import (
    PHASE_SCALE,
    Action,
    AgendaItem,
    AgendaKind,
    Attendance,
    Bodemeis,
    CaseDiscussion,
    Invitation,
    Meeting,
    MeetingStatus,
    PhaseChange,
    Plan,
    ScaleScore,
    SessionPart,
    Verslag,
)
from tafel.meetings.services.verslag import build_snapshot
from tafel.organisations.models import OrganisationType
from tafel.reports.learning import CLIENT_RATING, PROFESSIONAL_RATING, RANGES, SURVEY_CODE
from tafel.reports.models import Answer, QuestionKind, Response

CASES = 150


@pytest.fixture
def demo(db):
    call_command("demo", seed=5, cases=CASES, verbosity=0, stdout=io.StringIO())


def _clear() -> None:
    Response.objects.all().delete()
    PhaseChange.objects.all().delete()
    Verslag.objects.all().delete()
    Action.objects.all().delete()
    Bodemeis.objects.all().delete()
    Plan.objects.update(based_on=None)  # versions protect the one they were based on
    Plan.objects.all().delete()
    Meeting.objects.all().delete()


def _snapshot() -> dict:
    """What a user sees of the meetings and answers, without ids or clock-dependent moments of invitations."""
    return {
        "meetings": list(
            Meeting.objects.order_by("starts_at", "overleg_type__code").values_list(
                "overleg_type__code", "starts_at", "status", "chair__username", "place"
            )
        ),
        "items": list(
            AgendaItem.objects.order_by("meeting__starts_at", "order").values_list(
                "meeting__starts_at", "case__reference", "order", "kind", "deferred"
            )
        ),
        "invitations": sorted(
            Invitation.objects.values_list(
                "meeting__starts_at",
                "user__username",
                "person__last_name",
                "agenda_item__case__reference",
                "attendance",
                "session_part",
            ),
            key=repr,
        ),
        "discussions": list(
            CaseDiscussion.objects.order_by("created_at", "case__reference").values_list(
                "case__reference", "phase", "oordeel", "family_picture", "created_at"
            )
        ),
        "scores": sorted(
            ScaleScore.objects.values_list(
                "discussion__case__reference", "created_at", "participant__username", "person_id", "kind", "score"
            ),
            key=repr,
        ),
        "actions": sorted(
            Action.objects.values_list(
                "case__reference", "plan__number", "what", "owner__username", "deadline", "status", "meeting_count"
            ),
            key=repr,
        ),
        "responses": sorted(
            Response.objects.values_list(
                "questionnaire__code", "respondent__username", "submitted_at", "meeting__starts_at", "case__reference"
            ),
            key=repr,
        ),
        "answers": sorted(
            Answer.objects.values_list("response__respondent__username", "response__submitted_at", "number"),
            key=repr,
        ),
    }


def test_same_seed_gives_the_same_meetings_and_answers(demo):
    first = _snapshot()
    assert first["meetings"] and first["responses"]
    _clear()
    # A plan appoints a casusregisseur on the case, as plan_publish does: start both runs from the same cases.
    regisseurs = list(Case.objects.values_list("pk", "casusregisseur_id"))
    add_demo_meetings(random.Random(21))
    add_demo_responses(random.Random(22))
    again = _snapshot()
    _clear()
    for pk, regisseur in regisseurs:
        Case.objects.filter(pk=pk).update(casusregisseur_id=regisseur)
    add_demo_meetings(random.Random(21))
    add_demo_responses(random.Random(22))
    assert _snapshot() == again
    _clear()
    add_demo_meetings(random.Random(23))
    assert _snapshot()["items"] != again["items"]


def test_past_meetings_are_held_with_discussions_scores_and_a_verslag(demo):
    past = Meeting.objects.exclude(status=MeetingStatus.PLANNED)
    assert 10 <= past.count() <= 80
    assert past.filter(status=MeetingStatus.HELD).count() == 1
    assert not past.filter(starts_at__gte=timezone.now()).exists()
    for meeting in past.prefetch_related("agenda_items"):
        items = list(meeting.agenda_items.all())
        assert 1 <= len(items) <= 8
        assert meeting.privacy_reminder_given
        assert Verslag.objects.filter(meeting=meeting, approved_at__isnull=meeting.status == MeetingStatus.HELD)
        for item in items:
            assert hasattr(item, "discussion") != item.deferred, item.pk
    # Every discussion has its phase's scale question, answered by professionals at the table of the case.
    orgs = defaultdict(set)
    for case_id, org_id in CaseOrganisation.objects.values_list("case_id", "organisation_id"):
        orgs[case_id].add(org_id)
    for discussion in CaseDiscussion.objects.prefetch_related("scale_scores"):
        scores = list(discussion.scale_scores.all())
        assert scores, discussion.case_id
        for score in scores:
            assert score.kind == PHASE_SCALE[discussion.phase]
            assert 1 <= score.score <= 10 and score.rationale
            if not score.is_client:
                assert score.supplied_by_org_id in orgs[discussion.case_id]


def test_cases_are_discussed_only_while_their_aanpak_runs(demo):
    history = defaultdict(list)
    for case_id, to_status, at in CaseStatusChange.objects.order_by("at", "id").values_list(
        "case_id", "to_status", "at"
    ):
        history[case_id].append((at, to_status))
    for item in AgendaItem.objects.exclude(meeting__status=MeetingStatus.PLANNED).select_related("meeting"):
        before = [status for at, status in history[item.case_id] if at <= item.meeting.starts_at]
        assert before and before[-1] == CaseStatus.ACTIEF, item.case_id
    for item in AgendaItem.objects.filter(meeting__status=MeetingStatus.PLANNED).select_related("case"):
        assert item.case.status == CaseStatus.ACTIEF


def test_the_phase_path_ends_in_the_phase_of_the_case(demo):
    last = {}
    for change in PhaseChange.objects.order_by("at", "id").select_related("case"):
        last[change.case_id] = change
    assert last
    for change in last.values():
        assert change.to_phase == change.case.phase, change.case.reference
    starts = Counter(PhaseChange.objects.filter(from_phase="").values_list("case_id", flat=True))
    assert set(starts.values()) == {1}
    assert set(starts) == set(CaseDiscussion.objects.values_list("case_id", flat=True))


def test_the_first_discussion_of_a_case_publishes_a_complete_plan(demo):
    first = {}
    for d in CaseDiscussion.objects.select_related("agenda_item__meeting").order_by("created_at", "id"):
        first.setdefault(d.case_id, d)
    for case_id, discussion in first.items():
        plan = Plan.objects.get(case_id=case_id, number=1)
        assert plan.meeting_id == discussion.agenda_item.meeting_id
        assert plan.published_at and plan.goals
        assert 1 <= plan.bodemeisen.count() <= 2
        assert 2 <= plan.actions.count() <= 4
    # Later versions carry the open actions forward and count the meetings they stood on.
    for action in Action.objects.filter(carried_from__isnull=False).select_related("carried_from"):
        assert action.carried_from.status == "open"
        assert action.meeting_count == action.carried_from.meeting_count + 1
    assert Action.objects.filter(status="gedaan").exists() and Action.objects.filter(status="open").exists()


def test_upcoming_meetings_put_new_cases_first(demo):
    upcoming = Meeting.objects.filter(status=MeetingStatus.PLANNED).order_by("starts_at")
    assert 1 <= upcoming.count() <= 4
    assert all(m.starts_at > timezone.now() for m in upcoming)
    assert upcoming.first().invitations_sent_at is not None
    for meeting in upcoming:
        kinds = list(meeting.agenda_items.order_by("order").values_list("kind", flat=True))
        assert kinds == sorted(kinds, key=lambda k: k != AgendaKind.NEW)
        assert meeting.invitations.filter(is_client=False).exists()
        assert not meeting.invitations.exclude(attendance=Attendance.UNKNOWN).exists()


def test_invitations_follow_the_meeting_rules(demo):
    orgs = defaultdict(set)
    for case_id, org_id in CaseOrganisation.objects.values_list("case_id", "organisation_id"):
        orgs[case_id].add(org_id)
    for inv in Invitation.objects.select_related("agenda_item", "organisation", "user", "preparation_by"):
        if inv.is_client:
            assert inv.agenda_item_id and inv.person_id and inv.session_part == SessionPart.CLIENTS
            assert inv.preparation_by.organisation_id in orgs[inv.agenda_item.case_id]
            continue
        cases = (
            [inv.agenda_item.case_id]
            if inv.agenda_item_id
            else list(AgendaItem.objects.filter(meeting_id=inv.meeting_id).values_list("case_id", flat=True))
        )
        assert any(inv.user.organisation_id in orgs[c] for c in cases)
        if inv.organisation.type == OrganisationType.OM and inv.session_part == SessionPart.PROFESSIONALS:
            assert inv.agenda_item_id is None or inv.agenda_item.split_session


def test_verslag_holds_what_verslag_generate_would_build(demo):
    for meeting in Meeting.objects.exclude(status=MeetingStatus.PLANNED).order_by("-starts_at")[:5]:
        general, sections = build_snapshot(meeting)
        verslag = meeting.verslag
        assert verslag.snapshot == json.loads(json.dumps(general))
        stored = list(verslag.sections.order_by("order"))
        assert [s.snapshot for s in stored] == [json.loads(json.dumps(s["snapshot"])) for s in sections]
        assert [s.generated_text for s in stored] == [s["text"] for s in sections]


def test_ratings_are_given_once_by_people_at_the_table(demo):
    ratings = Response.objects.filter(questionnaire__code=PROFESSIONAL_RATING)
    assert ratings.exists()
    per = ratings.values("respondent", "meeting").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in per)
    held = Meeting.objects.exclude(status=MeetingStatus.PLANNED)
    assert held.filter(ratings__isnull=False).distinct().count() >= 0.8 * held.count()
    for response in ratings.select_related("meeting"):
        assert response.overleg_type_id == response.meeting.overleg_type_id
        assert response.submitted_at > response.meeting.starts_at
        assert Invitation.objects.filter(
            meeting=response.meeting, user=response.respondent, attendance=Attendance.PRESENT
        ).exists()
    clients = Response.objects.filter(questionnaire__code=CLIENT_RATING)
    assert clients.exists() and not clients.filter(with_client=False).exists()
    assert not clients.filter(case__isnull=True).exists()
    for answer in Answer.objects.select_related("question"):
        low, high = RANGES.get(answer.question.kind, (None, None))
        assert answer.question.kind != QuestionKind.TEXT and low <= answer.number <= high


def test_about_sixty_percent_of_professionals_answer_the_partner_survey(demo):
    survey = Response.objects.filter(questionnaire__code=SURVEY_CODE)
    professionals = {r.respondent_id for r in survey}
    assert len(professionals) == survey.count()
    eligible = Invitation.objects.values("user").distinct().count()
    assert survey.count() >= 0.3 * eligible
    likert = Answer.objects.filter(response__in=survey, question__kind=QuestionKind.LIKERT)
    mean = sum(a.number for a in likert) / likert.count()
    assert 3 <= mean <= 4


def test_the_demo_meetings_write_no_audit_events(demo):
    assert Meeting.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_smallest_demo_still_works(db):
    call_command("demo", seed=2, cases=MIN_CASES, verbosity=0, stdout=io.StringIO())
    assert not AuditEvent.objects.exists()
    assert Response.objects.filter(questionnaire__code=SURVEY_CODE).exists()
