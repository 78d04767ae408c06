"""Issue 10 finding 2: intake by id.

Any aanmelder could put another person's id in `existing_person_id` and then read that person's name, date of
birth and address through the aanmelding and the case it joined; the error for an unknown id ("Deze persoon
bestaat niet.") told which ids exist. Every id in a request body now goes through one fetch-and-check per kind
(`tafel.cases.access.persons_get_for_user`, `user_get_for_cases`): an id the user may not name gets exactly the
answer of an id that does not exist, and nothing is written but the audited refusal. A person the aanmelder's
own screening showed them may still be linked (SPEC §3.2: the melding joins the case the person is known in),
but the aanmelding then shows that person masked.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tafel.api.services import api_token_create
from tafel.cases.models import Aanmelding, Case, CasePerson
from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_org, make_user, screen

pytestmark = pytest.mark.django_db

UNKNOWN_ID = 987654


def _api(user) -> Client:
    from tafel.api.models import SCOPES

    key = api_token_create(actor=None, user=user, name="security", scopes=list(SCOPES), days=30).key
    client = Client(headers={"Authorization": f"Bearer {key}"})
    return client


def _payload(municipality, person_id) -> dict:
    return {
        "route": "veld",
        "theme": "huiselijk_geweld",
        "municipality_id": municipality.pk,
        "title": "Zorgen",
        "reason": "Zorgen over het gezin.",
        "summary": "Wat speelt er en wat is nodig.",
        "client_knows": True,
        "urgency": "normaal",
        "persons": [{"role": "pleger", "existing_person_id": person_id}],
    }


def _post(client, payload):
    return client.post("/api/v1/aanmeldingen", json.dumps(payload), content_type="application/json")


@pytest.fixture
def no_covenant_reporter(db):
    school = make_org("Basisschool De Linde", OrganisationType.ZORG, convenant=False)
    return make_user(school, Role.AANMELDER, username="school")


@pytest.mark.parametrize("who", ["outsider", "no_covenant_reporter"])
def test_an_id_the_aanmelder_may_not_see_answers_exactly_like_an_unknown_id(request, case, municipality, who):
    user = request.getfixturevalue(who)
    person = case.case_persons.get().person
    client = _api(user)
    before = (Aanmelding.objects.count(), Case.objects.count(), CasePerson.objects.count())

    forbidden = _post(client, _payload(municipality, person.pk))
    unknown = _post(client, _payload(municipality, UNKNOWN_ID))

    assert forbidden.status_code == unknown.status_code == 400
    assert forbidden.json() == unknown.json()
    assert person.last_name not in forbidden.content.decode()
    assert (Aanmelding.objects.count(), Case.objects.count(), CasePerson.objects.count()) == before
    # Both refusals are in the audit log for the FG; the existing person is named there, by id only.
    denied = AuditEvent.objects.filter(actor=user, event_type=CoreEvent.ACCESS_DENIED, reason="person.link")
    assert sorted(d.details["person"] for d in denied) == sorted([person.pk, UNKNOWN_ID])


def test_the_form_gives_the_same_field_error_for_a_hidden_and_an_unknown_person(client, case, municipality, outsider):
    from tafel.cases.tests.test_views_aanmelding import NEW_URL, form_data

    person = case.case_persons.get().person
    client.force_login(outsider)
    pages = []
    for person_id in (person.pk, UNKNOWN_ID):
        data = form_data(municipality, **{"form-0-existing_person_id": str(person_id)})
        response = client.post(NEW_URL, data)
        assert response.status_code == 200
        pages.append(response.content.decode().replace(str(person_id), "ID"))
    assert "bestaat niet of u heeft er geen toegang toe" in pages[0]
    assert not Aanmelding.objects.filter(supplied_by_org=outsider.organisation).exists()


def test_a_screened_person_links_but_the_aanmelding_does_not_show_more_than_screening_did(case, municipality, outsider):
    person = case.case_persons.get().person
    screen(outsider, person)
    client = _api(outsider)

    created = _post(client, _payload(municipality, person.pk))
    assert created.status_code == 201, created.json()
    body = client.get(f"/api/v1/aanmeldingen/{created.json()['id']}").json()

    assert body["case_id"] is None
    [shown] = body["persons"]
    assert person.first_names not in json.dumps(body)
    assert shown["date_of_birth"] is None
    assert shown["name"] != person.full_name


def test_the_house_still_links_any_person(case, municipality, procesregisseur):
    person = case.case_persons.get().person
    response = _post(_api(procesregisseur), _payload(municipality, person.pk))
    assert response.status_code == 201, response.json()


def test_a_user_id_in_an_invitation_answers_alike_for_unknown_and_outside_the_case(procesregisseur, case, outsider):
    from tafel.core.errors import ValidationFailed
    from tafel.meetings import services as meeting_services
    from tafel.meetings.tests.factories import plan_meeting

    meeting = plan_meeting(procesregisseur, cases=[case])
    errors = []
    for user_id in (outsider.pk, UNKNOWN_ID):
        with pytest.raises(ValidationFailed) as exc:
            meeting_services.invitation_add(actor=procesregisseur, meeting=meeting, user=user_id)
        errors.append(exc.value.field_errors)
    assert errors[0] == errors[1]
    assert str(outsider) not in json.dumps(errors[0])


def test_an_action_owner_outside_the_case_answers_like_an_unknown_user(procesregisseur, case, outsider):
    from tafel.core.errors import ValidationFailed
    from tafel.meetings.services.plans import ActionInput, plan_action_add, plan_start

    draft = plan_start(actor=procesregisseur, case=case)
    errors = []
    for owner in (outsider.pk, UNKNOWN_ID):
        with pytest.raises(ValidationFailed) as exc:
            plan_action_add(
                actor=procesregisseur,
                plan=draft,
                data=ActionInput(what="Bellen", type="professional_action", owner=owner),
            )
        errors.append(exc.value.field_errors["owner"])
    assert errors[0] == errors[1]
    assert str(outsider) not in errors[0][0]
