"""The werkvoorraad: per role, paginated, audited."""

import pytest
from django.urls import reverse

from tafel.core.audit_events import CoreEvent
from tafel.core.models import AuditEvent
from tafel.testing import make_case

pytestmark = pytest.mark.django_db

URL = reverse("cases:werkvoorraad")


def test_werkvoorraad_shows_the_house_what_to_triage(client, procesregisseur, case):
    client.force_login(procesregisseur)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Te triëren", "Wacht op informatie", "Mijn casussen", "Mijn aanmeldingen"):
        assert heading in html
    assert case.reference in html
    assert reverse("cases:triage", args=[case.pk]) in html
    assert AuditEvent.objects.filter(event_type=CoreEvent.CASE_LIST, case_id=case.pk).exists()
    assert " style=" not in html and "<script>" not in html


def test_werkvoorraad_shows_the_aanmelder_their_aanmeldingen(client, professional, case):
    client.force_login(professional)
    html = client.get(URL).content.decode()
    assert "Mijn aanmeldingen" in html
    assert "Te triëren" not in html
    assert reverse("cases:aanmelding_detail", args=[case.aanmeldingen.get().pk]) in html
    assert "Ingediend" in html


def test_werkvoorraad_shows_an_outsider_nothing_of_other_organisations(client, outsider, case):
    client.force_login(outsider)
    html = client.get(URL).content.decode()
    assert case.reference not in html
    assert reverse("cases:aanmelding_detail", args=[case.aanmeldingen.get().pk]) not in html


def test_werkvoorraad_renders_for_a_role_without_case_content(client, analyst):
    client.force_login(analyst)
    response = client.get(URL)
    assert response.status_code == 200
    assert "geen toegang tot casusinhoud" in response.content.decode()


def test_werkvoorraad_redirects_anonymous_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_werkvoorraad_lists_are_paginated_separately(client, settings, procesregisseur, professional, municipality):
    settings.TAFEL_PAGE_SIZE = 2
    cases = [make_case(professional, municipality) for _ in range(3)]
    client.force_login(procesregisseur)
    first = client.get(URL).content.decode()
    assert cases[0].reference in first and cases[1].reference in first
    assert cases[2].reference not in first
    assert "p_trieren=2" in first
    second = client.get(URL, {"p_trieren": "2", "p_aanm": "1"}).content.decode()
    assert cases[2].reference in second
    # The other list keeps its own page in the links.
    assert "p_aanm=1" in second
