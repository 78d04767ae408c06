import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from tafel.api.services import api_token_create

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user, scopes=("evaluations:read", "evaluations:write")):
        key = api_token_create(actor=None, user=user, name="test", scopes=list(scopes), days=30).key
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path):
        return self.client.get(f"/api/v1/evaluations{path}", headers=self.headers)

    def send(self, method, path, data):
        return self.client.generic(
            method,
            f"/api/v1/evaluations{path}",
            json.dumps(data, default=str),
            "application/json",
            headers=self.headers,
        )


def test_create_fill_finalise_and_report_through_the_api(family, procesregisseur, professional, outsider):
    api = Api(procesregisseur)
    candidates = api.get(f"/cases/{family.pk}/candidates").json()
    assert any(c["preselected"] for c in candidates)
    created = api.send("POST", f"/cases/{family.pk}", {"title": "Evaluatie via API"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["roles"] == ["vader", "moeder", "kind 1", "kind 2"]
    ev_id, moment = body["id"], body["moments"][0]

    named = api.send(
        "PATCH",
        f"/{ev_id}/moments/{moment['id']}",
        {"version": moment["version"], "went_wrong": "Maria werd niet gehoord"},
    )
    assert named.status_code == 400
    assert named.json()["errors"] == [
        {
            "in": "body",
            "location": "#/went_wrong",
            "detail": "Noem personen bij hun rol: gebruik ‘moeder’ in plaats van de naam.",
            "field": "went_wrong",
        }
    ]
    ok = api.send("PATCH", f"/{ev_id}/moments/{moment['id']}", {"version": moment["version"], "went_wrong": "Moeder"})
    assert ok.status_code == 200 and ok.json()["version"] == moment["version"] + 1
    stale = api.send("PATCH", f"/{ev_id}/moments/{moment['id']}", {"version": moment["version"], "went_well": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "concurrent_edit"

    lesson = api.send("POST", f"/{ev_id}/lessons", {"text": "Vroeg een actieoverleg"}).json()
    due = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    action = api.send(
        "POST",
        f"/{ev_id}/lessons/{lesson['id']}/actions",
        {"text": "Overleg plannen", "owner_id": professional.pk, "due_date": due},
    )
    assert action.status_code == 201 and action.json()["owner_organisation"]["name"] == professional.organisation.name
    version = api.get(f"/{ev_id}").json()["version"]
    final = api.send("POST", f"/{ev_id}/finalise", {"version": version})
    assert final.status_code == 200 and final.json()["status"] == "afgerond"
    assert api.send("POST", f"/{ev_id}/lessons", {"text": "Te laat"}).status_code == 409

    owner = Api(professional)
    assert owner.get(f"/{ev_id}").status_code == 200
    assert owner.send("POST", f"/{ev_id}/lessons", {"text": "x"}).status_code == 403
    done = owner.send(
        "PATCH", f"/improvement-actions/{action.json()['id']}", {"version": 1, "status": "done", "result": "Gehouden"}
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    listed = owner.get("/improvement-actions?status=done").json()
    assert listed["count"] == 1 and listed["items"][0]["case_reference"] == family.reference

    stranger = Api(outsider)
    assert stranger.get(f"/{ev_id}").status_code == 404
    assert stranger.get(f"/cases/{family.pk}").status_code == 404
    assert stranger.get("/improvement-actions").json()["count"] == 0


def test_scopes_are_required(family, procesregisseur, evaluation):
    reader = Api(procesregisseur, scopes=("evaluations:read",))
    assert reader.get(f"/{evaluation.pk}").status_code == 200
    refused = reader.send("POST", f"/{evaluation.pk}/lessons", {"text": "Les"})
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    cases_only = Api(procesregisseur, scopes=("cases:read",))
    assert cases_only.get(f"/{evaluation.pk}").status_code == 403
