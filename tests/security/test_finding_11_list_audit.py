"""Issue 10 finding 11: lists that show personal data (the aanmelding list, the werkvoorraad, berichten,
notifications, the meeting list; my actions already were) wrote no read event, and some object-level denials
had no case id. Each list now writes one read row per case it shows (`CASE_LIST`, reason `list.<name>`), and
every refusal of an existing object names its case (see also test_finding_12)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.lifecycle.services._common import notify
from tafel.testing.world import build_world, client_for, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.TAFEL_REQUIRE_2FA = False
    w = build_world()
    notify([w.users["member"]], case=w.case, kind="rappel", text="Rappel", url="")
    return w


def _list_reads(user, code: str) -> set:
    rows = AuditEvent.objects.filter(actor=user, event_type=CoreEvent.CASE_LIST, reason=f"list.{code}")
    return {r.case_id for r in rows}


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("cases:werkvoorraad", "aanmeldingen"),
        ("lifecycle:notifications", "berichten"),
        ("meetings:list", "overleggen"),
    ],
)
def test_a_page_that_lists_personal_data_is_an_audited_read(world, url, code):
    member = world.users["member"]
    assert client_for(world, "member").get(reverse(url)).status_code == 200
    assert _list_reads(member, code) == {world.case.pk}


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/api/v1/aanmeldingen", "aanmeldingen"),
        ("/api/v1/lifecycle/notifications", "berichten"),
        ("/api/v1/meetings", "overleggen"),
    ],
)
def test_an_api_list_with_personal_data_is_an_audited_read(world, path, code):
    member = world.users["member"]
    client = Client(headers={"Authorization": f"Bearer {token_for(world, 'member')}"})
    assert client.get(path).status_code == 200
    assert _list_reads(member, code) == {world.case.pk}


def test_a_refused_agenda_item_plan_and_action_name_their_case(world):
    partner = world.users["partner"]
    client = client_for(world, "partner")
    for name, kwargs in (
        ("meetings:plan", {"plan_id": world.plan.pk}),
        ("meetings:family", {"plan_id": world.plan.pk}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    denied = AuditEvent.objects.filter(actor=partner, event_type=CoreEvent.ACCESS_DENIED)
    assert denied.count() == 2 and {d.case_id for d in denied} == {world.case.pk}
