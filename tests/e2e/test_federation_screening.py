"""Screening with the federation in the browser (issue 16): the local result first, then "bekend bij ZVH
Utrecht — contact …" from another house; with the hub down, "niet bereikbaar", and the aanmelding goes in.

The live server is house A. The hub runs in the same process (its views, reached through the client's
transport); house B's answer is a signed canned answer, as a remote house would give it."""

import datetime
import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

SECRET_A = "a" * 40
SECRET_B = "b" * 40


@pytest.fixture
def federated(settings, monkeypatch):
    from django.test import RequestFactory
    from django.utils import timezone

    from tafel.federation import client, protocol, tokens
    from tafel.persons.matching import NameParts
    from tafel_hub import services as hub_services
    from tafel_hub import views as hub_views
    from tafel_hub.models import House

    settings.TAFEL_FEDERATION_HUB_URL = "http://hub.test"
    settings.TAFEL_FEDERATION_HOUSE_CODE = "zvh-a"
    settings.TAFEL_FEDERATION_HOUSE_SECRET = SECRET_A
    settings.TAFEL_FEDERATION_KEY = "f" * 40
    now = timezone.now()
    House.objects.create(code="zvh-a", name="ZVH Gooi", secret=SECRET_A, answer_url="http://a.test/x", joined_at=now)
    b = House.objects.create(
        code="zvh-b",
        name="ZVH Utrecht",
        secret=SECRET_B,
        answer_url="http://b.test/federatie/v1/antwoord",
        joined_at=now,
    )
    known = NameParts(first_names="Pieter", last_name="Janssen", date_of_birth=datetime.date(1980, 3, 14))
    wire = tokens.tokens_for(known, federation_key="f" * 40).as_wire()
    hub_services.publish(house=b, payload={"upserts": [{"ref": "refpieter01", **wire}]})

    def hub_transport(url, body, headers, timeout):
        path = urlsplit(url).path
        headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        request = RequestFactory().post(path, data=body, content_type="application/json", headers=headers)
        response = hub_views.check(request)
        return client.RawResponse(response.status_code, response.content, response.get(protocol.HEADER_SIGNATURE, ""))

    def house_b(url, body, headers, timeout):
        raw = json.dumps(
            {
                "matches": [
                    {
                        "tier": "exact",
                        "kind": "open",
                        "since": "2026-10-02",
                        "contact_name": "Rian Regisseur",
                        "contact_phone": "030-1234567",
                        "contact_organisation": "Zorg- en Veiligheidshuis Utrecht",
                    }
                ]
            }
        ).encode()
        nonce = headers[protocol.HEADER_NONCE]
        return 200, raw, protocol.sign_response(secret=SECRET_B, request_nonce=nonce, body=raw)

    monkeypatch.setattr(client, "transport", hub_transport)
    monkeypatch.setattr(hub_services, "transport", house_b)
    return client


@pytest.mark.django_db(transaction=True)
def test_screening_shows_known_in_another_house_and_intake_goes_on_when_the_hub_is_down(page, federated, monkeypatch):
    from tafel.cases.models import Aanmelding
    from tafel.organisations.models import OrganisationType, Role
    from tafel.testing import make_municipality, make_org, make_user

    make_org("Zorg- en Veiligheidshuis Gooi", OrganisationType.ZVH)
    make_user(make_org("Politie", OrganisationType.POLITIE), Role.PROFESSIONAL, Role.AANMELDER, username="agent")
    make_municipality("Hilversum")

    login(page, "agent")
    page.goto("/aanmeldingen/nieuw/")
    page.get_by_label("Instroomroute").select_option(label="Veldaanmelding")
    page.get_by_label("Thema").select_option(label="Huiselijk geweld / kindermishandeling")
    page.get_by_label("Gemeente").select_option(label="Hilversum")
    person = page.get_by_role("group", name="Persoon 1")
    person.get_by_label("Rol in de casus").select_option(label="Pleger")
    person.get_by_label("Voornamen").fill("Pieter")
    person.get_by_label("Achternaam").fill("Janssen")
    person.get_by_label("Geboortedatum").fill("1980-03-14")
    with page.expect_response(lambda r: "/federatie/screening/" in r.url and r.ok):
        person.get_by_label("Geboortedatum").dispatch_event("change")

    matches = person.get_by_role("region", name="Is deze persoon al bekend?")
    expect(matches.get_by_text("Geen bekende persoon gevonden die hierop lijkt.", exact=False)).to_be_visible()
    remote = matches.locator("[data-federation-house='zvh-b']")
    expect(remote.get_by_text("Bekend bij ZVH Utrecht")).to_be_visible()
    expect(remote).to_contain_text("lopende casus, sinds 2026-10-02")
    expect(remote).to_contain_text("Rian Regisseur (Zorg- en Veiligheidshuis Utrecht), 030-1234567")
    expect(remote.get_by_role("link", name="030-1234567")).to_have_attribute("href", "tel:030-1234567")

    # The hub goes down: the screening says so, and the aanmelding is submitted all the same.
    def down(url, body, headers, timeout):
        raise ConnectionRefusedError

    monkeypatch.setattr(federated, "transport", down)
    person.get_by_label("Geboortedatum").fill("1980-03-15")
    with page.expect_response(lambda r: "/federatie/screening/" in r.url and r.ok):
        person.get_by_label("Geboortedatum").dispatch_event("change")
    expect(matches.get_by_text("Andere huizen: niet bereikbaar.")).to_be_visible()

    page.get_by_label("Reden van aanmelding").fill("Herhaald huiselijk geweld.")
    page.get_by_label("Samenvattende analyse: wat speelt er en wat is nodig?").fill("Gezin onveilig.")
    page.get_by_role("group", name=re.compile("^Weet de cliënt van deze aanmelding")).get_by_label(
        "Ja", exact=True
    ).check()
    page.get_by_role("button", name="Aanmelding indienen").click()
    expect(page.get_by_text("Uw aanmelding is ingediend.")).to_be_visible()
    assert Aanmelding.objects.count() == 1
