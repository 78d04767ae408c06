"""Issue 10 finding 6: AVG art. 18 restriction was ignored by `GET /api/v1/aanmeldingen/{id}` while the page
hid the person. Page and API now read the persons of an aanmelding through one selector
(`cases.selectors.aanmelding_persons`)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tafel.api.services import api_token_create
from tafel.persons.models import Person

pytestmark = pytest.mark.django_db


def _api(user) -> Client:
    from tafel.api.models import SCOPES

    key = api_token_create(actor=None, user=user, name="security", scopes=list(SCOPES), days=30).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_a_restricted_person_is_hidden_by_the_api_as_by_the_page(client, case, professional, procesregisseur):
    aanmelding = case.aanmeldingen.get()
    person = case.case_persons.get().person
    Person.objects.filter(pk=person.pk).update(processing_restricted=True)

    body = _api(professional).get(f"/api/v1/aanmeldingen/{aanmelding.pk}")
    assert body.status_code == 200
    assert body.json()["persons"] == []
    assert person.last_name not in body.content.decode()
    client.force_login(professional)
    page = client.get(reverse("cases:aanmelding_detail", args=[aanmelding.pk])).content.decode()
    assert person.last_name not in page

    # The procesregisseur (and the FG) still see the person, as on the page.
    shown = _api(procesregisseur).get(f"/api/v1/aanmeldingen/{aanmelding.pk}").json()["persons"]
    assert [p["person_id"] for p in shown] == [person.pk]
