"""Issue 10 finding 12: a 404 for an existing but forbidden case took about twice as long as for a missing id
(the denial's audit write), which told an outsider which cases exist. Every fetch-and-check now ends in one
`policy.refuse_unseen`, which does the same work for both: one look-up of the object's case and one audit row.
Measured by what costs the time, the database round trips: a miss and a refusal run the same number of
queries and answer with the same status and body."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.testing.world import build_world, client_for, token_for

pytestmark = pytest.mark.django_db

MISSING = 987654

PAGES = [
    ("cases:detail", "case_id", "case"),
    ("cases:aanmelding_detail", "aanmelding_id", "aanmelding"),
    ("meetings:detail", "meeting_id", "meeting"),
    ("meetings:plan", "plan_id", "plan"),
    ("lifecycle:timeline", "case_id", "case"),
    ("privacy:attachment_download", "attachment_id", "attachment"),
]
API = [
    "/api/v1/cases/{id}",
    "/api/v1/aanmeldingen/{id}",
]


def _page(response, object_id) -> str:
    """The body without what differs per request anyway (CSRF tokens, a CSP nonce, the id asked for)."""
    body = re.sub(r'(content|nonce|value)="[^"]*"', "", response.content.decode())
    return body.replace(f"/{object_id}/", "/ID/")


def _measure(get):
    with CaptureQueriesContext(connection) as queries:
        response = get()
    return response, len(queries)


@pytest.fixture
def world(settings):
    settings.TAFEL_REQUIRE_2FA = False
    return build_world()


@pytest.mark.parametrize(("name", "param", "obj"), PAGES)
def test_a_page_refuses_an_existing_id_exactly_like_a_missing_one(world, name, param, obj):
    client = client_for(world, "partner")
    client.get("/")  # warm the session and the user caches
    existing = getattr(world, obj).pk
    forbidden, n_forbidden = _measure(lambda: client.get(reverse(name, kwargs={param: existing})))
    missing, n_missing = _measure(lambda: client.get(reverse(name, kwargs={param: MISSING})))
    assert forbidden.status_code == missing.status_code == 404
    assert _page(forbidden, existing) == _page(missing, MISSING)
    assert n_forbidden == n_missing


@pytest.mark.parametrize("path", API)
def test_the_api_refuses_an_existing_id_exactly_like_a_missing_one(world, path):
    headers = {"Authorization": f"Bearer {token_for(world, 'partner')}"}
    client = Client(headers=headers)
    client.get("/api/v1/cases")
    existing = world.case.pk if "cases" in path else world.aanmelding.pk
    forbidden, n_forbidden = _measure(lambda: client.get(path.format(id=existing)))
    missing, n_missing = _measure(lambda: client.get(path.format(id=MISSING)))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json()
    assert n_forbidden == n_missing


def test_both_are_in_the_audit_log_and_the_refusal_names_its_case(world):
    client = client_for(world, "partner")
    client.get(reverse("cases:detail", kwargs={"case_id": world.case.pk}))
    client.get(reverse("cases:detail", kwargs={"case_id": MISSING}))
    rows = AuditEvent.objects.filter(actor=world.users["partner"], event_type=CoreEvent.ACCESS_DENIED)
    assert sorted((r.case_id or 0, r.details["exists"]) for r in rows) == [(0, False), (world.case.pk, True)]
