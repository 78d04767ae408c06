"""Issue 10 finding 3: screening fishing.

A surname alone returned first names, dates of birth and the contact person of every match to any
organisation, also one without a convenant and without any case. Now: outside the house screening needs
surname and date of birth, or the BSN; a candidate whose case the user does not see shows only what was typed
plus dat-informatie (known here, in what kind of case, whom to contact); every query is audited with its shape;
the FG sees an alert for fishing patterns.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.services import api_token_create
from tafel.cases.models import PersonRole
from tafel.cases.screening import person_match
from tafel.cases.services import PersonInput
from tafel.core.errors import ValidationFailed
from tafel.core.models import AuditEvent
from tafel.organisations.models import OrganisationType, Role
from tafel.persons.audit_events import PersonEvent
from tafel.persons.matching import NameParts
from tafel.privacy.selectors import screening_alerts
from tafel.testing import make_case, make_org, make_user

pytestmark = pytest.mark.django_db

BORN = datetime.date(1980, 3, 14)


@pytest.fixture
def known(professional, municipality):
    return make_case(
        professional,
        municipality,
        persons=[
            PersonInput(
                first_names="Pieter Willem",
                last_name="Jansen",
                date_of_birth=BORN,
                role=PersonRole.PLEGER,
                bsn="111222333",
                address="Dorpsstraat 1",
            )
        ],
    )


@pytest.fixture
def school(db):
    return make_user(make_org("School zonder convenant", OrganisationType.ZORG, convenant=False), Role.AANMELDER)


def _api(user) -> Client:
    from tafel.api.models import SCOPES

    key = api_token_create(actor=None, user=user, name="security", scopes=list(SCOPES), days=30).key
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.parametrize("who", ["school", "outsider"])
def test_a_surname_alone_is_refused_outside_the_house_and_the_refusal_is_audited(request, known, who):
    user = request.getfixturevalue(who)
    with pytest.raises(ValidationFailed):
        person_match(viewer=user, query=NameParts(last_name="Jansen"))
    response = _api(user).post("/api/v1/persons/match", json.dumps({"last_name": "Jansen"}), "application/json")
    assert response.status_code == 400
    assert "Pieter" not in response.content.decode()
    rows = AuditEvent.objects.filter(actor=user, event_type=PersonEvent.PERSON_MATCH)
    assert [r.details for r in rows] == [{"query": "achternaam", "refused": True}] * 2


def test_outside_the_case_screening_shows_only_what_was_typed_plus_dat_informatie(known, school):
    [candidate] = person_match(viewer=school, query=NameParts(last_name="Jansen", date_of_birth=BORN))
    assert not candidate.disclosed
    assert candidate.person.first_names == "" and candidate.person.last_name == "Jansen"
    assert candidate.person.bsn_masked == "" and candidate.reasons == ()
    body = _api(school).post(
        "/api/v1/persons/match", json.dumps({"last_name": "Jansen", "date_of_birth": str(BORN)}), "application/json"
    )
    text = body.content.decode()
    assert "Pieter" not in text and "Dorpsstraat" not in text and "2333" not in text
    [out] = body.json()
    assert out["disclosed"] is False
    [signal] = out["known"]
    assert signal["case_reference"] == "" and signal["case_kind"] and signal["contact_name"]


def test_the_house_and_the_case_partner_see_the_stored_attributes(known, professional, procesregisseur):
    for user in (professional, procesregisseur):
        [candidate] = person_match(viewer=user, query=NameParts(last_name="Jansen", date_of_birth=BORN))
        assert candidate.disclosed and candidate.person.first_names == "Pieter Willem"
    # The house may still search on a name alone at the intake desk.
    assert person_match(viewer=procesregisseur, query=NameParts(last_name="Jansen"))


def test_the_screening_page_asks_outsiders_for_the_birth_date(client, known, outsider):
    client.force_login(outsider)
    url = reverse("cases:person_match") + "?prefix=form-0"
    html = client.post(url, {"form-0-last_name": "Jansen"}).content.decode()
    assert "geboortedatum" in html and "Pieter" not in html


def test_the_fg_is_alerted_to_fishing(client, known, procesregisseur, settings):
    settings.TAFEL_SCREENING_NAME_ONLY_THRESHOLD = 5
    settings.TAFEL_SCREENING_BURST = 1000
    for name in ("Jansen", "Janssen", "Bakker", "Visser", "Smit"):
        person_match(viewer=procesregisseur, query=NameParts(last_name=name))
    [alert] = screening_alerts()
    assert alert.actor_id == procesregisseur.pk and alert.name_only == 5

    settings.TAFEL_SCREENING_NAME_ONLY_THRESHOLD = 1000
    settings.TAFEL_SCREENING_BURST = 5
    assert screening_alerts()[0].burst == 5

    fg = make_user(procesregisseur.organisation, Role.FG, username="fg")
    client.force_login(fg)
    html = client.get(reverse("privacy:fg")).content.decode()
    assert "Opvallend zoeken bij screening" in html and str(procesregisseur) in html
