"""The agenda of a meeting with 20 cases, each with a long history, is read in a number of queries that does
not grow with that history (issue 3, "What must hold")."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tafel.meetings.models import (
    Action,
    ActionStatus,
    ActionType,
    AgendaItem,
    AgendaKind,
    CaseDiscussion,
    Meeting,
    MeetingStatus,
    Plan,
    PreMeetingUpdate,
)
from tafel.meetings.selectors import agenda
from tafel.testing import make_case

from .factories import overleg_type, plan_meeting, triaged

CASES = 20
AGENDA_QUERIES = 3  # items with their subqueries, case persons, client invitations
PAGE_QUERIES = 32  # includes session, user, roles and the audit inserts


def _add_history(cases, procesregisseur, professional, rows: int) -> None:
    """`rows` earlier meetings per case, each with a discussion, an update and a published plan with actions.
    Written directly: the point is the volume, not how it was made."""
    start = Plan.objects.count()
    for n in range(rows):
        at = timezone.now() - datetime.timedelta(days=400 - n)
        meeting = Meeting.objects.create(
            overleg_type=overleg_type("mda"),
            starts_at=at,
            place="Zaal",
            chair=procesregisseur,
            status=MeetingStatus.CLOSED,
            created_by=procesregisseur,
            created_at=at,
        )
        for case in cases:
            item = AgendaItem.objects.create(
                meeting=meeting, case=case, kind=AgendaKind.FOLLOW_UP, added_by=procesregisseur, added_at=at
            )
            common = {"supplied_by_org_id": procesregisseur.organisation_id, "created_by": procesregisseur}
            CaseDiscussion.objects.create(
                agenda_item=item, case=case, phase="directe_veiligheid", created_at=at, **common
            )
            PreMeetingUpdate.objects.create(agenda_item=item, current_situation="stabiel", created_at=at, **common)
            number = Plan.objects.filter(case=case).count() + 1
            plan = Plan.objects.create(
                case=case, number=number, meeting=meeting, published_at=at, goals="Veilig", created_at=at, **common
            )
            Action.objects.bulk_create(
                [
                    Action(
                        plan=plan,
                        case=case,
                        owner=professional,
                        what=f"Actie {k}",
                        type=ActionType.TOWARDS_FAMILY,
                        status=ActionStatus.OPEN,
                        meeting_count=n + 1,
                    )
                    for k in range(3)
                ]
            )
    assert Plan.objects.count() - start == rows * len(cases)


def _measure(procesregisseur, meeting) -> tuple[int, int, list]:
    with CaptureQueriesContext(connection) as selector_queries:
        items = agenda(viewer=procesregisseur, meeting=meeting)
        for i in items:
            # What the page reads from each item must already be loaded.
            _ = (
                i.case.reference,
                i.n_open_actions,
                i.current_plan_number,
                list(i.case.case_persons.all()),
                i.client_invitations,
            )
    client = Client()
    client.force_login(procesregisseur)
    with CaptureQueriesContext(connection) as page_queries:
        response = client.get(f"/overleggen/{meeting.pk}/")
    assert response.status_code == 200
    return len(selector_queries), len(page_queries), items


def test_agenda_query_count_does_not_grow_with_history(
    procesregisseur, professional, municipality, django_assert_max_num_queries
):
    cases = [triaged(make_case(professional, municipality, title=f"Gezin {n}"), procesregisseur) for n in range(CASES)]
    meeting = plan_meeting(procesregisseur, code="mda", cases=cases, days=5)

    _add_history(cases, procesregisseur, professional, rows=2)
    short_selector, short_page, items = _measure(procesregisseur, meeting)
    assert len(items) == CASES
    assert {i.n_open_actions for i in items} == {3}

    _add_history(cases, procesregisseur, professional, rows=18)
    long_selector, long_page, items = _measure(procesregisseur, meeting)
    assert {i.current_plan_number for i in items} == {20}
    assert {i.n_recurring_actions for i in items} == {3}

    assert long_selector == short_selector
    assert long_page == short_page
    with django_assert_max_num_queries(AGENDA_QUERIES):
        list(agenda(viewer=procesregisseur, meeting=meeting))
    client = Client()
    client.force_login(procesregisseur)
    with django_assert_max_num_queries(PAGE_QUERIES):
        client.get(f"/overleggen/{meeting.pk}/")


def test_agenda_suggestion_reasons_are_shown_in_the_page_language(case, procesregisseur, professional):
    from django.utils import translation

    from tafel.lifecycle.tests.factories import running_case
    from tafel.meetings.selectors import agenda_suggestions
    from tafel.meetings.tests.factories import plan_meeting

    case, _ = running_case(case, procesregisseur, professional)
    # Three weeks on, the plan's action is past its deadline.
    meeting = plan_meeting(procesregisseur, days=21)
    with translation.override("en"):
        reasons = [s.reason for s in agenda_suggestions(viewer=procesregisseur, meeting=meeting)]
    assert reasons and "open actions past their deadline" in reasons[0]
    with translation.override("nl"):
        reasons = [s.reason for s in agenda_suggestions(viewer=procesregisseur, meeting=meeting)]
    assert "open acties over de termijn" in reasons[0]
