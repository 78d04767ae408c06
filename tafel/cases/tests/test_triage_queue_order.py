"""Issue 14, the werkvoorraad: the triage queue is ordered by the database (LIMIT/OFFSET per page). These
tests pin that order and the deadlines to the Python rule it replaced (`reference_order` below, kept only
here), on a varied queue: every urgency and an unknown one, themes and entry routes, cases with several
aanmeldingen, without a desired response time, ties on deadline and on creation time, and aanmeldingen
made around local midnight and the daylight-saving changes (the deadline counts from the local date).

Since the deadlines are stored (tafel/cases/deadlines.py) the local date is the house's (settings.TIME_ZONE),
whatever zone a request has active; the reference takes it there too (see `reference_order`)."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tafel.api.tests.conftest import as_user, session_client, token_client  # noqa: F401
from tafel.cases import selectors
from tafel.cases.deadlines import house_zone, refresh_deadlines
from tafel.cases.models import Aanmelding, Case, CaseStatus, EntryRoute, Theme
from tafel.testing import make_case

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def reference_order(viewer, zone=None) -> list[tuple[int, datetime.date | None]]:
    """The triage order as computed in Python before issue 14 (commit c155828): (case id, response deadline)
    in order of urgency rank, whether there is a deadline, the deadline, the creation time, the id.

    One change: the aanmelding's date is taken in the house's zone (settings.TIME_ZONE), where the old code
    took the active zone. A stored deadline cannot follow each viewer's zone, and no request activates another
    zone than the house's, so the two rules gave the same dates for every real request. `zone` computes the old
    rule for another active zone, to show the difference."""
    zone = zone or house_zone()
    cases = list(selectors.cases_visible_to(viewer).filter(status=CaseStatus.AANGEMELD))
    deadlines: dict[int, datetime.date] = {}
    for a in Aanmelding.objects.filter(case__in=cases, desired_response_days__isnull=False):
        deadline = timezone.localdate(a.created_at, zone) + datetime.timedelta(days=a.desired_response_days)
        if a.case_id not in deadlines or deadline < deadlines[a.case_id]:
            deadlines[a.case_id] = deadline
    cases.sort(
        key=lambda c: (
            selectors.URGENCY_RANK.get(c.urgency, 3),
            c.pk not in deadlines,
            deadlines.get(c.pk, datetime.date.max),
            c.created_at,
            c.pk,
        )
    )
    return [(c.pk, deadlines.get(c.pk)) for c in cases]


# Moments around local midnight (Europe/Amsterdam) in winter and summer and around the daylight-saving
# changes of 2026 (29 March, 25 October), plus a few ordinary ones; several cases share each.
MOMENTS = [
    datetime.datetime(2026, 1, 10, 22, 59, 59, tzinfo=UTC),
    datetime.datetime(2026, 1, 10, 23, 0, 0, tzinfo=UTC),
    datetime.datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
    datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC),
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime.datetime(2026, 6, 30, 21, 59, 59, 999999, tzinfo=UTC),
    datetime.datetime(2026, 6, 30, 22, 0, tzinfo=UTC),
    datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC),
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 23, 0, 0, 1, tzinfo=UTC),
    datetime.datetime(2025, 12, 31, 12, 0, tzinfo=UTC),
]


@pytest.fixture
def varied_queue(professional, municipality):
    rng = random.Random(14)
    urgencies = ["acuut", "hoog", "normaal", "onbekend"]  # the last is outside the choices: rank 3
    days_choices = [None, None, 0, 1, 7, 7, 14, 30]
    for i in range(40):
        case = make_case(
            professional,
            municipality,
            theme=rng.choice(list(Theme)),
            route=rng.choice(list(EntryRoute)),
            title=f"Casus {i}",
        )
        Case.objects.filter(pk=case.pk).update(urgency=rng.choice(urgencies), created_at=rng.choice(MOMENTS))
        first = case.aanmeldingen.get()
        Aanmelding.objects.filter(pk=first.pk).update(
            desired_response_days=rng.choice(days_choices), created_at=rng.choice(MOMENTS)
        )
        for _ in range(rng.choice([0, 0, 1, 2])):  # a joining melding: more aanmeldingen on one case
            extra = Aanmelding.objects.get(pk=first.pk)
            extra.pk = extra.id = None
            extra._state.adding = True
            extra.route = rng.choice(list(EntryRoute))
            extra.desired_response_days = rng.choice(days_choices)
            extra.created_at = rng.choice(MOMENTS)
            extra.save()
    # A case that no longer waits for triage is not in the queue, whatever its urgency.
    gone = make_case(professional, municipality, urgency="acuut", desired_response_days=0, title="Al getrieerd")
    Case.objects.filter(pk=gone.pk).update(status=CaseStatus.VERRIJKEN)
    # The rows above were changed behind aanmelding_create's back (moments and response times no intake
    # gives); the stored deadlines are brought in line as the migration that added them did.
    refresh_deadlines(Aanmelding, Case)
    assert Case.objects.filter(status=CaseStatus.AANGEMELD).count() == 40


def _sql_order(viewer) -> list[tuple[int, datetime.date | None]]:
    return [(c.pk, c.response_deadline) for c in selectors.triage_queue(viewer=viewer)]


def test_database_order_and_deadlines_equal_the_python_rule(varied_queue, procesregisseur):
    expected = reference_order(procesregisseur)
    assert _sql_order(procesregisseur) == expected
    # The queue is varied: ties, cases without a deadline, several urgencies, deadlines across midnight.
    deadlines = [d for _, d in expected]
    assert None in deadlines and len({d for d in deadlines if d}) > 5
    assert len(set(deadlines)) < len(deadlines)
    assert all(isinstance(d, datetime.date) and not isinstance(d, datetime.datetime) for d in deadlines if d)


def test_every_page_is_the_matching_slice_of_the_python_order(varied_queue, procesregisseur):
    expected = reference_order(procesregisseur)
    queue = selectors.triage_queue(viewer=procesregisseur)
    assert len(queue) == len(expected) == 40
    for offset in range(0, 45, 7):
        assert [(c.pk, c.response_deadline) for c in queue[offset : offset + 7]] == expected[offset : offset + 7]
    assert queue[0].pk == expected[0][0] and queue[-1].pk == expected[-1][0]
    with pytest.raises(IndexError):
        queue[40]


def test_deadline_counts_in_the_house_zone_whatever_zone_is_active(varied_queue, procesregisseur):
    with timezone.override("Pacific/Auckland"):
        assert _sql_order(procesregisseur) == reference_order(procesregisseur)
        # Not vacuous: with the dates taken in the active zone, as before, some deadlines would differ.
        assert _sql_order(procesregisseur) != reference_order(procesregisseur, timezone.get_current_timezone())


def test_page_and_api_show_the_python_order(varied_queue, procesregisseur, client, as_user):  # noqa: F811
    expected = reference_order(procesregisseur)
    body = as_user(procesregisseur).get("/my-work/triage-queue?limit=15&offset=10").json()
    assert body["count"] == 40
    assert [(c["id"], c["response_deadline"]) for c in body["items"]] == [
        (pk, d.isoformat() if d else None) for pk, d in expected[10:25]
    ]
    client.force_login(procesregisseur)
    html = client.get(reverse("cases:werkvoorraad")).content.decode()
    shown = Case.objects.in_bulk([pk for pk, _ in expected])
    positions = [html.find(shown[pk].reference) for pk, _ in expected[:25]]
    assert -1 not in positions and positions == sorted(positions)


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        # PostgreSQL plans by table size and reads a test's few rows whole; with sequential scans and sorts priced
        # out, the plan that remains shows whether the index can give the rows in order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_page_of_the_queue_and_its_count_are_read_from_the_index_in_order(varied_queue, procesregisseur):
    queue = selectors.triage_queue(viewer=procesregisseur)
    with CaptureQueriesContext(connection) as ctx:
        assert len(queue) == 40
        assert len(queue[10:35]) == 25
    count_sql, page_sql = (q["sql"] for q in ctx.captured_queries)
    plan = _plan(page_sql)
    assert "case_triage_queue" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # no sort of all waiting cases
    # The count: any index that starts with the status will do (the waiting cases' entries only), never the table.
    plan = _plan(count_sql)
    assert "COVERING INDEX" in plan or "Index Only Scan" in plan or "Bitmap Index Scan" in plan, plan
    assert "Seq Scan" not in plan, plan
