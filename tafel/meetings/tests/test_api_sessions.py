"""Issue 11 through the API: the stalking marker names persons, and the planner refuses them in one session
whatever their roles."""

from __future__ import annotations

import pytest

from tafel.api.tests.conftest import ApiClient, make_key  # noqa: F401 (fixtures below use the helpers)
from tafel.cases.models import PersonRole
from tafel.meetings.models import CaseMeetingFlags, Invitation

from .factories import family_case, plan_meeting


@pytest.fixture
def api(db):
    from django.test import Client

    def make(user) -> ApiClient:
        return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})

    return make


@pytest.fixture
def setting(professional, municipality, procesregisseur):
    case = family_case(professional, municipality, procesregisseur)
    # The first melding of a ZSM stalking case: neither party has the role pleger or slachtoffer.
    case.case_persons.update(role=PersonRole.BETROKKENE)
    meeting = plan_meeting(procesregisseur, code="mda", cases=[case])
    item = meeting.agenda_items.get()
    ex, victim = list(case.case_persons.order_by("id").values_list("person_id", flat=True))
    return case, item, ex, victim


def test_marker_via_api_names_persons_and_planner_refuses_them_together(api, procesregisseur, setting):
    case, item, ex, victim = setting
    client = api(procesregisseur)
    r = client.post(f"/meetings/items/{item.pk}/clients", {"person_id": ex, "session_part": "clients"})
    assert r.status_code == 200, r.content
    r = client.post(f"/meetings/items/{item.pk}/clients", {"person_id": victim, "session_part": "clients_separate"})
    assert r.status_code == 200
    r = client.post(
        f"/meetings/items/{item.pk}/safety-marker",
        {"marker": "stalking", "reason": "Ex-partner stalkt.", "person_ids": [ex]},
    )
    assert r.status_code == 400 and "person" in str(r.json()["errors"])
    r = client.post(
        f"/meetings/items/{item.pk}/safety-marker",
        {"marker": "stalking", "reason": "Ex-partner stalkt.", "person_ids": [ex, victim]},
    )
    assert r.status_code == 200, r.content
    assert r.json()["separated_person_ids"] == sorted([ex, victim])
    assert CaseMeetingFlags.objects.get(case=case).safety_marker == "stalking"
    refused = client.post(f"/meetings/items/{item.pk}/clients", {"person_id": victim, "session_part": "clients"})
    assert refused.status_code == 400
    body = refused.json()
    assert "nooit in dezelfde sessie" in str(body)
    assert Invitation.objects.get(agenda_item=item, person_id=victim).session_part == "clients_separate"
    # Without a requested part, the planner picks the free one.
    r = client.post(f"/meetings/items/{item.pk}/clients", {"person_id": victim})
    assert r.status_code == 200 and r.json()["session_part"] == "clients_separate"


def test_marking_is_refused_while_the_persons_share_a_session(api, procesregisseur, setting):
    case, item, ex, victim = setting
    client = api(procesregisseur)
    for person in (ex, victim):
        assert (
            client.post(
                f"/meetings/items/{item.pk}/clients", {"person_id": person, "session_part": "clients"}
            ).status_code
            == 200
        )
    r = client.post(
        f"/meetings/items/{item.pk}/safety-marker",
        {"marker": "intimate_terrorism", "reason": "Dwingende controle.", "person_ids": [ex, victim]},
    )
    assert r.status_code == 400 and "dezelfde sessie" in str(r.json())
    assert not CaseMeetingFlags.objects.filter(case=case, safety_marker="intimate_terrorism").exists()


def test_only_the_planner_marks_and_outsiders_get_404(api, professional, outsider, procesregisseur, setting):
    from tafel.meetings import services

    _, item, ex, victim = setting
    services.invitation_add(actor=procesregisseur, meeting=item.meeting, user=professional)
    body = {"marker": "stalking", "reason": "x", "person_ids": [ex, victim]}
    assert api(professional).post(f"/meetings/items/{item.pk}/safety-marker", body).status_code == 403
    assert api(outsider).post(f"/meetings/items/{item.pk}/safety-marker", body).status_code == 404
    assert api(outsider).post(f"/meetings/items/{item.pk}/clients", {"person_id": ex}).status_code == 404
