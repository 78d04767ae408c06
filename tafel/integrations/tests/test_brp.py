"""BRP lookup at intake (issue 15 item 5) against a local stand-in of Haal Centraal BRP bevragen v2: an HTTP
server on 127.0.0.1 started by the test, answering `POST /personen` as the real API does."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client

from tafel.api.services import api_token_create
from tafel.core.crypto import keyed_hash
from tafel.core.models import AuditEvent
from tafel.integrations.audit_events import IntegrationEvent
from tafel.organisations.models import OrganisationType, Role
from tafel.testing import make_org, make_user

BSN = "999993653"
PERSON = {
    "burgerservicenummer": BSN,
    "naam": {"voornamen": "Suzanne", "voorvoegsel": "van", "geslachtsnaam": "Moulin"},
    "geboorte": {"datum": {"type": "Datum", "datum": "1985-08-23", "langFormaat": "23 augustus 1985"}},
    "geslacht": {"code": "V", "omschrijving": "vrouw"},
    "verblijfplaats": {
        "type": "Adres",
        "verblijfadres": {
            "officieleStraatnaam": "Borgesiusstraat",
            "korteStraatnaam": "Borgesiusstr",
            "huisnummer": 103,
            "huisletter": "b",
            "postcode": "2497BV",
            "woonplaats": "Scheveningen",
        },
    },
    "gemeenteVanInschrijving": {"code": "0518", "omschrijving": "'s-Gravenhage"},
}


class StandIn(BaseHTTPRequestHandler):
    requests: list = []
    down = False

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        if type(self).down:
            self.send_response(503)
            self.end_headers()
            return
        if self.headers.get("X-API-KEY") != "brp-sleutel":
            self.send_response(401)
            self.end_headers()
            return
        found = [PERSON] if body.get("burgerservicenummer") == [BSN] else []
        payload = json.dumps({"type": "RaadpleegMetBurgerservicenummer", "personen": found}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def brp(settings):
    StandIn.requests = []
    StandIn.down = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TAFEL_BRP_URL = f"http://127.0.0.1:{server.server_address[1]}/haalcentraal/api/brp"
    settings.TAFEL_BRP_API_KEY = "brp-sleutel"
    settings.TAFEL_BRP_DOELBINDING = "ZVH-intake"
    settings.TAFEL_BRP_VERWERKING = "Aanmelding ZVH"
    yield StandIn
    server.shutdown()
    server.server_close()


@pytest.fixture
def gemeente_user(municipality):
    org = make_org("Gemeente Hilversum", OrganisationType.GEMEENTE)
    return make_user(org, Role.AANMELDER, Role.PROFESSIONAL, username="wijkteam")


def _lookup(user, **fields):
    client = Client()
    client.force_login(user)
    data = {f"form-0-{k}": v for k, v in fields.items()}
    return client.post("/brp/opzoeken/?prefix=form-0", data)


def test_lookup_prefills_and_verifies_with_purpose_headers(brp, gemeente_user):
    response = _lookup(gemeente_user, bsn=BSN, first_names="Suzanne", last_name="Molen", date_of_birth="1985-08-23")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Gevonden in de BRP" in html
    values = json.loads(response.context["values"])
    assert values == {
        "first_names": "Suzanne",
        "prefix": "van",
        "last_name": "Moulin",
        "date_of_birth": "1985-08-23",
        "gender": "v",
        "address": "Borgesiusstraat 103b, 2497 BV Scheveningen",
        "bsn": BSN,
    }
    checks = {c.field: c.matches for c in response.context["checks"]}
    assert checks == {
        "first_names": True,
        "prefix": None,
        "last_name": False,
        "date_of_birth": True,
        "address": None,
    }
    (sent,) = brp.requests
    assert sent["path"] == "/haalcentraal/api/brp/personen"
    assert sent["body"]["type"] == "RaadpleegMetBurgerservicenummer"
    assert sent["body"]["burgerservicenummer"] == [BSN]
    assert {"naam", "geboorte", "verblijfplaats"} <= set(sent["body"]["fields"])
    headers = {k.lower(): v for k, v in sent["headers"].items()}
    assert headers["x-doelbinding"] == "ZVH-intake"
    assert headers["x-verwerking"] == "Aanmelding ZVH"
    assert headers["x-gebruiker"] == "wijkteam"
    event = AuditEvent.objects.get(event_type=IntegrationEvent.BRP_LOOKUP)
    assert event.reason == "brp.found" and event.actor_id == gemeente_user.pk
    assert event.details["bsn_hash"] == keyed_hash(BSN)[:32]
    assert BSN not in json.dumps(event.details)


def test_unknown_bsn_is_audited_and_explained(brp, gemeente_user):
    response = _lookup(gemeente_user, bsn="111222333")

    assert "kent geen persoon met dit BSN" in response.content.decode()
    assert AuditEvent.objects.get(event_type=IntegrationEvent.BRP_LOOKUP).reason == "brp.not_found"


def test_invalid_bsn_asks_for_a_valid_one_without_calling_the_brp(brp, gemeente_user):
    response = _lookup(gemeente_user, bsn="123456789")

    assert "geldig BSN" in response.content.decode()
    assert brp.requests == []


def test_brp_down_is_said_and_audited(brp, gemeente_user):
    brp.down = True

    response = _lookup(gemeente_user, bsn=BSN)

    assert "HTTP 503" in response.content.decode()
    assert AuditEvent.objects.get(event_type=IntegrationEvent.BRP_LOOKUP).reason == "brp.error"


def test_organisation_without_brp_access_gets_no_lookup(brp, professional):
    # The police (organisation type politie) is not among TAFEL_BRP_ORGANISATION_TYPES.
    assert _lookup(professional, bsn=BSN).status_code == 404
    assert brp.requests == []


def test_lookup_switched_off_without_url(settings, gemeente_user):
    settings.TAFEL_BRP_URL = ""
    assert _lookup(gemeente_user, bsn=BSN).status_code == 404


def test_aanmeldformulier_offers_the_lookup_to_allowed_users_only(brp, gemeente_user, professional):
    client = Client()
    client.force_login(gemeente_user)
    assert "Opzoeken in de BRP" in client.get("/aanmeldingen/nieuw/").content.decode()
    client.force_login(professional)
    assert "Opzoeken in de BRP" not in client.get("/aanmeldingen/nieuw/").content.decode()


def test_api_lookup(brp, gemeente_user, professional):
    token = api_token_create(actor=None, user=gemeente_user, name="Wijkteam", scopes=["persons:match"]).key
    response = Client().post(
        "/api/v1/brp/personen",
        {"bsn": BSN},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response.json()["last_name"] == "Moulin" and response.json()["date_of_birth"] == "1985-08-23"

    police = api_token_create(actor=None, user=professional, name="Politie", scopes=["persons:match"]).key
    refused = Client().post(
        "/api/v1/brp/personen",
        {"bsn": BSN},
        content_type="application/json",
        headers={"Authorization": f"Bearer {police}"},
    )
    assert refused.status_code == 403 and refused.json()["code"] == "access_denied"
