"""AVG art. 18: while a person's processing is restricted, screening, the aanmelding page and the triage page
treat them as the case page does: left out for everyone but the FG and the procesregisseur."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tafel.cases import selectors
from tafel.cases.screening import person_match
from tafel.organisations.models import Role
from tafel.persons.matching import NameParts
from tafel.privacy import services as privacy_services
from tafel.testing import make_user


@pytest.fixture
def restricted(case, house):
    person = case.case_persons.first().person
    fg = make_user(house, Role.FG, username="fg")
    privacy_services.person_restrict(actor=fg, person=person, restricted=True, reason="Verzoek art. 18")
    return person


def _query(person) -> NameParts:
    return NameParts(first_names=person.first_names, last_name=person.last_name, date_of_birth=person.date_of_birth)


def test_screening_does_not_offer_a_restricted_person(restricted, professional, outsider):
    assert [c.person for c in person_match(viewer=professional, query=_query(restricted))] == []
    assert [c.person for c in person_match(viewer=outsider, query=_query(restricted))] == []


def test_screening_still_finds_the_restricted_person_for_the_procesregisseur(restricted, procesregisseur):
    assert restricted in [c.person for c in person_match(viewer=procesregisseur, query=_query(restricted))]


def test_screening_page_leaves_the_restricted_person_out(client, restricted, professional, procesregisseur):
    def screen(user) -> str:
        client.force_login(user)
        response = client.post(
            reverse("cases:person_match") + "?prefix=form-0",
            {"form-0-first_names": restricted.first_names, "form-0-last_name": restricted.last_name},
        )
        assert response.status_code == 200
        return response.content.decode()

    assert restricted.last_name not in screen(professional)
    assert restricted.last_name in screen(procesregisseur)


def test_aanmelding_page_leaves_the_restricted_person_out(client, case, restricted, professional, procesregisseur):
    aanmelding = case.aanmeldingen.get()
    assert selectors.aanmelding_detail(viewer=professional, aanmelding_id=aanmelding.pk).persons == []
    client.force_login(professional)
    page = client.get(reverse("cases:aanmelding_detail", args=[aanmelding.pk])).content.decode()
    assert restricted.last_name not in page

    detail = selectors.aanmelding_detail(viewer=procesregisseur, aanmelding_id=aanmelding.pk)
    assert [p.person for p in detail.persons] == [restricted]


def test_triage_page_shows_the_restricted_person_to_the_procesregisseur_who_triages(
    client, case, restricted, procesregisseur
):
    context = selectors.triage_context(viewer=procesregisseur, case_id=case.pk)
    assert [p.person for a in context.aanmeldingen for p in a.persons.all()] == [restricted]
