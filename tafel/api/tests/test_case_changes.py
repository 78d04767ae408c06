"""Issue 11 through the API: a melding joins via POST /aanmeldingen and changes the case; the history and the
proposals are read at /cases/{id}/changes; the procesregisseur decides and edits."""

from __future__ import annotations

import pytest

from tafel.api.tests.conftest import aanmelding_payload
from tafel.cases.models import CasePerson, CaseProposal, ProposalKind


@pytest.fixture
def joined(token_client, professional, outsider, municipality, procesregisseur):
    first = token_client(professional).post(
        "/aanmeldingen", aanmelding_payload(municipality, urgency="normaal", theme="overlast")
    )
    assert first.status_code == 201, first.content
    case_id = first.json()["case_id"]
    person_id = CasePerson.objects.get(case_id=case_id).person_id
    # The sender screens first (SPEC §3.2); only a person its screening showed it can be linked (issue 10).
    screened = token_client(outsider).post(
        "/persons/match", {"first_names": "Karel", "last_name": "Appel", "date_of_birth": "1979-05-02"}
    )
    assert [c["person_id"] for c in screened.json()] == [person_id], screened.content
    second = token_client(outsider).post(
        "/aanmeldingen",
        aanmelding_payload(
            municipality,
            urgency="acuut",
            theme="huiselijk_geweld",
            predictive_factors=["stalking"],
            persons=[{"existing_person_id": person_id, "role": "verdachte"}],
        ),
    )
    assert second.status_code == 201, second.content
    assert second.json()["joined_existing"] is True
    return case_id, person_id


def test_joining_melding_shows_in_case_changes_and_detail(joined, as_user, procesregisseur):
    case_id, person_id = joined
    client = as_user(procesregisseur)
    body = client.get(f"/cases/{case_id}/changes").json()
    assert body["urgency"] == "acuut"
    assert {(c["field"], c["new_value"]) for c in body["changes"]} == {("urgency", "acuut"), ("role", "verdachte")}
    assert {p["kind"] for p in body["proposals"]} == {"theme", "predictive_factors", "organisation"}
    detail = client.get(f"/cases/{case_id}").json()
    person = next(p for p in detail["persons"] if p["person_id"] == person_id)
    assert person["role"] == "verdachte" and person["role_changed_at"]


def test_members_read_the_history_but_not_the_proposals_and_outsiders_get_404(
    joined, token_client, professional, analyst, procesregisseur
):
    case_id, _ = joined
    body = token_client(professional).get(f"/cases/{case_id}/changes").json()
    assert body["changes"] and body["proposals"] == []
    assert token_client(analyst).get(f"/cases/{case_id}/changes").status_code == 404


def test_procesregisseur_decides_proposals(joined, as_user, procesregisseur, outsider):
    case_id, _ = joined
    client = as_user(procesregisseur)
    proposals = {p.kind: p.pk for p in CaseProposal.objects.filter(case_id=case_id)}
    r = client.post(f"/cases/{case_id}/proposals/{proposals[ProposalKind.THEME]}/decision", {"accept": True})
    assert r.status_code == 200, r.content
    assert r.json()["theme"] == "huiselijk_geweld"
    r = client.post(f"/cases/{case_id}/proposals/{proposals[ProposalKind.ORGANISATION]}/decision", {"accept": False})
    assert r.status_code == 400 and "reason" in str(r.json()["errors"])
    r = client.post(
        f"/cases/{case_id}/proposals/{proposals[ProposalKind.ORGANISATION]}/decision",
        {"accept": False, "reason": "Alleen melder."},
    )
    assert r.status_code == 200
    again = client.post(f"/cases/{case_id}/proposals/{proposals[ProposalKind.THEME]}/decision", {"accept": True})
    assert again.status_code == 409
    assert client.post(f"/cases/{case_id}/proposals/999999/decision", {"accept": True}).status_code == 404


def test_proposal_decision_is_for_the_procesregisseur_only(joined, token_client, professional):
    case_id, _ = joined
    proposal = CaseProposal.objects.filter(case_id=case_id).first()
    r = token_client(professional).post(f"/cases/{case_id}/proposals/{proposal.pk}/decision", {"accept": True})
    assert r.status_code == 403


def test_procesregisseur_edits_classification_and_role(joined, as_user, procesregisseur):
    case_id, person_id = joined
    client = as_user(procesregisseur)
    version = client.get(f"/cases/{case_id}/changes").json()["version"]
    r = client.post(f"/cases/{case_id}/classification", {"urgency": "hoog", "reason": "", "expected_version": version})
    assert r.status_code == 400 and "reason" in str(r.json()["errors"])
    r = client.post(
        f"/cases/{case_id}/classification",
        {
            "urgency": "hoog",
            "theme": "huiselijk_geweld",
            "reason": "Na overleg bijgesteld.",
            "expected_version": version,
        },
    )
    assert r.status_code == 200, r.content
    assert (r.json()["urgency"], r.json()["theme"]) == ("hoog", "huiselijk_geweld")
    stale = client.post(
        f"/cases/{case_id}/classification", {"urgency": "acuut", "reason": "x", "expected_version": version}
    )
    assert stale.status_code == 409
    r = client.post(f"/cases/{case_id}/persons/{person_id}/role", {"role": "pleger", "reason": "Veroordeeld."})
    assert r.status_code == 200
    assert r.json()["changes"][-1]["new_label"] == "Pleger"
    assert client.post(f"/cases/{case_id}/persons/999999/role", {"role": "pleger", "reason": "x"}).status_code == 404
