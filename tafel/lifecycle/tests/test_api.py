import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tafel.api.tests.conftest import ApiClient, make_key
from tafel.lifecycle.models import Closure
from tafel.meetings.models import AgendaItem, Bodemeis

from .factories import plan_meeting, running_case

pytestmark = pytest.mark.django_db


def api(user) -> ApiClient:
    return ApiClient(Client(), {"Authorization": f"Bearer {make_key(user)}"})


def test_breach_via_api_and_timeline_and_outsider_gets_404(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    meeting = plan_meeting(procesregisseur, days=5)
    bodemeis = Bodemeis.objects.get(plan__case=case)
    response = api(professional).post(
        f"/lifecycle/cases/{case.pk}/breaches", {"bodemeis_id": bodemeis.pk, "description": "Opnieuw geweld"}
    )
    assert response.status_code == 201, response.content
    assert AgendaItem.objects.filter(case=case, meeting=meeting).exists()
    timeline = api(professional).get(f"/lifecycle/cases/{case.pk}/timeline", {"kind": "bodemeis"})
    assert timeline.status_code == 200
    assert [i["kind"] for i in timeline.json()["items"]] == ["bodemeis"]
    assert api(outsider).get(f"/lifecycle/cases/{case.pk}/timeline").status_code == 404
    denied = api(outsider).post(
        f"/lifecycle/cases/{case.pk}/breaches", {"bodemeis_id": bodemeis.pk, "description": "x"}
    )
    assert denied.status_code == 404
    assert denied.json()["code"] == "not_found"


def test_escalation_and_closure_via_api(case, procesregisseur, professional):
    case, _ = running_case(case, procesregisseur, professional)
    started = api(professional).post(f"/lifecycle/cases/{case.pk}/escalations", {"reason": "We zitten vast"})
    assert started.status_code == 201
    eid = started.json()["id"]
    assert api(professional).post(f"/lifecycle/escalations/{eid}/advance", {}).status_code == 403
    advanced = api(procesregisseur).post(f"/lifecycle/escalations/{eid}/advance", {"note": "gesprekken"})
    assert advanced.json()["step"] == 2
    refused = api(professional).post(
        f"/lifecycle/cases/{case.pk}/close",
        {"reason": "klaar", "criteria": {"care_started": True}, "afsluitingsplan": "plan", "goal_reached": "bereikt"},
    )
    assert refused.status_code == 403
    closed = api(procesregisseur).post(
        f"/lifecycle/cases/{case.pk}/close",
        {"reason": "klaar", "criteria": {"care_started": True}, "afsluitingsplan": "Bij terugval direct bellen."},
    )
    assert closed.status_code == 400  # whether the goal was reached is required
    body = {
        "reason": "klaar",
        "criteria": {"care_started": True},
        "afsluitingsplan": "Bij terugval direct bellen.",
        "goal_reached": "deels",
        "confirm_reason": "De open actie gaat lokaal verder.",
    }
    closed = api(procesregisseur).post(f"/lifecycle/cases/{case.pk}/close", body)
    assert closed.status_code == 409  # the escalation is still open (issue 12, item 4)
    assert closed.json()["code"] == "transition_not_allowed"
    resolved = api(procesregisseur).post(f"/lifecycle/escalations/{eid}/resolve", {"resolution": "Besloten"})
    assert resolved.status_code == 200
    closed = api(procesregisseur).post(f"/lifecycle/cases/{case.pk}/close", body)
    assert closed.status_code == 201
    assert Closure.objects.get(pk=closed.json()["id"]).goal_reached == "deels"
    invalid = api(professional).post(f"/lifecycle/cases/{case.pk}/reentry", {"reason": ""})
    assert invalid.status_code == 400


def test_event_feed_returns_changes_since_cursor_for_own_cases_only(case, procesregisseur, professional, outsider):
    case, _ = running_case(case, procesregisseur, professional)
    first = api(professional).get("/events")
    assert first.status_code == 200
    body = first.json()
    assert body["items"] and all(i["case_id"] == case.pk for i in body["items"])
    ids = [i["id"] for i in body["items"]]
    assert ids == sorted(ids)
    cursor = body["next_cursor"]
    again = api(professional).get("/events", {"cursor": cursor})
    assert again.json()["items"] == []
    api(professional).post(
        f"/lifecycle/cases/{case.pk}/rappels", {"due_on": str(timezone.localdate() + datetime.timedelta(days=3))}
    )
    api(procesregisseur).post(
        f"/lifecycle/cases/{case.pk}/rappels", {"due_on": str(timezone.localdate() + datetime.timedelta(days=3))}
    )
    newer = api(professional).get("/events", {"cursor": cursor}).json()
    assert [i["type"] for i in newer["items"]] == [500, 500]
    assert api(outsider).get("/events").json()["items"] == []
